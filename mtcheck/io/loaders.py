"""Loading documents: files, folders, globs and stdin, decoded and turned into a Document.

(First version: plain UTF-8 text. Markdown/HTML offset maps, encoding detection and the
robustness work land with issue 2's input task.)
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from mtcheck.document import Document
from mtcheck.errors import InputError


def document_from_string(text: str, path: str | None = None, fmt: str = "text") -> Document:
    """A Document from a decoded string."""
    return Document.from_text(text, path=path, fmt=fmt)


def load_path(path: str, fmt: str | None = None) -> Document:
    """Read and decode one file (``-`` is stdin)."""
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(path).read_bytes()
        except OSError as e:
            err = InputError(f"{path}: cannot read: {e.strerror or e}")
            err.path = path
            raise err from None
    text = data.decode("utf-8-sig", errors="replace")
    return document_from_string(text, path=path, fmt=fmt or "text")


def iter_documents(paths: Iterable[str], fmt: str | None = None) -> Iterator[Document | InputError]:
    """Documents for each path; an unreadable one yields its InputError instead."""
    for p in paths:
        try:
            yield load_path(p, fmt)
        except InputError as e:
            yield e
