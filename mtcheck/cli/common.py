"""What every reporting command shares: option bundles, settings, error handling, report and exit.

A command that lints documents (``scan``, ``audit``, ``feed``) looks like this::

    @app.command()
    @handle_errors
    @common_options
    def scan(paths: list[str], opts: CommonOptions) -> None:
        settings = opts.settings()
        results = collect(scan_paths(paths, settings, prepare=preparer(opts, settings)), opts, settings)
        raise typer.Exit(finish(results, opts, settings, command="scan"))

:func:`common_options` adds the shared flags (``--format``, ``--output``, ``--fail-on``,
``--exit-zero``, ``--select``, ``--ignore``, ``--extend-select``, ``--extend-ignore``,
``--min-score``, ``--max-findings-per-1000-words``, ``--source-lang``, ``--target-lang``,
``--config``, ``--isolated``, ``--baseline``, ``--write-baseline``) to the command's signature and hands them to the function as
one :class:`CommonOptions` (parameter ``opts``). :func:`handle_errors` maps :mod:`mtcheck.errors`
to one line ``mtcheck: error: …`` and exit code 2. :func:`preparer` gives the function that makes
what the report needs of each document (gate verdict, JSON entry) where it is scanned, in the
worker processes with ``--jobs``; :func:`collect` gathers the results (making that where the scan
did not); :func:`finish` applies the baseline, evaluates the gate where :func:`collect` did not,
renders the report, writes it (atomically for ``--output``, in pieces) and returns the exit code.
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
import typing
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from mtcheck.errors import MtcheckError, UsageError
from mtcheck.reporters import FORMATS

#: Exit codes, documented in ``--help`` and the README.
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

EXIT_CODES_HELP = (
    "Exit codes: 0 no document failed the gate; 1 a finding at or above --fail-on (default: warning) "
    "or another gate threshold was hit; 2 usage, configuration or input error (when one document of "
    "a batch cannot be read, the others are still reported and the exit code is 2)."
)


#: Output formats (``mtcheck.reporters.FORMATS``).
OutputFormat = Enum("OutputFormat", {name: name for name in FORMATS}, type=str)


class FailOn(str, Enum):
    """The lowest severity that fails the gate."""

    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


DEFAULT_FAIL_ON = "warning"

_PANEL = "Shared options"

FormatOpt = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="Report format.", case_sensitive=False, rich_help_panel=_PANEL),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write the report to FILE (atomically) instead of stdout.",
                 metavar="FILE", dir_okay=False, rich_help_panel=_PANEL),
]
FailOnOpt = Annotated[
    FailOn | None,
    typer.Option("--fail-on", help="Lowest severity that makes the exit code 1 (default: warning, or fail_on from the config).",
                 case_sensitive=False, show_default=False, rich_help_panel=_PANEL),
]
ExitZeroOpt = Annotated[
    bool,
    typer.Option("--exit-zero", help="Exit 0 even when findings fail the gate (input errors still exit 2).",
                 rich_help_panel=_PANEL),
]
SelectOpt = Annotated[
    list[str] | None,
    typer.Option("--select", help="Only these rules: codes, prefixes (Q, Q1) or names; repeat or comma-separate.",
                 metavar="RULES", rich_help_panel=_PANEL),
]
IgnoreOpt = Annotated[
    list[str] | None,
    typer.Option("--ignore", help="Skip these rules: codes, prefixes or names; repeat or comma-separate.",
                 metavar="RULES", rich_help_panel=_PANEL),
]
SourceLangOpt = Annotated[
    str | None,
    typer.Option("--source-lang", "-s", help="Language the text was translated from (es, fr, …).",
                 metavar="LANG", rich_help_panel=_PANEL),
]
TargetLangOpt = Annotated[
    str | None,
    typer.Option("--target-lang", "-t", help="Language of the text (default: detected per document).",
                 metavar="LANG", rich_help_panel=_PANEL),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", help="Config file, mtcheck.toml or pyproject.toml (default: searched upwards from the current folder).",
                 metavar="FILE", dir_okay=False, rich_help_panel=_PANEL),
]
BaselineOpt = Annotated[
    Path | None,
    typer.Option("--baseline", help="Ignore findings recorded in this baseline file.", metavar="FILE",
                 dir_okay=False, rich_help_panel=_PANEL),
]
ExtendSelectOpt = Annotated[
    list[str] | None,
    typer.Option("--extend-select", help="Add rules to the selection (the config's or the default).", metavar="RULES",
                 rich_help_panel=_PANEL),
]
ExtendIgnoreOpt = Annotated[
    list[str] | None,
    typer.Option("--extend-ignore", help="Skip these rules in addition to the config's ignore list.", metavar="RULES",
                 rich_help_panel=_PANEL),
]
MinScoreOpt = Annotated[
    float | None,
    typer.Option("--min-score", help="Gate: fail a document whose quality score (0-100) is below N.", metavar="N",
                 min=0, max=100, rich_help_panel=_PANEL),
]
MaxRateOpt = Annotated[
    float | None,
    typer.Option("--max-findings-per-1000-words", help="Gate: fail a document with more findings per 1,000 words.",
                 metavar="N", min=0, rich_help_panel=_PANEL),
]
IsolatedOpt = Annotated[
    bool,
    typer.Option("--isolated", help="Ignore configuration files.", rich_help_panel=_PANEL),
]
WriteBaselineOpt = Annotated[
    Path | None,
    typer.Option("--write-baseline", help="Record the current findings in FILE so they stop failing CI.",
                 metavar="FILE", dir_okay=False, rich_help_panel=_PANEL),
]

ENGINE_PANEL = "Engine options"
#: Decoding options of the commands that translate (``audit``, ``backtranslate``, ``translate``).
BeamSizeOpt = Annotated[int | None, typer.Option("--beam-size", help="Argos: beam size (default 4, as Argos).", min=1,
                                                 rich_help_panel=ENGINE_PANEL)]
BatchSizeOpt = Annotated[int | None, typer.Option("--batch-size", help="Argos: sentences per CTranslate2 batch.", min=1,
                                                  rich_help_panel=ENGINE_PANEL)]
ThreadsOpt = Annotated[int | None, typer.Option("--threads", help="Argos: CPU threads for decoding.", min=1,
                                                rich_help_panel=ENGINE_PANEL)]
ComputeTypeOpt = Annotated[str | None, typer.Option("--compute-type", help="Argos: auto, int8, float32, …", metavar="TYPE",
                                                    rich_help_panel=ENGINE_PANEL)]
MarkUnknownOpt = Annotated[bool, typer.Option("--mark-unknown", help="Apertium: keep *marks on unknown words.",
                                              rich_help_panel=ENGINE_PANEL)]


def check_engine(engine: str, *extra: str) -> None:
    """Raise :class:`UsageError` for an ``--engine`` value that is not an engine name (or one of
    ``extra``, such as feed's ``none``), before any input is read."""
    from mtcheck.translate.registry import ENGINES

    choices = (*ENGINES, *extra)
    if engine not in choices:
        raise UsageError(f"unknown engine {engine!r}; choose one of {', '.join(choices)}")


def engine_options(beam_size, batch_size, threads, compute_type, mark_unknown) -> dict:
    """The registry's engine options for the flags that were given."""
    opts = {"beam_size": beam_size, "max_batch_size": batch_size, "intra_threads": threads,
            "compute_type": compute_type, "mark_unknown": True if mark_unknown else None}
    return {k: v for k, v in opts.items() if v is not None}


#: Parameter name → annotated type, in the order they appear in ``--help``.
COMMON_PARAMS: dict[str, tuple[object, object]] = {
    "format": (FormatOpt, "text"),
    "output": (OutputOpt, None),
    "fail_on": (FailOnOpt, None),
    "exit_zero": (ExitZeroOpt, False),
    "select": (SelectOpt, None),
    "ignore": (IgnoreOpt, None),
    "extend_select": (ExtendSelectOpt, None),
    "extend_ignore": (ExtendIgnoreOpt, None),
    "min_score": (MinScoreOpt, None),
    "max_findings_per_1000_words": (MaxRateOpt, None),
    "source_lang": (SourceLangOpt, None),
    "target_lang": (TargetLangOpt, None),
    "config": (ConfigOpt, None),
    "isolated": (IsolatedOpt, False),
    "baseline": (BaselineOpt, None),
    "write_baseline": (WriteBaselineOpt, None),
}


@dataclass
class CommonOptions:
    """The shared flags of one invocation, as given on the command line (None = not given)."""

    format: str = "text"
    output: Path | None = None
    fail_on: str | None = None
    exit_zero: bool = False
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    extend_ignore: tuple[str, ...] = ()
    min_score: float | None = None
    max_findings_per_1000_words: float | None = None
    source_lang: str | None = None
    target_lang: str | None = None
    config: Path | None = None
    isolated: bool = False
    baseline: Path | None = None
    write_baseline: Path | None = None

    def overrides(self) -> dict:
        """Settings fields the command line sets; keys are present only for flags that were given."""
        out: dict = {}
        for key in ("select", "ignore", "extend_select", "extend_ignore"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        for key in ("source_lang", "target_lang", "min_score", "max_findings_per_1000_words"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.fail_on is not None:
            out["fail_on"] = self.fail_on  # a string: "never" turns failing on findings off
        return out

    def settings(self, start_dir: str | Path | None = None):
        """Resolved :class:`~mtcheck.settings.Settings`: config file, then these flags on top.
        Unknown rule selectors and malformed language codes are usage errors."""
        self.validate()
        settings = load_settings(self.config, start_dir, self.overrides(), isolated=self.isolated)
        check_selectors(settings.select, "select")
        check_selectors(settings.ignore, "ignore")
        return settings

    def validate(self) -> None:
        check_lang("--source-lang", self.source_lang)
        check_lang("--target-lang", self.target_lang)
        for flag in ("select", "ignore", "extend_select", "extend_ignore"):
            check_selectors(getattr(self, flag), "--" + flag.replace("_", "-"))
        if self.baseline and self.write_baseline:
            raise UsageError("--baseline and --write-baseline cannot be used together")


def check_lang(flag: str, value: str | None) -> None:
    """Raise :class:`UsageError` when ``value`` (if given) is not a language code."""
    from mtcheck.translate.langcodes import is_code

    if value is not None and not is_code(value):
        raise UsageError(f"{flag} {value!r} is not a language code (e.g. en, es, pt-BR)")


def load_settings(config: Path | None, start_dir: str | Path | None, overrides: dict, *, isolated: bool = False):
    """Settings from the config file (``mtcheck.config.load_settings``) with ``overrides`` on top."""
    from mtcheck.config import load_settings as _load

    return _load(
        config_path=str(config) if config else None,
        start_dir=start_dir or Path.cwd(),
        overrides=overrides,
        isolated=isolated,
    )


def split_selectors(values: list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """``["Q,G", "C101"]`` → ``("Q", "G", "C101")``."""
    out: list[str] = []
    for v in values or ():
        out.extend(p.strip() for p in v.split(",") if p.strip())
    return tuple(out)


def check_choice(flag: str, value: str, choices: tuple[str, ...]) -> None:
    """Raise :class:`UsageError` (``--format must be text or json, not 'x'``) for a value that is
    not one of ``choices``: the one wording for commands whose option is a plain string."""
    if value not in choices:
        raise UsageError(f"{flag} must be {', '.join(choices[:-1])} or {choices[-1]}, not {value!r}")


def check_selectors(selectors, where: str) -> None:
    """Raise :class:`UsageError` for a selector that matches no rule."""
    if not selectors:
        return
    from mtcheck.rules import known_selector

    unknown = [s for s in selectors if not known_selector(s)]
    if unknown:
        raise UsageError(
            f"unknown rule selector{'s' if len(unknown) > 1 else ''} in {where}: {', '.join(unknown)} "
            "(see `mtcheck rules`)"
        )


# -- decorators ----------------------------------------------------------------------------------


def common_options(fn: Callable) -> Callable:
    """Add the shared flags to a command; the function receives them as ``opts: CommonOptions``.

    The command's own parameters come first in ``--help``, then the shared ones.
    """
    hints = typing.get_type_hints(fn, include_extras=True)
    sig = inspect.signature(fn)
    own = [p.replace(annotation=hints.get(p.name, p.annotation)) for p in sig.parameters.values() if p.name != "opts"]
    taken = {p.name for p in own}
    extra = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=ann, default=default)
        for name, (ann, default) in COMMON_PARAMS.items()
        if name not in taken
    ]

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        common = {name: kwargs.pop(name) for name in COMMON_PARAMS if name in kwargs and name not in taken}
        fmt = common.get("format", "text")
        fail_on = common.get("fail_on")
        opts = CommonOptions(
            format=getattr(fmt, "value", fmt),
            output=common.get("output"),
            fail_on=getattr(fail_on, "value", fail_on),
            exit_zero=bool(common.get("exit_zero", False)),
            select=split_selectors(common.get("select")),
            ignore=split_selectors(common.get("ignore")),
            extend_select=split_selectors(common.get("extend_select")),
            extend_ignore=split_selectors(common.get("extend_ignore")),
            min_score=common.get("min_score"),
            max_findings_per_1000_words=common.get("max_findings_per_1000_words"),
            source_lang=common.get("source_lang"),
            target_lang=common.get("target_lang"),
            config=common.get("config"),
            isolated=bool(common.get("isolated", False)),
            baseline=common.get("baseline"),
            write_baseline=common.get("write_baseline"),
        )
        return fn(*args, opts=opts, **kwargs)

    params = [p.replace(kind=inspect.Parameter.POSITIONAL_OR_KEYWORD) if p.kind == inspect.Parameter.KEYWORD_ONLY else p
              for p in own]
    wrapper.__signature__ = sig.replace(
        parameters=[*params, *(p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in extra)],
        return_annotation=inspect.Signature.empty,
    )
    wrapper.__annotations__ = {p.name: p.annotation for p in [*own, *extra]}
    del wrapper.__wrapped__  # typer must read __signature__, not the wrapped function's
    return wrapper


def handle_errors(fn: Callable) -> Callable:
    """Map errors to one line on stderr and exit code 2; never show a traceback.

    ``MTCHECK_DEBUG=1`` re-raises unexpected exceptions so a developer sees the traceback.
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except MtcheckError as e:
            fail(str(e), getattr(e, "exit_code", EXIT_ERROR))
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except BrokenPipeError:
            # The reader went away (`mtcheck scan … | head`): exit quietly, as cat does.
            _silence_stdout()
            raise typer.Exit(EXIT_ERROR) from None
        except Exception as e:  # noqa: BLE001 - the CLI boundary: one line, never a traceback
            if os.environ.get("MTCHECK_DEBUG"):
                raise
            fail(f"internal error: {type(e).__name__}: {e} (set MTCHECK_DEBUG=1 for a traceback)", EXIT_ERROR)

    return wrapper


def run(app, args: list[str] | None = None) -> typing.NoReturn:
    """Run the Typer ``app`` as the console script: click's own usage errors (unknown option, bad
    choice, missing argument) become one line ``mtcheck: error: …`` and exit code 2, like ours."""
    command = typer.main.get_command(app)
    try:
        rv = command.main(args=args if args is not None else sys.argv[1:], prog_name="mtcheck", standalone_mode=False)
    except MtcheckError as e:  # raised outside a command body (a parameter callback)
        error(e)
        sys.exit(getattr(e, "exit_code", EXIT_ERROR))
    except Exception as e:  # noqa: BLE001 - the process boundary: one line, never a traceback
        if not (hasattr(e, "format_message") and hasattr(e, "exit_code")):  # not one of click's
            if os.environ.get("MTCHECK_DEBUG"):
                raise
            error("aborted" if type(e).__name__ == "Abort" else f"internal error: {type(e).__name__}: {e}")
            sys.exit(EXIT_ERROR)
        if type(e).__name__ == "NoArgsIsHelpError":  # a group called bare: its help is the answer
            help_text = str(getattr(e, "message", "") or "")
            if "Usage" in help_text:  # without rich, typer leaves printing the help to the caller
                sys.stdout.write(help_text.rstrip("\n") + "\n")
            sys.exit(EXIT_ERROR)
        ctx = getattr(e, "ctx", None)
        hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
        error(e.format_message() + hint)
        sys.exit(EXIT_ERROR)
    except (KeyboardInterrupt, EOFError):
        error("interrupted")
        sys.exit(130)
    sys.exit(rv if isinstance(rv, int) else 0)


def error(message) -> None:
    """Print ``mtcheck: error: MESSAGE`` (one line) on stderr; the caller decides the exit code."""
    sys.stderr.write(f"mtcheck: error: {' '.join(str(message).split())}\n")


def fail(message: str, code: int = EXIT_ERROR) -> typing.NoReturn:
    """Print ``mtcheck: error: MESSAGE`` (one line) on stderr and exit with ``code``."""
    error(message)
    sys.stderr.flush()
    raise typer.Exit(code)


def warn(message: str) -> None:
    """Print ``mtcheck: warning: MESSAGE`` on stderr."""
    sys.stderr.write(f"mtcheck: warning: {' '.join(str(message).split())}\n")


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


# -- report and exit -----------------------------------------------------------------------------


def use_color(stream=None) -> bool:
    """Colour only on a terminal, never when ``NO_COLOR`` is set (https://no-color.org) or
    ``TERM=dumb``; ``FORCE_COLOR`` forces it."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    stream = stream or sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def write_atomic(path: str | Path, data: str | list[str]) -> None:
    """Write ``data`` (a string or its pieces, as UTF-8) to ``path`` atomically
    (:func:`mtcheck.io.atomic.atomic_write_bytes`), so a reader never sees half a report and a
    failed run leaves the old file intact."""
    from mtcheck.io.atomic import atomic_write_bytes

    try:
        atomic_write_bytes(path, data.encode("utf-8") if isinstance(data, str) else (d.encode("utf-8") for d in data))
    except OSError as e:
        raise UsageError(f"cannot write {path}: {e.strerror or e}") from None


def write_report(text: str | list[str], output: Path | None) -> None:
    """The report (a string, or its pieces: :func:`mtcheck.reporters.render_chunks`) to ``output``
    (atomically) or to stdout, ending with a line break."""
    pieces = [text] if isinstance(text, str) else list(text)
    last = next((p for p in reversed(pieces) if p), "")
    if last and not last.endswith("\n"):
        pieces.append("\n")
    if output is not None and str(output) != "-":
        write_atomic(output, pieces)
        return
    out = sys.stdout
    for piece in pieces:
        try:
            out.write(piece)
        except UnicodeEncodeError:  # a terminal or pipe in a narrower encoding: nothing was written
            out.flush()
            out.buffer.write(piece.encode(out.encoding or "utf-8", errors="replace"))
    out.flush()


def apply_baseline(results: list, opts: CommonOptions) -> list:
    """Write and/or apply the baseline the flags name; returns the results to report."""
    if not (opts.baseline or opts.write_baseline):
        return results
    from mtcheck import baseline as bl

    if opts.write_baseline:
        bl.write_baseline(results, opts.write_baseline)
        count = sum(len(r.findings) for r in results)
        sys.stderr.write(f"mtcheck: wrote {count} finding{'s' if count != 1 else ''} to baseline {opts.write_baseline}\n")
        path = opts.write_baseline
    else:
        path = opts.baseline
    applied = bl.apply_baseline(results, bl.load_baseline(path))
    return results if applied is None else list(applied)


def collect(results: typing.Iterable, opts: CommonOptions | None = None, settings=None) -> list:
    """The results of a batch as a list, for a command that reports them at the end.

    Every few documents, what is alive (the results so far, the rule data) is moved out of the
    garbage collector's reach (``gc.freeze``): a batch keeps every finding, and each full
    collection walked all of them again (0.4 s of a 10 MB scan). Results are not cyclic garbage,
    and the process ends with the report, so nothing frozen would ever have been collected.

    Given the command's options and settings, what :func:`finish` needs of each result (the gate's
    verdict, the JSON entry: a :class:`Prepared` in ``result.prepared``) is made here as results
    arrive, unless :func:`preparer`'s function made it where the result was scanned (in the
    worker process, with ``scan --jobs``). Findings that arrive still pickled from a worker are
    unpickled here, while the workers scan, unless the report entry was made already: then
    nothing needs them."""
    import gc

    out: list = []
    prepare = preparer(opts, settings)
    for i, result in enumerate(results, 1):
        out.append(result)
        made = None
        if prepare is not None:
            made = result.prepared
            if type(made) is not Prepared:
                made = result.prepared = prepare(result)
        if made is None or made.entry is None:
            getattr(result, "findings", None)  # unpickles a worker's findings now, not in the report
        if i % FREEZE_EVERY == 0:
            gc.freeze()
    return out


#: Documents between two ``gc.freeze()`` calls in :func:`collect`.
FREEZE_EVERY = 32


class Prepared(typing.NamedTuple):
    """What :func:`finish` needs of one result, made ahead: the gate's verdict and, for a reporter
    with an ``entry(result, verdict)`` function (JSON), the document's entry in the report."""

    verdict: tuple[bool, list[str]]
    entry: str | None

    @property
    def findings_sent(self) -> bool:
        """Whether a worker process must send the findings back: not when the entry is made (see
        ``mtcheck.api.scan_paths``). The parent then never pickles, sends or unpickles them."""
        return self.entry is None


def preparer(opts: CommonOptions | None, settings) -> Callable[..., Prepared] | None:
    """The function that makes a result's :class:`Prepared` for these options, to pass to
    ``scan_paths(prepare=...)`` (picklable: it runs in the worker processes), or None when nothing
    can be made ahead: a baseline changes the results first."""
    if opts is None or settings is None or opts.baseline or opts.write_baseline:
        return None
    return functools.partial(_prepare, settings, opts.format if opts.format in FORMATS else None)


def _prepare(settings, fmt: str | None, result) -> Prepared:
    from mtcheck.gate import evaluate
    from mtcheck.reporters import reporter

    verdict = evaluate(result, settings)
    entry = getattr(reporter(fmt), "entry", None) if fmt is not None else None
    return Prepared(verdict, entry(result, verdict) if entry is not None else None)


def finish(results: list, opts: CommonOptions, settings, *, command: str = "scan", options: dict | None = None) -> int:
    """Apply the baseline, evaluate the gate, render and write the report; return the exit code."""
    from mtcheck.gate import evaluate_all, exit_code
    from mtcheck.reporters import ReportContext, render_chunks

    results = apply_baseline(list(results), opts)
    # What collect() or the workers made ahead (never with a baseline: it changes results first).
    ready = {} if opts.baseline or opts.write_baseline else {
        id(r): r.prepared for r in results if type(getattr(r, "prepared", None)) is Prepared
    }
    verdicts = evaluate_all(results, settings, {key: made.verdict for key, made in ready.items()})
    ctx = ReportContext(
        command=command,
        color=opts.output is None and opts.format == "text" and use_color(),
        show_source=bool((options or {}).get("show_source", True)),
        verdicts=verdicts,
        options={"fail_on": _fail_on_label(settings), "rules": _selected_rules(settings), **(options or {})},
        entries={key: made.entry for key, made in ready.items() if made.entry is not None},
    )
    report = render_chunks(opts.format, results, ctx)
    for r in results:
        for w in getattr(r.document, "warnings", None) or ():
            name = "<stdin>" if r.path in (None, "-") else str(r.path)
            warn(w if str(w).startswith(name) else f"{name}: {w}")
        if r.error is not None:
            error(r.error)
    sys.stderr.flush()
    write_report(report, opts.output)
    return exit_code(results, verdicts, exit_zero=opts.exit_zero)


def _selected_rules(settings) -> list:
    from mtcheck.rules import select_rules

    return select_rules(settings.select, settings.ignore)


def _fail_on_label(settings) -> str:
    fail_on = getattr(settings, "fail_on", None)
    return "never" if fail_on is None else getattr(fail_on, "value", str(fail_on))
