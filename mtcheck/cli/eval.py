"""``mtcheck eval``: precision, recall and F1 of the rules on gold-annotated corpora."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from mtcheck.cli.app import app
from mtcheck.cli.common import check_choice, check_selectors, handle_errors, split_selectors


@app.command("eval")
@handle_errors
def eval_command(
    corpus: Annotated[Path, typer.Argument(help="Corpus folder (NAME.txt + NAME.json pairs) or one annotation file.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    select: Annotated[list[str] | None, typer.Option("--select", help="Only these rules (codes, prefixes, names).")] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="Skip these rules.")] = None,
    floors: Annotated[
        Path | None,
        typer.Option("--floors", help="JSON file of minimum scores; exit 1 when a number falls below its floor.",
                     dir_okay=False),
    ] = None,
) -> None:
    """Evaluate the rules against gold annotations: precision, recall and F1 by category and
    overall (span overlap), false alarms per 1,000 words on clean texts, and how well the quality
    score separates machine-translated from clean texts.

    Example: mtcheck eval corpora/ --floors corpora/eval-floors.json
    """
    from mtcheck.errors import UsageError
    from mtcheck.evaluation import check_annotations, evaluate, load_corpus, render_text
    from mtcheck.settings import Settings

    check_choice("--format", fmt, ("text", "json"))
    sel, ign = split_selectors(select), split_selectors(ignore)
    check_selectors(sel, "--select")
    check_selectors(ign, "--ignore")
    docs = load_corpus(corpus)
    problems = [p for d in docs for p in check_annotations(d)]
    if problems:
        raise UsageError(f"{len(problems)} bad annotation(s); first: {problems[0]}")
    rep = evaluate(
        docs,
        lambda d: Settings(select=sel, ignore=ign, source_lang=d.source_lang, target_lang=d.target_lang),
    )
    data = rep.to_dict()
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False) if fmt == "json" else render_text(rep), nl=fmt == "json")
    if floors is not None:
        failures = check_floors(data, _read_floors(floors))
        for line in failures:
            typer.echo(f"mtcheck: below floor: {line}", err=True)
        raise typer.Exit(1 if failures else 0)


def _read_floors(path: Path) -> dict:
    from mtcheck.errors import InputError

    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise InputError(f"{path}: cannot read floors: {e}") from None


def check_floors(data: dict, floors: dict) -> list[str]:
    """Floors that the report does not reach. ``floors`` mirrors the report's shape: numbers are
    minimums, except keys ending in ``_max``, which are maximums (``false_alarms_per_1000_words_max``)."""
    failures = []

    def walk(f: dict, d: dict, prefix: str) -> None:
        for key, want in f.items():
            if key.startswith("_"):
                continue
            if isinstance(want, dict):
                walk(want, d.get(key) or {}, f"{prefix}{key}.")
                continue
            if key.endswith("_max"):
                got = d.get(key[: -len("_max")])
                if got is None or got > want:
                    failures.append(f"{prefix}{key[:-4]} = {got} > {want}")
            else:
                got = d.get(key)
                if got is None or got < want:
                    failures.append(f"{prefix}{key} = {got} < {want}")

    walk(floors, data, "")
    return failures
