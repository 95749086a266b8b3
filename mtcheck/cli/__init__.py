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
import typing

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
    """Run the CLI on ``sys.argv`` (click's usage errors become one ``mtcheck: error: …`` line); ends
    with ``SystemExit``. The console script is :func:`console`."""
    from mtcheck.text.regex_cache import install

    install()  # before anything compiles its patterns: ~15 ms of a one-article scan
    from mtcheck.cli.common import run

    first = sys.argv[1] if len(sys.argv) > 1 else None
    module = COMMANDS.get(first) if first else None
    run(load_commands((module,)) if module else __getattr__("app"))


def console() -> typing.NoReturn:
    """The ``mtcheck`` console script and ``python -m mtcheck``: :func:`main`, then
    :func:`exit_now`. (``main`` itself ends with ``SystemExit``, which a caller can catch.)"""
    try:
        main()
    except SystemExit as e:
        exit_now(e)
    exit_now(SystemExit(0))


def exit_now(e: SystemExit) -> typing.NoReturn:
    """End the process with ``e``'s exit code without the interpreter's teardown: flush the
    standard streams, run the atexit handlers (logging's, the regex cache's), then ``os._exit``.
    Finalising every module and a last collection over the rule data took a tenth of a
    one-article scan. Everything mtcheck writes is closed, or committed for the SQLite caches,
    before a command returns. Falls back to a normal exit when another thread is still alive
    (it would have been waited for) or the code is not an int."""
    import atexit
    import os
    import threading

    code = 0 if e.code is None else e.code
    if not isinstance(code, int) or threading.active_count() > 1 or not hasattr(atexit, "_run_exitfuncs"):
        raise e
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away, a closed stream
            pass
    os._exit(code)
