"""HTML input: the article's main text, with exact offsets into the original HTML.

trafilatura (the field's standard) decides *which* text is the article; mtcheck then rebuilds that
text itself from the HTML's own text nodes, so every analysed character knows where it came from:

* text copied from a text node is a verbatim :class:`~mtcheck.document.Run`;
* characters mtcheck synthesises (a decoded entity such as ``&quot;``, one space for a run of
  HTML whitespace, a blank line between blocks, a newline for ``<br>``) map to the source range
  they stand for, so findings on them still point at the right place, but no fix may touch them.

Blocks (``<p>``, ``<h1>``, ``<li>``, …) whose text trafilatura kept are included in order; when
trafilatura finds no article (very short pages), every block in ``<body>`` is used.
"""

from __future__ import annotations

import bisect
import html as _html
import re
from html.parser import HTMLParser

from mtcheck.document import Document, OffsetMap, Run

#: Elements whose content is never prose.
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "canvas",
                   "select", "textarea", "head", "title"})
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "ul",
})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                   "source", "track", "wbr"})
_COLLAPSE = re.compile(r"[ \t\n\r\f]{2,}|[\t\n\r\f]")
_REF = re.compile(r"&(?:#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,10}|[A-Za-z][A-Za-z0-9]{0,40});?")
#: How far past the last matched block a partial-line block is looked for (characters).
_WINDOW = 2000
_SUPPRESSION = re.compile(r"\A[ \t]*mtcheck[ \t]*:", re.IGNORECASE)


class HtmlOffsetMap(OffsetMap):
    """An :class:`OffsetMap` whose synthesised characters remember the source range they replace
    (``&quot;`` → ``"``), so a span starting or ending on one maps to that whole range."""

    def __init__(self, runs: list[Run], synth: list[tuple[int, int, int, int]], view_length: int, source_length: int):
        super().__init__(runs, view_length, source_length)
        #: (view_start, view_length, source_start, source_end), sorted by view_start.
        self.synth = sorted(synth)
        self._synth_starts = [s[0] for s in self.synth]

    def to_source(self, offset: int, *, end: bool = False) -> int:
        probe = offset - 1 if end and offset > 0 else offset
        i = bisect.bisect_right(self._synth_starts, probe) - 1
        if i >= 0:
            vs, vl, ss, se = self.synth[i]
            if vs <= probe < vs + vl:
                return se if end else ss
        return super().to_source(offset, end=end)


class _Piece:
    """A stretch of a block: verbatim (``verbatim=True``, ``text`` equals the source at ``src``) or
    synthesised (``text`` stands for ``source[src:src_end]``)."""

    __slots__ = ("text", "src", "src_end", "verbatim")

    def __init__(self, text: str, src: int, src_end: int, verbatim: bool):
        self.text, self.src, self.src_end, self.verbatim = text, src, src_end, verbatim


class _Walker(HTMLParser):
    """Collects blocks of text pieces with source offsets."""

    def __init__(self, source: str, parsed: str | None = None):
        super().__init__(convert_charrefs=False)
        self.source = source
        #: What the parser is fed: ``source`` with unterminated markup neutralised (same length).
        self.parsed = parsed if parsed is not None else source
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.blocks: list[list[_Piece]] = []
        self.current: list[_Piece] = []
        self.stack: list[str] = []
        self.skip = 0
        self.pre = 0
        self.in_head = False
        self.comments: list[tuple[int, int]] = []

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _break(self) -> None:
        if any(p.text.strip() for p in self.current):
            self.blocks.append(self.current)
        self.current = []

    # -- tags ------------------------------------------------------------------------------------

    def handle_starttag(self, tag, attrs):
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        if tag in _SKIP and tag != "head":
            if tag not in _VOID:
                self.skip += 1
                self.stack.append(tag)
            return
        if tag in _BLOCK:
            self._break()
        if tag == "br" and not self.skip:
            off = self._offset()
            text = self.get_starttag_text() or ""
            self.current.append(_Piece("\n", off, off + len(text), False))
        if tag == "pre":
            self.pre += 1
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag == "br" and not self.skip:
            off = self._offset()
            text = self.get_starttag_text() or ""
            self.current.append(_Piece("\n", off, off + len(text), False))
        elif tag in _BLOCK:
            self._break()

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        if tag not in self.stack:
            if tag in _BLOCK:
                self._break()
            return
        while self.stack:
            top = self.stack.pop()
            if top in _SKIP and top != "head":
                self.skip -= 1
            if top == "pre":
                self.pre -= 1
            if top == tag:
                break
        if tag in _BLOCK:
            self._break()

    # -- text ------------------------------------------------------------------------------------

    def _hidden(self) -> bool:
        return self.skip > 0 or self.in_head

    def handle_data(self, data):
        if self._hidden() or not data:
            return
        off = self._offset()
        if self.parsed[off : off + len(data)] != data:  # never trust a position we cannot verify
            return
        data = self.source[off : off + len(data)]
        if self.pre:
            self.current.append(_Piece(data, off, off + len(data), True))
            return
        # Single spaces stay verbatim; other HTML whitespace runs render as one synthesised space.
        pos = 0
        for m in _COLLAPSE.finditer(data):
            if m.start() > pos:
                self.current.append(_Piece(data[pos : m.start()], off + pos, off + m.start(), True))
            self.current.append(_Piece(" ", off + m.start(), off + m.end(), False))
            pos = m.end()
        if pos < len(data):
            self.current.append(_Piece(data[pos:], off + pos, off + len(data), True))

    def _ref(self):
        if self._hidden():
            return
        off = self._offset()
        m = _REF.match(self.source, off)
        if not m:
            return
        raw = m.group()
        text = _html.unescape(raw)
        if text == raw:
            self.current.append(_Piece(raw, off, m.end(), True))
        else:
            self.current.append(_Piece(text, off, m.end(), False))

    def handle_entityref(self, name):
        self._ref()

    def handle_charref(self, name):
        self._ref()

    def handle_comment(self, data):
        if _SUPPRESSION.match(data) and not self.skip:
            off = self._offset()
            end = off + len(data) + 7
            if self.source[off:end] == f"<!--{data}-->":
                self._break()
                self.comments.append((off, end))
                self.blocks.append([_Piece(self.source[off:end], off, end, True)])

    def close(self):
        super().close()
        self._break()


#: Stands in for a ``<`` that cannot start complete markup (see :func:`_neutralise`).
_PLACEHOLDER = "\ue000"


def _neutralise(source: str) -> str:
    """``source`` with every ``<`` that cannot begin complete markup replaced by a placeholder of
    the same length, so offsets are unchanged and the text is read as text.

    html.parser rescans an unterminated construct (``<a …`` with no ``>`` after it, ``<!--`` with
    no ``-->``) on every later ``<``, which is quadratic: a 200 kB line of ``<a <a <a`` would take
    minutes. Such a ``<`` is literal text to a browser anyway.
    """
    cut = source.rfind(">") + 1
    comment_end = source.rfind("-->")
    after = comment_end + 3 if comment_end >= 0 else 0
    first_open_comment = source.find("<!--", after)
    # One stray "<!--" (say, in a script) costs one rescan; many make it quadratic.
    if first_open_comment >= 0 and source.find("<!--", first_open_comment + 4) >= 0:
        cut = min(cut, first_open_comment)
    if "<" not in source[cut:]:
        return source
    return source[:cut] + source[cut:].replace("<", _PLACEHOLDER)


def _norm(s: str) -> str:
    return " ".join(s.split())


def _select_blocks(source: str, blocks: list[list[_Piece]]) -> list[list[_Piece]]:
    """The blocks whose text trafilatura kept as the main content, in document order."""
    if len(blocks) <= 1:
        return blocks
    import logging

    log = logging.getLogger("trafilatura")
    level = log.level
    log.setLevel(logging.CRITICAL + 1)  # its parse errors would reach stderr; we fall back instead
    try:
        import trafilatura

        extracted = trafilatura.extract(source, include_comments=False, include_tables=True, favor_recall=True)
    except Exception:  # trafilatura is a heuristic; on any failure fall back to every block
        extracted = None
    finally:
        log.setLevel(level)
    if not extracted:
        return blocks
    lines = [line for line in (_norm(x) for x in extracted.splitlines()) if line]
    joined = "\n".join(lines)
    # Where each extracted line starts, by text: most blocks are exactly one line.
    line_at: dict[str, list[int]] = {}
    pos = 0
    for line in lines:
        line_at.setdefault(line, []).append(pos)
        pos += len(line) + 1
    out, cursor = [], 0
    for b in blocks:
        if _is_comment_block(b):
            out.append(b)  # suppression comments travel with the blocks around them
            continue
        text = _norm("".join(p.text for p in b))
        starts = line_at.get(text)
        i = bisect.bisect_left(starts, cursor) if starts else 0
        if starts and i < len(starts):
            p = starts[i]
        else:
            # Part of a line (inline blocks inside one paragraph): look just ahead of the cursor,
            # a bounded window so a page of unmatched blocks stays linear.
            p = joined.find(text, cursor, cursor + len(text) + _WINDOW)
            if p < 0 or not (p == 0 or joined[p - 1] == "\n" or not joined[cursor:p].strip()):
                continue
        out.append(b)
        cursor = p + len(text)
    if not any(not _is_comment_block(b) for b in out):
        return blocks
    return out


def _is_comment_block(b: list[_Piece]) -> bool:
    return len(b) == 1 and b[0].text.startswith("<!--")


def html_document(source: str, path: str | None = None) -> Document:
    """A Document for an HTML page: analysed text is the main article text (see module doc)."""
    parsed = _neutralise(source)
    walker = _Walker(source, parsed)
    try:
        walker.feed(parsed)
        walker.close()
    except Exception:  # html.parser is lenient; anything it still rejects leaves what it collected
        walker._break()
    blocks = _select_blocks(source, walker.blocks)

    view: list[str] = []
    runs: list[Run] = []
    synth: list[tuple[int, int, int, int]] = []
    protected: list[tuple[int, int]] = []
    vpos = 0
    for block in blocks:
        pieces = _collapse(block)
        if not pieces:
            continue
        if vpos:
            last_end = runs[-1].source_start + runs[-1].length if runs else 0
            synth.append((vpos, 2, last_end, last_end))
            view.append("\n\n")
            vpos += 2
        block_start = vpos
        for text, src, src_end, verbatim in pieces:
            if verbatim:
                last = runs[-1] if runs else None
                if last and last.view_start + last.length == vpos and last.source_start + last.length == src:
                    runs[-1] = Run(last.view_start, last.source_start, last.length + len(text))
                else:
                    runs.append(Run(vpos, src, len(text)))
            else:
                synth.append((vpos, len(text), src, src_end))
            view.append(text)
            vpos += len(text)
        if _is_comment_block(block):
            protected.append((block_start, vpos))
    text = "".join(view)
    omap = HtmlOffsetMap(runs, synth, len(text), len(source))
    doc = Document(original=source, text=text, path=path, fmt="html", offset_map=omap, protected=protected)
    doc.metadata["comments"] = frozenset(s for s, _ in walker.comments)
    from mtcheck.io.markdown import url_protected

    doc.protected.extend((s, e) for s, e in url_protected(text))
    return doc


def _collapse(block: list[_Piece]) -> list[tuple[str, int, int, bool]]:
    """A block's pieces as (text, source_start, source_end, verbatim), with HTML whitespace
    collapsed across pieces (a space after a space is dropped) and trimmed at both ends."""
    out: list[list] = []
    prev_space = True  # drops leading whitespace
    for p in block:
        text, src = p.text, p.src
        if not text:
            continue
        if p.verbatim:
            if prev_space and text[0] == " ":
                text, src = text[1:], src + 1
                if not text:
                    continue
            out.append([text, src, src + len(text), True])
        else:
            if prev_space and text == " ":
                continue
            out.append([text, src, p.src_end, False])
        prev_space = text[-1] in " \n"
    while out and out[-1][0].endswith(" "):
        last = out[-1]
        if last[3]:
            last[0] = last[0][:-1]
            last[2] -= 1
        else:
            last[0] = last[0][:-1]
        if not last[0]:
            out.pop()
    return [tuple(x) for x in out]
