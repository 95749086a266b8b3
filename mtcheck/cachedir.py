"""Where mtcheck keeps its caches: translations (``mtcheck.translate.cache``) and compiled regexes
(``mtcheck.text.regex_cache``), in one folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def default_cache_dir() -> Path:
    """``$MTCHECK_CACHE_DIR``, else the platform's user cache directory for mtcheck.

    On Linux and other Unix systems that is ``$XDG_CACHE_HOME/mtcheck`` or ``~/.cache/mtcheck``,
    what ``platformdirs`` answers there, worked out without importing it: the regex cache asks on
    every run, and the import costs about 7 ms of a 130 ms scan. Elsewhere ``platformdirs`` decides.
    """
    env = os.environ.get("MTCHECK_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    if sys.platform not in ("win32", "cygwin", "darwin", "ios", "android"):
        xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
        return Path(xdg or os.path.expanduser("~/.cache")) / "mtcheck"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("mtcheck", appauthor=False))
