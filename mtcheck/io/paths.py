"""Expanding what the user typed (files, folders, globs, ``-``) into a list of documents to read."""

from __future__ import annotations

import glob
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from mtcheck.errors import InputError

#: Extension → format. Folders are searched for these; an explicit file of another extension is
#: read as plain text.
EXTENSIONS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}

FORMATS = ("text", "markdown", "html")

_FORMAT_ALIASES = {"txt": "text", "md": "markdown", "htm": "html", "plain": "text"}

_GLOB_CHARS = frozenset("*?[")


def normalize_format(fmt: str | None) -> str | None:
    """``text``, ``markdown`` or ``html`` (accepting ``txt``, ``md``, ``htm``); None stays None."""
    if fmt is None:
        return None
    f = fmt.strip().lower()
    f = _FORMAT_ALIASES.get(f, f)
    if f not in FORMATS:
        from mtcheck.errors import UsageError

        raise UsageError(f"unknown input format {fmt!r}; choose from {', '.join(FORMATS)}")
    return f


def format_for(path: str | None, fmt: str | None = None) -> str:
    """The format of ``path``: ``fmt`` if given, else from the extension, else ``text``."""
    if fmt:
        return normalize_format(fmt)  # type: ignore[return-value]
    if path:
        return EXTENSIONS.get(os.path.splitext(path)[1].lower(), "text")
    return "text"


def _input_error(path: str, message: str) -> InputError:
    err = InputError(f"{path}: {message}")
    err.path = path
    return err


def _walk(folder: str) -> Iterator[str]:
    """Files with a known extension under ``folder``, skipping hidden files and folders, sorted."""
    for root, dirs, files in os.walk(folder, onerror=None, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            if os.path.splitext(name)[1].lower() not in EXTENSIONS:
                continue
            full = os.path.join(root, name)
            try:
                regular = stat.S_ISREG(os.stat(full).st_mode)
            except OSError:
                regular = True  # a broken link: yield it so reading it reports the error
            if regular:  # FIFOs, sockets and devices in a folder would block or make no sense
                yield full


def expand_paths(paths: Iterable[str]) -> list[str | InputError]:
    """Files to read, in a deterministic order, each once; ``-`` (stdin) passes through.

    A folder expands to the files under it with a known extension (recursively, hidden entries
    skipped, sorted); a pattern with ``*``, ``?`` or ``[`` is a glob (``**`` recurses). A path that
    does not exist, or a glob that matches nothing, becomes an :class:`InputError` in its place so
    the caller can report it and go on.
    """
    out: list[str | InputError] = []
    seen: set[str] = set()

    def add(p: str) -> None:
        key = p if p == "-" else os.path.normcase(os.path.realpath(p)) if os.path.exists(p) else os.path.normpath(p)
        if key not in seen:
            seen.add(key)
            out.append(p)

    for raw in paths:
        if raw == "-":
            add("-")
        elif os.path.isdir(raw):
            for f in _walk(raw):
                add(f)
        elif os.path.lexists(raw):
            add(raw)
        elif _GLOB_CHARS & set(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            files = []
            for m in matches:
                if os.path.isdir(m):
                    files.extend(_walk(m))
                elif not any(part.startswith(".") for part in Path(m).parts if part not in (".", "..")):
                    files.append(m)
            if not files:
                out.append(_input_error(raw, "no files match this pattern"))
            for f in files:
                add(f)
        else:
            out.append(_input_error(raw, "no such file or directory"))
    return out
