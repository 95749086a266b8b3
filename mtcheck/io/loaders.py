"""Loading documents: files, folders, globs and stdin, decoded and turned into a :class:`Document`.

* Format comes from an explicit ``fmt`` or the extension (``.md``/``.markdown`` Markdown,
  ``.html``/``.htm`` HTML, anything else plain text); stdin is plain text unless ``fmt`` or
  ``stdin_filename`` says otherwise.
* Plain text and Markdown are analysed as written (``text == original``); Markdown markup, code
  and URLs become protected spans (:mod:`mtcheck.io.markdown`). HTML is reduced to its main
  article text with an exact offset map into the original (:mod:`mtcheck.io.html`).
* Decoding (:mod:`mtcheck.io.decode`): UTF-8 with or without BOM, UTF-16/32 with BOM, other
  encodings detected with a warning in ``Document.warnings``; binary or undecodable input and
  files over the size cap raise :class:`InputError`.
* Inline suppression comments are recorded on ``Document.suppressions``
  (:mod:`mtcheck.io.suppress`).
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator

from mtcheck.document import Document
from mtcheck.errors import InputError
from mtcheck.io.decode import Decoded, decode_bytes
from mtcheck.io.paths import expand_paths, format_for, normalize_format

#: Largest input read, in bytes, unless ``MTCHECK_MAX_FILE_SIZE`` (e.g. ``200MB``; ``0`` = no
#: limit) or an explicit ``max_bytes`` says otherwise.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
MAX_SIZE_ENV = "MTCHECK_MAX_FILE_SIZE"
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}

#: The name stdin is reported under when no ``stdin_filename`` is given.
STDIN_NAME = "-"


def document_from_string(
    text: str,
    path: str | None = None,
    fmt: str = "text",
    *,
    encoding: str = "utf-8",
    warnings: Iterable[str] = (),
) -> Document:
    """A Document from a decoded string, in format ``text``, ``markdown`` or ``html``."""
    from mtcheck.io.suppress import attach_suppressions

    fmt = normalize_format(fmt) or "text"
    if fmt == "html":
        from mtcheck.io.html import html_document

        doc = html_document(text, path=path)
    elif fmt == "markdown":
        from mtcheck.io.markdown import markdown_regions

        protected, comments = markdown_regions(text)
        doc = Document(original=text, path=path, fmt="markdown", protected=protected)
        doc.metadata["comments"] = frozenset(s for s, _ in comments)
    else:
        from mtcheck.io.markdown import url_protected

        doc = Document(original=text, path=path, fmt="text", protected=url_protected(text))
    doc.encoding = encoding
    doc.warnings.extend(warnings)
    return attach_suppressions(doc)


def parse_size(value: str) -> int:
    """``"200MB"``, ``"1.5 GB"``, ``"4096"`` → bytes (binary units). Raises UsageError."""
    m = _SIZE.match(str(value))
    if not m:
        from mtcheck.errors import UsageError

        raise UsageError(f"{value!r} is not a size (examples: 4096, 500kB, 200MB, 1GB)")
    return int(float(m.group(1)) * _UNITS[m.group(2).lower()])


def max_bytes_limit(max_bytes: int | None = None) -> int | None:
    """The size cap in force: ``max_bytes`` if given, else ``$MTCHECK_MAX_FILE_SIZE``, else
    :data:`DEFAULT_MAX_BYTES`. None means no limit (a cap of 0 or less)."""
    if max_bytes is None:
        env = os.environ.get(MAX_SIZE_ENV)
        max_bytes = parse_size(env) if env else DEFAULT_MAX_BYTES
    return max_bytes if max_bytes > 0 else None


def _error(path: str, message: str) -> InputError:
    err = InputError(f"{path}: {message}")
    err.path = path
    return err


def read_bytes(path: str, *, max_bytes: int | None = None, stdin_name: str = STDIN_NAME) -> bytes:
    """The raw bytes of ``path`` (``-`` is stdin), refusing anything over the size cap
    (:func:`max_bytes_limit`)."""
    limit = max_bytes_limit(max_bytes)
    if path == "-":
        stream = sys.stdin.buffer
        data = stream.read(limit + 1) if limit else stream.read()
        if limit and len(data) > limit:
            raise _error(stdin_name, f"input is larger than the {_size(limit)} limit (set MTCHECK_MAX_FILE_SIZE, e.g. 200MB, to raise it)")
        return data
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise _error(path, "is a directory, not a file")
        if limit and st.st_size > limit:
            raise _error(path, f"is {_size(st.st_size)}, larger than the {_size(limit)} limit (set MTCHECK_MAX_FILE_SIZE, e.g. 200MB, to raise it)")
        with open(path, "rb") as fh:
            data = fh.read(limit + 1) if limit else fh.read()
    except InputError:
        raise
    except OSError as e:
        if os.path.islink(path) and not os.path.exists(path):
            raise _error(path, "cannot read: broken symbolic link") from None
        raise _error(path, f"cannot read: {e.strerror or e}") from None
    if limit and len(data) > limit:
        raise _error(path, f"is larger than the {_size(limit)} limit (set MTCHECK_MAX_FILE_SIZE, e.g. 200MB, to raise it)")
    return data


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.0f} MB" if n % (1024 * 1024) == 0 else f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} kB"
    return f"{n} bytes"


def read_decoded(path: str, *, max_bytes: int | None = None, stdin_filename: str | None = None) -> Decoded:
    """Read and decode ``path`` (``-`` is stdin); keeps encoding and BOM for writing back."""
    name = (stdin_filename or STDIN_NAME) if path == "-" else path
    return decode_bytes(read_bytes(path, max_bytes=max_bytes, stdin_name=name), name)


def load_path(
    path: str,
    fmt: str | None = None,
    *,
    stdin_filename: str | None = None,
    max_bytes: int | None = None,
) -> Document:
    """Read, decode and parse one file (``-`` is stdin, reported as ``stdin_filename`` if given)."""
    name = (stdin_filename or STDIN_NAME) if path == "-" else path
    decoded = read_decoded(path, max_bytes=max_bytes, stdin_filename=stdin_filename)
    f = format_for(stdin_filename if path == "-" else path, fmt)
    doc = document_from_string(decoded.text, path=name, fmt=f, encoding=decoded.encoding, warnings=decoded.warnings)
    doc.metadata["bom"] = bool(decoded.bom)
    return doc


def iter_documents(
    paths: Iterable[str],
    fmt: str | None = None,
    *,
    stdin_filename: str | None = None,
    max_bytes: int | None = None,
) -> Iterator[Document | InputError]:
    """Documents for files, folders (recursively), globs and ``-``, in a deterministic order with
    duplicates removed. Anything that cannot be found or read yields its :class:`InputError`
    (``.path`` set) in its place, and the batch goes on."""
    fmt = normalize_format(fmt)
    for item in expand_paths(paths):
        if isinstance(item, InputError):
            yield item
            continue
        try:
            yield load_path(item, fmt, stdin_filename=stdin_filename, max_bytes=max_bytes)
        except InputError as e:
            if not hasattr(e, "path"):
                e.path = item
            yield e
