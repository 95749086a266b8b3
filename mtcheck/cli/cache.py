"""``mtcheck cache``: inspect and clear the translation cache."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from mtcheck.cli.app import app
from mtcheck.cli.common import handle_errors

cache_app = typer.Typer(
    name="cache",
    help="""Inspect or clear the translation cache.

Translations are cached in SQLite, keyed by sentence, direction and model identity, in
$MTCHECK_CACHE_DIR or the user cache directory. Commands that translate take --no-cache.

Examples:

  mtcheck cache stats

  mtcheck cache clear
""",
    no_args_is_help=True,
)
app.add_typer(cache_app)

PathOpt = Annotated[Path | None, typer.Option("--cache-path", "--path", help="Cache file (default: $MTCHECK_CACHE_DIR or the user cache dir).",
                                              metavar="FILE", dir_okay=False)]


def _human(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


@cache_app.command("stats")
@handle_errors
def stats(path: PathOpt = None, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Show where the cache is, how many translations it holds, per engine and direction.

    Example: mtcheck cache stats --json
    """
    from mtcheck.translate.cache import TranslationCache

    with TranslationCache(path) as cache:
        data = cache.stats()
    if as_json:
        typer.echo(json.dumps(data, indent=2))
        return
    typer.echo(f"cache: {data['path']}")
    typer.echo(f"entries: {data['entries']}")
    typer.echo(f"size: {_human(data['bytes'])}")
    for g in data["by_engine"]:
        typer.echo(f"  {g['engine']} {g['direction']}: {g['entries']}")


@cache_app.command("clear")
@handle_errors
def clear(path: PathOpt = None) -> None:
    """Delete every cached translation.

    Example: mtcheck cache clear
    """
    from mtcheck.translate.cache import TranslationCache

    with TranslationCache(path) as cache:
        n = cache.clear()
        where = cache.path
    typer.echo(f"cleared {n} cached translation{'s' if n != 1 else ''} from {where}")
