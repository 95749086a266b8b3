"""The command-line interface: a thin layer over ``mtcheck.api``, one module per command.

Importing this package must stay cheap: no torch, stanza, spaCy, argostranslate or ctranslate2.
Command modules import engines inside the command functions.
"""

from __future__ import annotations

import importlib

from mtcheck.cli.app import app

#: Command modules; each registers its commands on ``app`` when imported.
COMMAND_MODULES = ("scan", "eval", "rules", "fix", "feed", "score", "backtranslate", "audit", "models", "cache", "translate")

for _mod in COMMAND_MODULES:
    importlib.import_module(f"mtcheck.cli.{_mod}")


def main() -> None:
    """Console-script entry point (click's usage errors become one ``mtcheck: error:`` line)."""
    from mtcheck.cli.common import run

    run(app)
