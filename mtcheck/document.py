"""The document model: the original text, the text rules analyse, and exact offsets between them.

For plain text the analysed text *is* the original. Loaders for Markdown and HTML build the
analysed text from pieces of the original and record an :class:`OffsetMap`, so every finding can be
reported, and every fix applied, at exact character offsets into what the user wrote.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

from mtcheck.text.segment import split_paragraph_sentences, split_paragraphs


class Span:
    """A half-open character range ``[start, end)`` with its text. Immutable by convention.

    A plain class with slots rather than a frozen dataclass: a 1 MB scan builds some 40,000 of
    them (paragraphs, sentences, lines) and a frozen dataclass's ``__init__`` costs three times as
    much."""

    __slots__ = ("start", "end", "text")

    def __init__(self, start: int, end: int, text: str):
        self.start = start
        self.end = end
        self.text = text

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Span:
            return NotImplemented
        return self.start == other.start and self.end == other.end and self.text == other.text

    def __hash__(self) -> int:
        return hash((self.start, self.end, self.text))

    def __repr__(self) -> str:
        return f"Span(start={self.start!r}, end={self.end!r}, text={self.text!r})"

    def __reduce__(self):
        return (Span, (self.start, self.end, self.text))


@dataclass(frozen=True)
class Run:
    """``length`` characters of the analysed text starting at ``view_start`` were copied verbatim
    from the original text starting at ``source_start``."""

    view_start: int
    source_start: int
    length: int


class OffsetMap:
    """Maps offsets in the analysed text back to offsets in the original text.

    Characters inside a run map one to one. Characters that the loader synthesised (a newline for
    a ``<p>``, a decoded entity) map to the start of the next run, or to the end of the previous
    one; :meth:`is_verbatim` tells whether a whole span was copied unchanged, which is what fixes
    need before they may touch the original.
    """

    def __init__(self, runs: list[Run], view_length: int, source_length: int):
        self.runs = sorted(runs, key=lambda r: r.view_start)
        self._starts = [r.view_start for r in self.runs]
        self.view_length = view_length
        self.source_length = source_length

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        return cls([Run(0, 0, length)] if length else [], length, length)

    @property
    def is_identity(self) -> bool:
        # Asked twice per finding: remembered for the runs and lengths it was computed from.
        key = (id(self.runs), len(self.runs), self.view_length, self.source_length)
        cached = self.__dict__.get("_identity")
        if cached is None or cached[0] != key:
            ident = self.view_length == self.source_length and (
                not self.runs or (len(self.runs) == 1 and self.runs[0] == Run(0, 0, self.view_length))
            )
            cached = self.__dict__["_identity"] = (key, ident)
        return cached[1]

    def _run_at(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset) - 1

    def to_source(self, offset: int, *, end: bool = False) -> int:
        """Map a view offset to the original text. ``end=True`` maps an exclusive end offset."""
        if self.is_identity:
            return offset
        probe = offset - 1 if end and offset > 0 else offset
        i = self._run_at(probe)
        if i >= 0:
            run = self.runs[i]
            if run.view_start <= probe < run.view_start + run.length:
                return run.source_start + (offset - run.view_start)
        # Synthesised character: snap to a neighbouring run.
        if end and i >= 0:
            run = self.runs[i]
            return run.source_start + run.length
        nxt = i + 1
        if nxt < len(self.runs):
            return self.runs[nxt].source_start
        if self.runs:
            last = self.runs[-1]
            return last.source_start + last.length
        return 0

    def is_verbatim(self, start: int, end: int) -> bool:
        """True when ``view[start:end]`` was copied unchanged from one stretch of the original."""
        if self.is_identity:
            return True
        if start == end:
            i = self._run_at(start)
            if i < 0:
                return False
            run = self.runs[i]
            return run.view_start <= start <= run.view_start + run.length
        i = self._run_at(start)
        if i < 0:
            return False
        run = self.runs[i]
        return run.view_start <= start and end <= run.view_start + run.length


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass
class Document:
    """A loaded document.

    ``original`` is exactly what the user wrote (decoded, BOM removed). ``text`` is what rules read.
    ``fmt`` is ``"text"``, ``"markdown"`` or ``"html"``. ``protected`` lists spans of ``text`` that
    rules must not flag (URLs, code, markup left in the text): the linter drops matches inside them.
    """

    original: str
    text: str | None = None
    path: str | None = None
    fmt: str = "text"
    offset_map: OffsetMap | None = None
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)
    protected: list[tuple[int, int]] = field(default_factory=list)
    suppressions: list = field(default_factory=list)
    metadata: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.text is None:
            self.text = self.original
        if self.offset_map is None:
            if self.text != self.original:
                raise ValueError("a Document whose text differs from its original needs an offset_map")
            self.offset_map = OffsetMap.identity(len(self.original))

    @classmethod
    def from_text(cls, text: str, path: str | None = None, **kwargs) -> Document:
        """A plain-text document (analysed text identical to the original)."""
        return cls(original=text, path=path, **kwargs)

    # -- structure -------------------------------------------------------------------------------

    @cached_property
    def paragraphs(self) -> list[Span]:
        """Blank-line separated blocks of ``text``, stripped, with offsets into ``text``."""
        return [Span(s, e, self.text[s:e]) for s, e in split_paragraphs(self.text)]

    @cached_property
    def lines(self) -> list[Span]:
        """Lines of ``text`` without their line breaks."""
        text = self.text
        out, pos = [], 0
        for m in _LINE_BREAK.finditer(text):
            start = m.start()
            out.append(Span(pos, start, text[pos:start]))
            pos = m.end()
        out.append(Span(pos, len(text), text[pos:]))
        return out

    def sentences_for(self, lang: str | None) -> list[Span]:
        """Sentences of ``text`` (within paragraphs), segmented with ``lang``'s abbreviations."""
        key = lang or ""
        cache = self.__dict__.setdefault("_sentences", {})
        if key not in cache:
            # One boundary search over the whole text, not one per paragraph: the same spans.
            text = self.text
            pairs = [(p.start, p.end) for p in self.paragraphs]
            cache[key] = [Span(s, e, text[s:e]) for s, e in split_paragraph_sentences(text, pairs, lang)]
        return cache[key]

    def drop_caches(self) -> None:
        """Forget what was computed and cached on the document (sentences, lines, what rules kept:
        several times the size of the text); it is computed again when asked for. The word
        count, which every report shows, stays."""
        state = self.__dict__
        for key in [k for k in state if k not in _FIELDS]:
            del state[key]

    @property
    def sentences(self) -> list[Span]:
        return self.sentences_for(self.metadata.get("target_lang"))

    @cached_property
    def lowered(self) -> str:
        """``text.lower()``, computed once for the rules that search the text without case (its
        length differs from the text's when a character lower-cases to two, as ``İ`` does)."""
        return self.text.lower()

    @cached_property
    def word_count(self) -> int:
        return count_words(self.text)

    # -- offsets ---------------------------------------------------------------------------------

    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        for m in _LINE_BREAK.finditer(self.original):
            starts.append(m.end())
        return starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of an offset into ``original``."""
        i = bisect.bisect_right(self._line_starts, offset) - 1
        return i + 1, offset - self._line_starts[i] + 1

    def line_text(self, line: int) -> str:
        """The text of a 1-based line of ``original``, without its line break."""
        starts = self._line_starts
        start = starts[line - 1]
        end = starts[line] if line < len(starts) else len(self.original)
        return self.original[start:end].rstrip("\r\n")

    def to_source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``text`` to a span of ``original``."""
        s = self.offset_map.to_source(start)
        e = self.offset_map.to_source(end, end=True) if end > start else s
        return s, max(s, e)


_WORD = re.compile(r"\w+(?:['’\-]\w+)*")


def count_words(text: str) -> int:
    """Words as the quality score counts them: runs of letters/digits, with inner ' ’ -."""
    return len(_WORD.findall(text))


#: Document's own fields, and the cached word count: what Document.drop_caches keeps.
_FIELDS = frozenset(Document.__dataclass_fields__) | {"word_count"}
