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
from mtcheck.langid import document_word_cases
from mtcheck.findings import Applicability, Category, Edit, Fix, Match, Severity
from mtcheck.rules.base import Example, RuleContext, base_lang, rule
from mtcheck.rules.locale import conventions

_WORDS = re.compile(r"[^\W\d_]+")
#: A capitalised word (not CamelCase); mid-sentence when a lowercase letter or a comma and one
#: space come before it (checked in code, which keeps the scan fast).
_CAPITALISED = re.compile(r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]++(?![\w'’-]*[A-Z])")
#: N101 searches the text for each capitalised form it could use when there are at most this
#: many (a few ``str.find`` calls), else scans every capitalised word once.
FORMS_SEARCHED_ONE_BY_ONE = 16
#: Among letter runs joined by spaces, the start of a run that _CAPITALISED could match
#: (without its look-ahead), when it is four letters or more.
_CAPITALISED_STARTS = re.compile(r" ([A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{3,})")
_MID_SENTENCE_BEFORE = re.compile(r"[a-zß-öø-ÿ,;] ")
_NEXT_CAPITALISED = re.compile(r" [A-ZÀ-ÖØ-Þ]")
_TOKEN_SEP = re.compile(r"[ \-]")
#: Below this Zipf frequency a word is rare enough in the language that a capitalised use
#: elsewhere in the document makes its lowercase use an error.
EVIDENCE_MAX_ZIPF = 3.0


class Gazetteer:
    """Lowercase place name → canonical spelling, for one target language.

    ``single`` maps one-word names; ``by_longest`` holds each multi-word name as ``(lowercase,
    canonical)`` under its longest word (words split on each space and hyphen; the first of
    them, on a tie). A name can only match a document that holds all its words, and
    its longest word is the one a document rarely holds (``york``, not ``new``): a document tries
    a handful of names instead of every ``san …``. ``words_of`` maps a multi-word name
    (lowercase) to its words, filled in as documents ask (a cold start does not pay for names
    no document tries)."""

    def __init__(self, names: tuple[str, ...]):
        self.single: dict[str, str] = {}
        self.by_longest: dict[str, list[tuple[str, str]]] = {}
        self.words_of: dict[str, tuple[str, ...]] = {}
        # Built on every cold start (~13,000 names): lower-cased in one map, split with str
        # methods rather than _TOKEN_SEP (the same words: one space or hyphen each).
        single, by_longest = self.single, self.by_longest
        multi = []
        for low, name in zip(map(str.lower, names), names):
            if low != name:
                if " " in low or "-" in low:
                    multi.append((low, name))
                else:
                    single[low] = name
        for entry in multi:
            parts = entry[0].replace("-", " ").split(" ")
            key = parts[0]
            for part in parts:  # a loop, not max(key=len): cheaper for two or three words
                if len(part) > len(key):
                    key = part
            by_longest.setdefault(key, []).append(entry)
        #: Every word a document's lowercase words are intersected with: the one-word names and
        #: the words multi-word names are indexed under (one set intersection for both).
        self.keys: frozenset[str] = frozenset(single).union(by_longest)

    def __len__(self) -> int:
        return len(self.single) + sum(len(v) for v in self.by_longest.values())


@lru_cache(maxsize=None)
def gazetteer(lang: str | None) -> Gazetteer | None:
    """The gazetteer of a target language, loaded once; None when mtcheck has none for it."""
    if not lang:
        return None
    names = load_lines("gazetteer", base_lang(lang))
    return Gazetteer(names) if names else None


def _finditer_words(words: set[str], text: str, one_pass_above: int = 64) -> list[tuple[int, int, str]]:
    """Occurrences ``(start, end, word)``, in order, of ``words`` as whole words, not inside a
    handle, hashtag, path, file name or domain (``@kyiv``, ``#kyiv``, ``/kyiv/``, ``kyiv.ua``):
    what :func:`_finditer_pattern` finds.

    Words made of word characters only (nearly always) need no pattern: a match of such a word
    is a whole run of word characters (a word boundary before it, no word character after it).
    Up to ``one_pass_above`` of them are searched for one by one with ``str.find`` (a pattern
    made of a document's words is compiled anew for almost every document); more are found in
    one pass over the text's runs of word characters (an alternation of thousands of words makes
    the regex engine try each of them at every run)."""
    if all(map(_WORD_RUN.fullmatch, words)):
        if len(words) > one_pass_above:
            return list(_finditer_runs(words, text))
        return sorted(_find_runs(words, text))
    return [(m.start(), m.end(), m.group()) for m in _finditer_pattern(words, text)]


def _finditer_pattern(words: set[str], text: str):
    """:func:`_finditer_words` with one pattern of alternatives (any words). The character
    before a match is checked in code: a pattern that starts with a look-behind scans far
    slower."""
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    pattern = re.compile(rf"\b(?:{alternation})(?![\w@/\\]|\.\w)")
    for m in pattern.finditer(text):
        if m.start() and text[m.start() - 1] in "@#/\\.-_":
            continue
        yield m


_WORD_RUN = re.compile(r"\w+")


def _is_word_char(ch: str) -> bool:
    """Whether ``ch`` is what ``\\w`` matches in a str pattern."""
    return ch.isalnum() or ch == "_"


def _run_allowed(text: str, start: int, end: int, n: int) -> bool:
    """Whether a whole run of word characters at ``[start, end)`` is a match of
    :func:`_finditer_pattern`: no ``@ / \\`` or ``.`` and a word character after it, and
    none of ``@#/\\.-_`` before it."""
    if end < n:
        after = text[end]
        if after in "@/\\" or (after == "." and end + 1 < n and _is_word_char(text[end + 1])):
            return False
    return not (start and text[start - 1] in "@#/\\.-_")


def _finditer_runs(words: set[str], text: str):
    """:func:`_finditer_words` for words of word characters only, in one pass over the runs."""
    n = len(text)
    for m in _WORD_RUN.finditer(text):
        if m.group() not in words:
            continue
        start, end = m.span()
        if _run_allowed(text, start, end, n):
            yield start, end, m.group()


def _find_runs(words: set[str], text: str):
    """:func:`_finditer_words` for words of word characters only, each searched for with
    ``str.find`` (in no particular order): a place where a word is a whole run."""
    n = len(text)
    for word in words:
        size = len(word)
        i = text.find(word)
        while i != -1:
            j = i + size
            if (i == 0 or not _is_word_char(text[i - 1])) and (j == n or not _is_word_char(text[j])):
                if _run_allowed(text, i, j, n):
                    yield i, j, word
            i = text.find(word, j)


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
    all_words, others = _word_cases(ctx.doc)
    if not any(len(w) >= 3 for w in all_words):
        return
    seen: set[int] = set()
    if gaz is not None:
        found = all_words & gaz.keys
        single, by_longest, words_of = gaz.single, gaz.by_longest, gaz.words_of
        hits = {w for w in found if len(w) >= 3 and w in single}
        phrases = {}
        for key in found:
            for low, name in by_longest.get(key, ()):
                words = words_of.get(low)
                if words is None:
                    words = words_of[low] = tuple(low.replace("-", " ").split(" "))
                if all_words.issuperset(words):
                    phrases[low] = name
        if phrases:
            for start, end, word in _finditer_words(set(phrases), text):
                name = phrases[word]
                seen.update(range(start, end))
                yield Match(start, end, f"Place name {name!r} written in lower case",
                            Fix((Edit(start, end, name),), Applicability.SAFE, f"write {name!r}"))
        if hits:
            for start, end, word in _finditer_words(hits, text):
                if start in seen:
                    continue
                name = gaz.single[word]
                seen.add(start)
                yield Match(start, end, f"Place name {name!r} written in lower case",
                            Fix((Edit(start, end, name),), Applicability.SAFE, f"write {name!r}"))
    conv = conventions(lang)
    if not ctx.option("document_evidence", True) or (conv or {}).get("capitalises_nouns"):
        return
    yield from _document_evidence(ctx, others, all_words, gaz, seen)


#: The document's letter runs split into all-lowercase ones and others (kept on the document).
_word_cases = document_word_cases


def _capitalised_forms(others: frozenset[str], lower_words: frozenset[str], gaz: Gazetteer | None) -> dict[str, str]:
    """Lowercase word → the capitalised form in which a :data:`_CAPITALISED` match could give
    it, for the document's all-lowercase words (``lower_words``) of four letters or more that
    are not gazetteer names and that the document also writes capitalised.

    A match that counts follows a space, so it starts a letter run of the document and is that
    run up to its first letter outside ``[a-zß-öø-ÿ]``: looking at the document's distinct
    letter runs finds every form worth searching the text for, and most documents have none.
    A capitalised run is not all lower case: it is among ``others``, the document's other runs.
    They are matched in one regex call (each after a space: a letter run holds none), and only
    matches of four letters or more are asked for (a shorter one cannot give a long enough word).
    """
    forms = {}
    single = gaz.single if gaz is not None else {}
    for form in _CAPITALISED_STARTS.findall(_joined(others)):
        low = form.lower()
        if low in lower_words and low not in single:
            forms[low] = form
    return forms


#: The last set of letter runs :func:`_joined` joined, and the string (N101 and N102 read the same
#: document's runs one after the other; the set is kept, so it is the same set when it is found).
_last_joined: tuple[frozenset[str], str] = (frozenset(), "  ")


def _joined(runs: frozenset[str]) -> str:
    """``runs`` joined by spaces, with a space before the first and after the last."""
    global _last_joined
    if _last_joined[0] is not runs:
        _last_joined = (runs, " " + " ".join(runs) + " ")
    return _last_joined[1]


def _capitalised_elsewhere(
    ctx: RuleContext, others: frozenset[str], lower_words: frozenset[str], gaz: Gazetteer | None
) -> dict[str, str]:
    """Lowercase word of four letters or more, not a gazetteer name → its capitalised form, for
    the document's lowercase words that it also capitalises mid-sentence (after a lowercase
    letter, a comma or a semicolon and a space), as the last word of a capitalised run, on a
    line that is not a Title Case headline: what :data:`_CAPITALISED` finds at those places.

    Shorter words are not looked up in the word list and gazetteer names were handled already,
    so only the forms :func:`_capitalised_forms` lists are searched for (:func:`_search_capitalised`)."""
    return _search_capitalised(ctx, _capitalised_forms(others, lower_words, gaz))


def _search_capitalised(ctx: RuleContext, forms: dict[str, str]) -> dict[str, str]:
    """Those of ``forms`` (lowercase word → capitalised form) that the document writes
    mid-sentence as :func:`_capitalised_elsewhere` says: each searched for with ``str.find``
    when there are few, else in one pass over every capitalised word (a search per form would
    read the text once per form). Each form is judged on its own."""
    if not forms:
        return {}
    text = ctx.text
    capitalised: dict[str, str] = {}
    headline_cache: dict[int, bool] = {}
    starts: list[int] = []
    if len(forms) > FORMS_SEARCHED_ONE_BY_ONE:
        starts = [line.start for line in ctx.lines]
        for m in _CAPITALISED.finditer(text):
            low = m.group().lower()
            if low not in forms or low in capitalised:
                continue
            if m.start() < 2 or not _MID_SENTENCE_BEFORE.match(text, m.start() - 2):
                continue
            if _NEXT_CAPITALISED.match(text, m.end()):
                continue  # inside a multi-word name ("Semantic Versioning"): only its last word counts
            if not _title_case_line(ctx, m.start(), starts, headline_cache):
                capitalised[low] = m.group()
        return capitalised
    for low, form in forms.items():
        i = text.find(form)
        while i != -1:
            # What _CAPITALISED.finditer would yield here (its matches cannot overlap, so it
            # tries every position where one starts), with the same conditions.
            if i >= 2 and _MID_SENTENCE_BEFORE.match(text, i - 2):
                m = _CAPITALISED.match(text, i)
                # A match at the end of a multi-word name ("Semantic Versioning") only: the last
                # word of a capitalised run counts.
                if m is not None and m.end() == i + len(form) and not _NEXT_CAPITALISED.match(text, m.end()):
                    if not starts:
                        starts = [line.start for line in ctx.lines]
                    if not _title_case_line(ctx, i, starts, headline_cache):
                        capitalised[low] = form
                        break
            i = text.find(form, i + 1)
    return capitalised


def _document_evidence(
    ctx: RuleContext, others: frozenset[str], lower_words: frozenset[str], gaz: Gazetteer | None, seen: set[int]
):
    text = ctx.text
    forms = _capitalised_forms(others, lower_words, gaz)
    if not forms:
        return
    from mtcheck.langid import has_word_frequencies, zipf_lookup

    lang = base_lang(ctx.target_lang, "en")
    if not has_word_frequencies(lang, "small"):
        return  # without a word list the evidence cannot tell a name from a common word
    # wordfreq's small list holds the words with Zipf >= 3: what it lacks is rare. A common word
    # is never evidence, so only the rare ones are searched for in their capitalised form
    # (most forms are common words that begin a sentence: "Former", "Advertising").
    common = zipf_lookup(lang, set(forms), "small")
    capitalised = _search_capitalised(
        ctx, {w: form for w, form in forms.items() if common.get(w, 0.0) < EVIDENCE_MAX_ZIPF}
    )
    candidates = set(capitalised)
    if not candidates:
        return
    for start, end, word in _finditer_words(candidates, text):
        if start in seen:
            continue
        name = capitalised[word]
        yield Match(start, end,
                    f"{word!r} is written {name!r} elsewhere in this document: a proper noun in lower case",
                    Fix((Edit(start, end, name),), Applicability.UNSAFE, f"write {name!r}"))


_TWO_CAPITALS = re.compile(r"\b[A-Z]{2}[a-z]+\b")
#: What a _TWO_CAPITALS match is: bounded by non-word characters and made of letters only, it is
#: a whole letter run of the document, and not an all-lowercase one.
_TWO_CAPITALS_RUN = re.compile(r"[A-Z]{2}[a-z]+")
#: A letter run of that shape among runs joined by spaces (with a space at each end): one
#: search instead of a fullmatch per run.
_TWO_CAPITALS_JOINED = re.compile(r" [A-Z]{2}[a-z]+(?= )")


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
    if not _TWO_CAPITALS_JOINED.search(_joined(_word_cases(ctx.doc)[1])):
        return  # no letter run of that shape: no match (most documents)
    words = {m.group() for m in _TWO_CAPITALS.finditer(text)}
    if not words:
        return
    from mtcheck.langid import has_word_frequencies, zipf_lookup

    lang = base_lang(ctx.target_lang, "en")
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
