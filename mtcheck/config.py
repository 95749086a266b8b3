"""Configuration files: ``mtcheck.toml`` (top-level keys) or ``[tool.mtcheck]`` in ``pyproject.toml``.

The file is found by walking up from the current directory (the first folder holding an
``mtcheck.toml``, or a ``pyproject.toml`` with a ``[tool.mtcheck]`` table, wins; ``mtcheck.toml``
first within one folder), or named with ``--config``. Validation is strict, as in Vale: an unknown
key, a bad value or a selector that matches no rule is a :class:`ConfigError` naming the file and
the key. Command-line values (``overrides``) win over the file.

Keys (kebab-case)::

    select = ["Q", "R"]            # rules to run: codes, prefixes or names ("ALL")
    ignore = ["W103"]              # rules to skip
    extend-select = ["U"]          # added to select (or to the default set)
    extend-ignore = []             # added to ignore
    fail-on = "warning"            # error | warning | info | never
    min-score = 80                 # gate: quality score (0-100) must reach this
    max-findings-per-1000-words = 5
    fidelity-threshold = 50        # audit: round-trip chrF (0-100) flagging sentences (F101) and gating documents
    source-lang = "es"
    target-lang = "en"

    [severity]                     # per code or prefix: error | warning | info
    Q101 = "error"

    [rules.R101]                   # options a rule declares (see `mtcheck rule CODE`)
    ...

In ``pyproject.toml`` the same keys sit under ``[tool.mtcheck]`` (``[tool.mtcheck.severity]``,
``[tool.mtcheck.rules.R101]``).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from mtcheck.errors import ConfigError, UsageError
from mtcheck.findings import Severity
from mtcheck.settings import Settings
from mtcheck.translate.langcodes import is_code

CONFIG_NAMES = ("mtcheck.toml", "pyproject.toml")

#: Severity names accepted by ``fail-on`` (``never`` disables failing on findings).
FAIL_ON_CHOICES = ("error", "warning", "info", "never")

_LIST_KEYS = ("select", "ignore", "extend-select", "extend-ignore")
_NUMBER_KEYS = {
    "min-score": (0.0, 100.0),
    "max-findings-per-1000-words": (0.0, None),
    "fidelity-threshold": (0.0, 100.0),
}
_LANG_KEYS = ("source-lang", "target-lang")
KNOWN_KEYS = frozenset((*_LIST_KEYS, *_NUMBER_KEYS, *_LANG_KEYS, "fail-on", "severity", "rules"))


def find_config(start_dir: str | os.PathLike = ".") -> Path | None:
    """The config file that applies to ``start_dir``: walk up until a folder holds an
    ``mtcheck.toml`` or a ``pyproject.toml`` with ``[tool.mtcheck]``."""
    d = Path(start_dir).resolve()
    for folder in (d, *d.parents):
        cand = folder / "mtcheck.toml"
        if cand.is_file():
            return cand
        pp = folder / "pyproject.toml"
        if pp.is_file() and _has_tool_table(pp):
            return pp
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        data = path.read_bytes()
    except OSError:
        return False
    if b"tool.mtcheck" not in data and b"[tool]" not in data:
        return False
    try:
        doc = tomllib.loads(data.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return b"[tool.mtcheck" in data  # broken but clearly ours: report it when loading
    return isinstance(doc.get("tool"), dict) and "mtcheck" in doc["tool"]


def read_config(path: str | os.PathLike) -> dict[str, Any]:
    """The raw mtcheck table of a config file (``{}`` for a pyproject.toml without one)."""
    p = Path(path)
    try:
        data = p.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"{p}: config file not found") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{p}: cannot read config file: {getattr(e, 'strerror', None) or e}") from None
    try:
        doc = tomllib.loads(data)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{p}: invalid TOML: {e}") from None
    if p.name == "pyproject.toml":
        tool = doc.get("tool", {})
        table = tool.get("mtcheck", {}) if isinstance(tool, dict) else {}
        if not isinstance(table, dict):
            raise ConfigError(f"{p}: [tool.mtcheck] must be a table")
        return table
    return doc


def _where(path: Path, key: str) -> str:
    prefix = "tool.mtcheck." if path.name == "pyproject.toml" else ""
    return f"{path}: {prefix}{key}"


def _selectors(value: Any, path: Path, key: str) -> tuple[str, ...]:
    from mtcheck.rules import known_selector

    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{_where(path, key)}: must be a list of rule codes, prefixes or names")
    for v in value:
        if not v.strip() or (v.strip().upper() != "ALL" and not known_selector(v)):
            raise ConfigError(f"{_where(path, key)}: {v!r} matches no rule (see `mtcheck rules`)")
    return tuple(v.strip() for v in value)


def _severity(value: Any, where: str) -> Severity:
    if not isinstance(value, str) or value.lower() not in ("error", "warning", "info"):
        raise ConfigError(f"{where}: must be one of error, warning, info (got {value!r})")
    return Severity(value.lower())


def parse_config(table: dict[str, Any], path: str | os.PathLike) -> dict[str, Any]:
    """Validate a raw config table; returns Settings field values (only the keys present)."""
    from mtcheck.rules import all_rules, get_rule, matches_selector

    p = Path(path)
    unknown = sorted(set(table) - KNOWN_KEYS)
    if unknown:
        hint = _suggest(unknown[0])
        raise ConfigError(f"{_where(p, unknown[0])}: unknown key{hint} (known: {', '.join(sorted(KNOWN_KEYS))})")
    out: dict[str, Any] = {}
    for key in _LIST_KEYS:
        if key in table:
            out[key.replace("-", "_")] = _selectors(table[key], p, key)
    if "fail-on" in table:
        v = table["fail-on"]
        if not isinstance(v, str) or v.lower() not in FAIL_ON_CHOICES:
            raise ConfigError(f"{_where(p, 'fail-on')}: must be one of {', '.join(FAIL_ON_CHOICES)} (got {v!r})")
        out["fail_on"] = None if v.lower() == "never" else Severity(v.lower())
    for key, (lo, hi) in _NUMBER_KEYS.items():
        if key in table:
            v = table[key]
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise ConfigError(f"{_where(p, key)}: must be a number (got {v!r})")
            if v < lo or (hi is not None and v > hi):
                rng = f"between {lo:g} and {hi:g}" if hi is not None else f"at least {lo:g}"
                raise ConfigError(f"{_where(p, key)}: must be {rng} (got {v!r})")
            out[key.replace("-", "_")] = float(v)
    for key in _LANG_KEYS:
        if key in table:
            v = table[key]
            if not isinstance(v, str) or not is_code(v.strip()):
                raise ConfigError(f"{_where(p, key)}: must be a language code such as 'en' or 'es' (got {v!r})")
            out[key.replace("-", "_")] = v.strip()
    if "severity" in table:
        sev = table["severity"]
        if not isinstance(sev, dict):
            raise ConfigError(f"{_where(p, 'severity')}: must be a table of code = \"error|warning|info\"")
        mapping: dict[str, Severity] = {}
        for sel, level in sev.items():
            where = _where(p, f"severity.{sel}")
            s = _severity(level, where)
            matched = [r.code for r in all_rules() if matches_selector(r, sel)]
            if not matched:
                raise ConfigError(f"{where}: {sel!r} matches no rule (see `mtcheck rules`)")
            for code in matched:
                mapping[code] = s
        out["severity"] = mapping
    if "rules" in table:
        rules = table["rules"]
        if not isinstance(rules, dict):
            raise ConfigError(f"{_where(p, 'rules')}: must be a table of [rules.CODE] tables")
        options: dict[str, dict] = {}
        for code, opts in rules.items():
            where = _where(p, f"rules.{code}")
            r = get_rule(code)
            if r is None:
                raise ConfigError(f"{where}: no rule {code!r} (see `mtcheck rules`)")
            if not isinstance(opts, dict):
                raise ConfigError(f"{where}: must be a table of options")
            for name, value in opts.items():
                if name not in r.options:
                    known = ", ".join(sorted(r.options)) or "none"
                    raise ConfigError(f"{where}.{name}: unknown option for {r.code} (options: {known})")
                _check_option_type(r.options[name], value, f"{where}.{name}")
            options[r.code] = dict(opts)
        out["rule_options"] = options
    return out


def _check_option_type(default: Any, value: Any, where: str) -> None:
    if default is None:
        return
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, (int, float)):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif isinstance(default, (list, tuple)):
        ok = isinstance(value, list)
    else:
        ok = isinstance(value, type(default))
    if not ok:
        raise ConfigError(f"{where}: expected {type(default).__name__} like the default {default!r} (got {value!r})")


def _suggest(key: str) -> str:
    import difflib

    close = difflib.get_close_matches(key, sorted(KNOWN_KEYS), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def load_settings(
    *,
    config_path: str | None = None,
    start_dir: str | os.PathLike = ".",
    overrides: dict[str, Any] | None = None,
    isolated: bool = False,
) -> Settings:
    """Resolved settings: defaults, then the config file, then ``overrides``.

    ``overrides`` holds command-line values keyed by :class:`Settings` field name (plus
    ``extend_select``/``extend_ignore``); None means "not given". ``fail_on`` may be a Severity or
    one of :data:`FAIL_ON_CHOICES`. ``select``/``ignore`` given on the command line replace the
    file's; ``extend_*`` add to them. ``isolated=True`` ignores config files (``--isolated``).
    """
    file_values: dict[str, Any] = {}
    found: Path | None = None
    if config_path:
        found = Path(config_path)
        file_values = parse_config(read_config(found), found)
    elif not isolated:
        found = find_config(start_dir)
        if found is not None:
            file_values = parse_config(read_config(found), found)

    cli = {k: v for k, v in (overrides or {}).items() if v is not None and v != () and v != []}
    _validate_overrides(cli)

    settings = Settings()
    fields = set(Settings.__dataclass_fields__)
    for source in (file_values, cli):
        for k, v in source.items():
            if k in ("extend_select", "extend_ignore"):
                continue
            if k not in fields:
                raise UsageError(f"unknown setting {k!r}")
            if k == "severity":
                settings.severity = {**settings.severity, **v}
            elif k == "rule_options":
                merged = {code: dict(o) for code, o in settings.rule_options.items()}
                for code, o in v.items():
                    merged.setdefault(code, {}).update(o)
                settings.rule_options = merged
            elif k in ("select", "ignore"):
                setattr(settings, k, tuple(v))
            else:
                setattr(settings, k, v)
    # As in ruff: --select on the command line replaces the file's select and extend-select
    # (likewise --ignore), while --extend-* add to whatever is in force.
    if "select" in cli:
        file_values.pop("extend_select", None)
    if "ignore" in cli:
        file_values.pop("extend_ignore", None)
    for source in (file_values, cli):
        if source.get("extend_select"):
            base = settings.select or _default_selection()
            settings.select = tuple(dict.fromkeys((*base, *source["extend_select"])))
        if source.get("extend_ignore"):
            settings.ignore = tuple(dict.fromkeys((*settings.ignore, *source["extend_ignore"])))
    settings.config_path = str(found) if found is not None else None
    return settings


def _default_selection() -> tuple[str, ...]:
    from mtcheck.rules import all_rules

    return tuple(r.code for r in all_rules() if r.default_enabled)


def _validate_overrides(cli: dict[str, Any]) -> None:
    """Check command-line values the way the file's are checked, as usage errors."""
    from mtcheck.rules import known_selector

    for key in ("select", "ignore", "extend_select", "extend_ignore"):
        if key in cli:
            vals = cli[key]
            if isinstance(vals, str):
                vals = [v for v in vals.split(",")]
            vals = tuple(v.strip() for v in vals if v.strip())
            for v in vals:
                if v.upper() != "ALL" and not known_selector(v):
                    raise UsageError(f"--{key.replace('_', '-')}: {v!r} matches no rule (see `mtcheck rules`)")
            cli[key] = vals
    if "fail_on" in cli and not isinstance(cli["fail_on"], Severity):
        v = str(cli["fail_on"]).lower()
        if v not in FAIL_ON_CHOICES:
            raise UsageError(f"--fail-on: must be one of {', '.join(FAIL_ON_CHOICES)} (got {cli['fail_on']!r})")
        cli["fail_on"] = None if v == "never" else Severity(v)
    if "severity" in cli:
        sev = {}
        for code, level in dict(cli["severity"]).items():
            sev[code.upper()] = level if isinstance(level, Severity) else Severity(str(level).lower())
        cli["severity"] = sev
