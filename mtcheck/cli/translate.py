"""``mtcheck translate``: translate a document with the engines behind back-translation.

Handy to see what an engine makes of a text, to warm the cache before an audit, and to time
engines. The text is segmented by mtcheck (never by a downloaded model), every sentence goes to the
engine in one batch, and paragraphs are put back together.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from mtcheck.cli.app import app
from mtcheck.cli.common import (
    ENGINE_PANEL,
    BatchSizeOpt,
    BeamSizeOpt,
    ComputeTypeOpt,
    MarkUnknownOpt,
    ThreadsOpt,
    check_engine,
    check_lang,
    engine_options,
    handle_errors,
)

_HELP = """Translate a document (or stdin) sentence by sentence, offline.

Examples:

  mtcheck translate corpora/mt/es-en/000_seed.txt --from en --to es --engine apertium

  echo "El perro negro come." | mtcheck translate - --from es --to en

  mtcheck translate article.txt --from es --to en --json --no-cache

Exit codes: 0 translated; 1 some sentences could not be translated (engine failure, reported on
stderr); 2 usage error, no engine for the direction, or a broken model.
"""


@app.command("translate", help=_HELP)
@handle_errors
def translate(
    path: Annotated[str, typer.Argument(help="File to translate, or - for stdin.", metavar="PATH")],
    source: Annotated[str, typer.Option("--from", "--source-lang", "-s", help="Language of the text (es).", metavar="LANG")],
    target: Annotated[str, typer.Option("--to", "--target-lang", "-t", help="Language to translate into (en).",
                                        metavar="LANG")],
    engine: Annotated[str, typer.Option("--engine", "-e", help="auto, argos or apertium.", metavar="ENGINE")] = "auto",
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the translation cache.")] = False,
    cache_path: Annotated[str | None, typer.Option("--cache-path", help="Translation cache file.", metavar="FILE")] = None,
    beam_size: BeamSizeOpt = None,
    batch_size: BatchSizeOpt = None,
    threads: ThreadsOpt = None,
    compute_type: ComputeTypeOpt = None,
    device: Annotated[str | None, typer.Option("--device", help="Argos: cpu (default) or cuda.", metavar="DEVICE",
                                                  rich_help_panel=ENGINE_PANEL)] = None,
    max_decoding_length: Annotated[int | None, typer.Option(
        "--max-decoding-length", help="Argos: most output tokens per sentence (default 512).", min=1,
        rich_help_panel=ENGINE_PANEL)] = None,
    mark_unknown: MarkUnknownOpt = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object: sentences, translations, engine identity.")] = False,
) -> None:
    from mtcheck.errors import InputError
    from mtcheck.text.segment import split_paragraphs, split_sentences
    from mtcheck.translate.registry import get_translator

    check_engine(engine)
    check_lang("--from", source)
    check_lang("--to", target)
    where = "stdin" if path == "-" else path
    try:
        if path == "-":
            text = sys.stdin.buffer.read().decode("utf-8")
        else:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file or directory") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from None
    except UnicodeDecodeError as err:
        raise InputError(f"cannot read {where}: not UTF-8 text (byte {err.start}); convert it first, "
                         f"e.g. with iconv") from None

    paragraphs = [[text[ps:pe][s:e] for s, e in split_sentences(text[ps:pe], source)] for ps, pe in split_paragraphs(text)]
    sentences = [s for para in paragraphs for s in para]
    tr = get_translator(engine, source=source, target=target, use_cache=not no_cache, cache_path=cache_path,
                        device=device, max_decoding_length=max_decoding_length,
                        **engine_options(beam_size, batch_size, threads, compute_type, mark_unknown))
    try:
        results = tr.translate_detailed(sentences, source, target)
        ident = tr.identity(source, target)
    finally:
        tr.close()

    failed = [(i, r.error) for i, r in enumerate(results) if not r.ok]
    for i, err in failed:
        typer.echo(f"mtcheck: warning: sentence {i + 1} not translated: {err}", err=True)
    if as_json:
        typer.echo(json.dumps({
            "engine": ident.to_dict(), "signature": ident.signature(), "source": source, "target": target,
            "sentences": [{"text": s, "translation": r.text, "cached": r.cached, "error": r.error}
                          for s, r in zip(sentences, results)],
        }, indent=2, ensure_ascii=False))
    else:
        it = iter(results)
        out = [" ".join(r.text for r in (next(it) for _ in para) if r.text) for para in paragraphs]
        typer.echo("\n\n".join(out))
    raise typer.Exit(1 if failed else 0)
