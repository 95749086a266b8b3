"""Untranslated fragments (family U): sentences and words left in a language other than the target.

U101 asks langdetect (through :mod:`mtcheck.langid`) about each sentence, but only after a cheap
pre-filter has failed to show that the sentence is in the target language, so a clean article
costs almost nothing. U102 looks for single words that are frequent in the source language and
rare in the target language (wordfreq's lists), the typical residue of a machine translation that
did not know a word (``the ministro said``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from mtcheck import langid
from mtcheck.findings import Category, Match, Severity
from mtcheck.rules.base import Example, RuleContext, rule

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
#: U102: … and, for the sentence to count as target language, this share of its words must be
#: target-language words.
MIN_TARGET_KNOWN = 0.6
#: U102 without a known source language: languages to try, and how many distinct words of one
#: language the document must contain before mtcheck believes it is the source.
INFERENCE_LANGUAGES = ("es", "fr", "de", "pt", "it", "nl", "ca", "ro")
#: A word counts towards a language when it is in that language's small list (Zipf 3 or more).
MIN_INFERENCE_ZIPF = 3.0
MIN_INFERRED_WORDS = 2
MIN_INFERRED_OCCURRENCES = 3

# Quotations, by pairs of marks; bounded and without nested quantifiers.
_QUOTED = re.compile(
    r'"[^"\n]{1,600}"|“[^”\n]{1,600}”|«[^»\n]{1,600}»|„[^“”\n]{1,600}[“”]|‘[^’\n]{1,600}’(?!\w)|‹[^›\n]{1,600}›'
)
_TOKEN = re.compile(r"[^\W\d_]+")
_WORDS_WITH_CASE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def _base(lang: str | None) -> str | None:
    return lang.replace("_", "-").split("-")[0].lower() if lang else None


def _name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def _quoted_spans(text: str) -> list[tuple[int, int]]:
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
        outside_text = " ".join(outside)
        if len(_WORDS_WITH_CASE.findall(outside_text)) >= MIN_WORDS:
            text = outside_text
        else:
            kept, pos = [], 0
            for s, e in spans:
                kept.append(text[pos:s])
                inner = text[s + 1 : e - 1]
                if len(_WORDS_WITH_CASE.findall(inner)) > SHORT_QUOTE_WORDS:
                    kept.append(inner)
                pos = e
            kept.append(text[pos:])
            text = " ".join(kept)
    out = []
    for i, w in enumerate(_WORDS_WITH_CASE.findall(text)):
        if w.isupper() and len(w) > 1:
            continue
        if i > 0 and w[0].isupper():
            continue
        out.append(w.lower())
    return out


def _clearly_target(words: list[str], target: str) -> bool:
    """The pre-filter: the sentence is full of target-language function words, more than of any
    other language's."""
    share = langid.function_word_share(words, target)
    if share < TARGET_SHARE:
        return False
    return all(langid.function_word_share(words, other) < share for other in _function_word_languages() if other != target)


@lru_cache(maxsize=1)
def _function_word_languages() -> tuple[str, ...]:
    from mtcheck.data import load_json

    return tuple(k for k in (load_json("wordlists", "function-words") or {}) if not k.startswith("_"))


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
        remaining words is not judged at all. A sentence rich in target-language function words
        is accepted without asking langdetect.

    Why it matters:
        An untranslated sentence is a non-translation error in MQM terms: the reader of the
        target text cannot read it, and it usually means the engine failed on that segment or
        the scraper mixed in text from the original page.
    """
    target = _base(ctx.target_lang)
    if not target:
        return
    extra = tuple(x for x in (target, _base(ctx.source_lang)) if x)
    for sent in ctx.sentences:
        words = sentence_evidence(sent.text)
        if len(words) < MIN_WORDS or sum(len(w) for w in words) < langid.MIN_CHARS:
            continue
        if _clearly_target(words, target):
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
    return unicodedata.normalize("NFC", word).casefold()


def _strip_accents(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


@lru_cache(maxsize=None)
def _loanwords(target: str) -> tuple[frozenset[str], re.Pattern | None]:
    """Single loanwords and a regex over multi-word loan phrases for ``target``."""
    from mtcheck.data import load_lines

    singles, phrases = set(), []
    for line in load_lines("wordlists", f"loanwords-{target}"):
        entry = _fold(line)
        if " " in entry or "-" in entry or "'" in entry or "’" in entry:
            phrases.append(entry)
        else:
            singles.add(entry)
    if not phrases:
        return frozenset(singles), None
    alternatives = "|".join(re.escape(p).replace("'", "['’]") for p in sorted(phrases, key=len, reverse=True))
    return frozenset(singles), re.compile(r"(?<!\w)(?:" + alternatives + r")(?!\w)", re.IGNORECASE)


def _candidates(ctx: RuleContext, target: str, table: dict[str, float]) -> list[tuple[int, int, str, int]]:
    """Words of the document that are rare or absent in the target language and could be
    source-language words left behind: ``(start, end, folded word, sentence index)``."""
    singles, phrases = _loanwords(target)
    out = []
    for si, sent in enumerate(ctx.sentences):
        tokens = list(_TOKEN.finditer(sent.text))
        if not tokens:
            continue
        rare = []
        for ti, m in enumerate(tokens):
            word = m.group()
            if len(word) < 3 or not word[0].islower():
                continue
            folded = _fold(word)
            if folded in table or folded in singles or _strip_accents(folded) in table:
                continue
            # A lower-case particle between two capitalised words belongs to a name (Plaza de Mayo).
            if 0 < ti < len(tokens) - 1 and tokens[ti - 1].group()[0].isupper() and tokens[ti + 1].group()[0].isupper():
                continue
            rare.append(m)
        if not rare:
            continue
        skip = _quoted_spans(sent.text)
        if phrases is not None:
            skip += [p.span() for p in phrases.finditer(sent.text)]
        for m in rare:
            if any(s <= m.start() and m.end() <= e for s, e in skip):
                continue
            out.append((sent.start + m.start(), sent.start + m.end(), _fold(m.group()), si))
    return out


def _target_sentence(sentence: str, table: dict[str, float]) -> bool:
    """Most of the sentence's words are target-language words (so it is not U101's business)."""
    words = [_fold(w) for w in _TOKEN.findall(sentence)]
    if not words:
        return False
    return sum(1 for w in words if w in table) / len(words) >= MIN_TARGET_KNOWN


def _infer_source(candidates: list[tuple[int, int, str, int]], target: str) -> str | None:
    """The language most candidate words belong to (by wordfreq's small lists), if it accounts
    for :data:`MIN_INFERRED_WORDS` distinct words or :data:`MIN_INFERRED_OCCURRENCES` occurrences.

    Only the source is inferred this way; whether a word is flagged is still decided by
    :func:`_source_word`.
    """
    best, best_key = None, (0, 0, 0.0)
    for lang in INFERENCE_LANGUAGES:
        if lang == target:
            continue
        table = langid.zipf_table(lang)
        hits = [table.get(c[2], 0.0) for c in candidates]
        hits = [c[2] for c, z in zip(candidates, hits) if z >= MIN_INFERENCE_ZIPF]
        key = (len(set(hits)), len(hits), sum(table[w] for w in set(hits)))
        if key > best_key:
            best, best_key = lang, key
    if best_key[0] >= MIN_INFERRED_WORDS or best_key[1] >= MIN_INFERRED_OCCURRENCES:
        return best
    return None


def _source_word(word: str, source: str, target: str) -> str | None:
    """Why a word missing from the target's small list is evidence of the source language, or
    None when it is not."""
    if langid.zipf_table(source).get(word, 0.0) >= MIN_SOURCE_ZIPF:
        return f"common in {_name(source)}, rare in {_name(target)}"
    if len(word) < MIN_UNKNOWN_LENGTH or not langid.has_word_frequencies(source, "large"):
        return None
    if not langid.has_word_frequencies(target, "large") or word in langid.zipf_table(target, "large"):
        return None
    if langid.zipf_table(source, "large").get(word, 0.0) >= MIN_SOURCE_ZIPF_UNKNOWN:
        return f"known in {_name(source)}, unknown in {_name(target)}"
    return None


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
        copies when it does not know them (``arrasado``, ``escrutados``). Capitalised words (names), words inside quotations, particles inside names
        (``Plaza de Mayo``), accented spellings of target words (``régime``) and known loanwords
        (``data/wordlists/loanwords-<target>.txt``: fiesta, coup d'état, zeitgeist, …) are never
        flagged. Without a source language (``--source-lang``), mtcheck infers it from the
        document and only reports when at least two distinct words (or three occurrences) point
        to the same language.

    Why it matters:
        Engines copy words they do not know into the output. A reader meets a foreign word where
        a translation should be; the sentence's meaning is incomplete.
    """
    target = _base(ctx.target_lang)
    if not target:
        return
    table = langid.zipf_table(target)
    if not table:
        return
    candidates = _candidates(ctx, target, table)
    if not candidates:
        return
    source = _base(ctx.source_lang)
    if source is None:
        source = _infer_source(candidates, target)
    if source is None or source == target:
        return
    if not langid.zipf_table(source):
        return
    sentences = ctx.sentences
    verdict: dict[int, bool] = {}
    for start, end, word, si in candidates:
        reason = _source_word(word, source, target)
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
