"""Start-up stays light: importing the CLI, or scanning an article, never imports the heavy
machine-translation stack (each check runs in a fresh interpreter so nothing is already loaded)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT, SEED

HEAVY = ("torch", "stanza", "spacy", "argostranslate", "ctranslate2")

# The modules are listed by an atexit handler: ``python -m mtcheck`` ends with os._exit after
# running those (mtcheck.cli.exit_now), so nothing after run_module would run.
_PROBE = """
import atexit, json, runpy, sys
argv, heavy = json.loads(sys.argv[1]), json.loads(sys.argv[2])

def report():
    loaded = sorted({m.split(".")[0] for m in sys.modules} & set(heavy))
    sys.stderr.write("\\nLOADED=" + json.dumps(loaded) + "\\n")

atexit.register(report)
if argv:
    sys.argv = ["mtcheck", *argv]
    runpy.run_module("mtcheck", run_name="__main__")
else:
    import mtcheck.cli  # noqa: F401
"""


def loaded_heavy_modules(*argv: str) -> list[str]:
    r = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(list(argv)), json.dumps(HEAVY)],
        capture_output=True, text=True, cwd=ROOT, timeout=120, env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"},
    )
    marker = [line for line in r.stderr.splitlines() if line.startswith("LOADED=")]
    assert marker, f"probe failed: {r.stderr[-2000:]}"
    return json.loads(marker[-1][len("LOADED="):])


def test_import_cli_is_light():
    assert loaded_heavy_modules() == []


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit", "html"])
def test_scan_of_the_seed_is_light(fmt):
    assert loaded_heavy_modules("scan", str(SEED), "--source-lang", "es", "--format", fmt, "--exit-zero") == []


def test_scan_of_the_seed_does_not_import_logging():
    # Start-up: logging (~4 ms) is imported only once something asks for an mtcheck logger
    # (mtcheck.logs); a scan never logs.
    r = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(["scan", str(SEED), "--source-lang", "es", "--exit-zero"]),
         json.dumps(["logging"])],
        capture_output=True, text=True, cwd=ROOT, timeout=120, env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"},
    )
    assert "\nLOADED=[]\n" in r.stderr, r.stderr[-2000:]


def test_library_warnings_reach_stderr_once_a_logger_is_asked_for():
    # Either order: the CLI asks first and the logger comes later, or the other way round.
    code = (
        "import sys, mtcheck.logs as L\n"
        "L.warnings_to_stderr() if sys.argv[1] == 'cli-first' else None\n"
        "log = L.get_logger('mtcheck.test')\n"
        "L.warnings_to_stderr(); L.warnings_to_stderr()\n"
        "log.warning('disk full')\n"
    )
    for order in ("cli-first", "logger-first"):
        r = subprocess.run([sys.executable, "-c", code, order], capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert r.stderr == "mtcheck: warning: disk full\n", (order, r.stderr)


def test_rules_listing_is_light():
    assert loaded_heavy_modules("rules") == []


def test_help_is_light():
    assert loaded_heavy_modules("--help") == []


def test_probe_sees_a_heavy_import():
    # The probe must be able to fail: run it on code that does import one of the modules.
    r = subprocess.run(
        [sys.executable, "-c", "import sys, json; sys.modules['ctranslate2'] = object(); " + _PROBE.replace("import mtcheck.cli  # noqa: F401", "pass"),
         "[]", json.dumps(HEAVY)],
        capture_output=True, text=True, timeout=60,
    )
    assert "LOADED=[\"ctranslate2\"]" in r.stderr



_COMMANDS_PROBE = """
import json, sys
import typer.main
import mtcheck.cli as cli
names = tuple(json.loads(sys.argv[1]))
print(json.dumps({"names": sorted(typer.main.get_command(cli.load_commands(names)).commands),
                  "modules": sorted(m for m in sys.modules if m.startswith("mtcheck.cli."))}))
"""


def _load_only(*modules: str) -> dict:
    r = subprocess.run([sys.executable, "-c", _COMMANDS_PROBE, json.dumps(modules)], capture_output=True, text=True,
                       cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads(r.stdout)


def test_command_map_names_each_commands_module():
    """mtcheck.cli.COMMANDS (the console script loads only the module of the command it runs)
    names every command, and loading a command's module alone registers that command."""
    import mtcheck.cli as cli

    assert sorted(cli.COMMANDS) == _load_only(*cli.COMMAND_MODULES)["names"]
    for module in sorted(set(cli.COMMANDS.values())):
        registered = _load_only(module)["names"]
        assert {n for n, m in cli.COMMANDS.items() if m == module} <= set(registered)


def test_scan_loads_only_its_own_command_module():
    """Loading the scan command leaves the other command modules (and their imports) alone."""
    assert _load_only("scan")["modules"] == ["mtcheck.cli.app", "mtcheck.cli.common", "mtcheck.cli.scan"]


def test_every_module_compiles_without_warnings():
    # An invalid escape in a docstring ("\w" outside a raw string) is a DeprecationWarning at
    # compile time, seen only where modules are compiled from source (as CI does).
    import warnings

    for path in sorted((ROOT / "mtcheck").rglob("*.py")):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            compile(path.read_text(encoding="utf-8"), str(path), "exec")
