"""Inline suppression comments, in every input format.

The syntax is an HTML comment, which Markdown and HTML hide when rendered and which is unlikely in
plain prose, so the same comment works in ``.txt``, ``.md`` and ``.html`` files:

* ``<!-- mtcheck: ignore[Q101,W1] -->`` silences the listed codes (or prefixes, or rule names) in the
  next paragraph (block). A comment that follows text on its own line silences the paragraph it
  sits in. ``<!-- mtcheck: ignore -->`` silences every rule there.
* ``<!-- mtcheck: off -->`` … ``<!-- mtcheck: on -->`` silences every rule between the two
  comments; ``<!-- mtcheck: off[R] -->`` only the listed codes. An ``off`` without ``on`` runs to
  the end of the document.

Offsets are into the original text. The linter drops findings inside a suppression and marks it
used; rule M001 (unused-suppression) then flags the suppressions that silenced nothing.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from mtcheck.document import Document

_COMMENT = re.compile(
    r"<!--[ \t]*mtcheck[ \t]*:[ \t]*(?P<verb>ignore|off|on)\b[ \t]*"
    r"(?:\[(?P<codes>[^\]\n]{0,500})\])?[ \t]*-->",
    re.IGNORECASE,
)


@dataclass
class Suppression:
    """A region of the original text where findings of ``codes`` (all when empty) are dropped.

    ``comment_start``/``comment_end`` locate the comment that opened it (``end_comment_*`` the ``on``
    comment that closed an ``off`` region, if any). ``used`` is set by the linter.
    """

    codes: tuple[str, ...]
    start: int
    end: int
    comment_start: int
    comment_end: int
    kind: str = "ignore"
    used: bool = False
    #: The comment's span in the analysed text (``Document.text``), when it is there.
    view_comment: tuple[int, int] | None = None
    #: The ``on`` comment that closed an ``off`` region (original and analysed-text spans).
    end_comment: tuple[int, int] | None = None
    view_end_comment: tuple[int, int] | None = None

    @property
    def comment(self) -> tuple[int, int]:
        return (self.comment_start, self.comment_end)

    def covers(self, code: str) -> bool:
        return not self.codes or any(code.startswith(c) for c in self.codes)


def parse_codes(raw: str | None) -> tuple[str, ...]:
    """``"Q101, w1 ,glued-closing-quote"`` → ``("Q101", "W1", "Q101")`` (names become codes when known)."""
    if not raw:
        return ()
    out = []
    for part in raw.split(","):
        p = part.strip()
        if not p:
            continue
        if "-" in p:
            from mtcheck.rules import get_rule

            r = get_rule(p)
            out.append(r.code if r else p)
        else:
            out.append(p.upper())
    return tuple(dict.fromkeys(out))


def find_comments(original: str) -> list[re.Match]:
    """Suppression comments in ``original`` (cheap: a substring test guards the regex)."""
    if "mtcheck" not in original:
        return []
    return list(_COMMENT.finditer(original))


def find_suppressions(doc: Document) -> list[Suppression]:
    """Suppressions declared in ``doc.original``; paragraphs of ``doc.text`` (mapped back to the
    original) decide where an ``ignore`` comment's block ends."""
    comments = find_comments(doc.original)
    real = doc.metadata.get("comments")
    if real is not None:  # Markdown and HTML: not inside code, a script or a style sheet
        comments = [m for m in comments if m.start() in real]
    if not comments:
        return []
    paras = None
    para_starts: list[int] = []
    out: list[Suppression] = []
    open_off: list[tuple[re.Match, tuple[str, ...]]] = []
    for m in comments:
        verb = m.group("verb").lower()
        codes = parse_codes(m.group("codes"))
        if verb == "ignore":
            if paras is None:
                paras = sorted(doc.to_source_span(p.start, p.end) for p in doc.paragraphs)
                para_starts = [s for s, _ in paras]
            line_start = doc.original.rfind("\n", 0, m.start()) + 1
            if doc.fmt != "html" and doc.original[line_start : m.start()].strip():
                # A trailing comment: the paragraph it sits in (the last one starting before it).
                i = bisect.bisect_left(para_starts, m.start()) - 1
                start, end = (min(paras[i][0], m.start()), max(paras[i][1], m.end())) if i >= 0 else m.span()
            else:
                # A comment on its own line: the next paragraph that ends after it.
                i = bisect.bisect_right([e for _, e in paras], m.end())
                start, end = m.start(), (paras[i][1] if i < len(paras) else m.end())
            out.append(Suppression(codes, start, end, m.start(), m.end(), "ignore"))
        elif verb == "off":
            open_off.append((m, codes))
        else:  # on: closes every open ``off``
            for om, oc in open_off:
                out.append(Suppression(oc, om.start(), m.end(), om.start(), om.end(), "off", end_comment=m.span()))
            open_off = []
    for om, oc in open_off:
        out.append(Suppression(oc, om.start(), len(doc.original), om.start(), om.end(), "off"))
    out.sort(key=lambda s: s.start)
    return out


def attach_suppressions(doc: Document) -> Document:
    """Record the document's suppressions (once) and protect the comments from other rules."""
    if doc.metadata.get("suppressions_parsed"):
        return doc
    doc.metadata["suppressions_parsed"] = True
    sups = find_suppressions(doc)
    if sups:
        for s in sups:
            s.view_comment = view_span(doc, s.comment_start, s.comment_end)
            if s.end_comment is not None:
                s.view_end_comment = view_span(doc, *s.end_comment)
        doc.suppressions = sups
        if doc.offset_map.is_identity:
            doc.protected.extend(s.comment for s in sups)
            doc.protected.extend(s.end_comment for s in sups if s.end_comment is not None)
    return doc


def view_span(doc: Document, start: int, end: int) -> tuple[int, int] | None:
    """The span of ``doc.text`` copied verbatim from ``original[start:end]``, or None."""
    omap = doc.offset_map
    if omap.is_identity:
        return (start, end)
    for run in omap.runs:
        if run.source_start <= start and end <= run.source_start + run.length:
            return (run.view_start + start - run.source_start, run.view_start + end - run.source_start)
    return None
