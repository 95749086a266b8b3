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
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_REF = re.compile(r"&(?:#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,10}|[A-Za-z][A-Za-z0-9]{0,40});?")
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

    def __init__(self, source: str):
        super().__init__(convert_charrefs=False)
        self.source = source
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
        if self.source[off : off + len(data)] != data:  # never trust a position we cannot verify
            return
        if self.pre:
            self.current.append(_Piece(data, off, off + len(data), True))
            return
        pos = 0
        for m in _HTML_SPACE.finditer(data):
            if m.start() > pos:
                self.current.append(_Piece(data[pos : m.start()], off + pos, off + m.start(), True))
            ws = m.group()
            self.current.append(_Piece(" ", off + m.start(), off + m.end(), ws == " "))
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


def _norm(s: str) -> str:
    return " ".join(s.split())


def _select_blocks(source: str, blocks: list[list[_Piece]]) -> list[list[_Piece]]:
    """The blocks whose text trafilatura kept as the main content, in document order."""
    if len(blocks) <= 1:
        return blocks
    try:
        import trafilatura

        extracted = trafilatura.extract(source, include_comments=False, include_tables=True, favor_recall=True)
    except Exception:  # trafilatura is a heuristic; on any failure fall back to every block
        extracted = None
    if not extracted:
        return blocks
    lines = [_norm(line) for line in extracted.splitlines()]
    joined = "\n".join(line for line in lines if line)
    out, cursor = [], 0
    for b in blocks:
        if _is_comment_block(b):
            out.append(b)  # suppression comments travel with the blocks around them
            continue
        text = _norm("".join(p.text for p in b))
        p = joined.find(text, cursor)
        if p < 0:
            continue
        at_line_start = p == 0 or joined[p - 1] == "\n"
        continues = not joined[cursor:p].strip()
        if at_line_start or continues:
            out.append(b)
            cursor = p + len(text)
    if not any(not _is_comment_block(b) for b in out):
        return blocks
    return out


def _is_comment_block(b: list[_Piece]) -> bool:
    return len(b) == 1 and b[0].text.startswith("<!--")


def html_document(source: str, path: str | None = None) -> Document:
    """A Document for an HTML page: analysed text is the main article text (see module doc)."""
    walker = _Walker(source)
    try:
        walker.feed(source)
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
        pieces = _trim(block)
        if not pieces:
            continue
        if vpos:
            last_end = runs[-1].source_start + runs[-1].length if runs else 0
            synth.append((vpos, 2, last_end, last_end))
            view.append("\n\n")
            vpos += 2
        block_start = vpos
        prev_space = False
        for p in pieces:
            if p.text == " " and prev_space:
                continue
            if p.verbatim:
                if runs and runs[-1].view_start + runs[-1].length == vpos and runs[-1].source_start + runs[-1].length == p.src:
                    r = runs[-1]
                    runs[-1] = Run(r.view_start, r.source_start, r.length + len(p.text))
                else:
                    runs.append(Run(vpos, p.src, len(p.text)))
            else:
                synth.append((vpos, len(p.text), p.src, p.src_end))
            view.append(p.text)
            vpos += len(p.text)
            prev_space = p.text.endswith((" ", "\n"))
        if _is_comment_block(block):
            protected.append((block_start, vpos))
    text = "".join(view)
    omap = HtmlOffsetMap(runs, synth, len(text), len(source))
    doc = Document(original=source, text=text, path=path, fmt="html", offset_map=omap, protected=protected)
    from mtcheck.io.markdown import url_protected

    doc.protected.extend((s, e) for s, e in url_protected(text))
    return doc


def _trim(block: list[_Piece]) -> list[_Piece]:
    """Drop leading and trailing collapsible whitespace pieces."""
    s, e = 0, len(block)
    while s < e and block[s].text == " ":
        s += 1
    while e > s and block[e - 1].text == " ":
        e -= 1
    return block[s:e]
