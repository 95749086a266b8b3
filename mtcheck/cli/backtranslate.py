"""``mtcheck backtranslate``: each sentence, its back-translation, its round trip and its chrF."""

from __future__ import annotations

from typing import Annotated

import typer

from mtcheck.cli.app import app
from mtcheck.cli.common import (
    BatchSizeOpt,
    BeamSizeOpt,
    ComputeTypeOpt,
    ConfigOpt,
    IsolatedOpt,
    MarkUnknownOpt,
    ThreadsOpt,
    check_choice,
    check_engine,
    engine_options,
    error,
    handle_errors,
    warn,
    write_report,
)

_HELP = """Back-translate documents sentence by sentence and score each round trip.

For every sentence: the sentence, its translation into the source language, that translation
translated back, and the round trip's chrF against the sentence (BLEU and TER with --metrics).
Then the document's corpus chrF and its signature. No rules run: see `mtcheck audit` for both.

Examples:

  mtcheck backtranslate corpora/mt/es-en/000_seed.txt --source-lang es --engine apertium

  mtcheck backtranslate article.txt -s es --format json --metrics chrf,bleu

Exit codes: 0 done; 2 usage, input or engine error.
"""


@app.command(help=_HELP)
@handle_errors
def backtranslate(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, globs, or - for stdin.", metavar="PATH")],
    source_lang: Annotated[
        str | None, typer.Option("--source-lang", "-s", help="Language the text was translated from.", metavar="LANG")
    ] = None,
    target_lang: Annotated[
        str | None, typer.Option("--target-lang", "-t", help="Language of the text (default: detected).", metavar="LANG")
    ] = None,
    engine: Annotated[str, typer.Option("--engine", "-e", help="auto, argos or apertium.", metavar="ENGINE")] = "auto",
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the translation cache.")] = False,
    cache_path: Annotated[
        str | None, typer.Option("--cache-path", help="Translation cache file.", metavar="FILE")
    ] = None,
    metrics: Annotated[str, typer.Option("--metrics", "-m", help="chrf, bleu, ter (comma-separated).")] = "chrf",
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.", metavar="FMT")] = "text",
    output: Annotated[str | None, typer.Option("--output", "-o", help="Write to FILE instead of stdout.", metavar="FILE")] = None,
    beam_size: BeamSizeOpt = None,
    batch_size: BatchSizeOpt = None,
    threads: ThreadsOpt = None,
    compute_type: ComputeTypeOpt = None,
    mark_unknown: MarkUnknownOpt = False,
    config: ConfigOpt = None,
    isolated: IsolatedOpt = False,
) -> None:
    import json

    from mtcheck.audit import AuditOptions, audit_paths
    from mtcheck.cli.common import EXIT_ERROR, CommonOptions, load_settings
    from mtcheck.errors import EngineError, UsageError
    from mtcheck.scoring.fidelity import parse_metrics

    check_choice("--format", fmt, ("text", "json"))
    check_engine(engine)
    common = CommonOptions(source_lang=source_lang, target_lang=target_lang)
    common.validate()
    # The config file (--config, or found as scan finds it) may name the source language.
    settings = load_settings(config, None, common.overrides(), isolated=isolated)
    options = AuditOptions(source_lang=settings.source_lang, engine=engine, use_cache=not no_cache,
                           cache_path=cache_path, metrics=parse_metrics(metrics),
                           engine_options=engine_options(beam_size, batch_size, threads, compute_type, mark_unknown))
    run = audit_paths(paths, settings, options, lint=False)
    if not run.results:
        raise UsageError(f"no documents found in {', '.join(paths)}")
    done = [r for r in run.results if r.error is None and r.fidelity is not None and not r.fidelity.error]
    if not done and any(r.error is None for r in run.results):
        # The first notice is the error line itself; print it once.
        for notice in run.notices[1:]:
            warn(notice)
        raise EngineError(run.notices[0] if run.notices else "no document could be back-translated")
    for notice in run.notices:
        warn(notice)
    if fmt == "json":
        payload = [
            {"path": r.path, "error": r.error, "fidelity": r.fidelity.to_dict() if r.fidelity is not None else None}
            for r in run.results
        ]
        write_report(json.dumps(payload, indent=2, ensure_ascii=False), output)
    else:
        write_report("\n".join(_text(r) for r in run.results), output)
    for r in run.results:
        if r.error:
            error(r.error)
    raise typer.Exit(EXIT_ERROR if any(r.error for r in run.results) else 0)


def _text(result) -> str:
    path = result.path or "<stdin>"
    if result.error:
        return f"{path}: error: {result.error}\n"
    fid = result.fidelity
    if fid is None or fid.error:
        return f"{path}: not back-translated{': ' + fid.error if fid is not None and fid.error else ''}\n"
    lines = [f"{path}: round trip {fid.target_lang} → {fid.source_lang} → {fid.target_lang}", ""]
    for s in fid.sentences:
        score = "  ".join(f"{name} {value:5.1f}" for name, value in s.scores.items())
        lines.append(f"[{s.index + 1}] {score}")
        lines.append(f"  sentence:    {s.text}")
        lines.append(f"  back ({fid.source_lang}):   {s.back}")
        lines.append(f"  round trip:  {s.round_trip}")
    for k, why in sorted(fid.failed.items()):
        lines.append(f"[{k + 1}] not translated: {why}")
    lines.append("")
    for name in fid.metrics:
        lines.append(
            f"document {name} {fid.document[name]:.1f} (mean {fid.mean[name]:.1f} over {len(fid.sentences)} sentences)"
        )
        lines.append(f"  signature: {fid.signature[name]}")
    return "\n".join(lines) + "\n"
