"""Checksums of model files, for engine identities and cache keys.

Hashing a 100 MB ``model.bin`` costs a noticeable fraction of a second, so digests are memoised by
(path, size, mtime): in process always, and across runs in the translation cache's database when one
is in use (:class:`DigestMemo`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

_CHUNK = 1 << 20


class DigestMemo(Protocol):
    """Somewhere to remember file digests between runs (the translation cache implements it)."""

    def get_digest(self, path: str, size: int, mtime_ns: int) -> str | None: ...

    def put_digest(self, path: str, size: int, mtime_ns: int, digest: str) -> None: ...


_process_memo: dict[tuple[str, int, int], str] = {}


def file_digest(path: Path, memo: DigestMemo | None = None) -> str:
    """The sha256 hex digest of one file, memoised by (path, size, mtime)."""
    path = Path(path).resolve()
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    digest = _process_memo.get(key)
    if digest is None and memo is not None:
        digest = memo.get_digest(*key)
    if digest is None:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                h.update(chunk)
        digest = h.hexdigest()
        if memo is not None:
            memo.put_digest(*key, digest)
    _process_memo[key] = digest
    return digest


def files_digest(files: Iterable[Path], memo: DigestMemo | None = None, *, root: Path | None = None) -> str:
    """One digest over several files: their names (relative to ``root``) and contents, sorted."""
    h = hashlib.sha256()
    for f in sorted(Path(p) for p in files):
        name = str(f.relative_to(root)) if root is not None else f.name
        h.update(name.encode() + b"\0" + file_digest(f, memo).encode() + b"\n")
    return h.hexdigest()
