"""Applying fixes: the engine behind ``mtcheck fix``.

A pass scans the document, keeps the findings whose fix may be applied (safe ones, and unsafe
ones when asked), drops any fix that overlaps or touches one already chosen (it gets its turn in
the next pass, against the updated text), and applies the rest from the end of the text backwards
so earlier offsets stay valid. Passes repeat until nothing applies (at most :data:`MAX_PASSES`), so
running ``fix`` twice changes nothing the first run did not. Only the edits of reported findings
touch the text; everything else, the line endings included, stays byte for byte. Files are written
back atomically in their original encoding and BOM, with their permissions.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from mtcheck.document import Document
from mtcheck.errors import InputError
from mtcheck.findings import Applicability, Edit, Finding
from mtcheck.results import DocumentResult
from mtcheck.settings import Settings

#: Passes over one document before giving up on reaching a fixed point.
MAX_PASSES = 5


@dataclass
class FixResult:
    """What fixing one document did. ``applied`` lists the findings whose fixes went in (over
    all passes), ``edits`` the edits in the coordinates of the text they were applied to, pass by
    pass; ``result`` is the scan of the final text (its findings are what remains)."""

    path: str | None
    original: str
    fixed: str
    applied: list[Finding] = field(default_factory=list)
    edits: list[list[Edit]] = field(default_factory=list)
    result: DocumentResult | None = None
    before: DocumentResult | None = None
    passes: int = 0
    written: bool = False

    @property
    def changed(self) -> bool:
        return self.fixed != self.original

    @property
    def remaining(self) -> list[Finding]:
        return self.result.findings if self.result else []

    def diff(self) -> str:
        """A unified diff from the original to the fixed text (empty when nothing changed)."""
        return unified_diff(self.path or "-", self.original, self.fixed)


def fixable(f: Finding, unsafe: bool = False) -> bool:
    """Whether ``f`` has a fix this run may apply."""
    if f.fix is None or not f.fix.edits:
        return False
    return f.fix.applicability == Applicability.SAFE or unsafe


def _extent(f: Finding) -> tuple[int, int]:
    edits = f.fix.edits  # type: ignore[union-attr]
    return min(e.start for e in edits), max(e.end for e in edits)


def choose_fixes(findings: list[Finding], unsafe: bool = False) -> list[Finding]:
    """Findings whose fixes can go in together: none overlaps or touches another, and no fix's own
    edits overlap each other. Earlier findings win; the others wait for the next pass."""
    chosen: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for f in sorted((f for f in findings if fixable(f, unsafe)), key=lambda f: (_extent(f), f.code)):
        edits = sorted(f.fix.edits, key=lambda e: (e.start, e.end))  # type: ignore[union-attr]
        if any(a.end > b.start or (a.end == b.start and a.start == a.end == b.end) for a, b in zip(edits, edits[1:])):
            continue
        s, e = _extent(f)
        if any(s <= te and ts <= e for ts, te in taken):
            continue
        chosen.append(f)
        taken.append((s, e))
    return chosen


def _newline(text: str) -> str:
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf >= text.count("\n") - crlf else "\n"


def apply_edits(text: str, edits: list[Edit]) -> str:
    """``text`` with non-overlapping ``edits`` applied. A replacement's ``\\n`` becomes the text's
    own line ending when the text uses ``\\r\\n``."""
    nl = _newline(text)
    out, pos = [], 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < pos or e.end > len(text) or e.start > e.end:
            raise ValueError(f"overlapping or out-of-range edit {e}")
        out.append(text[pos : e.start])
        rep = e.replacement
        if nl == "\r\n" and "\n" in rep:
            rep = rep.replace("\r\n", "\n").replace("\n", "\r\n")
        out.append(rep)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def fix_text(
    text: str,
    *,
    path: str | None = None,
    fmt: str = "text",
    settings: Settings | None = None,
    unsafe: bool = False,
    max_passes: int = MAX_PASSES,
    encoding: str = "utf-8",
) -> FixResult:
    """Fix a decoded document until no fix applies. Nothing is written."""
    from mtcheck.api import scan_document
    from mtcheck.io.loaders import document_from_string

    settings = settings or Settings()
    outcome = FixResult(path=path, original=text, fixed=text)
    current = text
    for _ in range(max_passes):
        doc: Document = document_from_string(current, path=path, fmt=fmt, encoding=encoding)
        res = scan_document(doc, settings)
        if outcome.before is None:
            outcome.before = res
        outcome.result = res
        chosen = choose_fixes(res.findings, unsafe)
        if not chosen:
            break
        edits = [e for f in chosen for e in f.fix.edits]  # type: ignore[union-attr]
        new = apply_edits(current, edits)
        outcome.passes += 1
        if new == current:
            break
        outcome.applied.extend(chosen)
        outcome.edits.append(edits)
        current = new
    else:
        # The last pass changed the text: scan once more so ``remaining`` describes the result.
        doc = document_from_string(current, path=path, fmt=fmt, encoding=encoding)
        outcome.result = scan_document(doc, settings)
    outcome.fixed = current
    return outcome


def fix_path(
    path: str,
    *,
    settings: Settings | None = None,
    unsafe: bool = False,
    write: bool = True,
    fmt: str | None = None,
    stdin_filename: str | None = None,
    max_bytes: int | None = None,
) -> FixResult:
    """Fix one file (``-``: stdin, never written). With ``write``, a changed file is replaced
    atomically, in its original encoding and BOM, keeping its permissions."""
    from mtcheck.io.atomic import atomic_write_bytes
    from mtcheck.io.loaders import STDIN_NAME, read_decoded
    from mtcheck.io.paths import format_for

    decoded = read_decoded(path, max_bytes=max_bytes, stdin_filename=stdin_filename)
    name = (stdin_filename or STDIN_NAME) if path == "-" else path
    f = format_for(stdin_filename if path == "-" else path, fmt)
    outcome = fix_text(decoded.text, path=name, fmt=f, settings=settings, unsafe=unsafe, encoding=decoded.encoding)
    if outcome.before is not None and outcome.before.document is not None:
        outcome.before.document.warnings.extend(decoded.warnings)
    if write and path != "-" and outcome.changed:
        try:
            data = decoded.encode(outcome.fixed)
        except UnicodeEncodeError as e:
            err = InputError(f"{path}: not written: a fix inserts {outcome.fixed[e.start:e.end]!r}, which {decoded.encoding} cannot encode")
            err.path = path
            raise err from None
        try:
            atomic_write_bytes(path, data)
        except OSError as e:
            err = InputError(f"{path}: cannot write: {e.strerror or e}")
            err.path = path
            raise err from None
        outcome.written = True
    return outcome


def unified_diff(path: str, before: str, after: str) -> str:
    """A unified diff of ``before`` → ``after`` labelled with ``path`` (line endings kept)."""
    if before == after:
        return ""
    a = before.splitlines(keepends=True)
    b = after.splitlines(keepends=True)
    lines = list(difflib.unified_diff(a, b, fromfile=f"a/{path}", tofile=f"b/{path}"))
    out = []
    for line in lines:
        out.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(out)
