"""``mtcheck scan``: lint documents. (First version; options and reporters grow with issue 2.)"""

from __future__ import annotations

from typing import Annotated

import typer

from mtcheck.cli.app import app


@app.command()
def scan(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, globs, or - for stdin.")],
    source_lang: Annotated[str | None, typer.Option("--source-lang", "-s")] = None,
    target_lang: Annotated[str | None, typer.Option("--target-lang", "-t")] = None,
) -> None:
    """Scan translated documents for machine-translation artifacts."""
    from mtcheck.api import scan_paths
    from mtcheck.settings import Settings

    settings = Settings(source_lang=source_lang, target_lang=target_lang)
    failed = False
    for res in scan_paths(paths, settings):
        if res.error:
            typer.echo(f"mtcheck: error: {res.error}", err=True)
            continue
        for f in res.findings:
            failed = True
            typer.echo(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}")
    raise typer.Exit(1 if failed else 0)
