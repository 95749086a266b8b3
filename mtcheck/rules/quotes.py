"""Quotation marks and reported speech (family Q).

Machine translation and scraping damage quotations in recognisable ways: the space after a closing
quote disappears (``it"declared``), the opening mark lands inside a noun phrase after the engine
reorders adjectives (``missiles "Russian hypersonics are …``), a fragment keeps the capital of the
source's sentence-initial word (``use "All the means"``), and the speech verb comes before its
subject with no comma (``"…"declared the head of US diplomacy``).

Every rule here reads one shared analysis, :func:`analyse_quotes`, which pairs the double quotation
marks of each paragraph. Curly quotes pair by character, using the target language's conventions
(``mtcheck/data/quoting/<lang>.json``: “…” in English, «…» in French and Spanish, „…“ and »…« in
German). The straight ``"`` is its own opening and closing mark, so its role comes from the
characters around it (a space before and a letter after opens; a letter before and a space or
punctuation after closes) and, where both sides are letters or both are spaces, from alternation
within the paragraph. A paragraph whose marks pair without conflict is *reliable*: fixes that depend
on the pairing are safe there and unsafe elsewhere. Apostrophes (``don’t``, ``Putin’s``, ``90's``)
and feet-and-inches (``5'10"``) are never quotation marks.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import NamedTuple

from mtcheck.data import available, load_json, load_lines
from mtcheck.findings import Applicability, Category, Edit, Fix, Match, Severity
from mtcheck.langid import document_words
from mtcheck.rules.base import Example, RuleContext, base_lang, rule
from mtcheck.text.patterns import trie_regex

OPEN, CLOSE, AMBIGUOUS = "open", "close", "ambiguous"

#: Language whose conventions apply when the target language is unknown or has no data.
DEFAULT_LANG = "en"

STRAIGHT = '"'
#: Every double quotation mark any language pack may use.
_DOUBLE_QUOTE = re.compile('["“”„‟«»]')
#: One pattern per mark of ``_DOUBLE_QUOTE``: a one-character literal is scanned for at memchr
#: speed, a class is tested character by character (twice as slow over a text that holds two
#: kinds of mark, which is as many as most texts hold).
_EACH_DOUBLE_QUOTE = tuple((c, re.compile(re.escape(c))) for c in '"“”„‟«»')


def double_quote_positions(text: str) -> list[int]:
    """The offsets of ``_DOUBLE_QUOTE``'s matches in ``text``, in order."""
    out: list[int] = []
    kinds = 0
    for c, pattern in _EACH_DOUBLE_QUOTE:
        if c in text:
            out += [m.start() for m in pattern.finditer(text)]
            kinds += 1
    if kinds > 1:
        out.sort()
    return out


#: ``5'10"``, ``6’ 2"``: the ``"`` is an inch mark. The digit before the feet mark is checked
#: behind it: a pattern that starts with the mark is scanned for in C, and there are fewer marks
#: than digits.
_FEET_INCHES = re.compile(r"['’′](?:(?<=\d['’′])|(?<=\d ['’′])) ?\d{1,2}(?:\.\d+)? ?(\")")
#: Characters after which a straight quote reads as opening, and before which it reads as closing.
_OPEN_CONTEXT = frozenset("([{<—–/‘“«„‚¡¿")
_CLOSE_CONTEXT = frozenset(".,;:!?…)]}>—–/’”»'")
_SENTENCE_PUNCT = frozenset(".,;:!?…")
_WORD_AT = re.compile(r"\w[\w’'-]*")
_WORD_BEFORE = re.compile(r"(\w[\w’'-]*)\W*$")
_WORDS = re.compile(r"\w[\w’'-]*")
_GLUED_WORD = re.compile(r"\w+")


class QuoteMark(NamedTuple):
    """One double quotation mark and its role.

    ``partner`` is the offset of the matching mark, or -1 when the mark is unmatched. ``reliable``
    tells whether the marks of its paragraph (or line) paired without conflict; ``unit_start`` is
    where that paragraph (or line) starts.
    """

    pos: int
    char: str
    role: str
    partner: int
    reliable: bool
    unit_start: int


@dataclass(frozen=True)
class QuoteAnalysis:
    """Every double quotation mark of a text, by offset, and the unmatched ones worth reporting.
    ``opening`` and ``closing`` are ``marks`` of each role, in order: most Q rules read the marks
    of one role only."""

    marks: tuple[QuoteMark, ...]
    unbalanced: tuple[QuoteMark, ...]
    unmatched_singles: tuple[int, ...]
    opening: tuple[QuoteMark, ...] = ()
    closing: tuple[QuoteMark, ...] = ()

    def by_pos(self) -> dict[int, QuoteMark]:
        return {m.pos: m for m in self.marks}


@dataclass(frozen=True)
class Conventions:
    """A target language's quotation conventions and the word lists the Q rules read."""

    lang: str
    openers: dict
    closers: frozenset
    single_pairs: tuple
    subject_starters: frozenset
    non_subjects: frozenset
    finite_verbs: frozenset
    auxiliaries: frozenset
    determiners: frozenset
    function_words: frozenset
    introducers: frozenset
    capital_exempt: frozenset
    boundary_adjectives: frozenset
    boundary_skip: frozenset
    demonyms: frozenset
    speech_verbs: re.Pattern | None


@lru_cache(maxsize=None)
def conventions(lang: str | None) -> Conventions:
    """The conventions for ``lang`` (falling back to English when there is no data for it)."""
    key = base_lang(lang, DEFAULT_LANG)
    data = load_json("quoting", key)
    if data is None:
        key, data = DEFAULT_LANG, load_json("quoting", DEFAULT_LANG)
    openers: dict[str, tuple[str, ...]] = {}
    for o, c in data.get("pairs", []):
        openers[o] = openers.get(o, ()) + (c,)
    closers = frozenset(c for _, c in data.get("pairs", []))
    verbs = load_lines("speech_verbs", key)
    speech = None
    if verbs:
        # Factored as a trie: a flat alternation tries its ninety verbs one by one. Verbs that can
        # match at the same place lie on one branch, so the longest is still tried first.
        speech = re.compile(r"(?:" + trie_regex(verbs) + r")(?![\w’'-])")

    def words(name: str) -> frozenset:
        return frozenset(w.lower() for w in data.get(name, ()))

    return Conventions(
        lang=key,
        openers=openers,
        closers=closers,
        single_pairs=tuple(tuple(p) for p in data.get("single_pairs", [])),
        subject_starters=words("subject_starters"),
        non_subjects=words("non_subjects"),
        finite_verbs=words("finite_verbs"),
        auxiliaries=words("auxiliaries"),
        determiners=words("determiners"),
        function_words=words("capitalised_function_words"),
        introducers=words("introducers") | frozenset(v.lower() for v in verbs if " " not in v),
        capital_exempt=words("capital_exempt"),
        boundary_adjectives=words("moved_boundary_adjectives"),
        boundary_skip=words("moved_boundary_skip"),
        demonyms=frozenset(load_lines("demonyms", key)),
        speech_verbs=speech,
    )


# -- pairing ---------------------------------------------------------------------------------------


def _straight_role(text: str, p: int, start: int, end: int) -> str:
    left = text[p - 1] if p > start else ""
    right = text[p + 1] if p + 1 < end else ""
    left_open = left == "" or left.isspace() or left in _OPEN_CONTEXT
    right_close = right == "" or right.isspace() or right in _CLOSE_CONTEXT
    if left_open and not right_close:
        return OPEN
    if right_close and not left_open:
        return CLOSE
    if left in _SENTENCE_PUNCT and right.isalnum():
        return CLOSE  # ,"said
    return AMBIGUOUS


def _pair(text: str, positions: list[int], start: int, end: int, conv: Conventions):
    """Pair the marks at ``positions`` (all inside ``text[start:end]``).

    Returns ``(roles, problems)``: ``roles`` maps an offset to ``[role, partner]``; ``problems``
    lists offsets of marks that could not be paired.
    """
    roles: dict[int, list] = {}
    problems: list[int] = []
    straight_open = -1
    last_pair = (-1, -1)  # the last straight pair, in case its closing mark was an inch mark
    stack: list[tuple[int, tuple[str, ...]]] = []
    for p in positions:
        c = text[p]
        if c == STRAIGHT:
            role = _straight_role(text, p, start, end)
            if role == AMBIGUOUS:
                role = OPEN if straight_open < 0 else CLOSE
            if role == OPEN:
                if straight_open >= 0:
                    problems.append(straight_open)
                straight_open = p
                roles[p] = [OPEN, -1]
            elif straight_open >= 0:
                roles[straight_open][1] = p
                roles[p] = [CLOSE, straight_open]
                last_pair = (straight_open, p)
                straight_open = -1
            elif p > start and text[p - 1].isdigit():
                continue  # 12" is an inch mark, not a stray closing quote
            elif last_pair[1] > start and text[last_pair[1] - 1].isdigit():
                # "The boat is 32" long," he said: the earlier mark was an inch mark
                o, inch = last_pair
                del roles[inch]
                roles[o][1] = p
                roles[p] = [CLOSE, o]
                last_pair = (-1, -1)
            else:
                roles[p] = [CLOSE, -1]
                problems.append(p)
            continue
        if stack and c in stack[-1][1]:
            o = stack.pop()[0]
            roles[o][1] = p
            roles[p] = [CLOSE, o]
        elif c in conv.openers:
            stack.append((p, conv.openers[c]))
            roles[p] = [OPEN, -1]
        elif c in conv.closers:
            # nesting deeper than a few levels is noise: look no further, which keeps this linear
            depth = next((i for i in range(len(stack) - 1, max(-1, len(stack) - 9), -1) if c in stack[i][1]), -1)
            if depth < 0:
                roles[p] = [CLOSE, -1]
                problems.append(p)
            else:
                for o, _ in stack[depth + 1 :]:
                    problems.append(o)
                o = stack[depth][0]
                del stack[depth:]
                roles[o][1] = p
                roles[p] = [CLOSE, o]
    if straight_open >= 0:
        problems.append(straight_open)
    problems.extend(o for o, _ in stack)
    return roles, sorted(problems)


def _unmatched_singles(text: str, start: int, end: int, single_pairs) -> list[int]:
    """Opening single quotes (‘) with no closing ’ after them in the block. A ’ counts as closing
    only when no letter follows it, so apostrophes (don’t) never close anything."""
    out = []
    for o, c in single_pairs:
        pos = text.find(o, start, end)
        if pos < 0:
            continue
        # the last closing-capable mark of the block: any opener before it has a partner
        last_close = -1
        q = text.rfind(c, pos, end)
        while q > pos:
            if q + 1 >= end or not text[q + 1].isalnum():
                last_close = q
                break
            q = text.rfind(c, pos, q)
        while 0 <= pos:
            left = text[pos - 1] if pos > start else " "
            right = text[pos + 1] if pos + 1 < end else ""
            if (left.isspace() or left in _OPEN_CONTEXT or left == STRAIGHT) and right.isalpha() and last_close < pos:
                out.append(pos)
            pos = text.find(o, pos + 1, end)
    return out


@lru_cache(maxsize=8)
def analyse_quotes(text: str, blocks: tuple[tuple[int, int], ...], lang: str | None) -> QuoteAnalysis:
    """Pair the double quotation marks of ``text`` within each block (paragraph).

    A block that does not pair cleanly but has several lines is also tried line by line (scraped
    text often keeps one paragraph per line); the reading with fewer unpaired marks wins. An
    unclosed quotation whose paragraph is followed by one that opens with a quotation mark is the
    usual multi-paragraph quotation, not an error.
    """
    conv = conventions(lang)
    all_pos = double_quote_positions(text)
    inches = _inch_marks(text) if STRAIGHT in text else None
    if inches:
        all_pos = [p for p in all_pos if p not in inches]
    starts = [s for s, _ in blocks]
    per_block: dict[int, list[int]] = {}
    for p in all_pos:
        i = bisect.bisect_right(starts, p) - 1
        if i >= 0 and p < blocks[i][1]:
            per_block.setdefault(i, []).append(p)
    marks: list[QuoteMark] = []
    unbalanced: list[QuoteMark] = []
    singles: list[int] = []
    # Single quotes are looked for block by block; most texts have no opening ‘ at all, and then
    # only the blocks with double marks are visited.
    single_pairs = tuple(pair for pair in conv.single_pairs if pair[0] in text)
    for i in range(len(blocks)) if single_pairs else sorted(per_block):
        bs, be = blocks[i]
        if single_pairs:
            singles.extend(_unmatched_singles(text, bs, be, single_pairs))
        positions = per_block.get(i)
        if not positions:
            continue
        roles, problems = _pair(text, positions, bs, be, conv)
        if not problems:  # most blocks: every mark paired, none to report
            marks += [_new_mark(QuoteMark, (p, text[p], rp[0], rp[1], True, bs)) for p, rp in roles.items()]
            continue
        groups = [(roles, problems, bs)]
        if problems and text.find("\n", bs, be) >= 0:
            line_problems = 0
            line_groups = []
            k = 0
            ls = bs
            while ls < be and k < len(positions):
                le = text.find("\n", ls, be)
                le = be if le < 0 else le
                lp = []
                while k < len(positions) and positions[k] < le:
                    lp.append(positions[k])
                    k += 1
                if lp:
                    r, pr = _pair(text, lp, ls, le, conv)
                    line_problems += len(pr)
                    line_groups.append((r, pr, ls))
                ls = le + 1
            if line_problems < len(problems):
                groups = line_groups
        block_marks = []
        for r, pr, us in groups:
            reliable = not pr
            # ``r`` holds its marks in the order of their offsets (_pair adds each as it reads it)
            block_marks += [_new_mark(QuoteMark, (p, text[p], rp[0], rp[1], reliable, us)) for p, rp in r.items()]
        marks.extend(block_marks)
        bad = {p for _, pr, _ in groups for p in pr}
        for m in block_marks:
            if m.pos not in bad:
                continue
            if m.role == OPEN and m is block_marks[-1] and _next_block_opens(text, blocks, i, conv):
                continue
            unbalanced.append(m)
    return QuoteAnalysis(
        tuple(marks),
        tuple(unbalanced),
        tuple(sorted(singles)),
        tuple([m for m in marks if m.role == OPEN]),
        tuple([m for m in marks if m.role == CLOSE]),
    )


#: ``QuoteMark(*fields)`` without the named tuple's own ``__new__`` (a Python function).
_new_mark = tuple.__new__


#: A straight quote after a digit, or after a digit and a space: where an inch mark may end. The
#: digit is checked behind the mark, so the text is scanned for the mark in C.
_AFTER_DIGIT = re.compile(r'"(?:(?<=\d")|(?<=\d "))')


def _inch_marks(text: str) -> set[int]:
    """The straight quotes of ``text`` that end a feet-and-inches match (``5'10"``).

    Each is checked where its match would start: before the ``"`` (and one space), the run of
    digits and dots, one space, the feet mark. A match holds no other ``"``, so matches cannot
    overlap and these are the marks ``_FEET_INCHES.finditer`` would end on; only a ``"`` after a
    digit is looked at."""
    out = set()
    for mark in _AFTER_DIGIT.finditer(text):
        p = mark.start()
        j = p - 1
        if text[j] == " ":
            j -= 1
        while j >= 0 and (text[j].isdecimal() or text[j] == "."):
            j -= 1
        if j >= 0 and text[j] == " ":
            j -= 1
        if j >= 0:
            m = _FEET_INCHES.match(text, j)
            if m and m.start(1) == p:
                out.add(p)
    return out


def _next_block_opens(text: str, blocks, i: int, conv: Conventions) -> bool:
    if i + 1 >= len(blocks):
        return False
    c = text[blocks[i + 1][0]]
    return c == STRAIGHT or c in conv.openers


def quote_analysis(ctx: RuleContext) -> QuoteAnalysis:
    """The shared quotation analysis for a rule's document and target language (kept on the
    document: seven rules ask for it)."""
    cache = ctx.doc.__dict__.setdefault("_quote_analysis", {})
    hit = cache.get(ctx.target_lang)
    if hit is None:
        blocks = tuple([(p.start, p.end) for p in ctx.paragraphs])
        # analyse_quotes' own cache is for callers without a document: hashing the text's
        # blocks for it cost more than a document gains (it is asked once per document here)
        hit = cache[ctx.target_lang] = analyse_quotes.__wrapped__(ctx.text, blocks, ctx.target_lang)
    return hit


def _fix(edit: Edit, reliable: bool, description: str) -> Fix:
    return Fix((edit,), Applicability.SAFE if reliable else Applicability.UNSAFE, description)


def _sentence_start_before(text: str, pos: int, block_start: int) -> bool:
    """Whether nothing but a sentence boundary precedes ``pos`` (skipping spaces)."""
    i = pos - 1
    while i >= block_start and text[i] in " \t\u00a0":
        i -= 1
    if i < block_start or text[i] in ".!?…:-*•–—":
        return True
    if text[i] in "\n\r":
        # a new line: a list item or a new paragraph-like line, unless the line before wraps
        while i >= block_start and text[i].isspace():
            i -= 1
        return i < block_start or not (text[i].isalnum() or text[i] in ",;")
    return False


# -- Q101 ------------------------------------------------------------------------------------------

_CLEAN_QUOTES = [
    'Residents lined up at water trucks. "We have been through this before, and we will get through it '
    'again," said Olena Marchenko, 58. Her neighbour added: "The hardest part is the elevators."',
    "“Every system we receive saves a city’s lights,” he said in his nightly address.",
    'The centre-back, listed at 6\'4" (some programmes say 5\'10"), called it "a night to forget" — '
    'and the coach agreed.',
    "Critics called the plan “unworkable”; supporters said it was ‘a start’. Don’t expect a vote before "
    "the ’90s-style budget rules expire.",
    'The minister said: "We will not accept this."\n\n"Nor will we," the opposition leader replied.',
]


@rule(
    "Q101",
    "glued-closing-quote",
    severity=Severity.ERROR,
    category=Category.FLUENCY,
    fix=Applicability.SAFE,
    bad=[
        'Blinken spoke at the UN. "We cannot let President Putin get away with it⟦"declared⟧ the head of '
        "US diplomacy.",
        '"The vote starts tomorrow and nothing can stop it⟦"Vladimir⟧ Saldo told Russian television.',
        'The vote would be held "in front of the houses⟦"for⟧ four days and on "the last day⟦"on⟧ '
        "September 27.",
        "“I don’t want to die in this war⟦”he⟧ said.",
        "Il a parlé de « guerre fratricide ⟦»et⟧ a quitté la salle.",
    ],
    good=[
        *_CLEAN_QUOTES,
        "Kyiv's mayor said the city was ready.",
        '"We cannot let him get away with it," declared the minister.',
    ],
)
def glued_closing_quote(ctx: RuleContext):
    """A closing quotation mark followed directly by a letter or digit.

    What it flags:
        ``"…get away with it"declared``: the space after a closing quote is missing, so the
        quotation runs into the next word. Which ``"`` closes is decided by pairing the marks of the
        paragraph (see the module documentation).

    Why it matters:
        Scrapers and machine-translation pipelines drop the space (and often the comma) between a
        quotation and the narration around it. Readers stumble, and spell checkers and search see
        a non-word such as ``it"declared``.

    Example:
        Bad: ``"The vote starts tomorrow"Vladimir Saldo said.``
        Good: ``"The vote starts tomorrow," Vladimir Saldo said.``

    Fix safety:
        Inserting a space after the quote is safe when the paragraph's quotation marks pair without
        conflict; in a paragraph with unbalanced straight quotes the role of a ``"`` is a guess, so
        the fix is marked unsafe there.
    """
    text = ctx.text
    for m in quote_analysis(ctx).closing:
        after = m.pos + 1
        if after >= len(text) or not text[after].isalnum():
            continue
        word = _GLUED_WORD.match(text, after)
        end = word.end() if word else after + 1
        yield Match(
            m.pos,
            end,
            f"closing quotation mark glued to {text[after:end]!r}: insert a space",
            fix=_fix(Edit(after, after, " "), m.reliable, "insert a space after the closing quote"),
        )


# -- Q102 ------------------------------------------------------------------------------------------

_STRING_PREFIXES = frozenset({"r", "b", "f", "u", "rb", "br", "rf", "fr"})


@rule(
    "Q102",
    "glued-opening-quote",
    severity=Severity.ERROR,
    category=Category.FLUENCY,
    fix=Applicability.SAFE,
    bad=[
        'The spokesman ⟦said"⟧we will respond" and left the room.',
        "Zelensky urged the world to ⟦punish“⟧ Russia” in his speech.",
        'He called it ⟦a"⟧fratricidal war".',
    ],
    good=[
        *_CLEAN_QUOTES,
        'He said "no" and "yes"/"maybe" in one breath.',
        'The pattern r"(\\w)+" matches "abc" and b"x" is bytes.',
    ],
)
def glued_opening_quote(ctx: RuleContext):
    """An opening quotation mark glued to the word before it.

    What it flags:
        ``said"we will respond"``: the opening quote has no space before it, so the previous word
        and the quotation run together.

    Why it matters:
        Like a glued closing quote, it is a typical scraping or machine-translation artifact; it
        also confuses tools that pair quotes by the spaces around them.

    Fix safety:
        Inserting a space before the quote is safe when the paragraph's quotation marks pair
        without conflict, unsafe otherwise.
    """
    text = ctx.text
    for m in quote_analysis(ctx).opening:
        if m.pos == 0 or not text[m.pos - 1].isalnum():
            continue
        w = _WORD_BEFORE.search(text, max(0, m.pos - 40), m.pos)
        start = w.start(1) if w else m.pos - 1
        if m.char == STRAIGHT and text[start : m.pos].lower() in _STRING_PREFIXES:
            continue  # r"\w+", b"…", f"…": a string literal in code, not prose
        yield Match(
            start,
            m.pos + 1,
            f"opening quotation mark glued to {text[start:m.pos]!r}: insert a space",
            fix=_fix(Edit(m.pos, m.pos, " "), m.reliable, "insert a space before the opening quote"),
        )


# -- Q103 ------------------------------------------------------------------------------------------


@rule(
    "Q103",
    "unbalanced-quotes",
    severity=Severity.WARNING,
    category=Category.FLUENCY,
    bad=[
        'The minister said the vote was ⟦"⟧a farce and left.',
        'He said the vote was a farce⟦"⟧ and left. "It was quick," an aide added.',
        "Critics called the plan ⟦“⟧unworkable and too costly.",
        "She described it as ⟦‘⟧a disaster from start to finish.",
    ],
    good=[
        *_CLEAN_QUOTES,
        '"The first thing we did was count the boats. Then we counted the people.\n\n'
        '"After that, we waited for the coastguard," the skipper said.',
        "The pitch is 105 by 68 metres and the TV is 55\" wide.",
        '"The boat is 32" long and older than me," he said.',
    ],
)
def unbalanced_quotes(ctx: RuleContext):
    """A quotation mark without a partner in its paragraph.

    What it flags:
        An opening quote that is never closed, or a closing quote that closes nothing, within a
        paragraph (or, for text with one paragraph per line, within a line). An opening single
        quote ‘ with no closing ’ is flagged too; a ’ followed by a letter is an apostrophe and
        never counts. A quotation that continues into the next paragraph, which opens with a
        quotation mark again (the English convention), is not flagged, nor is an inch mark
        (``55"``, ``5'10"``).

    Why it matters:
        A lost quote leaves the reader unsure where reported speech ends, which changes who is
        said to have said what. Scraped machine translation often loses one mark of a pair.
    """
    analysis = quote_analysis(ctx)
    for m in analysis.unbalanced:
        kind = "opening" if m.role == OPEN else "closing"
        other = "closed" if m.role == OPEN else "opened"
        yield Match(m.pos, m.pos + 1, f"{kind} quotation mark {m.char} is never {other} in this paragraph")
    for p in analysis.unmatched_singles:
        yield Match(p, p + 1, f"opening quotation mark {ctx.text[p]} is never closed in this paragraph")


# -- Q104 ------------------------------------------------------------------------------------------

_NOUN_BEFORE = re.compile(r"(?:(\w[\w’'-]*)[ \t]+)?([a-z][a-z’'-]*s)[ \t]$")
_NOUN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz’'-")


def _noun_before(text: str, start: int, end: int) -> re.Match | None:
    r"""``_NOUN_BEFORE.search(text, start, end)``, tried only where a match can start.

    A match ends at ``end`` and holds nothing but the noun's ``[a-z’'-]`` run before the last
    character, the ``[ \t]`` run before that and the ``[\w’'-]`` run before that (the word), so
    it starts no earlier than that word's run: the search starts there instead of trying every
    position of the window (the pattern has no lookbehind, so where it starts changes nothing
    else)."""
    j = end - 1
    while j > start and text[j - 1] in _NOUN_CHARS:
        j -= 1
    k = j
    while k > start and text[k - 1] in " \t":
        k -= 1
    w = k
    if k < j:
        while w > start and (text[w - 1].isalnum() or text[w - 1] in "_’'-"):  # \w is str.isalnum or _
            w -= 1
    return _NOUN_BEFORE.search(text, w, end)
_SUBJECT_PRONOUNS = frozenset({"he", "she", "it", "who", "that", "which", "they", "we", "i", "you", "one"})


#: Up to four words after an opening quote: adjective(s), noun, auxiliary.
_FOUR_WORDS = re.compile(r"([A-Za-z][a-z-]*) ([A-Za-z][a-z-]*) ([a-z][a-z-]*)(?: ([a-z]+))?(?![\w’'-])")


def _moved_phrase(conv: Conventions, m: re.Match) -> tuple[int, str, str] | None:
    """``(group of the noun, adjectives, noun)`` when the words after the quote read as
    adjective(s) + noun + auxiliary verb, else None."""

    def adjective(w: str) -> bool:
        return w in conv.demonyms or w.lower() in conv.boundary_adjectives

    w1, w2, w3, w4 = m.groups()
    if not adjective(w1):
        return None
    if w3 in conv.auxiliaries and w2.islower():
        return 2, w1, w2
    if w4 and w4 in conv.auxiliaries and adjective(w2) and w3.islower():
        return 3, f"{w1} {w2}", w3
    return None


@rule(
    "Q104",
    "moved-quote-boundary",
    severity=Severity.WARNING,
    category=Category.FLUENCY,
    targets={"en"},
    bad=[
        'He said his country was ready: ⟦missiles "Russian hypersonics⟧ are capable of reaching their '
        'targets much faster" than Western weapons.',
        "Officials said the ⟦drones “Iranian kamikaze⟧ are cheap to build” and hard to stop.",
        'The ⟦weapons "new ballistic⟧ can reach Europe," the general said.',
    ],
    good=[
        *_CLEAN_QUOTES,
        'He called the missiles "Russian hypersonics" and said they are fast.',
        'Protesters held signs "Russian soldiers are war criminals" outside the embassy.',
        'The missiles, "Russian hypersonics are capable of anything," he said, were ready.',
        'Putin’s war "extinguishes Ukraine’s right to exist", Biden said.',
    ],
)
def moved_quote_boundary(ctx: RuleContext):
    """An opening quote inside a noun phrase: the quotation starts between a noun and its adjectives.

    What it flags:
        A plural noun, then an opening quote whose quotation starts with a nationality or another
        adjective and a noun that belong to that noun phrase, and then a verb of the quoted clause:
        ``missiles "Russian hypersonics are capable …``. The Spanish ``misiles "hipersónicos rusos
        son capaces …`` had the quote after the noun; reordering the adjectives in English left the
        mark in the middle of the phrase. Nouns that announce a quotation (signs, slogans, words,
        headlines…) are not flagged.

    Why it matters:
        The quotation boundary decides what the speaker is reported to have said. A mark inside a
        noun phrase attributes half a phrase to the speaker and makes the sentence ungrammatical.

    Example:
        Bad: ``missiles "Russian hypersonics are capable of reaching …"``
        Good: ``"Russian hypersonic missiles are capable of reaching …"``
    """
    conv = conventions(ctx.target_lang)
    if not conv.demonyms or not conv.auxiliaries:
        return
    text = ctx.text
    for m in quote_analysis(ctx).opening:
        if m.pos < 5 or text[m.pos - 1] not in " \t" or text[m.pos - 2] != "s":
            continue
        before = _noun_before(text, max(0, m.pos - 60), m.pos)
        if not before:
            continue
        prev, noun = (before.group(1) or "").lower(), before.group(2)
        if (
            len(noun) < 4
            or noun.endswith(("ss", "us", "is", "'s", "’s"))
            or noun in conv.boundary_skip
            or noun in conv.introducers
            or noun in conv.function_words
            or prev in _SUBJECT_PRONOUNS
        ):
            continue
        after = _FOUR_WORDS.match(text, m.pos + 1)
        found = _moved_phrase(conv, after) if after else None
        if not found:
            continue
        group, adjs, inner = found
        if inner in conv.function_words or inner in conv.auxiliaries or inner in conv.determiners:
            continue
        if 0 <= m.partner < after.end(group + 1):
            continue  # the quotation closed before its verb: a quoted term, not a moved boundary
        yield Match(
            before.start(2),
            after.end(group),
            f"the opening quote splits the noun phrase {noun!r} … {adjs} {inner!r}: "
            "the quotation probably starts before the noun or after the adjectives",
        )


# -- Q105 ------------------------------------------------------------------------------------------

_CAPITALISED = re.compile(r"[A-Z][a-z’'-]*(?![\w])")
_SPACED_WORD_BEFORE = re.compile(r"(\w[\w’'-]*)\s+$")


def _spaced_word_before(text: str, start: int, end: int) -> re.Match | None:
    """``_SPACED_WORD_BEFORE.search(text, start, end)``, from where a match can start: a match is
    a word and then spaces up to ``end``, so it starts in the run of word characters before the
    run of spaces that ends there (read backwards), not at every position of the window."""
    i = end
    while i > start and text[i - 1].isspace():
        i -= 1
    while i > start and (text[i - 1].isalnum() or text[i - 1] in "_’'-"):  # \w is str.isalnum or _
        i -= 1
    return _SPACED_WORD_BEFORE.search(text, i, end)


def _proper_elsewhere(text: str, word: str) -> bool:
    r"""Whether ``word`` appears capitalised after a lower-case word elsewhere (a proper noun):
    ``[a-z,;] ["“]?word\b``. Looked up in the runs of word characters that follow such a word in
    the text (:func:`_runs_after_lower`): one pass over the text, however many quotations ask."""
    if _WORD_RUN.fullmatch(word) is None:  # not a run of word characters: search for it
        w = re.escape(word)
        return re.search(rf"{w}(?:(?<=[a-z,;] {w})|(?<=[a-z,;] [\"“]{w}))\b", text) is not None
    return word in _runs_after_lower(text)


def _lower_elsewhere(text: str, word: str) -> bool:
    r"""Whether ``word`` appears in lower case, as a whole word, in ``text``: neither a word
    character, an apostrophe nor a hyphen on either side. Looked up in the text's maximal runs of
    those characters (:func:`_bounded_words`): one pass over the text, however many quotations
    ask (a search of the whole text per quoted word made a text of many quotations quadratic)."""
    w = word.lower()
    if _BOUNDED_RUN.fullmatch(w) is None:  # not such a run: search for it
        w = re.escape(w)
        return re.search(rf"{w}(?<![\w’'-]{w})(?![\w’'-])", text) is not None
    return w in _bounded_words(text)


def _may_be_lower_elsewhere(doc, low: str) -> bool:
    """False when :func:`_lower_elsewhere` must be false for a word whose lower case is ``low``,
    told from the document's letter runs (:func:`mtcheck.langid.document_words`, worked out once
    per document and shared with other rules) instead of collecting the text's bounded runs.
    A lower-case run of ASCII letters that is a bounded run has no word character on either
    side, so no letter either: it is also a letter run."""
    return not (low.isascii() and low.isalpha()) or low in document_words(doc)


_WORD_RUN = re.compile(r"\w+")
_BOUNDED_RUN = re.compile(r"[\w’'-]+")
#: A word character run after ``[a-z,;] `` and an optional opening quote. The lookahead consumes
#: only the two characters before it, so runs after consecutive lower-case words are all found.
_AFTER_LOWER = re.compile(r"[a-z,;] (?=[\"“]?(\w+))")


@lru_cache(maxsize=8)
def _bounded_words(text: str) -> frozenset[str]:
    """The maximal runs of word characters, apostrophes and hyphens in ``text``."""
    return frozenset(_BOUNDED_RUN.findall(text))


@lru_cache(maxsize=8)
def _runs_after_lower(text: str) -> frozenset[str]:
    """The runs of word characters that follow ``[a-z,;] `` and an optional ``"`` or ``“``."""
    return frozenset(_AFTER_LOWER.findall(text))


@rule(
    "Q105",
    "capitalised-quote-fragment",
    severity=Severity.WARNING,
    category=Category.FLUENCY,
    fix=Applicability.UNSAFE,
    targets={"en"},
    bad=[
        'Putin said he was willing to use ⟦"All the means"⟧ of his arsenal against the West.',
        "The ministry promised ⟦“The necessary support”⟧ to the families.",
        'They held ⟦"Absolutely illegal"⟧ referendums.',
    ],
    good=[
        *_CLEAN_QUOTES,
        'Biden said: "All options are on the table."',
        'He said, "All of us will pay for this."',
        'Protesters chanted "No to war" and "We want peace" outside the Duma.',
        'She reviewed the film "All the President’s Men" for the paper.',
        'The city is known as "The Venice of the North" by tourists.',
        'Analysts expect "Russian troops" to regroup; "Ukraine" was the answer.',
        '"All the means" is a phrase he uses often.',
    ],
)
def capitalised_quote_fragment(ctx: RuleContext):
    """A quoted fragment in mid-sentence that starts with a capitalised common word.

    What it flags:
        ``willing to use "All the means" of his arsenal``: the quotation is a fragment inside the
        sentence, yet its first word keeps a capital. Flagged when the first word is a function
        word (all, the, of, …) or a word the document also uses in lower case and never as a name.
        Not flagged: proper nouns and nationalities, the pronoun I, quotations at the start of a
        sentence or after ``said:``/``said,`` or a verb of saying, full sentences (ending in ``.``,
        ``!`` or ``?``), titles (Title Case, or after words such as ``film``, ``called``, ``as``).

    Why it matters:
        Translation engines translate a quotation as if it began a sentence, so the source's
        capital survives in the middle of the English sentence. Editors lower-case it.

    Fix safety:
        Lower-casing the first letter is unsafe: the word may be a name or a title the rule does not
        know.
    """
    conv = conventions(ctx.target_lang)
    text = ctx.text
    analysis = quote_analysis(ctx)
    for m in analysis.opening:
        if m.partner < 0:
            continue
        first = _CAPITALISED.match(text, m.pos + 1)
        if not first:
            continue
        word = first.group()
        low = word.lower()
        if low in conv.capital_exempt:
            continue
        bs = m.unit_start
        if _sentence_start_before(text, m.pos, bs):
            continue
        prev = text[m.pos - 1] if m.pos > bs else ""
        if prev and not prev.isspace() and not prev.isalnum():
            continue  # after a comma, dash, bracket or another quote
        before = _spaced_word_before(text, max(bs, m.pos - 40), m.pos)
        if not before or not before.group(1)[0].islower() or before.group(1).lower() in conv.introducers:
            continue
        content = text[m.pos + 1 : m.partner].rstrip()
        if not content or content[-1] in ".!?…":
            continue
        words = _WORDS.findall(content)
        rest = [w for w in words[1:] if w.lower() not in conv.function_words]
        if len(words) < 2 or not any(w[0].islower() for w in words[1:]):
            continue
        if rest and sum(1 for w in rest if w[0].isupper()) * 2 >= len(rest):
            continue  # Title Case: a title or a name
        common = low in conv.function_words or (
            _may_be_lower_elsewhere(ctx.doc, low) and _lower_elsewhere(text, word) and not _proper_elsewhere(text, word)
        )
        if not common:
            continue
        yield Match(
            m.pos,
            m.partner + 1,
            f"quoted fragment in mid-sentence starts with a capital ({word!r}): lower-case it",
            fix=Fix(
                (Edit(first.start(), first.start() + 1, word[0].lower()),),
                Applicability.UNSAFE,
                f"lower-case {word!r}",
            ),
        )


# -- Q106 ------------------------------------------------------------------------------------------

_CLAUSE = re.compile(r"[^.;:!?,\"“”«»„()\n]*")
_SPACES = re.compile(r"[ \u00a0]{0,2}")
_COMMA_AFTER = re.compile(r"[ \u00a0]{0,2},[ \u00a0]{0,2}")


#: Words that end a post-verbal subject noun phrase ("the commander | in Toledo").
_SUBJECT_STOPS = frozenset(
    "in at on during before after from with for to into by that who which whose where when while and but as "
    "because although since until".split()
)


def _has_words(text: str, start: int, end: int, n: int) -> bool:
    """Whether ``text[start:end]`` holds at least ``n`` of ``_WORDS``' matches (read up to the
    ``n``-th, not through a whole quotation)."""
    return len(list(islice(_WORDS.finditer(text, start, end), n))) == n


def _subject_end(words: list, start: int = 0, limit: int = 10) -> int:
    """End offset of the subject noun phrase among ``words`` (regex matches), from index ``start``."""
    end = words[start].end()
    for k in range(start + 1, min(len(words), start + limit)):
        if words[k].group().lower() in _SUBJECT_STOPS:
            break
        end = words[k].end()
    return end


@rule(
    "Q106",
    "speech-verb-inversion",
    severity=Severity.WARNING,
    category=Category.FLUENCY,
    targets=available("speech_verbs"),
    bad=[
        Example('"We cannot let President Putin get away with it"⟦declared the head of US diplomacy⟧.',
                target_lang="en"),
        Example('Many prisoners "need psychological rehabilitation"⟦said several senior officials⟧ in Kyiv.',
                target_lang="en"),
        Example('"The referendums are a sham" ⟦added the British foreign secretary⟧.', target_lang="en"),
        Example('"The wind changes every few hours", ⟦explained to the journalists the commander of the civil '
                "defence⟧, António Nunes.", target_lang="en"),
        Example('"Nobody will be abandoned", ⟦ensured⟧.', target_lang="en"),
        Example('"We must talk," ⟦affirmed the conservative candidate⟧ in Toledo.', target_lang="en"),
        Example("Rescuers saved 300 people near Lampedusa, ⟦informed the local authorities⟧.", target_lang="en"),
        Example("« Nous ne céderons pas » ⟦a déclaré le ministre⟧.", target_lang="fr"),
        Example("„Wir werden nicht nachgeben“ ⟦sagte der Minister⟧.", target_lang="de"),
        Example("«Non cederemo» ⟦ha detto il ministro⟧.", target_lang="it"),
    ],
    good=[
        *(Example(t, target_lang="en") for t in _CLEAN_QUOTES),
        *(
            Example(t, target_lang="en")
            for t in (
                '"We cannot let President Putin get away with it," said the head of US diplomacy.',
                '"It was a very difficult decision", said the coach at a press conference.',
                '"Will it hold?" asked the reporter. "We will win!" added the coach.',
                '"The United States have been covering up the crimes of the Kyiv regime"Lavrov replied.',
                '"The vote starts tomorrow and nothing can stop it"Vladimir Saldo told Russian television.',
                'The word "sorry" said it all.',
                'The "experts" said the evidence was weak.',
                'Her answer, "we will see" said nothing at all.',
                '"We are ready," he said in a statement.',
                "The ferry sank near Lampedusa, said the coastguard.",
                'The word "woke" has been weaponised, argues the author. "It meant something," she writes.',
                "The data were sent to Brussels, reported the agency in its weekly bulletin on Monday and again on "
                "Tuesday after a long delay.",
            )
        ),
        Example("« Nous ne céderons pas », a déclaré le ministre.", target_lang="fr"),
        Example("„Wir werden nicht nachgeben“, sagte der Minister.", target_lang="de"),
        Example("«No cederemos», declaró a los periodistas el ministro.", target_lang="es"),
        Example("«Es un “momento histórico”», dijo.", target_lang="es"),
        Example("«Não vamos ceder», disse o ministro.", target_lang="pt"),
    ],
)
def speech_verb_inversion(ctx: RuleContext):
    """A verb of saying put before its subject after a quotation, as the target language does not.

    What it flags:
        After a quotation (speech verbs from ``data/speech_verbs/<lang>.txt``):

        * no comma between the quotation and an inverted verb: ``"…"declared the head of US
          diplomacy``, ``"…" said several senior officials`` (warning, every language);
        * a verb with no subject at all: ``"…", ensured.`` (warning; not in languages that drop
          subjects, such as Spanish);
        * in English, a prepositional phrase between the verb and its subject: ``"…", explained to
          the journalists the commander`` (warning);
        * in English, inversion after a comma with a verb English does not invert (``"…,"
          affirmed the candidate``, or at the end of a sentence without quotation: ``…,
          informed the local authorities.``; info; the verbs are listed in
          ``data/quoting/en.json``). ``said``, ``added``, ``asked``, ``argues``, ``writes`` and the
          like invert naturally and are never flagged: ``"…," said the minister.``

        Subject-first narration (``"…" Lavrov replied``) and a quotation that is itself the
        subject (``the word "sorry" said it all``) are not flagged.

    Why it matters:
        Spanish puts the verb first (``"…", declaró a los periodistas el jefe de la diplomacia``).
        Engines keep that order, drop the comma or the subject, and produce narration no English
        editor writes. In French, Spanish and German the comma before the inverted verb is
        compulsory.

    Example:
        Bad: ``"We cannot let him get away with it"declared the head of US diplomacy.``
        Good: ``"We cannot let him get away with it," the secretary of state said.``
    """
    conv = conventions(ctx.target_lang)
    if conv.speech_verbs is None:
        return
    suspect, subject_required, prepositions = _inversion_data(conv.lang)
    text = ctx.text
    n = len(text)
    for m in quote_analysis(ctx).closing:
        if m.partner < 0:
            continue
        inside = m.pos - 1
        while inside > m.partner and text[inside] == " ":
            inside -= 1
        if inside <= m.partner:
            continue
        last = text[inside]
        if last in ".…;:—–-":
            continue
        comma_out = _COMMA_AFTER.match(text, m.pos + 1)
        separated = last in ",!?" or comma_out is not None
        i = comma_out.end() if comma_out else _SPACES.match(text, m.pos + 1).end()
        if i >= n or not text[i].islower():
            continue
        verb = conv.speech_verbs.match(text, i)
        if not verb:
            continue
        j = verb.end()
        rest = text[j : j + 2]
        if separated and subject_required and (rest[:1] in (".", ";") or j >= n):
            yield Match(i, j, f"speech verb {verb.group()!r} after a quotation has no subject: add who said it")
            continue
        subj = _WORD_AT.match(text, j + 1) if rest[:1] == " " else None
        if not subj:
            continue
        first = subj.group().lower()
        via_preposition = separated and first in prepositions
        if via_preposition:
            clause = _CLAUSE.match(text, subj.start())
            words = list(_WORDS.finditer(text, subj.start(), clause.end()))
            # a preposition, its object, then a subject: "to the journalists the commander"
            later = [k for k, w in enumerate(words) if k >= 2 and w.group().lower() in conv.subject_starters]
            if not later:
                continue
            end = _subject_end(words, later[0])
            yield Match(
                i,
                end,
                f"speech verb {verb.group()!r} is separated from its subject by a prepositional phrase: "
                "put the subject first",
            )
            continue
        if first in conv.non_subjects or not (first in conv.subject_starters or subj.group()[0].isupper()):
            continue
        if separated and " ".join(verb.group().lower().split()) not in suspect:
            continue  # '…," said the minister' is normal
        if (
            not separated
            and not _has_words(text, m.partner + 1, m.pos, 3)  # the quotation's words, read only here
            and not _sentence_start_before(text, m.partner, m.unit_start)
        ):
            continue
        clause = _CLAUSE.match(text, subj.start())
        words = list(_WORDS.finditer(text, subj.start(), clause.end()))
        if any(w.group().lower() in conv.finite_verbs for w in words):
            continue  # "the evidence was weak": the quotation was the subject
        end = _subject_end(words)
        if separated:
            yield Match(
                i,
                end,
                f"English does not usually invert {verb.group()!r} after a quotation: put the subject first",
                severity=Severity.INFO,
            )
        else:
            yield Match(
                i,
                end,
                f"speech verb {verb.group()!r} comes before its subject after a quotation without a comma: "
                "put the subject first or add the comma",
            )
    if not suspect:
        return
    for m in _clause_final_pattern(suspect).finditer(text):
        verb = m.group("verb")
        if " ".join(verb.lower().split()) not in suspect or text[m.start() - 1 : m.start()] in ('"', "”", "»"):
            continue
        words = list(_WORDS.finditer(text, m.start("subj"), _CLAUSE.match(text, m.start("subj")).end()))
        if not words or len(words) > 6 or words[0].group().lower() not in conv.subject_starters:
            continue
        end = words[-1].end()
        if text[end : end + 1] != ".":
            continue
        if any(w.group().lower() in conv.finite_verbs or w.group().lower() in _SUBJECT_STOPS for w in words):
            continue
        yield Match(
            m.start("verb"),
            end,
            f"English does not usually invert {verb!r} at the end of a sentence: put the subject first",
            severity=Severity.INFO,
        )


@lru_cache(maxsize=None)
def _inversion_data(lang: str) -> tuple[frozenset, bool, frozenset]:
    """Q106's word lists for ``lang``: (verbs suspect after a comma, subject required, prepositions)."""
    data = load_json("quoting", lang) or {}
    return (
        frozenset(data.get("comma_inversion_suspect", ())),
        data.get("subject_required", True),
        frozenset(data.get("prepositions", ())),
    )


@lru_cache(maxsize=None)
def _clause_final_pattern(verbs: frozenset) -> re.Pattern:
    return re.compile(rf",[ \u00a0](?P<verb>{trie_regex(verbs)})[ \u00a0](?P<subj>[a-z])")


# -- Q107 ------------------------------------------------------------------------------------------

#: Up to three words of a subject before a verb of saying: "he", "the minister", "Sergei Lavrov".
_ATTRIBUTION = re.compile(r"[ \u00a0]+(?:(\w[\w’'.-]*)[ \u00a0]+){0,3}?")


@rule(
    "Q107",
    "comma-outside-closing-quote",
    severity=Severity.WARNING,
    category=Category.FLUENCY,
    targets={"en"},
    fix=Applicability.SAFE,
    bad=[
        '"It has been a very difficult decision⟦",⟧ said the coach at a press conference.',
        '"We spent years waiting to see Ganymede so closely⟦",⟧ declared the director of the mission.',
        '"Nobody will be left behind⟦",⟧ he said.',
        '"Why now, after all this?⟦",⟧ the minister asked reporters.',
        "“We will rebuild⟦”,⟧ Mayor Vitali Klitschko told reporters.",
    ],
    good=[
        *_CLEAN_QUOTES,
        '"It has been a very difficult decision," said the coach.',
        'Critics called the plan "unworkable", and the minister withdrew it.',
        'Words such as "woke", "cancel" and "elite" are loaded, the author said.',
        '"Why now?" the minister asked.',
    ],
)
def comma_outside_closing_quote(ctx: RuleContext):
    """A comma after the closing quote of reported speech that is followed by its attribution.

    What it flags:
        ``"It has been a very difficult decision", said the coach``: the comma that ends a quoted
        sentence before the attribution (a verb of saying, or a short subject and a verb of saying)
        stands outside the quotation marks. English news puts it inside (``decision," said``), in
        American and British style alike, because it stands for the quoted sentence's own full
        stop. A comma after a quoted word or fragment that is not followed by an attribution
        (``called the plan "unworkable", and``) is not flagged.

    Why it matters:
        Spanish, French and German put the comma after the closing mark (``«…», dijo``); machine
        translation keeps the source's order, a telltale sign of translated copy.

    Fix safety:
        Moving the comma inside the quotation marks (or dropping it after ``?`` and ``!``) changes
        punctuation only, so it is safe.
    """
    conv = conventions(ctx.target_lang)
    if conv.speech_verbs is None:
        return
    text = ctx.text
    n = len(text)
    for m in quote_analysis(ctx).closing:
        if m.partner < 0 or m.pos + 1 >= n or text[m.pos + 1] != ",":
            continue
        inside = text[m.pos - 1] if m.pos > 0 else ""
        if inside in ",.;:":
            continue
        if not _has_words(text, m.partner + 1, m.pos, 3):
            continue  # a quoted word or title, not reported speech
        comma = m.pos + 1
        if not _attribution_follows(conv, text, comma + 1):
            continue
        if inside in "?!…":
            fix = Fix((Edit(comma, comma + 1, ""),), Applicability.SAFE, "drop the comma after the closing quote")
        else:
            fix = Fix((Edit(m.pos, comma + 1, "," + text[m.pos]),), Applicability.SAFE, "move the comma inside the quote")
        yield Match(m.pos, comma + 1, "comma after the closing quote: English puts it inside the quotation marks", fix=fix)


def _attribution_follows(conv: Conventions, text: str, pos: int) -> bool:
    """Whether a verb of saying follows ``pos`` directly or after a subject of one to three words."""
    i = pos
    for _ in range(4):
        while i < len(text) and text[i] in " \u00a0":
            i += 1
        if i >= len(text):
            return False
        verb = conv.speech_verbs.match(text, i)
        if verb and text[i].islower():
            return True
        if text.startswith(("told", "tells"), i):
            return True
        word = _WORD_AT.match(text, i)
        if not word:
            return False
        i = word.end()
    return False
