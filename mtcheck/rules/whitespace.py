"""Whitespace (family W): non-breaking and zero-width spaces, whitespace-only lines, doubled
spaces and spaces before punctuation, judged by the target language's conventions
(``mtcheck/data/locale/<lang>.json``)."""

from __future__ import annotations

import bisect
import re

from mtcheck.findings import Applicability, Category, Edit, Fix, Match, Severity
from mtcheck.rules.base import Example, RuleContext, rule
from mtcheck.rules.locale import conventions
from mtcheck.rules.residue import document_lines
from mtcheck.text.patterns import contains_any, one_character_matches, per_character, run_start

#: Spaces that do not break a line: NO-BREAK SPACE, NARROW NO-BREAK SPACE, FIGURE SPACE.
NBSP_CHARS = "\u00a0\u202f\u2007"
_NBSP = re.compile(f"[{NBSP_CHARS}]")
#: Horizontal whitespace a run of spaces is made of (everything but line breaks).
_HSPACE = " \t" + NBSP_CHARS + "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f\u3000"
_HSPACE_SET = frozenset(_HSPACE)
#: Invisible characters with no business in running text.
_ZW_CHARS = "\u200b\u2060\ufeff\u200c\u200d"
_ZERO_WIDTH = re.compile(f"[{_ZW_CHARS}]+")
_JOINERS = frozenset("\u200c\u200d")
_ZW_NAMES = {
    "\u200b": "zero-width space",
    "\u2060": "word joiner",
    "\ufeff": "byte-order mark",
    "\u200c": "zero-width non-joiner",
    "\u200d": "zero-width joiner",
}
_INVISIBLE_LINE = re.compile(r"[ \t\u00a0\u202f\u2007\u2000-\u200b\u205f\u3000\u2060\ufeff]*")
_DOUBLE_SPACE = re.compile(r"  +")
_SENTENCE_END = re.compile(r"[.!?:][\"'”’)\]]*$")
_LIST_MARKER = re.compile(r"[ \t]*(?:[-*+•]|\d{1,3}[.)]|>)")
#: A comma, full stop or closing bracket right after a space or tab; the run of spaces before it is
#: found in code. Matching the mark lets ``re`` scan for it in C; a pattern starting at the spaces
#: was tried at every space of the text.
_MARK_AFTER_SPACE = re.compile(r"[,.)](?<=[ \t].)")
#: ``_MARK_AFTER_SPACE`` split by mark (its matches are one character long).
_EACH_MARK_AFTER_SPACE = per_character(",.)", r"(?<=[ \t].)")
_WORD_END = re.compile(r"[^\W\d_]|[)\]”’\"]")
_ABBREVIATION_BEFORE = re.compile(
    r"(?:^|[\s(])(?:Mr|Mrs|Ms|Dr|St|Prof|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|Jr|Sr|No|Nr|Sra|Sr|Mme|Pr|p|pp|vs|cf|ca|fig|vol|ch|[A-Z])\.$"
)
_HIGH_PUNCT = ";:!?"


class _LineIndex:
    """Start and end (without the line break) of the line holding an offset, by bisection over
    the document's lines: no rescanning of the text, however many matches a line has."""

    def __init__(self, ctx: RuleContext):
        lines = document_lines(ctx)
        self.starts, self.texts = lines.starts, lines.texts

    def bounds(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, pos) - 1
        return self.starts[i], self.starts[i] + len(self.texts[i])


def _blank_line(text: str, ls: int, le: int, cache: dict[int, bool]) -> bool:
    """Whether ``text[ls:le]`` (a line) holds only invisible characters; cached per line so that a
    line with many matches is looked at once."""
    if ls not in cache:
        cache[ls] = _INVISIBLE_LINE.fullmatch(text, ls, le) is not None
    return cache[ls]


def _nbsp_allowed(text: str, start: int, end: int, conv: dict | None) -> bool:
    """Whether one no-break space at ``text[start:end]`` is the target language's own usage."""
    if conv is None or end - start != 1:
        return False
    contexts = set(conv.get("nbsp_contexts", ()))
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if "before-high-punctuation" in contexts and after and after in _HIGH_PUNCT + "»›%":
        return True
    if "inside-guillemets" in contexts and (before in "«‹" or after in "»›"):
        return True
    if "digit-group" in contexts and before.isdigit() and after.isdigit():
        return True
    if "number-unit" in contexts and before.isdigit() and after and (after.isalpha() or after in "%€$£¥°"):
        return True
    if "abbreviation" in contexts and before == "." and _ABBREVIATION_BEFORE.search(text, max(0, start - 8), start):
        return True
    return False


@rule(
    "W101",
    "stray-non-breaking-space",
    severity=Severity.WARNING,
    category=Category.FLUENCY,
    fix=Applicability.SAFE,
    bad=[
        "Read Also:⟦\u00a0 ⟧Vatican cancels the Pope's presence.",
        "⟦\u00a0⟧\"I don’t want to die\"⟦\u00a0⟧",
        "The minister⟦\u00a0⟧said on Thursday that talks would resume.",
        "Prices rose sharply.⟦ \u00a0 ⟧Analysts were surprised.",
        Example("Le ministre a parlé⟦\u00a0⟧jeudi.", target_lang="fr"),
    ],
    good=[
        "The missile flew 300\u00a0km before it fell.",
        "Mr.\u00a0Smith arrived at 5\u00a0p.m. on Friday.",
        "Plain text with ordinary spaces only.",
        Example("Quelle histoire\u00a0! Il a dit\u00a0: «\u00a0non\u00a0».", target_lang="fr"),
        Example("Il y a 1\u202f332 personnes.", target_lang="fr"),
    ],
)
def stray_non_breaking_space(ctx: RuleContext):
    """No-break spaces (U+00A0, U+202F, U+2007) where the target language does not use them.

    What it flags: a run of spaces that contains a no-break space at the start or end of a line,
    next to an ordinary space, or between two words, unless the target language's conventions use
    a no-break space there (``mtcheck/data/locale/<lang>.json``, ``nbsp_contexts``): French before
    ``; : ! ? »`` and inside « », digit groups (``1 332``) where that is the thousands separator,
    a number and its unit (``300 km``), and after a short abbreviation (``Mr. Smith``). A line of
    nothing but spaces is left to W103, and a space before ``; : ! ?`` in a language that puts
    none there is left to L104. For a language without locale data only line edges and doubled
    gaps are flagged.

    Why it matters: scraped and machine-translated text carries ``&nbsp;`` from the source page's
    markup. It shows up as odd indentation and doubled gaps, stops lines from wrapping, and breaks
    search and word counts downstream.

    Fix safety: safe. At the edge of a line the run is deleted; elsewhere it becomes one ordinary
    space. Nothing visible but the spacing changes.
    """
    text = ctx.text
    if not contains_any(text, NBSP_CHARS):
        return
    conv = conventions(ctx.target_lang)
    high_punct_none = conv is not None and conv.get("space_before_high_punctuation") == "none"
    seen_end = -1
    blank: dict[int, bool] = {}
    index = _LineIndex(ctx)
    for m in _NBSP.finditer(text):
        if m.start() < seen_end:
            continue
        start, end = m.start(), m.end()
        while start > 0 and text[start - 1] in _HSPACE_SET:
            start -= 1
        while end < len(text) and text[end] in _HSPACE_SET:
            end += 1
        seen_end = end
        ls, le = index.bounds(start)
        if _blank_line(text, ls, le, blank):
            continue  # a whitespace-only line: W103
        after = text[end] if end < len(text) else ""
        if high_punct_none and after and after in _HIGH_PUNCT and start > ls:
            continue  # French-style space before high punctuation: L104
        if _nbsp_allowed(text, start, end, conv):
            continue
        if conv is None and end - start == 1 and start > ls and end < le:
            continue  # unknown conventions: only edges and doubled gaps are certain
        if start == ls or end == le:
            where = "at the start of a line" if start == ls else "at the end of a line"
            yield Match(start, end, f"No-break space {where}", Fix((Edit(start, end, ""),), description="delete it"))
        else:
            what = "No-break space next to another space" if end - start > 1 else "No-break space between words"
            lang = (conv or {}).get("language", "the target language")
            yield Match(
                start,
                end,
                f"{what}; {lang} does not use one here",
                Fix((Edit(start, end, " "),), description="replace it with one ordinary space"),
            )


@rule(
    "W102",
    "zero-width-character",
    severity=Severity.WARNING,
    category=Category.FLUENCY,
    fix=Applicability.SAFE,
    bad=[
        "Moscow⟦\u200b⟧ began its mobilization.",
        "The ⟦\u2060\u200b⟧referendums were held.",
        "Putin’s ad⟦\u200d⟧dress was broadcast.",
        "Text with a stray ⟦\ufeff⟧byte-order mark.",
    ],
    good=[
        "Plain text without invisible characters.",
        "A family emoji 👨\u200d👩\u200d👧 keeps its joiners.",
        "می\u200cخواهم",
    ],
)
def zero_width_character(ctx: RuleContext):
    """Invisible zero-width characters in running text.

    What it flags: zero-width spaces (U+200B), word joiners (U+2060) and byte-order marks
    (U+FEFF) anywhere after the start of the text, and zero-width (non-)joiners (U+200C, U+200D)
    between two Latin letters. Joiners elsewhere are left alone: emoji sequences and Persian or
    Indic scripts need them. A line of nothing but invisible characters is W103's.

    Why it matters: these characters come from the source page's markup or from copy and paste.
    They are invisible to an editor but split words for search, spell checking and word counts,
    and can hide a glued word.

    Fix safety: safe: the characters are deleted; they render as nothing, so the visible text does
    not change.
    """
    text = ctx.text
    if not contains_any(text, _ZW_CHARS):
        return
    blank: dict[int, bool] = {}
    index = _LineIndex(ctx)
    for m in _ZERO_WIDTH.finditer(text):
        if _JOINERS.issuperset(m.group()):
            before = text[m.start() - 1] if m.start() else ""
            after = text[m.end()] if m.end() < len(text) else ""
            if not (before.isascii() and before.isalpha() and after.isascii() and after.isalpha()):
                continue  # emoji sequences and scripts that need joiners
        ls, le = index.bounds(m.start())
        if _blank_line(text, ls, le, blank):
            continue  # a line of nothing but invisible characters: W103
        names = sorted({_ZW_NAMES[c] for c in m.group()})
        yield Match(
            m.start(),
            m.end(),
            f"Invisible {' and '.join(names)} in the text",
            Fix((Edit(m.start(), m.end(), ""),), description="delete it"),
        )


@rule(
    "W103",
    "whitespace-only-line",
    severity=Severity.WARNING,
    category=Category.SOURCE_SITE_RESIDUE,
    fix=Applicability.SAFE,
    bad=[
        "First paragraph.\n\n⟦\u00a0⟧\n\nSecond paragraph.",
        "Title\n⟦ \u00a0 ⟧\nBody text.",
        "Text.\n⟦\u200b⟧\nMore text.",
    ],
    good=[
        "First paragraph.\n\nSecond paragraph.",
        "First paragraph.\n   \nSecond paragraph with ordinary spaces on the blank line.",
        "Indented\u00a0word inside a line is another rule's business.",
    ],
)
def whitespace_only_line(ctx: RuleContext):
    """A line that holds nothing but invisible characters, at least one of them unusual.

    What it flags: a line made only of whitespace and zero-width characters that includes a
    no-break space, a zero-width character or another non-ASCII space, the trace of an empty
    ``<p>&nbsp;</p>`` on the source page. Lines of ordinary spaces and tabs are left alone:
    editors leave them and they render as the blank lines they are.

    Why it matters: such a line looks blank but is not empty. It shows up as extra vertical space,
    makes paragraph splitting depend on the tool, and signals copy-pasted page markup.

    Fix safety: safe: the characters are deleted and the line becomes an empty line, so paragraph
    breaks stay where they were; a line that stands between blank lines is removed with one of
    them, leaving a single blank line.
    """
    lines = document_lines(ctx)
    for i, s in enumerate(lines.texts):
        if not s or s.isascii() or not _INVISIBLE_LINE.fullmatch(s):
            continue
        line = lines[i]
        yield Match(
            line.start,
            line.end,
            "Line holds only invisible characters (no-break or zero-width spaces)",
            _blank_line_fix(lines, i),
        )


def _blank_line_fix(lines, i: int) -> Fix:
    """Empty line ``i``; when the line before it is already empty, remove it instead (and one
    empty line after it), so one blank line still separates the paragraphs around it."""
    line = lines[i]
    if i > 0 and lines[i - 1].text == "" and i + 1 < len(lines):
        end = lines[i + 1].start
        if lines[i + 1].text == "" and i + 2 < len(lines):
            end = lines[i + 2].start
        return Fix((Edit(line.start, end, ""),), description="remove the line")
    return Fix((Edit(line.start, line.end, ""),), description="empty the line")


def _space_runs(text: str, first: int):
    """``_DOUBLE_SPACE.finditer(text)``, from ``first``, where ``text`` holds "  " first: each run
    found with ``str.find`` and matched from its start (``re`` reads every character on the way).
    A run found after the end of the last one starts after a character that is not a space, as
    finditer's do."""
    i = first
    while i >= 0:
        m = _DOUBLE_SPACE.match(text, i)
        yield m
        i = text.find("  ", m.end())


@rule(
    "W104",
    "doubled-space",
    severity=Severity.INFO,
    category=Category.FLUENCY,
    fix=Applicability.SAFE,
    bad=[
        "The minister⟦  ⟧said on Thursday.",
        "Nine missiles fell⟦   ⟧on the city.",
    ],
    good=[
        "One space between words.",
        "Two spaces after a full stop.  That is an old convention, not an error.",
        "    Indented code keeps its indentation.",
        "| a  | b |",
        "-   Flexible input: URLs and files.",
        "x = 1  # a comment",
    ],
    options={"allow_after_sentence_end": True},
)
def doubled_space(ctx: RuleContext):
    """Two or more ordinary spaces between words.

    What it flags: runs of two or more spaces between two visible characters inside a line. Runs
    after sentence-ending punctuation (the typewriter convention of two spaces after a full stop)
    are allowed unless the option ``allow_after_sentence_end`` is false; indentation, the gap after
    a list marker (``-   item``), a gap before a ``#`` comment, and lines of Markdown tables (with
    ``|``) are not looked at.

    Why it matters: doubled spaces inside a sentence are a trace of deleted words, of joined
    segments in a translation pipeline, or of scraped markup.

    Fix safety: safe: the run becomes one space.
    """
    text = ctx.text
    first = text.find("  ")
    if first < 0:
        return
    allow_after_end = ctx.option("allow_after_sentence_end", True)
    index = _LineIndex(ctx)
    has_bar: dict[int, bool] = {}
    for m in _space_runs(text, first):
        if not m.start() or m.end() == len(text) or text[m.start() - 1].isspace() or text[m.end()].isspace():
            continue
        ls, le = index.bounds(m.start())
        if ls not in has_bar:
            has_bar[ls] = text.find("|", ls, le) != -1
        if has_bar[ls]:
            continue
        if text.startswith("#", m.end()) or _LIST_MARKER.fullmatch(text, ls, m.start()):
            continue  # a comment after code, or the gap after a list marker
        if allow_after_end and _SENTENCE_END.search(text, max(ls, m.start() - 4), m.start()):
            continue
        yield Match(m.start(), m.end(), "Doubled space", Fix((Edit(m.start(), m.end(), " "),), description="one space"))


@rule(
    "W105",
    "space-before-punctuation",
    severity=Severity.WARNING,
    category=Category.FLUENCY,
    fix=Applicability.SAFE,
    bad=[
        "Moscow began its mobilization⟦ ⟧, after the announcement.",
        "On the ground, the bombing continues⟦ ⟧.",
        "The regions (east and south⟦ ⟧) will vote.",
    ],
    good=[
        "Moscow began its mobilization, after the announcement.",
        "And so it goes ... the war continues.",
        "Visit example .com domains? No: the value was .5 percent.",
        "Use the .NET framework.",
        "He said: (laughs) fine.",
    ],
)
def space_before_punctuation(ctx: RuleContext):
    """A space before a comma, a full stop or a closing bracket.

    What it flags: spaces or tabs between a word (or a closing quote or bracket) and a following
    ``,`` or ``.`` or ``)``. An ellipsis written `` ...``, a leading dot (``.NET``, ``.5``) and a
    bracket followed by a letter are not flagged. Spaces before ``; : ! ?`` depend on the target
    language and are rule L104's business.

    Why it matters: no language mtcheck knows puts a space before these marks; the space is left
    when a translation engine or a scraper joins tokens, and editors see it at once.

    Fix safety: safe: the spaces are deleted.
    """
    text = ctx.text
    for end in one_character_matches(_EACH_MARK_AFTER_SPACE, text):
        start = run_start(text, end, " \t")
        if not start or not _WORD_END.match(text[start - 1]):
            continue
        mark = text[end]
        after = text[end + 1] if end + 1 < len(text) else ""
        if (mark == "." and (after == "." or after.isalnum() or after == "_")) or (mark == ")" and (after.isalnum() or after == "_")):
            continue  # an ellipsis, .NET, .5, or a bracket glued to the next word
        yield Match(
            start,
            end,
            f"Space before {mark!r}",
            Fix((Edit(start, end, ""),), description="delete the space"),
        )
