"""The command-line interface: a thin layer over ``mtcheck.api``, one module per command.

Importing this package must stay cheap: no torch, stanza, spaCy, argostranslate or ctranslate2.
Command modules import engines inside the command functions.

``mtcheck.cli.app`` (the Typer application with every command) loads the command modules on
first access. The console script registers only the module of the command it runs when the
first argument names one (:data:`COMMANDS`): building the other commands' parameters cost
~20 ms of every ``mtcheck scan``. Anything else (``mtcheck --help``, an unknown command) loads
them all, so what the user sees is the same.
"""

from __future__ import annotations

import importlib
import sys

from mtcheck.cli import app as _app_module

del app  # noqa: F821 - the submodule; `mtcheck.cli.app` is the Typer object, see __getattr__

#: Command modules; each registers its commands on ``app`` when imported.
COMMAND_MODULES = ("scan", "eval", "rules", "fix", "feed", "score", "backtranslate", "audit", "models", "cache", "translate")

#: Command name → the module that registers it (tests/test_imports.py checks it is complete and
#: right). A command missing here still works: the console script then loads every module.
COMMANDS = {
    "scan": "scan", "eval": "eval", "rules": "rules", "rule": "rules", "fix": "fix", "feed": "feed",
    "feed-report": "feed", "score": "score", "backtranslate": "backtranslate", "audit": "audit",
    "models": "models", "cache": "cache", "translate": "translate",
}


def load_commands(names: tuple[str, ...] = COMMAND_MODULES):
    """Import the command modules ``names`` (registering their commands); returns the Typer app."""
    for mod in names:
        importlib.import_module(f"mtcheck.cli.{mod}")
    return _app_module.app


def __getattr__(name: str):
    if name == "app":
        app = load_commands()
        globals()["app"] = app
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point (click's usage errors become one ``mtcheck: error: …`` line)."""
    from mtcheck.text.regex_cache import install

    install()  # before anything compiles its patterns: ~15 ms of a one-article scan
    from mtcheck.cli.common import run

    first = sys.argv[1] if len(sys.argv) > 1 else None
    module = COMMANDS.get(first) if first else None
    run(load_commands((module,)) if module else __getattr__("app"))
