"""Names (family N): proper nouns that lost their capital letter in translation.

Two sources of evidence: a per-language gazetteer of place names that are not also common words
(``mtcheck/data/gazetteer/<lang>.txt``, built by ``scripts/build_gazetteer.py``), and the document
itself: a word that is capitalised in the middle of a sentence elsewhere in the text and is not a
common word of the language.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from mtcheck.data import load_lines
from mtcheck.findings import Applicability, Category, Edit, Fix, Match, Severity
from mtcheck.rules.base import Example, RuleContext, rule
from mtcheck.rules.locale import conventions

_WORDS = re.compile(r"[^\W\d_]+")
#: A capitalised word (not CamelCase); mid-sentence when a lowercase letter or a comma and one
#: space come before it (checked in code, which keeps the scan fast).
_CAPITALISED = re.compile(r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]++(?![\w'’-]*[A-Z])")
_MID_SENTENCE_BEFORE = re.compile(r"[a-zß-öø-ÿ,;] ")
_NEXT_CAPITALISED = re.compile(r" [A-ZÀ-ÖØ-Þ]")
_TOKEN_SEP = re.compile(r"[ \-]")
#: Below this Zipf frequency a word is rare enough in the language that a capitalised use
#: elsewhere in the document makes its lowercase use an error.
EVIDENCE_MAX_ZIPF = 3.0


class Gazetteer:
    """Lowercase place name → canonical spelling, for one target language."""

    def __init__(self, names: tuple[str, ...]):
        self.single: dict[str, str] = {}
        self.multi: dict[str, list[tuple[str, str]]] = {}  # first word -> [(lowercase, canonical)]
        self.tokens: dict[str, tuple[str, ...]] = {}  # lowercase multi-word name -> its words
        # Split with str methods, not _TOKEN_SEP (same tokens: one space or hyphen each): ~13,000
        # names are built on every cold start.
        single, multi, tokens = self.single, self.multi, self.tokens
        for name in names:
            low = name.lower()
            if low == name:
                continue
            if " " not in low and "-" not in low:
                single[low] = name
            else:
                parts = tuple(low.replace("-", " ").split(" "))
                multi.setdefault(parts[0], []).append((low, name))
                tokens[low] = parts

    def __len__(self) -> int:
        return len(self.single) + sum(len(v) for v in self.multi.values())


@lru_cache(maxsize=None)
def gazetteer(lang: str | None) -> Gazetteer | None:
    """The gazetteer of a target language, loaded once; None when mtcheck has none for it."""
    if not lang:
        return None
    names = load_lines("gazetteer", lang.replace("_", "-").split("-")[0].lower())
    return Gazetteer(names) if names else None


def _lowercase_words(text: str) -> set[str]:
    """The distinct lowercase words of a text (split on whitespace first: far fewer distinct
    tokens than words, so the word regex runs on little text)."""
    out = set()
    rest = []
    for token in set(text.split()):
        if token.isalpha():
            if token.islower():
                out.add(token)
        else:
            rest.append(token)
    # One regex call over the other tokens (a space keeps their words apart).
    out.update(w for w in _WORDS.findall(" ".join(rest)) if w.islower())
    return out


def _finditer_words(words: set[str], text: str):
    """Occurrences of ``words`` as whole words, not inside a handle, hashtag, path, file name or
    domain (``@kyiv``, ``#kyiv``, ``/kyiv/``, ``kyiv.ua``). The character before a match is
    checked in code: a pattern that starts with a look-behind scans far slower."""
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    pattern = re.compile(rf"\b(?:{alternation})(?![\w@/\\]|\.\w)")
    for m in pattern.finditer(text):
        if m.start() and text[m.start() - 1] in "@#/\\.-_":
            continue
        yield m


def _title_case_line(ctx: RuleContext, pos: int, starts: list[int], cache: dict[int, bool]) -> bool:
    """Whether the line holding ``pos`` is a headline in Title Case (its capitals prove nothing)."""
    i = bisect.bisect_right(starts, pos) - 1
    if i not in cache:
        line = ctx.lines[i]
        words = _WORDS.findall(line.text)
        caps = sum(w[0].isupper() for w in words)
        cache[i] = len(words) >= 3 and caps / len(words) >= 0.6
    return cache[i]


@rule(
    "N101",
    "lowercase-proper-noun",
    severity=Severity.WARNING,
    category=Category.FLUENCY,
    fix=Applicability.SAFE,
    bad=[
        "Lavrov called for the government in ⟦kyiv⟧ to be punished.",
        "Separatists accused ⟦kyiv⟧ of bombing a market near ⟦mariupol⟧.",
        "Flights from ⟦buenos aires⟧ to ⟦new york⟧ were cancelled.",
        "The mayor Vitali Klitschko said ⟦klitschko⟧ would stay.",
        "Officials in ⟦kyiv⟧’s ministries and ⟦kyiv⟧-based diplomats agreed.",
    ],
    good=[
        "Lavrov called for the government in Kyiv to be punished.",
        "We had a nice time reading on my mobile in the bath before the split.",
        "She set the china plates out for the turkey dinner.",
        "Email press@kyiv.example or see kyiv.ua and #kyiv for details.",
        "The Parliament met; parliament is sovereign.",
        Example("Das Essen in Essen war gut, wir essen gern.", target_lang="de"),
    ],
)
def lowercase_proper_noun(ctx: RuleContext):
    """A proper noun written in lower case: ``the government in kyiv``.

    What it flags: a lowercase word (or phrase: ``new york``) that is a place name in the target
    language's gazetteer, or a lowercase word that the same document capitalises in mid-sentence
    elsewhere (``Klitschko`` … ``klitschko``; only the last word of a capitalised run counts, so
    ``Semantic Versioning`` says nothing about ``semantic``) and that is not a common word of the
    language (wordfreq Zipf frequency below 3). Place names that are also common words (``nice``,
    ``reading``, ``mobile``, ``bath``, ``split``, ``china``, ``turkey``) are not in the gazetteer;
    handles, hashtags, paths and domains (``@kyiv``, ``kyiv.ua``) are skipped, and languages that
    capitalise every noun (German) use only the gazetteer.

    Why it matters: engines that lowercase their input or copy a lowercase transliteration leave
    names uncapitalised; every occurrence is an error a reader notices, and search and entity
    linking miss the name.

    Fix safety: safe for gazetteer names (the gazetteer's spelling is used); unsafe for names
    found only through the document's own capitalised uses, which a person should confirm.
    """
    lang = ctx.target_lang
    gaz = gazetteer(lang)
    text = ctx.text
    all_words = _lowercase_words(text)
    lower_words = {w for w in all_words if len(w) >= 3}
    if not lower_words:
        return
    seen: set[int] = set()
    if gaz is not None:
        hits = lower_words & gaz.single.keys()
        phrases = {
            low: name
            for first in all_words & gaz.multi.keys()
            for low, name in gaz.multi[first]
            if all(t in all_words for t in gaz.tokens[low])
        }
        if phrases:
            for m in _finditer_words(set(phrases), text):
                name = phrases[m.group()]
                seen.update(range(m.start(), m.end()))
                yield Match(m.start(), m.end(), f"Place name {name!r} written in lower case",
                            Fix((Edit(m.start(), m.end(), name),), Applicability.SAFE, f"write {name!r}"))
        if hits:
            for m in _finditer_words(hits, text):
                if m.start() in seen:
                    continue
                name = gaz.single[m.group()]
                seen.add(m.start())
                yield Match(m.start(), m.end(), f"Place name {name!r} written in lower case",
                            Fix((Edit(m.start(), m.end(), name),), Applicability.SAFE, f"write {name!r}"))
    conv = conventions(lang)
    if not ctx.option("document_evidence", True) or (conv or {}).get("capitalises_nouns"):
        return
    yield from _document_evidence(ctx, lower_words, gaz, seen)


def _document_evidence(ctx: RuleContext, lower_words: set[str], gaz: Gazetteer | None, seen: set[int]):
    text = ctx.text
    capitalised: dict[str, str] = {}
    headline_cache: dict[int, bool] = {}
    starts = [line.start for line in ctx.lines]
    for m in _CAPITALISED.finditer(text):
        if m.start() < 2 or not _MID_SENTENCE_BEFORE.match(text, m.start() - 2):
            continue
        if _NEXT_CAPITALISED.match(text, m.end()):
            continue  # inside a multi-word name ("Semantic Versioning"): only its last word counts
        low = m.group().lower()
        if low in lower_words and low not in capitalised and not _title_case_line(ctx, m.start(), starts, headline_cache):
            capitalised[low] = m.group()
    if gaz is not None:
        for low in list(capitalised):
            if low in gaz.single:
                del capitalised[low]
    from mtcheck.langid import has_word_frequencies, zipf_lookup

    lang = (ctx.target_lang or "en").replace("_", "-").split("-")[0].lower()
    if not has_word_frequencies(lang, "small"):
        return  # without a word list the evidence cannot tell a name from a common word
    # wordfreq's small list holds the words with Zipf >= 3: what it lacks is rare.
    long_words = {w for w in capitalised if len(w) >= 4}
    if not long_words:
        return  # nothing to look up: spare decoding the word list
    common = zipf_lookup(lang, long_words, "small")
    candidates = {w for w in long_words if common.get(w, 0.0) < EVIDENCE_MAX_ZIPF}
    if not candidates:
        return
    for m in _finditer_words(candidates, text):
        if m.start() in seen:
            continue
        name = capitalised[m.group()]
        yield Match(m.start(), m.end(),
                    f"{m.group()!r} is written {name!r} elsewhere in this document: a proper noun in lower case",
                    Fix((Edit(m.start(), m.end(), name),), Applicability.UNSAFE, f"write {name!r}"))


_TWO_CAPITALS = re.compile(r"\b[A-Z]{2}[a-z]+\b")


@rule(
    "N102",
    "two-initial-capitals",
    severity=Severity.WARNING,
    category=Category.FLUENCY,
    fix=Applicability.SAFE,
    bad=[
        "A ⟦EUropean⟧ probe sends the first images.",
        "⟦THe⟧ minister said so.",
        "The ⟦UKrainian⟧ army advanced.",
    ],
    good=[
        "A European probe sends the first images of Europa.",
        "MPs, CEOs and TVs; 10 Mbps and 5 GHz; iPhone and McDonald's.",
        "The NASAwatch blog and the DJing class.",
    ],
)
def two_initial_capitals(ctx: RuleContext):
    """A word with two capital letters at the start: ``EUropean``, ``THe``.

    What it flags: a word of two capitals followed by lowercase letters whose lowercase form is a
    common word of the target language (wordfreq Zipf frequency 3 or more; for three-letter words,
    one of the language's function words such as ``the``): an acronym glued to the rest of a word
    by a translation engine (Spanish ``UE`` → ``EUropean``) or a typing slip. Plurals of acronyms
    (``MPs``, ``TVs``), units (``GHz``, ``Mbps``) and names like ``McDonald`` are left alone.

    Why it matters: the word reads as a typo and breaks search and spell checking.

    Fix safety: safe: the second capital and the rest become lowercase (``European``).
    """
    text = ctx.text
    words = {m.group() for m in _TWO_CAPITALS.finditer(text)}
    if not words:
        return
    from mtcheck.langid import has_word_frequencies, zipf_lookup

    lang = (ctx.target_lang or "en").replace("_", "-").split("-")[0].lower()
    if not has_word_frequencies(lang, "small"):
        return
    common = zipf_lookup(lang, {w.lower() for w in words}, "small")
    function_words = (conventions(lang) or {}).get("_function", frozenset())
    for m in _TWO_CAPITALS.finditer(text):
        w = m.group()
        if len(w) == 3:
            if w.lower() not in function_words:
                continue  # MPs, TVs, GHz: an acronym with a suffix or a unit
        elif common.get(w.lower(), 0.0) < EVIDENCE_MAX_ZIPF:
            continue
        fixed = w[0] + w[1:].lower()
        yield Match(m.start(), m.end(), f"Two capitals at the start of {w!r}; write {fixed!r}",
                    Fix((Edit(m.start(), m.end(), fixed),), Applicability.SAFE, f"write {fixed!r}"))
