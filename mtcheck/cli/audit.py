"""``mtcheck audit``: scan findings plus back-translation fidelity, in every report format."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from mtcheck.cli.app import app
from mtcheck.cli.common import (
    EXIT_CODES_HELP,
    BatchSizeOpt,
    BeamSizeOpt,
    CommonOptions,
    ComputeTypeOpt,
    MarkUnknownOpt,
    ThreadsOpt,
    check_engine,
    common_options,
    engine_options,
    finish,
    handle_errors,
    warn,
)

#: A progress bar appears on a terminal when more than this many sentences are translated.
PROGRESS_MIN_SENTENCES = 10


_HELP = f"""Scan documents and estimate translation fidelity by back-translation, in one report.

Every sentence of every document makes a round trip (target → source language → target) through
an offline engine in batched calls; its chrF against the original sentence is the sentence's
fidelity, and sentences under --threshold become F101 findings that show the round trip. The
report gives each document's fidelity score (corpus chrF) with a signature that names the metric,
sacrebleu, the engine and its models. With --source, source and target sentences are aligned and
checked for omissions, additions, numbers, quotes, URLs, names and length (rules F1xx–F3xx).

With --engine auto and no engine installed for the direction, the rule findings are still reported
and stderr says how to install a model.

Examples:

  mtcheck audit corpora/mt/es-en/000_seed.txt --source-lang es --engine apertium

  mtcheck audit article.en.txt --source article.es.txt --source-lang es --format json

  mtcheck audit site/ --source-lang es --format sarif --output audit.sarif

{EXIT_CODES_HELP}
"""


@app.command(help=_HELP, epilog="See `mtcheck rules F` for the fidelity rules.")
@handle_errors
@common_options
def audit(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, globs, or - for stdin.", metavar="PATH")],
    source: Annotated[
        str | None, typer.Option("--source", help="The source text of the (single) target document.", metavar="FILE")
    ] = None,
    engine: Annotated[str, typer.Option("--engine", "-e", help="auto, argos or apertium.", metavar="ENGINE")] = "auto",
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the translation cache.")] = False,
    cache_path: Annotated[
        str | None, typer.Option("--cache-path", help="Translation cache file (default: the user cache folder).", metavar="FILE")
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option("--threshold", help="Round-trip chrF (0-100) under which a sentence is flagged (F101; default 50) "
                     "and a document's score fails the gate (only when given here or as fidelity-threshold in the "
                     "config).", min=0, max=100),
    ] = None,
    metrics: Annotated[str, typer.Option("--metrics", "-m", help="Fidelity metrics: chrf, and bleu, ter on request.")] = "chrf",
    all_sentences: Annotated[
        bool, typer.Option("--all-sentences", help="Text format: list every sentence's round trip, not only the low ones.")
    ] = False,
    input_format: Annotated[
        str | None,
        typer.Option("--input-format", help="Read every input as text, markdown or html (default: by extension).", metavar="FMT"),
    ] = None,
    show_source: Annotated[
        bool, typer.Option("--show-source/--no-show-source", help="Text format: print each line with the span marked.")
    ] = True,
    beam_size: BeamSizeOpt = None,
    batch_size: BatchSizeOpt = None,
    threads: ThreadsOpt = None,
    compute_type: ComputeTypeOpt = None,
    mark_unknown: MarkUnknownOpt = False,
    opts: CommonOptions = None,
) -> None:
    from mtcheck.audit import AuditOptions, audit_paths
    from mtcheck.errors import UsageError
    from mtcheck.scoring.fidelity import parse_metrics

    from mtcheck.io.paths import normalize_format

    input_format = normalize_format(input_format)
    check_engine(engine)
    settings = opts.settings()
    if threshold is not None:
        settings.fidelity_threshold = threshold
    options = AuditOptions(
        source_lang=settings.source_lang,
        engine=engine,
        use_cache=not no_cache,
        cache_path=cache_path,
        metrics=parse_metrics(metrics),
        threshold=threshold,
        source_path=source,
        engine_options=engine_options(beam_size, batch_size, threads, compute_type, mark_unknown),
    )
    with _progress() as progress:
        run = audit_paths(paths, settings, options, fmt=input_format, progress=progress)
    for notice in run.notices:
        warn(notice)
    if not run.results:
        raise UsageError(f"no documents found in {', '.join(paths)}")
    raise typer.Exit(
        finish(run.results, opts, settings, command="audit",
               options={"show_source": show_source, "fidelity_all_sentences": all_sentences})
    )


class _progress:
    """A rich progress bar on stderr, only on a terminal and only past a handful of sentences.
    Yields a ``progress(done, total)`` callback, or None when stderr is not a terminal."""

    def __enter__(self):
        self._bar = None
        try:
            tty = sys.stderr.isatty()
        except (AttributeError, ValueError):
            tty = False
        return self._update if tty else None

    def _update(self, done: int, total: int) -> None:
        if self._bar is None:
            if total <= PROGRESS_MIN_SENTENCES:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._bar = Progress(TextColumn("translating"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                                 console=Console(file=sys.stderr), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("translate", total=total)
        self._bar.update(self._task, completed=min(done, total))

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()
