"""Typed errors. The library raises these; only the CLI maps them to messages and exit codes."""

from __future__ import annotations


class MtcheckError(Exception):
    """Base class. ``str(err)`` is one line a user can act on."""

    exit_code = 2


class UsageError(MtcheckError):
    """Bad options or arguments."""


class InputError(MtcheckError):
    """A document cannot be read or decoded (missing, binary, unreadable, too large)."""


class ConfigError(MtcheckError):
    """A configuration file is invalid; the message names the file."""


class EngineError(MtcheckError):
    """A translation engine is missing, broken or produced unusable output."""


class ModelNotInstalledError(EngineError):
    """No installed model or pair serves the requested direction."""
