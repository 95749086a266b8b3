"""Every command's options: each flag belongs to one parameter (a command that declared its own
copy of a shared flag showed it twice in --help, and only one of the two took effect)."""

from __future__ import annotations

import typer

from mtcheck.cli import app as app_module  # noqa: F401 - registers the commands
from mtcheck.cli.app import app


def _commands():
    group = typer.main.get_command(app)
    return group.commands.items()


def test_no_flag_is_declared_twice():
    for name, command in _commands():
        seen: dict[str, str] = {}
        for param in command.params:
            for flag in [*param.opts, *param.secondary_opts]:
                assert flag not in seen, f"{name}: {flag} declared by {seen[flag]} and {param.name}"
                seen[flag] = param.name
