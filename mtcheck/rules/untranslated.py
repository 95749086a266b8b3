"""Untranslated fragments (family U): sentences and words left in a language other than the target.

U101 asks langdetect (through :mod:`mtcheck.langid`) about each sentence, but only after a cheap
pre-filter has failed to show that the sentence is in the target language, so a clean article
costs almost nothing. U102 looks for single words that are frequent in the source language and
rare in the target language (wordfreq's lists), the typical residue of a machine translation that
did not know a word (``the ministro said``).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from itertools import chain

from mtcheck import langid
from mtcheck.findings import Category, Match, Severity
from mtcheck.rules.base import Example, RuleContext, base_lang, rule

#: English names of the languages mtcheck reports; other codes are shown as they are.
LANGUAGE_NAMES = {
    "en": "English", "es": "Spanish", "fr": "French", "de": "German", "pt": "Portuguese",
    "it": "Italian", "nl": "Dutch", "ca": "Catalan", "ro": "Romanian", "pl": "Polish",
    "sv": "Swedish", "da": "Danish", "no": "Norwegian", "fi": "Finnish", "cs": "Czech",
    "tr": "Turkish", "id": "Indonesian", "ru": "Russian", "uk": "Ukrainian", "bg": "Bulgarian",
    "el": "Greek", "ar": "Arabic", "fa": "Persian", "he": "Hebrew", "hi": "Hindi", "zh": "Chinese",
    "ja": "Japanese", "ko": "Korean", "hu": "Hungarian", "sk": "Slovak", "sl": "Slovenian",
    "hr": "Croatian", "lt": "Lithuanian", "lv": "Latvian", "et": "Estonian", "vi": "Vietnamese",
}

#: U101: a sentence needs this many words (names and short quotations left out) to be judged.
MIN_WORDS = 5
#: U101: langdetect must be at least this sure of the other language.
MIN_PROBABILITY = 0.90
#: U101: a sentence whose words are this often target-language function words is in the target.
TARGET_SHARE = 0.25
#: U101 fast path: a sentence of at least this many tokens, this often target function words.
QUICK_MIN_TOKENS = 8
QUICK_SHARE = 0.3
#: U101: langdetect is asked only when another language's function words make up this share of
#: the sentence, or when this share of its words is missing from the target's word list.
OTHER_SHARE = 0.15
UNKNOWN_SHARE = 0.4
#: U101: quotations of at most this many words (titles, slogans) are left out of the evidence.
SHORT_QUOTE_WORDS = 6
#: U102: a word missing from the target's small list must be at least this frequent in the
#: source language (Zipf scale)…
MIN_SOURCE_ZIPF = 4.0
#: U102: … or, when it is missing even from the target's large list (practically unknown in the
#: target language), at least this frequent in the source's large list.
MIN_SOURCE_ZIPF_UNKNOWN = 1.5
#: U102: words shorter than this are not judged against the large lists.
MIN_UNKNOWN_LENGTH = 4
#: U102: a sentence counts as target language when this share of its words are target words.
MIN_TARGET_KNOWN = 0.6
#: U102 without a known source language: the languages tried (ties go to the one listed first);
#: a word counts for a language when it is in that language's small list, and the document must
#: hold this many distinct such words, or this many occurrences, before mtcheck believes it.
INFERENCE_LANGUAGES = ("es", "fr", "de", "pt", "it", "nl", "ca", "ro")
MIN_INFERRED_WORDS = 2
MIN_INFERRED_OCCURRENCES = 3

# Quotations, by pairs of marks; bounded and without nested quantifiers.
_QUOTED = re.compile(
    r'"[^"\n]{1,600}"|“[^”\n]{1,600}”|«[^»\n]{1,600}»|„[^“”\n]{1,600}[“”]|‘[^’\n]{1,600}’(?!\w)|‹[^›\n]{1,600}›'
)
_TOKEN = re.compile(r"[^\W\d_]+")
_LAST_TOKEN = re.compile(r"([^\W\d_]+)[\W\d_]*$")
_FIRST_TOKEN = re.compile(r"[\W\d_]*([^\W\d_]+)")
_WORDS_WITH_CASE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def _name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


#: What every :data:`_QUOTED` match begins with.
_QUOTE_OPENERS = '"“«„‘‹'


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    # Every quotation begins with one of _QUOTE_OPENERS: most sentences hold none and skip the regex.
    if not any(map(text.__contains__, _QUOTE_OPENERS)):
        return []
    return [m.span() for m in _QUOTED.finditer(text)]


# -- U101 ---------------------------------------------------------------------------------------


def sentence_evidence(text: str) -> list[str]:
    """The words of a sentence that say something about its language, lower-cased.

    Quotations of up to :data:`SHORT_QUOTE_WORDS` words (titles, slogans) are left out, and so is
    any quotation when the sentence has enough words outside its quotes. Capitalised words other
    than the first (names) and all-caps words (acronyms) are left out too.
    """
    spans = _quoted_spans(text)
    if spans:
        outside, pos = [], 0
        for s, e in spans:
            outside.append(text[pos:s])
            pos = e
        outside.append(text[pos:])
        found = _WORDS_WITH_CASE.findall(" ".join(outside))
        if len(found) < MIN_WORDS:
            kept, pos = [], 0
            for s, e in spans:
                kept.append(text[pos:s])
                inner = text[s + 1 : e - 1]
                if len(_WORDS_WITH_CASE.findall(inner)) > SHORT_QUOTE_WORDS:
                    kept.append(inner)
                pos = e
            kept.append(text[pos:])
            found = _WORDS_WITH_CASE.findall(" ".join(kept))
    else:
        found = _WORDS_WITH_CASE.findall(text)
    if not found:
        return []
    first = found[0]
    out = [] if first.isupper() and len(first) > 1 else [first.lower()]
    # After the first word, a capitalised word is left out, and so is an acronym (whose first
    # letter may have no case: "中A"); a one-letter word that is upper case is both. An
    # all-lowercase word (most of them) is neither: str.islower answers for it in one call.
    out += [w.lower() for w in found[1:] if w.islower() or not (w[0].isupper() or w.isupper())]
    return out


@lru_cache(maxsize=None)
def _function_word_index() -> dict[str, tuple[str, ...]]:
    """Every function word of every language that has a list, and the languages it belongs to."""
    from mtcheck.data import load_json

    index: dict[str, list[str]] = {}
    for lang in load_json("wordlists", "function-words") or {}:
        if not lang.startswith("_"):
            for w in langid.function_words(lang):
                index.setdefault(w, []).append(lang)
    return {w: tuple(langs) for w, langs in index.items()}


@lru_cache(maxsize=None)
def _other_function_words(target: str) -> frozenset[str]:
    """The function words of every language with a list but ``target`` (some are also
    ``target``'s)."""
    return frozenset(w for w, langs in _function_word_index().items() if any(lang != target for lang in langs))


def _needs_langdetect(words: list[str], target: str) -> bool:
    """Whether a sentence is suspicious enough to ask langdetect: it is not full of target
    function words, and either another language's function words are frequent in it or many of
    its words are unknown to the target language's word list."""
    n = len(words)
    own = sum(map(langid.function_words(target).__contains__, words))
    # Most sentences: rich in target function words, and fewer words are another language's
    # function words at all than are the target's (no language counts more than that): in the
    # target, without counting per language.
    if own / n >= TARGET_SHARE and sum(map(_other_function_words(target).__contains__, words)) < own:
        return False
    counts: dict[str, int] = {}
    index = _function_word_index()
    for w in words:
        for lang in index.get(w, ()):
            counts[lang] = counts.get(lang, 0) + 1
    own = counts.pop(target, 0) / len(words)
    other = max(counts.values(), default=0) / len(words)
    if own >= TARGET_SHARE and other < own:
        return False
    if other >= OTHER_SHARE and other > own:
        return True
    known = langid.word_set(target)
    if not known:
        return True
    return sum(1 for w in words if w not in known) >= UNKNOWN_SHARE * len(words)


@rule(
    "U101",
    "untranslated-sentence",
    severity=Severity.ERROR,
    category=Category.NON_TRANSLATION,
    needs={"langid"},
    bad=[
        Example(
            "Moscow began the mobilization on Thursday. "
            "⟦Las autoridades anunciaron que miles de personas se habían presentado voluntariamente.⟧ "
            "Many Russians fled the country.",
        ),
        Example(
            "Officials confirmed the figures on Monday evening. "
            "⟦Die Regierung hat die Zahlen am Montag bestätigt und weitere Schritte angekündigt.⟧",
        ),
        Example("⟦« Nous ne pouvons pas laisser passer cela », a déclaré le ministre des affaires étrangères.⟧"),
    ],
    good=[
        "Moscow began its mobilization of additional troops on Thursday to bolster its offensive.",
        "She starred in \"La casa de las flores\" and in \"Cien años de soledad\" on stage in Madrid.",
        "Andrés Manuel López Obrador met Luiz Inácio Lula da Silva and Gustavo Petro in Bogotá.",
        "Protesters chanted \"no pasarán\" outside the Congreso de los Diputados on Tuesday night.",
        "Sí.",
        "Gracias, amigos.",
    ],
)
def untranslated_sentence(ctx: RuleContext) -> Iterator[Match]:
    """A sentence written in another language than the target: the translation skipped it.

    What it flags:
        A sentence that langdetect (seeded, so results are reproducible) places in another
        language with probability of at least 0.9. Names (capitalised words), acronyms and short
        quotations such as titles are left out before deciding; a sentence with fewer than five
        remaining words is not judged at all. langdetect is only asked about suspicious
        sentences: those not rich in target-language function words, and either rich in another
        language's function words or full of words the target language's word list lacks.

    Why it matters:
        An untranslated sentence is a non-translation error in MQM terms: the reader of the
        target text cannot read it, and it usually means the engine failed on that segment or
        the scraper mixed in text from the original page.
    """
    target = base_lang(ctx.target_lang)
    if not target:
        return
    extra = tuple(x for x in (target, base_lang(ctx.source_lang)) if x)
    is_function_word = langid.function_words(target).__contains__
    for sent in ctx.sentences:
        text = sent.text
        # The evidence is words of the sentence: a sentence shorter than MIN_CHARS has too few.
        if len(text) < langid.MIN_CHARS:
            continue
        # The cheapest test, written inline as it is asked of every sentence: a long sentence
        # whose whitespace-separated tokens are often target function words is in the target.
        tokens = text.lower().split()
        if len(tokens) >= QUICK_MIN_TOKENS and sum(map(is_function_word, tokens)) >= QUICK_SHARE * len(tokens):
            continue
        words = sentence_evidence(text)
        if len(words) < MIN_WORDS or len("".join(words)) < langid.MIN_CHARS:
            continue
        if not _needs_langdetect(words, target):
            continue
        probs = langid.detect_probs(" ".join(words), langs=extra)
        if not probs:
            continue
        lang, prob = probs[0]
        if lang == target or prob < MIN_PROBABILITY:
            continue
        yield Match(
            sent.start,
            sent.end,
            f"sentence appears to be in {_name(lang)} ({lang}, p={prob:.2f}), not {_name(target)}: untranslated?",
        )


# -- U102 ---------------------------------------------------------------------------------------


def _fold(word: str) -> str:
    if word.isascii():
        return word.lower()  # NFC leaves ASCII alone and casefold is lower() on it
    return unicodedata.normalize("NFC", word).casefold()


def _strip_accents(word: str) -> str:
    if word.isascii():
        return word  # nothing to decompose
    return _strip_accents_cached(word)


@lru_cache(maxsize=65536)
def _strip_accents_cached(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


@lru_cache(maxsize=None)
def _loanwords(target: str) -> tuple[frozenset[str], re.Pattern | None]:
    """Single loanwords and a regex over multi-word loan phrases for ``target``."""
    singles, phrases = _loan_entries(target)
    if not phrases:
        return singles, None
    alternatives = "|".join(re.escape(p).replace("'", "['’]") for p in sorted(phrases, key=len, reverse=True))
    return singles, re.compile(r"(?<!\w)(?:" + alternatives + r")(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=None)
def _loan_entries(target: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """Single loanwords and multi-word loan phrases for ``target``, folded (without compiling
    the phrases' regex, which only documents with a phrase word need)."""
    from mtcheck.data import load_lines

    singles, phrases = set(), []
    for line in load_lines("wordlists", f"loanwords-{target}"):
        entry = _fold(line)
        if " " in entry or "-" in entry or "'" in entry or "’" in entry:
            phrases.append(entry)
        else:
            singles.add(entry)
    return frozenset(singles), tuple(phrases)


@lru_cache(maxsize=None)
def _loan_phrase_words(target: str) -> frozenset[str]:
    """Every word that occurs in a multi-word loan phrase (``fait``, ``accompli``, …)."""
    from mtcheck.data import load_lines

    out = set()
    for line in load_lines("wordlists", f"loanwords-{target}"):
        entry = _fold(line)
        if " " in entry or "-" in entry or "'" in entry or "’" in entry:
            out.update(_TOKEN.findall(entry))
    return frozenset(out)


def _rare_words(cases: tuple[frozenset[str], frozenset[str]], target: str, table: frozenset[str]) -> set[str]:
    """Those of a document's distinct words that are lower-case, that the target language's word
    list lacks and that are not known loanwords or accented spellings of target words.
    ``cases`` is the document's all-lowercase words and its others
    (:func:`langid.document_word_cases`).

    Only a word that begins with a lower-case letter can be one: the all-lowercase words, and
    the few others that begin so (``iPhone``). The capitalised ones (names, about one distinct
    word in seven, and different in each document) are not looked up in the word list."""
    lower, others = cases
    singles, _ = _loan_entries(target)
    candidates = lower - table
    mixed = [w for w in others if w[0].islower()]
    if mixed:
        candidates = candidates.union(frozenset(mixed) - table)
    rare = set()
    for word in candidates:
        if len(word) < 3 or not word[0].islower():
            continue
        folded = _fold(word)
        if folded in table or folded in singles or _strip_accents(folded) in table:
            continue
        rare.add(word)
    return rare


def _candidates(
    ctx: RuleContext, target: str, occurrences: list[tuple[int, int, str]], folded: dict[str, str]
) -> list[tuple[int, int, str, int]]:
    """Those ``occurrences`` of rare words (:func:`_rare_words`; in order) that could be
    source-language words left behind: ``(start, end, folded word, sentence index)``.
    ``folded`` maps each rare word to its :func:`_fold`."""
    text = ctx.text
    phrase_words = _loan_phrase_words(target)
    sentences = ctx.sentences
    starts = [s.start for s in sentences]
    skip_cache: dict[int, list[tuple[int, int]]] = {}
    out = []
    for start, end, word in occurrences:
        si = bisect.bisect_right(starts, start) - 1
        if si < 0 or end > sentences[si].end:
            continue
        sent = sentences[si]
        # A lower-case particle between two capitalised words belongs to a name (Plaza de Mayo).
        # The word after first: it is rarely capitalised, and the search before costs more.
        after = _FIRST_TOKEN.match(text, end, sent.end)
        if after and after.group(1)[0].isupper():
            before = _LAST_TOKEN.search(text, max(sent.start, start - 80), start)
            if before and before.group(1)[0].isupper():
                continue
        if si not in skip_cache:
            skip_cache[si] = [(sent.start + a, sent.start + b) for a, b in _quoted_spans(sent.text)]
        if _inside(skip_cache[si], start, end):
            continue
        fold = folded[word]
        if fold in phrase_words and (phrases := _loanwords(target)[1]) is not None:
            loans = [(sent.start + p.start(), sent.start + p.end()) for p in phrases.finditer(sent.text)]
            if _inside(loans, start, end):
                continue
        out.append((start, end, fold, si))
    return out


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies inside one of ``spans`` (sorted, non-overlapping)."""
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]


def _occurrences(text: str, words: set[str]) -> Iterator[tuple[int, int, str]]:
    """Whole-word occurrences ``(start, end, word)`` of ``words`` (letter runs) in ``text``: no
    letter (``str.isalpha``) just before or after. Found with ``str.find``, or, for more than
    :data:`FIND_WORDS_MAX` words, those made of letters only in one pass over the text's runs of
    letters (such an occurrence is a whole run; a search per word would read the text once per
    word)."""
    n = len(text)
    if len(words) > FIND_WORDS_MAX:
        alpha = {w for w in words if w.isalpha()}
        words = words - alpha
        for m in _TOKEN.finditer(text):
            run = m.group()
            if run.isalpha():
                if run in alpha:
                    yield m.start(), m.end(), run
                continue
            # A run of word characters that are no digits, some of them no letters either
            # (², Ⅻ): its runs of letters, one by one.
            base, begin = m.start(), None
            for k, ch in enumerate(run):
                if ch.isalpha():
                    if begin is None:
                        begin = k
                elif begin is not None:
                    if run[begin:k] in alpha:
                        yield base + begin, base + k, run[begin:k]
                    begin = None
            if begin is not None and run[begin:] in alpha:
                yield base + begin, base + len(run), run[begin:]
    for word in words:
        i = text.find(word)
        while i != -1:
            j = i + len(word)
            if (i == 0 or not text[i - 1].isalpha()) and (j == n or not text[j].isalpha()):
                yield i, j, word
            i = text.find(word, j)


#: _occurrences searches the text for each word when there are at most this many.
FIND_WORDS_MAX = 32


def _target_sentence(sentence: str, table: frozenset[str]) -> bool:
    """Most of the sentence's words are target-language words (so it is not U101's business)."""
    if sentence.isascii():
        # _fold is lower() on ASCII, and lower() keeps ASCII letters letters: fold once.
        words = _TOKEN.findall(sentence.lower())
    else:
        words = [_fold(w) for w in _TOKEN.findall(sentence)]
    if not words:
        return False
    return sum(map(table.__contains__, words)) / len(words) >= MIN_TARGET_KNOWN


def _infer_source(candidates: list[tuple[int, int, str, int]], target: str) -> str | None:
    """The language most candidate words belong to (by membership in wordfreq's small lists,
    tested without decoding them), if it accounts
    for :data:`MIN_INFERRED_WORDS` distinct words or :data:`MIN_INFERRED_OCCURRENCES` occurrences.

    Only the source is inferred this way; whether a word is flagged is still decided by
    :func:`source_words`. It answers None exactly when no language reaches either threshold, so
    a part of ``candidates`` never names a language when the whole does not.
    """
    occurrences: dict[str, int] = {}
    for c in candidates:
        occurrences[c[2]] = occurrences.get(c[2], 0) + 1
    return _infer_from_counts(occurrences, target)


def _infer_from_counts(occurrences: dict[str, int], target: str) -> str | None:
    """:func:`_infer_source` from each candidate word's number of occurrences."""
    if len(occurrences) < MIN_INFERRED_WORDS and sum(occurrences.values()) < MIN_INFERRED_OCCURRENCES:
        return None  # no language can count more words or occurrences than there are
    holding = _languages_holding(occurrences.keys())
    # Per language: how many distinct words its list holds, and how many occurrences they have.
    distinct: dict[str, int] = {}
    counted: dict[str, int] = {}
    for word, n in occurrences.items():
        for lang in holding[word]:
            distinct[lang] = distinct.get(lang, 0) + 1
            counted[lang] = counted.get(lang, 0) + n
    best, best_key = None, (0, 0)
    for lang in INFERENCE_LANGUAGES:
        if lang == target or lang not in distinct:
            continue  # a language without words has the key (0, 0), which never wins
        key = (distinct[lang], counted[lang])
        if key > best_key:
            best, best_key = lang, key
    if best_key[0] >= MIN_INFERRED_WORDS or best_key[1] >= MIN_INFERRED_OCCURRENCES:
        return best
    return None


#: :func:`_languages_holding` remembers the languages of at most this many words.
MAX_REMEMBERED_WORDS = 100_000
_holding: dict[str, tuple[str, ...]] = {}


def _languages_holding(words) -> dict[str, tuple[str, ...]]:
    """Each of ``words`` → the :data:`INFERENCE_LANGUAGES` whose small list holds it. A batch
    meets the same rare words in document after document: each word's languages are asked of
    the lists once (words not seen before, together) and remembered."""
    out = {}
    todo = []
    for w in words:
        langs = _holding.get(w)
        if langs is None:
            todo.append(w)
        else:
            out[w] = langs
    if todo:
        found = {lang: langid.in_word_list(lang, todo) for lang in INFERENCE_LANGUAGES}
        for w in todo:
            out[w] = tuple(lang for lang in INFERENCE_LANGUAGES if w in found[lang])
        if len(_holding) < MAX_REMEMBERED_WORDS:
            _holding.update((w, out[w]) for w in todo)
    return out


def source_words(words: set[str], source: str, target: str) -> dict[str, str]:
    """Which of ``words`` (casefolded, all missing from the target's small list) are evidence
    of the source language, each with the reason."""
    name_s, name_t = _name(source), _name(target)
    common = langid.in_word_list(source, words, min_zipf=MIN_SOURCE_ZIPF)
    out = {w: f"common in {name_s}, rare in {name_t}" for w in common}
    rest = {w for w in words if w not in out and len(w) >= MIN_UNKNOWN_LENGTH}
    if not rest or not langid.has_word_frequencies(source, "large") or not langid.has_word_frequencies(target, "large"):
        return out
    # Known in the source and unknown in the target. The source's list is asked first: it is
    # read only down to Zipf 1.5, a word it holds is found early, and only those words are then
    # looked for in the whole target list (a word it lacks is looked for to the end).
    known = langid.in_word_list(source, rest, "large", min_zipf=MIN_SOURCE_ZIPF_UNKNOWN)
    if known:
        for w in known - langid.in_word_list(target, known, "large"):
            out[w] = f"known in {name_s}, unknown in {name_t}"
    return out


@rule(
    "U102",
    "untranslated-word",
    severity=Severity.WARNING,
    category=Category.NON_TRANSLATION,
    bad=[
        Example("Moscow said the ⟦ministro⟧ would travel to Geneva on Friday.", source_lang="es"),
        Example("Police closed the ⟦calle⟧ near the station after the attack.", source_lang="es"),
        Example("The ⟦ministro⟧ said the ⟦calle⟧ would stay closed until the end of the week."),
        Example("The new ⟦gouvernement⟧ will present its budget to parliament next week.", source_lang="fr"),
        Example("Fires that have ⟦arrasado⟧ thousands of hectares forced the evacuation of the area.",
                source_lang="es"),
        Example("More than 300 ⟦migrantes⟧ arrived; the ⟦migrantes⟧ were taken to a centre for ⟦migrantes⟧."),
    ],
    good=[
        Example("The fiesta in the plaza drew crowds from every barrio of the city.", source_lang="es"),
        Example("The régime called it a fait accompli and a coup de grâce for the opposition.", source_lang="fr"),
        Example("The former president, a bon vivant, called it the zeitgeist of the decade.", source_lang="de"),
        Example("Protesters marched from the Plaza de Mayo to the Casa Rosada on Tuesday.", source_lang="es"),
        Example('The crowd chanted "el pueblo unido jamás será vencido" outside the embassy.', source_lang="es"),
        Example("The minister said the street would stay closed until the end of the week.", source_lang="es"),
        Example("The ministro was mentioned once, which is not enough to guess a source language."),
    ],
)
def untranslated_word(ctx: RuleContext) -> Iterator[Match]:
    """A source-language word left inside a target-language sentence (``the ministro said``).

    What it flags:
        A lower-case word, inside a sentence that is otherwise in the target language, that is
        either common in the source language (Zipf frequency of 4 or more in wordfreq's small
        list) and rare in the target (missing from wordfreq's list of words seen at least once
        per million), or known in the source (Zipf 1.5 or more in wordfreq's large list) and
        unknown in the target (missing from its large list), like the inflected forms an engine
        copies when it does not know them (``arrasado``, ``escrutados``). Capitalised words
        (names), words inside quotations, particles inside names (``Plaza de Mayo``), accented spellings of target words (``régime``) and known loanwords
        (``data/wordlists/loanwords-<target>.txt``: fiesta, coup d'état, zeitgeist, …) are never
        flagged. Without a source language (``--source-lang``), mtcheck infers it from the
        document and only reports when at least two distinct words (or three occurrences) point
        to the same language.

    Why it matters:
        Engines copy words they do not know into the output. A reader meets a foreign word where
        a translation should be; the sentence's meaning is incomplete.
    """
    target = base_lang(ctx.target_lang)
    if not target:
        return
    table = langid.word_set(target)
    if not table:
        return
    # The document's distinct words are checked first, so a clean document costs a set
    # difference; occurrences are looked up only for the few rare words.
    rare = _rare_words(langid.document_word_cases(ctx.doc), target, table)
    if not rare:
        return
    source = base_lang(ctx.source_lang)
    text = ctx.text
    folded = {w: _fold(w) for w in rare}  # each occurrence is its word as written
    if source is None:
        # The candidates are some of the rare words' occurrences, and fewer words and
        # occurrences never point to a source language when all of them do not (see
        # _infer_source): most documents stop here, before each occurrence's sentence,
        # quotations and neighbours are looked at. Only the words some other language's list
        # holds can count for it, so only theirs are counted (none: nothing to count).
        holding = _languages_holding(set(folded.values()))
        telling = {w for w in rare if any(lang != target for lang in holding[folded[w]])}
        if not telling:
            return
        found = list(_occurrences(text, telling))
        counts: dict[str, int] = {}
        for o in found:
            fold = folded[o[2]]
            counts[fold] = counts.get(fold, 0) + 1
        if _infer_from_counts(counts, target) is None:
            return
        occurrences = sorted(chain(found, _occurrences(text, rare - telling)))
    else:
        occurrences = sorted(_occurrences(text, rare))
    candidates = _candidates(ctx, target, occurrences, folded)
    if not candidates:
        return
    if source is None:
        source = _infer_source(candidates, target)
    if source is None or source == target:
        return
    if not (langid.has_word_frequencies(source) or langid.word_set(source)):
        return
    reasons = source_words({c[2] for c in candidates}, source, target)
    sentences = ctx.sentences
    verdict: dict[int, bool] = {}
    for start, end, word, si in candidates:
        reason = reasons.get(word)
        if reason is None:
            continue
        if si not in verdict:
            verdict[si] = _target_sentence(sentences[si].text, table)
        if not verdict[si]:
            continue
        yield Match(
            start,
            end,
            f"'{ctx.text[start:end]}' looks like an untranslated {_name(source)} word ({reason})",
        )
