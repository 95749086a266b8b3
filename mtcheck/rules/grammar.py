"""Grammar carried over from the source language (family G).

Light, lexicon-driven heuristics for constructions that machine translation copies from the
source: the Spanish personal *a* (``destruir a Rusia`` → ``destroy to Russia``), a missing *to*
after *want* (``queriendo "destruir"`` → ``wanting "destroy"``), the ambiguous Spanish possessive
*su* rendered as *his* for a plural owner, and a singular pronoun subject with a plural verb.

No tagger is loaded: the rules read word lists from ``mtcheck/data/verbs/<lang>.txt`` (verbs with
tags ``obj`` and ``ambig``) and ``mtcheck/data/grammar/<lang>.json``, so they run at the speed of a
few regular expressions.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from operator import attrgetter

from mtcheck.data import load_json, load_lines
from mtcheck.findings import Applicability, Category, Edit, Fix, Match, Severity
from mtcheck.langid import document_words
from mtcheck.rules.base import RuleContext, base_lang, rule
from mtcheck.text.patterns import alternation, finditer_anchored, trie_regex, word_anchors

_WORD = re.compile(r"\w[\w’'-]*")
_IRREGULAR = {
    "see": ("saw", "seen"),
    "hear": ("heard",),
    "tell": (),
    "know": ("knew",),
    "shoot": ("shot",),
    "beat": ("beaten",),
    "catch": ("caught",),
    "hurt": (),
    "hang": ("hung", "hanged"),
    "understand": ("understood",),
    "forgive": ("forgave", "forgiven"),
    "feed": ("fed",),
    "meet": ("met",),
    "fight": ("fought",),
    "seek": ("sought",),
    "overthrow": ("overthrew", "overthrown"),
    "rebuild": ("rebuilt",),
}
#: Inflected forms that are common English with "to": "thanks to", "known to", "abandoned to".
_NOT_INFLECTED = frozenset({"thanks", "known", "told", "abandoned", "condemned", "sentenced"})


@dataclass(frozen=True)
class Lexicon:
    """A language's verb tags and word classes for the G rules."""

    base: dict  # verb -> frozenset of tags
    forms: dict  # inflected or base form -> base verb
    data: dict
    # word class -> its lower-cased words, built on first use (the rules ask on every document)
    _words: dict = field(default_factory=dict, compare=False, repr=False)

    def words(self, key: str) -> frozenset:
        hit = self._words.get(key)
        if hit is None:
            hit = self._words[key] = frozenset(w.lower() for w in self.data.get(key, ()))
        return hit


def _inflect(verb: str) -> set[str]:
    forms = {verb}
    if verb.endswith("e"):
        forms |= {verb + "s", verb + "d", verb[:-1] + "ing"}
    elif verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"}
    elif verb.endswith(("s", "sh", "ch", "x", "z")):
        forms |= {verb + "es", verb + "ed", verb + "ing"}
    else:
        forms |= {verb + "s", verb + "ed", verb + "ing"}
        if re.fullmatch(r"[^aeiou]*[aeiou][bdgklmnprt]", verb):
            forms |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}
    forms |= set(_IRREGULAR.get(verb, ()))
    return forms


@lru_cache(maxsize=None)
def lexicon(lang: str | None) -> Lexicon | None:
    """Verb tags and word lists for ``lang``; None when there is no data for it."""
    key = base_lang(lang, "en")
    lines = load_lines("verbs", key)
    data = load_json("grammar", key)
    if not lines or data is None:
        return None
    base = {}
    for line in lines:
        parts = line.split()
        base[parts[0]] = frozenset(parts[1:])
    forms = {}
    for verb, tags in base.items():
        if "obj" not in tags:
            continue
        for f in _inflect(verb):
            if f == verb or f in _NOT_INFLECTED:
                continue
            if "ambig" in tags and (f.endswith("s") or f.endswith("ing")):
                continue  # "visits to Kyiv", "the bombing to": nouns
            forms.setdefault(f, verb)
    return Lexicon(base=base, forms=forms, data=data)


_LETTER_RUN = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=None)
def _words_by_first_run(words: frozenset) -> tuple[dict[str, tuple[str, ...]], frozenset, tuple[str, ...]]:
    """(first letter run -> the words that start with it, the runs, the words without a letter)."""
    by_run: dict[str, list[str]] = {}
    no_run = []
    for w in sorted(words):
        m = _LETTER_RUN.search(w)
        if m:
            by_run.setdefault(m.group(), []).append(w)
        else:
            no_run.append(w)
    return {r: tuple(ws) for r, ws in by_run.items()}, frozenset(by_run), tuple(no_run)


@lru_cache(maxsize=256)
def _anchors_of(words: tuple[str, ...]) -> tuple[str, ...]:
    return word_anchors(words)


def document_anchors(doc, words: frozenset) -> tuple[str, ...]:
    r""":func:`word_anchors` of those ``words`` that can occur in ``doc``.

    For a pattern that has no word character right before a word of ``words`` and no letter right
    after the word's first letter run (``(?<![\w’'-])`` before it, ``\s`` or ``\b`` after it),
    that run is one of the document's letter runs (:func:`mtcheck.langid.document_words`, worked
    out once per document and shared with other rules): a set lookup per word instead of a
    ``str.find`` over the text."""
    by_run, runs, no_run = _words_by_first_run(words)
    found = runs & document_words(doc)  # a set intersection: runs the loop over the smaller set in C
    return _anchors_of(tuple(sorted([w for run in found for w in by_run[run]] + list(no_run))))


# -- G101 ------------------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _personal_a_pattern(lang: str) -> re.Pattern | None:
    """``to`` + a proper noun or a person; the verb before it is read by :func:`_token_before`."""
    lex = lexicon(lang)
    if lex is None:
        return None
    dets = trie_regex(lex.words("np_determiners"))
    persons = trie_regex(lex.words("person_nouns"))
    proper = r"[A-Z][\w’'-]*(?:\s[A-Z][\w’'-]*)*"
    amount = r"(?:(?:more|fewer|less)\s+than\s+|some\s+|about\s+|around\s+|nearly\s+|almost\s+|over\s+|at\s+least\s+)?\d[\d.,]*\s+[a-z]+"
    obj = rf"(?:(?:{dets})\s+(?:[a-z][\w-]*\s+){{0,2}}(?:{proper}|(?:{persons})\b)|{proper}|{amount})"
    # "to" not inside a word. The boundary is checked after the literal (``to(?<!…to)``), not
    # before it: a pattern that starts with a literal is searched for in C, while one that starts
    # with a lookbehind is tried at every position of the text (six times slower).
    return re.compile(rf"to(?<![\w’'-]to)\s+(?P<obj>{obj})")


@lru_cache(maxsize=None)
def _personal_a_contexts(lang: str) -> tuple[frozenset, frozenset]:
    """(verbal contexts, every context) before a base-form verb for G101."""
    lex = lexicon(lang)
    verbal = lex.words("verbal_contexts") | lex.words("subject_pronouns")
    return verbal, verbal | lex.words("want_verbs") | {"expect", "expects", "expected", "expecting"}


_QUOTED_VERB = re.compile(r"(?P<q1>[\"“]?)(?P<verb>[a-z]+)(?P<q2>[\"”]?)")


def _token_before(text: str, pos: int) -> tuple[int, int]:
    """The whitespace-delimited token that ends just before ``pos`` (skipping spaces)."""
    i = pos
    while i > 0 and text[i - 1].isspace():
        i -= 1
    j = i
    while j > 0 and not text[j - 1].isspace() and i - j < 40:
        j -= 1
    return j, i


@rule(
    "G101",
    "spanish-personal-a",
    severity=Severity.WARNING,
    category=Category.FLUENCY,
    sources={"es"},
    targets={"en"},
    fix=Applicability.UNSAFE,
    bad=[
        'Putin accuses the West of wanting ⟦"destroy" to Russia⟧.',
        'Zelensky urged the world to ⟦"punish" to Russia⟧.',
        "The socialist candidate ⟦congratulated to his voters⟧ and ⟦accused to the regional Government⟧.",
        "The mayor accused Brussels of trying to ⟦abandon to Italy⟧.",
        "We spent years expecting ⟦see to Ganymede⟧ so closely.",
        "They ⟦rescue to more than 300 migrants⟧ off Lampedusa.",
    ],
    good=[
        "Engineers restored power to about 80% of homes, according to Mayor Vitali Klitschko.",
        "The delegation will travel to Brussels and talk to NATO officials.",
        "Thanks to the Government's plan, the suspect, known to the police, was handed over to Interpol.",
        "Western partners pledged support to Ukraine; the town was lost to Russia in May.",
        "He wants to help Ukraine and to punish Russia.",
        "The team's visits to Kyiv were kept secret, and the ministry sent help to Spain.",
        "Prices rose to more than 300 euros; the death toll was reduced to 12 people.",
        "They return to Spain on Monday, and we talk to Brussels every day.",
    ],
)
def spanish_personal_a(ctx: RuleContext):
    """A transitive verb followed by ``to`` before its object: the Spanish personal *a*.

    What it flags:
        ``wanting "destroy" to Russia``, ``urged the world to "punish" to Russia``,
        ``congratulated to his voters``: a verb that takes a direct object in English (tagged
        ``obj`` in ``data/verbs/en.txt``), then ``to``, then a proper noun or a person. Spanish marks
        a personal or personified direct object with *a* (``castigar a Rusia``) and engines translate
        it as ``to``. A base form counts only after ``to``, a modal or a verb like *want*, so nouns
        (``support to Ukraine``) stay silent; verbs that legitimately take ``to`` (go, talk, lose,
        give) carry no ``obj`` tag.

    Why it matters:
        ``destroy to Russia`` is ungrammatical in English and reads as a clear machine-translation
        tell.

    Example:
        Bad: ``urged the world to "punish" to Russia``
        Good: ``urged the world to "punish" Russia``

    Fix safety:
        Deleting ``to`` is unsafe: the rule cannot rule out a verb it does not know that really takes
        ``to``.
    """
    pattern = _personal_a_pattern("en")
    lex = lexicon("en")
    if pattern is None:
        return
    text = ctx.text
    verbal, contexts = _personal_a_contexts("en")
    for m in pattern.finditer(text):
        vs, ve = _token_before(text, m.start())
        v = _QUOTED_VERB.fullmatch(text, vs, ve)
        if not v or bool(v.group("q1")) != bool(v.group("q2")):
            continue
        word = v.group("verb")
        if word in lex.base and "obj" in lex.base[word]:
            cs, ce = _token_before(text, vs)
            ctx_word = text[cs:ce].lower() if ce == vs - 1 or text[ce:vs].isspace() else ""
            ctx_word = ctx_word if ctx_word in contexts else ""
            if not ctx_word:
                continue  # a base form needs a verbal context: "support to Ukraine" is a noun
            if "ambig" in lex.base[word] and not v.group("q1") and ctx_word not in verbal:
                continue  # "pledged support to Ukraine": after want-like verbs, a noun
        elif word not in lex.forms:
            continue
        obj = m.group("obj")
        if obj.split()[0] == "I":
            continue
        if "propernoun" in lex.base.get(lex.forms.get(word, word), ()) and not obj.split()[-1][0].isupper():
            continue
        to_start, obj_start = m.start(), m.start("obj")
        yield Match(
            vs,
            m.end("obj"),
            f"{word!r} takes a direct object in English: '{word} {obj}', not '{word} to {obj}' "
            "(the Spanish personal \"a\")",
            fix=Fix((Edit(to_start, obj_start, ""),), Applicability.UNSAFE, "delete 'to'"),
        )


# -- G102 ------------------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _want_words(lang: str) -> frozenset:
    return lexicon(lang).words("want_verbs") | {"expect", "expects", "expected", "expecting"}


@lru_cache(maxsize=None)
def _bare_verb_pattern(lang: str) -> re.Pattern | None:
    lex = lexicon(lang)
    if lex is None:
        return None
    wants = trie_regex(_want_words(lang))
    return re.compile(
        rf"(?<![\w’'-])(?P<want>{wants})\s+(?P<vspan>(?P<q1>[\"“]?)(?P<verb>[a-z]+)(?P<q2>[\"”]?))(?![\w’'-])"
        r"(?P<after>\s+to\s+[A-Z])?"
    )


@rule(
    "G102",
    "bare-verb-after-want",
    severity=Severity.WARNING,
    category=Category.FLUENCY,
    targets={"en"},
    fix=Applicability.UNSAFE,
    bad=[
        'Putin accuses the West of ⟦wanting "destroy"⟧ to Russia.',
        "We spent years ⟦expecting see⟧ Ganymede so closely.",
        "The rebels ⟦want negotiate⟧ a ceasefire, and many residents ⟦wanted flee⟧.",
        'They are ⟦trying "support"⟧ to Ukraine.',
    ],
    good=[
        "Residents want help, and the council wants change.",
        "The police are seeking help from the public; officials expected return flights to resume.",
        "He wanted to destroy the evidence, and she hoped to win.",
        "Most wanted fugitives were seeking asylum; the agreed terms were trying times for all.",
        "The minister said he wished Ukraine well.",
    ],
)
def bare_verb_after_want(ctx: RuleContext):
    """A bare verb after *want*, *wish*, *try*, *expect* and similar verbs: the *to* is missing.

    What it flags:
        ``wanting "destroy"``, ``expecting see``: a verb that takes a *to*-infinitive followed by a
        bare verb. Spanish ``querer destruir`` has no infinitive marker, and engines often drop it.
        Verbs that are also common nouns (``want help``, ``want change``) are flagged only when
        quoted and followed by ``to`` + a name (``trying "support" to Ukraine``).

    Why it matters:
        The sentence is ungrammatical; readers notice it at once.

    Fix safety:
        Inserting ``to`` is unsafe: the following word may be a noun the rule takes for a verb.
    """
    pattern = _bare_verb_pattern("en")
    lex = lexicon("en")
    if pattern is None:
        return
    for m in finditer_anchored(pattern, ctx.text, document_anchors(ctx.doc, _want_words("en"))):
        word = m.group("verb")
        tags = lex.base.get(word)
        if tags is None:
            continue
        quoted = bool(m.group("q1"))
        if "ambig" in tags and not (quoted and m.group("after")):
            continue
        start = m.start("vspan")
        yield Match(
            m.start("want"),
            m.end("vspan"),
            f"'{m.group('want')}' needs 'to' before the verb {word!r}",
            fix=Fix((Edit(start, start, "to "),), Applicability.UNSAFE, "insert 'to'"),
        )


# -- G103 ------------------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _plural_subject_pattern(lang: str) -> re.Pattern | None:
    lex = lexicon(lang)
    if lex is None:
        return None
    quantifiers = lex.words("plural_quantifiers")
    quant = trie_regex(quantifiers | {w.capitalize() for w in quantifiers})
    dets = ("these", "those", "the", "many", "several", "all")
    det = trie_regex(dets + tuple(d.capitalize() for d in dets))
    verbs = alternation(lex.words("plural_verbs"))
    return re.compile(
        rf"(?<![\w’'-])(?:(?P<quant>{quant})\s+of\s+(?:(?:these|those|the|their|our)\s+(?P<n1>[a-z]+s)|them)"
        rf"|(?P<det>{det})\s+(?:[a-z]+\s+)?(?P<n2>[a-z]+[^s\W]s))"
        rf"(?P<rel>\s+(?:that|who))?\s+(?P<verb>{verbs})\b"
    )


@lru_cache(maxsize=None)
def _plural_verb_pieces(lang: str) -> tuple[str, ...]:
    """The longest space-free piece of each of G103's plural verbs: a sentence the pattern
    matches holds one of them."""
    return tuple(sorted({max(v.split(" "), key=len) for v in lexicon(lang).words("plural_verbs")}))


@lru_cache(maxsize=None)
def _plural_verb_tail(lang: str) -> re.Pattern:
    """How every match of G103's pattern ends: a plural noun's ``s`` (or ``them``'s ``m``), maybe
    *that* or *who*, and a plural verb. A search for it reads a sentence in C at the speed of a
    character class; the whole pattern, led by a lookbehind, is tried at every position."""
    verbs = alternation(lexicon(lang).words("plural_verbs"))
    return re.compile(rf"[sm](?:\s+(?:that|who))?\s+(?:{verbs})\b")


def _find_from(text: str, sub: str, start: int) -> int:
    """``text.find(sub, start)``, or the text's length when there is none."""
    i = text.find(sub, start)
    return len(text) if i < 0 else i


class _WordsBefore:
    """Whether the words of a sentence before an offset name a person (a capital after the first
    word, or *he*, *she*, *him*), for offsets asked in increasing order: each word is read once
    however many matches ask. No word runs across a match's start (a lookbehind rules out a word
    character before it), so the words before it are ``_WORD.findall(text[:start])``."""

    __slots__ = ("_words", "_next", "_count", "_found")

    def __init__(self, text: str):
        self._words = _WORD.finditer(text)
        self._next = next(self._words, None)
        self._count = 0
        self._found = False

    def person_before(self, start: int) -> bool:
        w = self._next
        while w is not None and w.start() < start:
            word = w.group()
            if (self._count and word[0].isupper()) or word.lower() in ("he", "she", "him"):
                self._found = True
            self._count += 1
            w = next(self._words, None)
        self._next = w
        return self._found


_POSSESSIVE = re.compile(r"\b(?P<poss>his|her)\s+(?P<noun>[a-z][\w-]*)")
#: `` his `` or `` her ``: a match starts at the ``h`` (the space before it is checked behind it,
#: so the text is scanned for a letter in C), and both of `` his her `` are found.
_SPACED_HIS_HER = re.compile(r"h(?:is|er) (?<= h.. )")
_START = attrgetter("start")


def _sentences_holding(sentences: list, starts: list[int], length: int) -> list:
    """The sentences (sorted, not overlapping) that hold whole one of the ``length``-character
    strings that start one character before each of ``starts``, in order: a search per string
    found in the text, instead of a look into every sentence (most hold none)."""
    found = set()
    for start in starts:
        k = bisect_right(sentences, start - 1, key=_START) - 1
        if k >= 0 and start - 1 + length <= sentences[k].end:
            found.add(k)
    return [sentences[k] for k in sorted(found)]


@rule(
    "G103",
    "possessive-agreement",
    severity=Severity.INFO,
    category=Category.FLUENCY,
    sources={"es", "pt"},
    targets={"en"},
    fix=Applicability.UNSAFE,
    bad=[
        'But many of these prisoners were "brutally tortured" during ⟦his captivity⟧, officials said.',
        "Aid was promised for the farmers that have lost ⟦his harvests⟧.",
        "Some of the villagers were still living in ⟦her cars⟧.",
    ],
    good=[
        "Many of these prisoners were tortured during their captivity, officials said.",
        "The protesters were arrested during his visit to the capital.",
        "The prisoners were moved after the president gave his approval.",
        "Several of the ministers were with Mr Sánchez during his trip.",
        "The soldiers were loyal to their commander, who kept his word.",
        "Many of them had heard the news. His wife was told first.",
    ],
)
def possessive_agreement(ctx: RuleContext):
    """A singular *his*/*her* that refers back to a plural subject (Spanish *su* = their).

    What it flags:
        ``many of these prisoners were "brutally tortured" during his captivity``: a plural subject
        with a plural verb, then, within a few words and with no other possible owner in between
        (no name, no singular noun phrase, no comma), *his* or *her*. Spanish *su* means his, her,
        its or their; engines often pick *his*.

    Why it matters:
        The reader looks for a man the sentence never mentions, or misreads whose captivity,
        harvest or house it is.

    The rule is reported as info, and raised to a warning when it is confident: the owned noun is
    plural (``his harvests``) or one a person owns (``captivity``, ``house``, ``life`` …, from
    ``data/grammar/en.json``). A name or *he*/*she* earlier in the sentence is a possible owner,
    and nouns for events and offices (``his visit``, ``his government``) usually belong to someone
    named earlier: neither is flagged.

    Fix safety:
        Replacing the possessive with *their* is unsafe: the owner may be someone in a previous
        sentence.
    """
    pattern = _plural_subject_pattern("en")
    lex = lexicon("en")
    if pattern is None:
        return
    text = ctx.text
    found = [m.start() for m in _SPACED_HIS_HER.finditer(text)]
    if not found:
        return  # no sentence has one either
    blockers = lex.words("singular_antecedent_words")
    owned = lex.words("owned_nouns")
    events = lex.words("event_nouns")
    verbs = _plural_verb_pieces("en")
    tail = _plural_verb_tail("en")
    for sent in _sentences_holding(ctx.sentences, found, 5):
        s_text = sent.text
        for v in verbs:
            if v in s_text:
                break
        else:
            continue  # the pattern ends with one of the plural verbs
        if not tail.search(s_text):
            continue
        # Each match looks ahead to the next possessive and the next "," or ";", and back at the
        # words before it: the answers carry over from one match to the next (the matches come
        # in order), so a long sentence with many matches is still read once, not once a match.
        before = _WordsBefore(s_text)
        poss, searched = None, False
        comma = semicolon = -1
        for m in pattern.finditer(s_text):
            m_end = m.end()
            if not searched or (poss is not None and poss.start() < m_end):
                poss, searched = _POSSESSIVE.search(s_text, m_end), True
            if not poss:
                continue
            if comma < m_end:
                comma = _find_from(s_text, ",", m_end)
            if semicolon < m_end:
                semicolon = _find_from(s_text, ";", m_end)
            if comma < poss.start() or semicolon < poss.start():
                continue
            # at most seven words: more than six already rule the match out
            words = [w.group() for w in islice(_WORD.finditer(s_text, m_end, poss.start()), 7)]
            if len(words) > 6 or any(w[0].isupper() or w.lower() in blockers for w in words):
                continue
            noun = poss.group("noun")
            if noun in events or noun in blockers:
                continue
            person_before = before.person_before(m.start())
            plural_owned = noun.endswith("s") and not noun.endswith("ss")
            confident = (plural_owned or noun in owned) and not person_before
            if not confident and person_before:
                continue
            start, end = sent.start + poss.start(), sent.start + poss.end()
            ps = sent.start + poss.start("poss")
            yield Match(
                start,
                end,
                f"singular {poss.group('poss')!r} seems to refer to the plural subject "
                f"{s_text[m.start():m.start('rel') if m.group('rel') else m.start('verb')].strip()!r}: use 'their'",
                severity=Severity.WARNING if confident else None,
                fix=Fix((Edit(ps, ps + len(poss.group("poss")), "their"),), Applicability.UNSAFE, "use 'their'"),
            )


# -- G104 ------------------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _indefinites(lang: str) -> frozenset:
    subjects = lexicon(lang).words("singular_indefinites")
    return subjects | {w.capitalize() for w in subjects}


@lru_cache(maxsize=None)
def _indefinite_pattern(lang: str) -> re.Pattern | None:
    lex = lexicon(lang)
    if lex is None:
        return None
    subj = trie_regex(_indefinites(lang))
    verbs = alternation(lex.words("base_plural_verbs"))
    return re.compile(
        rf"(?<![\w’'-])(?P<subj>{subj})\b(?P<gap>[\"”]?\s+[\"“]?)(?P<verb>{verbs})\b(?P<next>\s+[\w’'-]+)?"
    )


_THIRD_PERSON = {"have": "has", "are": "is", "were": "was", "do": "does", "go": "goes"}


@rule(
    "G104",
    "indefinite-pronoun-agreement",
    severity=Severity.WARNING,
    category=Category.FLUENCY,
    targets={"en"},
    fix=Applicability.UNSAFE,
    bad=[
        'Many were tortured and "absolutely ⟦everyone" "need⟧ psychological rehabilitation", officials said.',
        "After the fire, ⟦nobody have⟧ returned to the village.",
        "⟦Everyone are⟧ welcome at the meeting.",
    ],
    good=[
        "Everyone needs rest. Does everyone need a ticket? No one need fear the vote.",
        "They let everyone go home; it is vital that everyone have access to water.",
        "If everyone were honest, nobody would lose. Has anyone seen the report?",
        "Those who have nothing have little to lose.",
    ],
)
def indefinite_pronoun_agreement(ctx: RuleContext):
    """A singular indefinite pronoun (everyone, nobody, someone…) with a plural verb.

    What it flags:
        ``"absolutely everyone" "need psychological rehabilitation"``, ``nobody have returned``.
        Spanish ``todos necesitan`` (plural) is often rendered with *everyone* but keeps the plural
        verb. Questions (``does everyone need``), subjunctives (``vital that everyone have``,
        ``if everyone were``), ``let``/``make``/``help`` + pronoun + bare verb and the modal *need*
        (``no one need fear``) are not flagged.

    Why it matters:
        Subject–verb agreement errors are among the first things a reader notices.

    Fix safety:
        Replacing the verb with its third-person singular form is unsafe: the pronoun may be the
        object of a previous verb the rule did not see.
    """
    pattern = _indefinite_pattern("en")
    lex = lexicon("en")
    if pattern is None:
        return
    text = ctx.text
    blockers = lex.words("agreement_blockers")
    modal_followers = lex.words("modal_need_followers")
    for m in finditer_anchored(pattern, text, document_anchors(ctx.doc, _indefinites("en"))):
        if m.group("verb") != m.group("verb").lower():
            continue
        before = _WORD.findall(text[max(0, m.start() - 40) : m.start()])
        if before and before[-1].lower() in blockers | {"wish", "wished", "though"}:
            continue
        if len(before) >= 2 and before[-2].lower() in ("does", "do", "did", "if") and before[-1].lower() in (
            "absolutely", "really", "not", "almost", "just",
        ):
            continue
        verb = m.group("verb")
        nxt = (m.group("next") or "").strip().lower()
        if verb == "need" and (nxt in modal_followers or nxt in lex.base):
            continue
        third = _THIRD_PERSON.get(verb, verb + "s")
        vs = m.start("verb")
        yield Match(
            m.start("subj"),
            m.end("verb"),
            f"{m.group('subj')!r} takes a singular verb: '{third}', not {verb!r}",
            fix=Fix((Edit(vs, m.end("verb"), third),), Applicability.UNSAFE, f"use {third!r}"),
        )
