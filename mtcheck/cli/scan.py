"""``mtcheck scan``: lint translated documents and report machine-translation artifacts."""

from __future__ import annotations

from typing import Annotated

import typer

from mtcheck.cli.app import app
from mtcheck.cli.common import EXIT_CODES_HELP, CommonOptions, collect, common_options, finish, handle_errors, preparer

_HELP = f"""Scan translated documents for machine-translation artifacts.

PATH is a file, a folder (scanned recursively), a glob (quote it: 'site/**/*.md') or - for stdin.
Plain text, Markdown and HTML are recognised by extension (--input-format overrides).

Examples:

  mtcheck scan corpora/mt/es-en/000_seed.txt --source-lang es

  mtcheck scan articles/ --format sarif --output mtcheck.sarif --fail-on error

  mtcheck scan site/ --jobs 0 --format json --output report.json

  curl -s https://example.org/a.html | mtcheck scan - --input-format html --select Q,N

{EXIT_CODES_HELP}
"""


@app.command(help=_HELP, epilog="See `mtcheck rules` for the rule codes --select and --ignore take.")
@handle_errors
@common_options
def scan(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, globs, or - for stdin.", metavar="PATH")],
    input_format: Annotated[
        str | None,
        typer.Option("--input-format", help="Read every input as text, markdown or html (default: by extension).",
                     metavar="FMT"),
    ] = None,
    show_source: Annotated[
        bool, typer.Option("--show-source/--no-show-source", help="Text format: print each line with the span marked.")
    ] = True,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Text format: count findings per rule instead of listing them.")
    ] = False,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=0, max=256, metavar="N",
                          help="Scan documents in N worker processes (0: one per CPU). Output is the same as with 1.")
    ] = 1,
    opts: CommonOptions = None,
) -> None:
    from mtcheck.api import scan_paths
    from mtcheck.errors import UsageError
    from mtcheck.io.paths import normalize_format

    input_format = normalize_format(input_format)
    settings = opts.settings()
    prepare = preparer(opts, settings)
    results = collect(scan_paths(paths, settings, fmt=input_format, jobs=jobs, prepare=prepare), opts, settings)
    if not results:
        raise UsageError(f"no documents found in {', '.join(paths)}")
    raise typer.Exit(finish(results, opts, settings, command="scan", options={"show_source": show_source, "statistics": statistics}))
