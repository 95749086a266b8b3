"""``mtcheck score``: corpus BLEU, chrF and TER of a hypothesis file against references, with
sacrebleu's numbers and signatures."""

from __future__ import annotations

from typing import Annotated

import typer

from mtcheck.cli.app import app
from mtcheck.cli.common import check_choice, handle_errors

_HELP = """Score a translation against one or more references with sacrebleu (corpus level).

Files hold one segment per line; line N of the hypothesis is scored against line N of every
reference. The JSON output is what `sacrebleu REF -i HYP -m chrf bleu ter -f json` prints: the
same scores, the same signatures.

Examples:

  mtcheck score --hyp system.en --ref human.en

  mtcheck score --hyp system.en --ref a.en --ref b.en --metrics chrf --format text

Exit codes: 0 scored; 2 usage or input error.
"""


@app.command(help=_HELP)
@handle_errors
def score(
    hyp: Annotated[str, typer.Option("--hyp", help="Hypothesis file (one segment per line).", metavar="FILE")],
    ref: Annotated[list[str], typer.Option("--ref", help="Reference file; repeat for several references.", metavar="FILE")],
    metrics: Annotated[str, typer.Option("--metrics", "-m", help="Comma-separated metrics: chrf, bleu, ter.")] = "chrf,bleu,ter",
    fmt: Annotated[str, typer.Option("--format", "-f", help="json or text.", metavar="FMT")] = "json",
    width: Annotated[int, typer.Option("--width", "-w", help="Decimals in scores (sacrebleu's --width).", min=0, max=10)] = 1,
) -> None:
    import json

    from mtcheck.scoring.fidelity import parse_metrics, read_lines, score_corpus

    check_choice("--format", fmt, ("text", "json"))
    names = parse_metrics(metrics)
    records = score_corpus(read_lines(hyp), [read_lines(r) for r in ref], names, width=width)
    if fmt == "json":
        typer.echo(json.dumps(records, indent=1, ensure_ascii=False))
        return
    for rec in records:
        line = f"{rec['name']}|{rec['signature']} = {rec['score']:.{width}f}"
        if rec.get("verbose_score"):
            line += f" {rec['verbose_score']}"
        typer.echo(line)
