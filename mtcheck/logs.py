"""mtcheck's library loggers, and sending their warnings to stderr when the CLI runs.

The CLI wants every library warning (``logging.getLogger("mtcheck…")``, e.g. an unusable
translation cache) on stderr as one ``mtcheck: warning: …`` line. Importing :mod:`logging` costs
about 4 ms, a few per cent of a one-article ``mtcheck scan``, which never logs anything; so the
handler is attached when both are true: the CLI asked for it (:func:`warnings_to_stderr`) and
something asked for an mtcheck logger (:func:`get_logger`), in either order.
"""

from __future__ import annotations

import sys

_wanted = False


def get_logger(name: str):
    """``logging.getLogger(name)`` for a logger under ``mtcheck``."""
    import logging

    if _wanted:
        _attach(logging)
    return logging.getLogger(name)


def warnings_to_stderr() -> None:
    """Send warnings of the ``mtcheck`` loggers to stderr, now or once one is asked for."""
    global _wanted
    _wanted = True
    logging = sys.modules.get("logging")
    if logging is not None:
        _attach(logging)


def _attach(logging) -> None:
    logger = logging.getLogger("mtcheck")
    if any(getattr(h, "_mtcheck_cli", False) for h in logger.handlers):
        return

    class _CurrentStderr(logging.StreamHandler):
        # Write to whatever sys.stderr is at the time (test runners swap it between invocations).
        _mtcheck_cli = True

        @property
        def stream(self):
            return sys.stderr

        @stream.setter
        def stream(self, value):
            pass

    handler = _CurrentStderr()
    handler.setFormatter(logging.Formatter("mtcheck: warning: %(message)s"))
    handler.setLevel(logging.WARNING)
    logger.addHandler(handler)
    logger.propagate = False
