"""Family U: untranslated sentences (U101) and words (U102).

The rules' own bad/good examples run in tests/test_rule_examples.py; here: the corpora (silent on
clean English, finding the annotated untranslated words in the machine translations), the
pre-filter, quoted titles and names, source inference, and the CLI end to end.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import CORPORA, run_cli

from mtcheck.api import scan_document
from mtcheck.document import Document
from mtcheck.rules import untranslated
from mtcheck.settings import Settings

CLEAN = sorted((CORPORA / "clean" / "en").glob("*.txt"))
MT = sorted((CORPORA / "mt" / "es-en").glob("*.txt"))

#: Clean English news prose that is hard on these rules: loanwords, foreign names with lower-case
#: particles, quoted foreign titles and slogans, accented spellings.
HARD_CLEAN = """\
The fiesta in the Plaza de Mayo drew crowds from every barrio of Buenos Aires on Sunday.

Andrés Manuel López Obrador, Luiz Inácio Lula da Silva and Gustavo Petro met in Bogotá, where the \
junta's former chief, a self-styled caudillo, was tried in absentia.

Her first novel, "Cien años de soledad en la ciudad", sold a million copies; the sequel, \
“La casa de los espíritus del sur”, did even better.

Protesters chanted "no pasarán" and "el pueblo unido jamás será vencido" outside the Congreso de \
los Diputados, while the régime called the vote a fait accompli and a coup de grâce.

The former chancellor, a bon vivant with a taste for realpolitik, said the zeitgeist had changed.

Officials at the Banco de la Nación Argentina said the peso fell 3% against the dollar.
"""


def scan(text: str, select: str, source: str | None = None, target: str = "en"):
    settings = Settings(select=(select,), source_lang=source, target_lang=target)
    return scan_document(Document.from_text(text), settings).findings


# -- clean text stays silent ----------------------------------------------------------------------


@pytest.mark.parametrize("source", [None, "es", "fr", "de", "pt", "it"])
def test_silent_on_clean_english(source):
    texts = [p.read_text(encoding="utf-8-sig") for p in CLEAN] + [HARD_CLEAN]
    for text in texts:
        found = scan(text, "U", source)
        assert found == [], [(f.code, f.text) for f in found]


def test_silent_on_seed_without_untranslated_text():
    seed = (CORPORA / "mt" / "es-en" / "000_seed.txt").read_text(encoding="utf-8")
    assert scan(seed, "U", "es") == []


# -- machine translations ---------------------------------------------------------------------------


def _gold(path: Path, kind: str) -> set[tuple[int, int]]:
    data = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    return {(a["start"], a["end"]) for a in data["annotations"] if a["type"] == kind}


def test_finds_every_annotated_untranslated_word_with_source():
    gold, found, false = set(), set(), []
    for path in MT:
        g = {(str(path), s, e) for s, e in _gold(path, "untranslated")}
        spans = {(str(path), f.start, f.end) for f in scan(path.read_text(encoding="utf-8-sig"), "U102", "es")}
        gold |= g
        found |= spans & g
        false += sorted(spans - g)
    assert gold and found == gold
    # The only unannotated find is Apertium's "the llamas" for las llamas (the flames).
    assert len(false) <= 1, false


def test_infers_the_source_when_several_words_agree():
    text = (CORPORA / "mt" / "es-en" / "002_elecciones.txt").read_text(encoding="utf-8-sig")
    words = {f.text for f in scan(text, "U102")}
    assert {"cientos", "simpatizantes"} <= words
    assert all("Spanish" in f.message for f in scan(text, "U102"))


def test_does_not_infer_from_a_single_word():
    assert scan("The ministro arrived in Geneva on Friday for talks with his counterpart.", "U102") == []
    found = scan("The ministro arrived in Geneva on Friday for talks with his counterpart.", "U102", "es")
    assert [f.text for f in found] == ["ministro"]


def test_source_equal_to_target_is_a_no_op():
    assert scan("The ministro arrived in Geneva on Friday for talks.", "U102", "en") == []


def test_u101_flags_an_untranslated_sentence_between_english_ones():
    text = (
        "Moscow began its mobilization of troops on Thursday.\n\n"
        "El Kremlin aseguró que miles de personas se habían presentado voluntariamente en las oficinas.\n\n"
        "Many Russians fled the country to avoid being forced to fight."
    )
    found = scan(text, "U101", "es")
    assert [f.text for f in found] == [
        "El Kremlin aseguró que miles de personas se habían presentado voluntariamente en las oficinas."
    ]
    assert "Spanish" in found[0].message and found[0].line == 3


def test_u101_judges_a_long_untranslated_quotation():
    text = '"No queremos morir en esta guerra absurda que nadie entiende", dijo.'
    assert [f.code for f in scan(text, "U101")] == ["U101"]


def test_u101_other_target_language():
    text = "El gobierno anunció nuevas medidas el jueves. The government announced new measures on Thursday evening."
    found = scan(text, "U101", target="es")
    assert [f.text for f in found] == ["The government announced new measures on Thursday evening."]


def test_prefilter_skips_langdetect_on_plain_english(monkeypatch):
    calls = []
    real = untranslated.langid.detect_probs
    monkeypatch.setattr(untranslated.langid, "detect_probs", lambda *a, **k: calls.append(a) or real(*a, **k))
    text = CLEAN[0].read_text(encoding="utf-8-sig")
    assert scan(text, "U101") == []
    sentences = Document.from_text(text).sentences_for("en")
    assert len(calls) < len(sentences) / 4


def test_sentence_evidence_drops_names_and_short_quotes():
    words = untranslated.sentence_evidence('She starred in "La casa de las flores" with Pedro Almodóvar in Madrid.')
    assert words == ["she", "starred", "in", "with", "in"]


@pytest.mark.parametrize("sentence,expected", [
    ("NASA dijo que la sonda Europa llega en 2030", ["dijo", "que", "la", "sonda", "llega", "en"]),
    ("Hola 中A amigos NASA Madrid x", ["hola", "amigos", "x"]),
    ("A B c", ["a", "c"]),
    ("«Bonjour» dit-il, l’été — ‹Ciao› „Hallo“ ‘x’", ["dit", "il", "l’été"]),
    ("the end” of it» and ’em›", ["the", "end", "of", "it", "and", "em"]),
    ("", []),
])
def test_sentence_evidence_keeps_the_first_word_and_lowercase_words(sentence, expected):
    assert untranslated.sentence_evidence(sentence) == expected


# -- CLI ---------------------------------------------------------------------------------------------


def test_cli_reports_untranslated_words():
    path = CORPORA / "mt" / "es-en" / "006_migracion.txt"
    r = run_cli("scan", "--isolated", str(path), "--select", "U", "--source-lang", "es", "--format", "json")
    assert r.returncode == 1, r.stderr
    findings = json.loads(r.stdout)["documents"][0]["findings"]
    assert [f["text"] for f in findings] == ["migrantes"] * 3
    assert {f["code"] for f in findings} == {"U102"}
    assert all(f["category"] == "non-translation" for f in findings)


def test_cli_clean_article_passes():
    r = run_cli("scan", "--isolated", str(CLEAN[0]), "--select", "U", "--source-lang", "es")
    assert r.returncode == 0, r.stdout + r.stderr


def test_u101_other_scripts():
    text = (
        "The Kremlin confirmed the figures on Thursday.\n\n"
        "Министерство обороны сообщило, что за сутки добровольцами записались почти десять тысяч человек.\n\n"
        "Many Russians left the country."
    )
    (f,) = scan(text, "U101")
    assert f.line == 3 and "Russian" in f.message


def test_markdown_and_html_offsets_point_into_the_original():
    from mtcheck.api import scan_text

    html = "<html><body><article><p>The <b>ministro</b> said the calle was closed.</p></article></body></html>"
    result = scan_text(html, fmt="html", source_lang="es", target_lang="en",
                       settings=Settings(select=("U102",)))
    assert [f.text for f in result.findings] == ["ministro", "calle"]
    assert all(html[f.start:f.end] == f.text for f in result.findings)


@pytest.mark.parametrize("text", [
    "ministro calle ministros xministro ministro2 2ministro ministro_ ministro² ²ministro km² km²x "
    "x²ministro²y ministroⅫ ministro’s l'ministro MINISTRO Ministro ministro-calle ministro",
    "", "ministro", "calle.ministro,calle;ministro\ncalle",
    (Path(__file__).resolve().parents[2] / "corpora" / "mt" / "es-en" / "000_seed.txt").read_text(encoding="utf-8"),
])
def test_occurrences_in_one_pass_are_those_found_word_by_word(text):
    """Many rare words are found in one pass over the text's runs of letters: the same
    occurrences as searching for each word."""
    from mtcheck.rules import untranslated

    words = {"ministro", "calle", "km²", "x", "ministros", "²ministro"}
    words |= {w for w in re.findall(r"[^\W\d_]+", text) if len(w) > 5}
    by_word = sorted(untranslated._occurrences(text, words))
    original = untranslated.FIND_WORDS_MAX
    try:
        untranslated.FIND_WORDS_MAX = 0
        one_pass = sorted(untranslated._occurrences(text, words))
    finally:
        untranslated.FIND_WORDS_MAX = original
    assert one_pass == by_word
    if text.startswith("ministro calle"):
        assert len(by_word) >= 6


@pytest.mark.parametrize("sentence", ['"Sí, señor" dijo.', "« Non » a-t-il dit", "l'été d’Ana ‘x’", "Gracias, amigos.",
                                      '"a b c d e f g h" x'])
def test_a_sentence_shorter_than_min_chars_has_too_little_evidence(sentence):
    """U101 skips sentences shorter than langid.MIN_CHARS: their evidence words are pieces of
    them, so their letters are fewer still."""
    from mtcheck import langid

    assert len(sentence) < langid.MIN_CHARS
    assert sum(len(w) for w in untranslated.sentence_evidence(sentence)) <= len(sentence) < langid.MIN_CHARS


def _infer_source_word_by_word(candidates, target):
    """Source inference the plain way: each language's list asked about the words."""
    words = {c[2] for c in candidates}
    best, best_key = None, (0, 0)
    for lang in untranslated.INFERENCE_LANGUAGES:
        if lang == target:
            continue
        found = untranslated.langid.in_word_list(lang, words)
        key = (len(found), sum(1 for c in candidates if c[2] in found))
        if key > best_key:
            best, best_key = lang, key
    if best_key[0] >= untranslated.MIN_INFERRED_WORDS or best_key[1] >= untranslated.MIN_INFERRED_OCCURRENCES:
        return best
    return None


@pytest.mark.parametrize("target", ["en", "es", "fr"])
def test_source_inference_agrees_with_asking_each_list(target):
    words = ["ministro", "calle", "gouvernement", "ministro", "regierung", "und", "zzqx", "casa", "casa", "de"]
    answers = []
    for remembered in (False, True):
        if not remembered:
            untranslated._holding.clear()
        for k in range(1, len(words) + 1):
            candidates = [(i, i + 1, w, 0) for i, w in enumerate(words[:k])]
            expected = _infer_source_word_by_word(candidates, target)
            assert untranslated._infer_source(candidates, target) == expected, (k, remembered)
            answers.append(expected)
    assert None in answers and len(set(answers) - {None}) >= 1


RARE_WORD_TEXTS = [
    "The ministro met the alcalde; Ministro Pérez and the iPhone, eBay, mRNA and qWerzzy; ǅemal ǆemal 中文 qué "
    "régime café naïve calle calles CALLE xx fiesta zeitgeist arrasado ñandú İstanbul ministro’s",
    "",
    (CORPORA / "mt" / "es-en" / "000_seed.txt").read_text(encoding="utf-8"),
]


@pytest.mark.parametrize("text", RARE_WORD_TEXTS)
@pytest.mark.parametrize("target", ["en", "es"])
def test_rare_words_skip_capitalised_words_without_changing_the_answer(text, target):
    """Only words that begin with a lower-case letter are looked up (the all-lowercase ones and
    the few others): the same rare words as looking at every distinct word."""
    from mtcheck import langid
    from mtcheck.document import Document

    doc = Document.from_text(text)
    table = langid.word_set(target)
    singles, _ = untranslated._loan_entries(target)
    expected = set()
    for word in langid.document_words(doc) - table:
        if len(word) < 3 or not word[0].islower():
            continue
        folded = untranslated._fold(word)
        if folded in table or folded in singles or untranslated._strip_accents(folded) in table:
            continue
        expected.add(word)
    assert untranslated._rare_words(langid.document_word_cases(doc), target, table) == expected
    if text.startswith("The ministro") and target == "en":
        assert {"ministro", "calle", "qWerzzy"} <= expected and not {"Ministro", "fiesta", "café"} & expected


@pytest.mark.parametrize("sentence", [
    "The ministro said the calle would stay closed.", "THE MINISTRO SAID IT", "", "123 456",
    "Le régime a dit que la calle était fermée.", "İstanbul'da ΣΑΣ σας straße STRASSE ﬁnal",
    *(CORPORA / "mt" / "es-en" / "000_seed.txt").read_text(encoding="utf-8").split("\n"),
])
def test_target_sentence_folds_ascii_sentences_at_once(sentence):
    """An ASCII sentence is lower-cased whole: the same verdict as folding each word."""
    from mtcheck import langid

    for target in ("en", "es"):
        table = langid.word_set(target)
        words = [untranslated._fold(w) for w in untranslated._TOKEN.findall(sentence)]
        expected = bool(words) and sum(1 for w in words if w in table) / len(words) >= untranslated.MIN_TARGET_KNOWN
        assert untranslated._target_sentence(sentence, table) == expected


def _needs_langdetect_by_language(words, target):
    """U101's gate the plain way: every word's languages counted, language by language."""
    from mtcheck import langid

    counts = {}
    for w in words:
        for lang in untranslated._function_word_index().get(w, ()):
            counts[lang] = counts.get(lang, 0) + 1
    own = counts.pop(target, 0) / len(words)
    other = max(counts.values(), default=0) / len(words)
    if own >= untranslated.TARGET_SHARE and other < own:
        return False
    if other >= untranslated.OTHER_SHARE and other > own:
        return True
    known = langid.word_set(target)
    if not known:
        return True
    return sum(1 for w in words if w not in known) >= untranslated.UNKNOWN_SHARE * len(words)


def test_needs_langdetect_agrees_with_counting_every_language():
    """The gate says 'in the target' at once when fewer words are another language's function
    words at all than are the target's: the same answers as counting language by language."""
    from mtcheck import langid

    sentences = [s for p in [*CLEAN, *MT] for s in re.split(r"(?<=[.!?])\s+", p.read_text(encoding="utf-8"))]
    sentences += [HARD_CLEAN, "a a a a de de de la la el el el the the", "die der und the of in a a a a a",
                  "i i i me me no no come war war", "de la de la de la the the the"]
    evidence = [w for w in map(untranslated.sentence_evidence, sentences) if w]
    evidence += [["a"] * k + ["the"] * j + ["de"] * i
                 for k in range(4) for j in range(4) for i in range(4) if k + j + i]
    for lang in untranslated._function_word_index().get("a", ()):
        assert {w for w, langs in untranslated._function_word_index().items() if lang in langs} == \
            langid.function_words(lang)
    answers = set()
    for target in ("en", "es", "fr", "de", "pt", "xx"):
        for words in evidence:
            expected = _needs_langdetect_by_language(words, target)
            assert untranslated._needs_langdetect(words, target) == expected, (target, words)
            answers.add(expected)
    assert answers == {True, False}


def test_evidence_keeps_the_words_it_kept_before_asking_islower_first():
    """An all-lowercase word is kept without asking about its first letter: the same words kept
    as the capitalised-or-acronym test alone keeps, for every character as a word and for pairs
    of characters of every kind of case."""
    import sys

    def kept_before(w):
        return not (w[0].isupper() or (w.isupper() and len(w) > 1))

    def kept_now(w):
        return w.islower() or not (w[0].isupper() or w.isupper())

    chars = [chr(cp) for cp in range(sys.maxunicode + 1)]
    assert [c for c in chars if kept_now(c) != kept_before(c)] == []
    sample = "aAǅǆ中ªº²ßẞİıΣσς_1'ʰᵃ"
    assert all(kept_now(a + b) == kept_before(a + b) for a in sample for b in sample)


@pytest.mark.parametrize("source,target", [("es", "en"), ("de", "en"), ("en", "es"), ("fr", "de")])
def test_source_words_ask_the_source_list_first_with_the_same_answer(source, target):
    """Words known in the source and unknown in the target: the source's list is asked first,
    with the same answer as asking the target's list first."""
    from mtcheck import langid

    words = {"ministro", "arrasado", "escrutados", "calle", "gouvernement", "zzqxw", "straße", "haus",
             "bundesregierung", "houses", "casas", "fenêtre", "wohnung", "desalojados", "voluntariamente"}
    words -= langid.word_set(target)
    name_s, name_t = untranslated._name(source), untranslated._name(target)
    common = langid.in_word_list(source, words, min_zipf=untranslated.MIN_SOURCE_ZIPF)
    expected = {w: f"common in {name_s}, rare in {name_t}" for w in common}
    rest = {w for w in words if w not in expected and len(w) >= untranslated.MIN_UNKNOWN_LENGTH}
    unknown = rest - langid.in_word_list(target, rest, "large")
    for w in langid.in_word_list(source, unknown, "large", min_zipf=untranslated.MIN_SOURCE_ZIPF_UNKNOWN):
        expected[w] = f"known in {name_s}, unknown in {name_t}"
    assert untranslated.source_words(words, source, target) == expected
    if (source, target) == ("es", "en"):
        assert "known in Spanish" in expected.get("arrasado", "")


@pytest.mark.parametrize("target", ["en", "es"])
def test_inference_counts_only_the_words_another_language_holds(target):
    """U102 counts the occurrences of the rare words some other language's list holds, and only
    when there are such words: the same inference as counting every rare word's occurrences."""
    from mtcheck import langid

    texts = [p.read_text(encoding="utf-8") for p in [*MT, *CLEAN]]
    texts += ["The ministro and the ministro and the ministro.", "The zzqxw and the qqzzx and the xxqzw.",
              "The ministro met the zzqxw; calle calle.", "El gobierno y la calle, the ministro said."]
    table = langid.word_set(target)
    decided = set()
    for text in texts:
        rare = untranslated._rare_words(langid.document_word_cases(Document.from_text(text)), target, table)
        folded = {w: untranslated._fold(w) for w in rare}
        every, telling = {}, {}
        holding = untranslated._languages_holding(set(folded.values()))
        for _, _, w in untranslated._occurrences(text, rare):
            every[folded[w]] = every.get(folded[w], 0) + 1
            if any(lang != target for lang in holding[folded[w]]):
                telling[folded[w]] = telling.get(folded[w], 0) + 1
        expected = untranslated._infer_from_counts(every, target)
        assert untranslated._infer_from_counts(telling, target) == expected, text[:60]
        decided.add(expected)
    assert None in decided and len(decided) > 1
