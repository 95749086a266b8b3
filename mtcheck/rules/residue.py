"""Scraped site residue (family R): page chrome that came along with the article text.

Phrase lists per language are data (``mtcheck/data/residue/<lang>.json``); every language's list is
used whatever the target, because untranslated chrome ("Leer también") is residue too. A structural
rule catches the short lines after the article's last paragraph that no list knows (link titles,
menus, machine-translated comment forms).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress

from mtcheck.data import available, load_json
from mtcheck.document import Span
from mtcheck.findings import Applicability, Category, Edit, Fix, Match, Severity
from mtcheck.rules.base import RuleContext, rule

_SPACES = re.compile(r"[\s\u00a0\u202f\u200b]+")
#: The characters of ``_SPACES`` other than " " (``\s`` is Python's ``str.isspace``); a line with
#: none of them and no "  " is left as it is by ``_SPACES.sub(" ", …)``.
_ODD_SPACE = re.compile("[\t-\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000]")
_EDGE = " .:!…»›>→|-–—*•·\u00a0\t"
_LEAD = " *•·>→-–—\u00a0\t"
#: Lines longer than this are article text, not chrome (for ``lines``, ``starts``, ``contains``).
MAX_CHROME_LINE = 200
#: Whole-line phrases are short; longer lines are not normalised for the lookup.
MAX_PHRASE_LINE = 100
#: A "Read also: <linked headline>" line may be long, but not a paragraph.
MAX_PREFIX_LINE = 300


class PhraseMatcher:
    """``match(text)``: whether ``text`` starts with one of ``phrases`` followed by what ``tail``
    matches there; what ``re.compile(f"(?:{alternation}){tail}").match`` answers, without
    compiling an alternation of every phrase on each cold start (2 ms for the two lists). Only
    the phrases that share the text's first two characters are tried (and the few shorter ones)."""

    def __init__(self, phrases, tail: re.Pattern):
        self.tail = tail
        self.by_head: dict[str, list[str]] = {}
        self.short: list[str] = []  # phrases of fewer than two characters, tried on every text
        for p in sorted(set(phrases), key=len, reverse=True):
            if len(p) >= 2:
                self.by_head.setdefault(p[:2], []).append(p)
            else:
                self.short.append(p)

    def match(self, text: str) -> bool:
        for p in self.by_head.get(text[:2], ()):
            if text.startswith(p) and self.tail.match(text, len(p)):
                return True
        for p in self.short:
            if text.startswith(p) and self.tail.match(text, len(p)):
                return True
        return False


_PREFIX_TAIL = re.compile(r"\s*(?::|\||»|>|–|—|-(?=\s))")
_START_TAIL = re.compile(r"(?!\w)")


#: How many characters of a line's head ``heads`` keeps of each prefix and start phrase.
HEAD_KEY = 4


@dataclass(frozen=True)
class PhraseLists:
    """Every language's residue phrases, merged and compiled. ``heads`` holds the first
    ``HEAD_KEY`` characters of every prefix and start phrase, ``short_heads`` the phrases shorter
    than that: a head that begins with neither can match no prefix and no start."""

    lines: frozenset[str]
    prefixes: PhraseMatcher
    starts: PhraseMatcher
    contains: tuple[str, ...]
    chrome_words: frozenset[str]
    heads: frozenset[str] = frozenset()
    short_heads: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def phrase_lists() -> PhraseLists:
    """Load and compile the residue lists of every language once."""
    lines, prefixes, starts, contains, words = set(), set(), set(), set(), set()
    for lang in available("residue"):
        data = load_json("residue", lang) or {}
        lines.update(_normalise(p) for p in data.get("lines", ()))
        prefixes.update(p.casefold() for p in data.get("prefixes", ()))
        starts.update(p.casefold() for p in data.get("starts", ()))
        contains.update(p.casefold() for p in data.get("contains", ()))
        words.update(w.casefold() for w in data.get("chrome_words", ()))
    led = prefixes | starts
    return PhraseLists(
        lines=frozenset(lines),
        prefixes=PhraseMatcher(prefixes, _PREFIX_TAIL),
        starts=PhraseMatcher(starts, _START_TAIL),
        contains=tuple(sorted(contains)),
        chrome_words=frozenset(words),
        heads=frozenset(p[:HEAD_KEY] for p in led if len(p) >= HEAD_KEY),
        short_heads=tuple(sorted(p for p in led if len(p) < HEAD_KEY)),
    )


def _squeeze(s: str) -> str:
    """Every run of spaces as one " " (most lines have none to squeeze: one search tells)."""
    return _SPACES.sub(" ", s) if "  " in s or _ODD_SPACE.search(s) else s


def _normalise(s: str) -> str:
    return _squeeze(s).strip(_EDGE).casefold()


def residue_kind(line: str) -> str | None:
    """Why a line is site chrome (``"phrase"``, ``"prefix"``, ``"start"``, ``"contains"``), or None."""
    return _residue_kind(line, phrase_lists())


def _residue_kind(line: str, lists: PhraseLists) -> str | None:
    if not line or len(line) > MAX_PREFIX_LINE + 40:
        return None
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_PREFIX_LINE:
        return None
    head = _squeeze(stripped[:80]).casefold().lstrip(_LEAD)
    if lists.prefixes.match(head):
        return "prefix"
    if len(stripped) > MAX_CHROME_LINE:
        return None
    if len(stripped) <= MAX_PHRASE_LINE and _normalise(stripped) in lists.lines:
        return "phrase"
    if lists.starts.match(head):
        return "start"
    if lists.contains:
        low = stripped.casefold()
        for c in lists.contains:
            if c in low:
                return "contains"
    return None


def line_kinds(texts: list[str]) -> list[str | None]:
    """``[residue_kind(t) for t in texts]``, for a document's lines.

    Most lines are article text, and a line whose head (lower-cased, after the lead marks)
    begins with no prefix or start phrase's first ``HEAD_KEY`` characters can only be a whole
    ``lines`` phrase or hold a ``contains`` phrase. When the line's first ``HEAD_KEY`` characters
    after its lead marks are printable (no space but " ", which ``_LEAD`` holds, so ``_squeeze``
    changes them only where they hold "  "), the head begins with them lower-cased: only the
    other lines pay for the head."""
    lists = phrase_lists()
    heads, short_heads, phrases, contains = lists.heads, lists.short_heads, lists.lines, lists.contains
    kinds = [None] * len(texts)
    limit = MAX_PREFIX_LINE + 40
    for i, t in enumerate(texts):
        if not t or len(t) > limit:
            continue
        stripped = t.strip()
        n = len(stripped)
        if not 0 < n <= MAX_PREFIX_LINE:
            continue
        key = stripped[:80].lstrip(_LEAD)[:HEAD_KEY]
        if len(key) < HEAD_KEY or "  " in key or not key.isprintable():
            kinds[i] = _residue_kind(t, lists)
            continue
        key = key.casefold()[:HEAD_KEY]
        if key in heads or (short_heads and key.startswith(short_heads)):
            kinds[i] = _residue_kind(t, lists)
        elif n <= MAX_CHROME_LINE:
            # _normalise, inline; every odd space is unprintable, so a printable line without "  "
            # is one _squeeze leaves as it is
            if n <= MAX_PHRASE_LINE and (
                (_squeeze(stripped) if "  " in stripped or not stripped.isprintable() else stripped)
                .strip(_EDGE)
                .casefold()
                in phrases
            ):
                kinds[i] = "phrase"
            elif contains:
                low = stripped.casefold()
                for c in contains:
                    if c in low:
                        kinds[i] = "contains"
                        break
    return kinds


class Lines:
    """A document's lines (what ``Document.lines`` holds) as two lists, ``starts`` and ``texts``;
    ``lines[i]`` makes line ``i``'s Span. The residue and whitespace rules read every line's text
    but few lines' Spans, and building a Span per line cost more than their own work."""

    __slots__ = ("starts", "texts")

    def __init__(self, starts: list[int], texts: list[str]):
        self.starts, self.texts = starts, texts

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, i: int) -> Span:
        start, text = self.starts[i], self.texts[i]
        return Span(start, start + len(text), text)


def document_lines(ctx: RuleContext) -> Lines:
    """The lines of the rule's document, worked out once per document. A text without "\r" is
    split on "\n" (what ``Document.lines`` does when "\n" is the only line break); otherwise
    ``Document.lines`` is read."""
    doc = ctx.doc
    text = doc.text
    cached = doc.__dict__.get("_line_lists")
    if cached is not None and cached[0] is text:
        return cached[1]
    if "\r" in text:
        spans = doc.lines
        lines = Lines([s.start for s in spans], [s.text for s in spans])
    else:
        texts = text.split("\n")
        # each line starts one character (the "\n") after the previous one ends
        lines = Lines(list(accumulate(map((1).__add__, map(len, texts[:-1])), initial=0)), texts)
    doc.__dict__["_line_lists"] = (text, lines)
    return lines


def _line_kind(ctx: RuleContext):
    """``i -> residue_kind(text of line i)``: R101's answers when it ran on this document, else
    computed on demand and remembered (R102 reads only the last lines, some of them twice)."""
    known = ctx.doc.__dict__.get("_residue_kinds")
    if known is not None:
        return known.__getitem__
    texts = document_lines(ctx).texts
    return lru_cache(maxsize=None)(lambda i: residue_kind(texts[i]))


def _content_span(lines: Lines, i: int) -> tuple[int, int]:
    """Offsets of line ``i`` without the spaces around it."""
    start, text = lines.starts[i], lines.texts[i]
    s = len(text) - len(text.lstrip())
    return start + s, start + max(s, len(text.rstrip()))


def remove_line_fix(lines: Lines, i: int) -> Fix:
    """Delete line ``i`` with its line break; when it stood alone between blank lines, take one
    of the blank lines too, so the paragraphs around it keep a single blank line between them."""
    starts, texts = lines.starts, lines.texts
    if i + 1 < len(texts):
        end = starts[i + 1]
        alone = (i == 0 or texts[i - 1] == "") and texts[i + 1] == ""
        if alone and i + 2 < len(texts):
            end = starts[i + 2]
    else:
        end = starts[i] + len(texts[i])
    return Fix((Edit(starts[i], end, ""),), Applicability.SAFE, "remove the line")


@rule(
    "R101",
    "site-chrome-line",
    severity=Severity.WARNING,
    category=Category.SOURCE_SITE_RESIDUE,
    fix=Applicability.SAFE,
    bad=[
        "Moscow began its mobilization.\n\n⟦Read Also:\u00a0 Vatican cancels Pope Francis' presence⟧\n\nThe bombing continues.",
        "The war goes on.\n\n⟦Recent Articles⟧\n\n⟦Related News⟧\n\n⟦Leave A Reply⟧\n\n⟦Please enter your comment!⟧\n⟦Please enter your name here⟧",
        "Text of the article.\n⟦Leer también: El Vaticano cancela la presencia del Papa⟧\n⟦Share on Facebook⟧\n⟦We use cookies to improve your experience.⟧",
        "Le texte.\n⟦À lire aussi : la guerre en Ukraine⟧\n⟦Lesen Sie auch: Krieg in der Ukraine⟧\n⟦Leia também: a guerra⟧",
        "Article text.\n⟦© 2022 Daily News. All rights reserved.⟧",
    ],
    good=[
        "Moscow began its mobilization.\n\nHe told readers to read also the small print.",
        "Recent articles in the journal suggest the war will last, analysts said on Thursday.",
        "The reply came late.\n\nShe said she would leave a reply on Monday.",
        "Related news came from Kyiv, where officials said the talks had failed again.",
    ],
)
def site_chrome_line(ctx: RuleContext):
    """A line of page chrome from a known phrase list: ``Read Also:``, ``Leave A Reply``, cookies.

    Cookie, share, newsletter and comment-form lines belong here too.

    What it flags: a line that is, starts with, or (for a few unmistakable phrases like "All
    rights reserved") contains a phrase of the residue lists in ``mtcheck/data/residue/<lang>.json``
    (English, Spanish, French, German, Portuguese; all lists apply whatever the target language).
    ``lines`` must equal the whole line (case, spacing and trailing punctuation ignored);
    ``prefixes`` start a line and are followed by ``:`` ``|`` ``»`` ``>`` or a dash ("Read Also:
    <headline>"); ``starts`` and ``contains`` apply to lines of at most 200 characters.

    Why it matters: scrapers keep the page's "read also" links, related-article blocks and comment
    forms. Translated along with the article, they end up in the text a reader or a model sees.

    Fix safety: safe: the whole line is removed with its line break (and one of the blank lines
    around it when it stood alone), so the article text is untouched.
    """
    lines = document_lines(ctx)
    kinds = ctx.doc.__dict__["_residue_kinds"] = line_kinds(lines.texts)
    # Only the few residue lines, picked in C (a kind is a non-empty string, None is false).
    for i in compress(range(len(kinds)), kinds):
        start, end = _content_span(lines, i)
        yield Match(start, end, f"Scraped site residue: {ctx.text[start:end][:60]!r}", remove_line_fix(lines, i))


_PROSE_END = re.compile(r"[.!?…][\"'”’»)\]]*$|[\"”»][.!?…]$")
_WORD = re.compile(r"[^\W_][\w'’&-]*")
_SMALL_WORDS = frozenset(
    "a an the of to in on for and or at by with from our your my his her its their us you we "
    "de del la las los el y e o do da dos das em no na le les des du et à au aux der die das und "
    "von zu im am mit".split()
)
_BYLINE_STARTS = frozenset("by por par von di door reporting editing photo foto photos fotos written".split())


def _at_least_words(n: int) -> re.Pattern:
    """Matches a text that holds at least ``n`` of ``_WORD``'s matches: what ``findall`` skips to
    a word, the word, ``n`` times, without making the list of every word (possessive: linear)."""
    return re.compile(r"[\W_]*+(?:[^\W_][\w'’&-]*+[\W_]*+){%d}" % n)


_TWENTY_WORDS = _at_least_words(20)
_EIGHT_WORDS = _at_least_words(8)


def _is_prose(line: str) -> bool:
    if _TWENTY_WORDS.match(line):
        return True
    return _EIGHT_WORDS.match(line) is not None and bool(_PROSE_END.search(line.rstrip()[-8:]))


def _is_short_line(line: str) -> bool:
    """A short line without sentence punctuation at its end (1–8 words), or a "Label: headline"
    line whose label has at most four words; never a byline, an address or a link."""
    s = line.strip()
    if not s or len(s) > 160 or not s[0].isalpha() or s[-1] in ".!?…;," or "@" in s or "://" in s:
        return False
    words = _WORD.findall(s)
    if not words or words[0].casefold() in _BYLINE_STARTS:
        return False
    label, colon, _ = s.partition(":")
    if colon:
        return 1 <= len(_WORD.findall(label)) <= 4
    return len(words) <= 8 and len(s) <= 80 and "," not in s


def _is_title_case_stub(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > 60 or not s[0].isalpha() or s[-1] in ".!?…;," or "," in s or "@" in s or "://" in s:
        return False
    words = _WORD.findall(s)
    if not 1 <= len(words) <= 6:
        return False
    if words[0].casefold() in _BYLINE_STARTS:
        return False
    capitalised = 0
    for w in words:
        if w[0].isupper() or w[0].isdigit():
            capitalised += 1
        elif w.casefold() not in _SMALL_WORDS:
            return False
    return capitalised > 0


@rule(
    "R102",
    "trailing-title-case-line",
    severity=Severity.WARNING,
    category=Category.SOURCE_SITE_RESIDUE,
    fix=Applicability.SAFE,
    bad=[
        "Germany said it was willing to welcome deserters from the Russian army on Thursday.\n\n⟦More From Our Network⟧\n\n⟦Editor Picks⟧",
        "The talks will resume next week in Geneva, the foreign ministry said in a statement.\n\n⟦World Cup Qualifiers⟧\n⟦Champions League Final⟧",
        "The talks will resume next week in Geneva, the ministry said in a statement.\n⟦Trending Stories⟧",
        "The talks will resume next week in Geneva, the ministry said in a statement.\n\n⟦It shares this note⟧\n\nLeave A Reply\n\n⟦Your opinion interests us⟧",
    ],
    good=[
        "Russia Begins Its Mobilization\n\nMoscow began its mobilization of additional troops on Thursday to bolster its offensive.",
        "\"voting\" of annexation\n\nThe referendums will be held from Friday to Tuesday in four regions of Ukraine.",
        "The talks will resume next week in Geneva, the ministry said in a statement.\n\nJohn Smith",
        "The talks will resume next week in Geneva, the ministry said in a statement.\n\nReporting by John Smith; Editing by Jane Doe",
        "Trending Stories",
        "The talks will resume next week in Geneva, the ministry said in a statement.\n\nThe minister was not available for comment",
    ],
)
def trailing_title_case_line(ctx: RuleContext):
    """Short lines after the article's last paragraph: navigation, link and comment blocks.

    What it flags: in the trailing block of a document (after its last prose line: at least 8
    words ending with sentence punctuation, or 20 words), lines of 1–6 words and at most 60
    characters, in Title Case (small words like "of", "de", "und" may stay lower case), without
    sentence punctuation at the end, that either contain a chrome word ("More", "Trending",
    "Picks", …; ``chrome_words`` in the residue data) or have two words or more and stand with at
    least one other such line. Only the run of such lines (and R101 residue) that ends the document
    counts: a byline, code or a table line ends the run, and lines before it are left alone. When
    that run also holds lines the phrase lists know (R101's), its other short lines without final
    punctuation (up to 8 words, or a "Label: headline" line) are flagged too, Title Case or not:
    machine-translated chrome ("It shares this news") has lost its capitals. Bylines ("By …", "Reporting by …") and a lone name
    are not flagged, nor is anything before the last paragraph: titles and section subheads come
    before the text they head.

    Why it matters: related-article titles, tag lists and menus follow the article on the page
    and are scraped with it. No phrase list can know every site's link titles; their shape and
    place give them away.

    Fix safety: safe: the whole line is removed with its line break, as for R101; the article's
    own text ends before these lines.
    """
    lines = document_lines(ctx)
    texts = lines.texts
    kind = _line_kind(ctx)
    last_prose = -1
    for i in range(len(lines) - 1, -1, -1):
        if texts[i].strip() and kind(i) is None and _is_prose(texts[i]):
            last_prose = i
            break
    if last_prose < 0:
        return
    chrome = phrase_lists().chrome_words
    # The chrome tail: the run of stub, short and residue lines that ends the document. A line of
    # any other kind (prose, a byline, code, a table) ends the run: what comes before it is left.
    stubs, shorts, has_residue = [], [], False
    for i in range(len(lines) - 1, last_prose, -1):
        text = texts[i]
        if not text.strip():
            continue
        if kind(i) is not None:
            has_residue = True
        elif _is_title_case_stub(text):
            stubs.append(i)
        elif _is_short_line(text):
            shorts.append(i)
        else:
            break
    candidates = len(stubs) + len(shorts)
    flagged = []
    for i in stubs:
        words = _WORD.findall(texts[i])
        if any(w.casefold() in chrome for w in words) or (candidates >= 2 and len(words) >= 2):
            flagged.append((i, "looks like page navigation"))
    if has_residue:
        # Beside known residue, short unpunctuated lines are more of the same page chrome.
        flagged.extend((i, "sits in the block of site chrome") for i in shorts)
    for i, why in sorted(flagged):
        start, end = _content_span(lines, i)
        yield Match(start, end, f"Short line after the article's end: {texts[i].strip()!r} {why}",
                    remove_line_fix(lines, i))
