"""``mtcheck models``: list, find, install and remove translation models (Argos packages; Apertium
pairs are listed, and installed with apt)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from mtcheck.cli.app import app
from mtcheck.cli.common import handle_errors

models_app = typer.Typer(
    name="models",
    help="""List, install and remove translation models.

Examples:

  mtcheck models list

  mtcheck models install es en            (downloads from the Argos package index)

  mtcheck models install --file translate-es_en-1_0.argosmodel

  mtcheck models remove es en

Argos packages go where Argos looks for them (ARGOS_PACKAGES_DIR, else its data directory).
Apertium pairs come from Debian: apt-get install apertium apertium-eng-spa.
""",
    no_args_is_help=True,
)
app.add_typer(models_app)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in [header, *rows]]
    return "\n".join(lines)


@models_app.command("list")
@handle_errors
def list_(as_json: JsonOpt = False) -> None:
    """Show installed Argos packages and Apertium pairs.

    Example: mtcheck models list --json
    """
    from mtcheck.translate.models import list_models

    data = list_models()
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    rows = [[m["engine"], m["from"], m["to"], m["model"], m["version"], m["path"]] for m in data["argos"]]
    rows += [["apertium", m["from"], m["to"], m["model"], "", m["path"]] for m in data["apertium"]]
    if rows:
        typer.echo(_table(rows, ["ENGINE", "FROM", "TO", "MODEL", "VERSION", "PATH"]))
    else:
        typer.echo("no translation models installed")
    for p in data["argos_pivots"]:
        typer.echo(f"argos pivot: {p['from']}→{p['to']} via {p['via']}")
    for b in data["argos_broken"]:
        typer.echo(f"argos broken package: {b['path']} ({b['reason']}); remove the folder and reinstall", err=True)
    if not data["argos"]:
        typer.echo(f"no Argos packages in {', '.join(data['argos_dirs'])}; "
                   "install one with `mtcheck models install FROM TO` or `--file X.argosmodel`", err=True)
    if data["apertium_program"] is None:
        typer.echo("apertium is not installed; `apt-get install apertium apertium-eng-spa` adds it", err=True)


@models_app.command("available")
@handle_errors
def available(as_json: JsonOpt = False) -> None:
    """List the Argos packages in the online package index (needs the network).

    Example: mtcheck models available
    """
    from mtcheck.translate.models import available_packages

    pkgs = available_packages()
    if as_json:
        typer.echo(json.dumps(pkgs, indent=2, ensure_ascii=False))
        return
    rows = [[p["from"], p["to"], f"{p['from_name']} → {p['to_name']}", p["version"], "yes" if p["installed"] else ""]
            for p in pkgs]
    typer.echo(_table(rows, ["FROM", "TO", "LANGUAGES", "VERSION", "INSTALLED"]))


@models_app.command("install")
@handle_errors
def install(
    source: Annotated[str | None, typer.Argument(help="Source language code (es).", metavar="FROM")] = None,
    target: Annotated[str | None, typer.Argument(help="Target language code (en).", metavar="TO")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Install this .argosmodel instead of downloading.",
                                              metavar="X.argosmodel", dir_okay=False)] = None,
) -> None:
    """Install an Argos package: FROM TO from the online index, or --file X.argosmodel offline.

    Examples: mtcheck models install es en; mtcheck models install --file es_en.argosmodel
    """
    from mtcheck.errors import UsageError
    from mtcheck.translate import models

    if file is not None:
        if source or target:
            raise UsageError("give either FROM TO or --file, not both")
        info = models.install_file(file)
    else:
        if not (source and target):
            raise UsageError("give FROM and TO language codes (mtcheck models install es en) or --file X.argosmodel")
        info = models.install_package(source, target)
    replaced = f" (replaced {', '.join(info['replaced'])})" if info["replaced"] else ""
    typer.echo(f"installed argos {info['from']}→{info['to']} {info['top']} version {info['version'] or '?'} "
               f"in {info['path']}{replaced}")


@models_app.command("remove")
@handle_errors
def remove(
    source: Annotated[str, typer.Argument(help="Source language code.", metavar="FROM")],
    target: Annotated[str, typer.Argument(help="Target language code.", metavar="TO")],
) -> None:
    """Uninstall the Argos package for FROM → TO. (Apertium pairs: apt-get remove.)

    Example: mtcheck models remove es en
    """
    from mtcheck.translate.models import remove_package

    for name in remove_package(source, target):
        typer.echo(f"removed argos {name}")
