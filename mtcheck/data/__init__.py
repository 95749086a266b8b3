"""Rule data shipped with mtcheck: phrase lists, calques, gazetteers, locale conventions.

Layout: ``mtcheck/data/<kind>/<key>.<ext>`` where ``key`` is a language (``en``) or a direction
(``es-en``). Adding a phrase or a calque is a data change, not a code change.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

#: The data folder (a plain directory: importing importlib.resources and its zip support cost
#: 4 ms of every cold start).
_ROOT = Path(__file__).parent


def _path(kind: str, name: str) -> Path:
    return _ROOT / kind / name


@lru_cache(maxsize=None)
def load_json(kind: str, key: str):
    """``data/<kind>/<key>.json`` parsed, or None when there is no such file."""
    p = _path(kind, f"{key}.json")
    if not p.is_file():
        return None
    return json.loads(p.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def load_lines(kind: str, key: str) -> tuple[str, ...]:
    """Non-blank, non-comment (``#``) lines of ``data/<kind>/<key>.txt``; empty when missing."""
    p = _path(kind, f"{key}.txt")
    if not p.is_file():
        return ()
    lines = map(str.strip, p.read_text(encoding="utf-8").splitlines())
    return tuple([line for line in lines if line and line[0] != "#"])


def available(kind: str) -> list[str]:
    """Keys (languages or directions) that have data of this kind."""
    d = _ROOT / kind
    if not d.is_dir():
        return []
    return sorted(p.name.rsplit(".", 1)[0] for p in d.iterdir() if p.is_file() and not p.name.startswith("_"))
