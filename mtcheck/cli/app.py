"""The Typer application object that every command module registers on."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="mtcheck",
    help="Find machine-translation artifacts and estimate translation fidelity, offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from mtcheck import __version__

        typer.echo(f"mtcheck {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Find machine-translation artifacts and estimate translation fidelity, offline.

    Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or input error.
    """
    from mtcheck.logs import warnings_to_stderr

    warnings_to_stderr()
