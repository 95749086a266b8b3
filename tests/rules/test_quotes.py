"""Family Q (quotation marks and reported speech): the seed article, the pairing analysis, edge
cases, clean text and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mtcheck.api import scan_text
from mtcheck.findings import Applicability, Severity
from mtcheck.rules.quotes import CLOSE, OPEN, analyse_quotes, conventions
from mtcheck.settings import Settings
from helpers.adversarial import QUOTE_UNITS
from conftest import SEED, run_cli

CLEAN = sorted((Path(__file__).parent / "clean_en").glob("*.txt"))
SEED_TEXT = SEED.read_text(encoding="utf-8")


def scan(text: str, select=("Q",), target="en", source=None):
    settings = Settings(select=tuple(select), target_lang=target, source_lang=source)
    return scan_text(text, settings=settings).findings


def spans(text: str, select=("Q",), target="en"):
    return [(f.code, f.text) for f in scan(text, select, target)]


def roles(text: str, lang: str = "en"):
    blocks = tuple((s, e) for s, e in _paragraphs(text))
    return [(m.char, m.role, m.partner >= 0) for m in analyse_quotes(text, blocks, lang).marks]


def _paragraphs(text):
    from mtcheck.text.segment import split_paragraphs

    return split_paragraphs(text)


# -- the seed article --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_findings():
    return scan(SEED_TEXT, select=("Q",), source="es")


def by_code(findings, code):
    return [f for f in findings if f.code == code]


def test_seed_all_eight_glued_closing_quotes(seed_findings):
    q101 = by_code(seed_findings, "Q101")
    assert [f.text for f in q101] == [
        '"declared', '"Lavrov', '"Vladimir', '"the', '"for', '"on', '"said', '"he',
    ]
    for f in q101:
        assert SEED_TEXT[f.start : f.end] == f.text
        assert f.severity is Severity.ERROR
        assert f.fix.applicability is Applicability.SAFE
        (edit,) = f.fix.edits
        assert (edit.start, edit.end, edit.replacement) == (f.start + 1, f.start + 1, " ")
    # the words before the glued quotes, as the issue lists them
    before = [SEED_TEXT[f.start - 4 : f.start + 1 + 4] for f in q101]
    assert before == ['h it"decl', 'gime"Lavr', 'p it"Vlad', 'sues"the ', 'uses"for ', ' day"on S',
                      'tion"said', ' war"he a']


def test_seed_moved_boundary_capitalised_fragment_and_inversions(seed_findings):
    assert [f.text for f in by_code(seed_findings, "Q104")] == ['missiles "Russian hypersonics']
    assert [f.text for f in by_code(seed_findings, "Q105")] == ['"All the means"']
    assert [f.text for f in by_code(seed_findings, "Q106")] == [
        "declared the head of US diplomacy",
        "said several senior officials",
    ]
    # '"…"Lavrov replied' is subject-first: glued, but not an inversion
    lavrov = SEED_TEXT.index('"Lavrov replied')
    assert not [f for f in by_code(seed_findings, "Q106") if f.start > lavrov - 2 and f.start < lavrov + 20]


def test_seed_quotes_are_balanced(seed_findings):
    assert by_code(seed_findings, "Q102") == []
    assert by_code(seed_findings, "Q103") == []
    assert len(seed_findings) == 12


def test_seed_offsets_match_the_gold_annotations(seed_findings):
    gold = json.loads(SEED.with_suffix(".json").read_text(encoding="utf-8"))["annotations"]
    gold_spans = {(a["start"], a["end"]) for a in gold}
    for f in seed_findings:
        assert any(s < f.end and f.start < e for s, e in gold_spans), f"{f.code} {f.text!r} matches no gold span"


# -- pairing ---------------------------------------------------------------------------------------


def test_straight_quotes_pair_by_context_and_alternation():
    assert roles('He said "yes" and "no".') == [('"', OPEN, True), ('"', CLOSE, True)] * 2
    # glued on both sides: alternation decides
    assert roles('"We won"said the coach.') == [('"', OPEN, True), ('"', CLOSE, True)]
    assert roles('He said"we won" today.') == [('"', OPEN, True), ('"', CLOSE, True)]


def test_apostrophes_and_inch_marks_are_not_quotes():
    assert roles("Don’t touch Putin’s 90's car, O'Neill said.") == []
    assert roles('He is 6\'2" tall and the boat is 32\' long.') == []
    assert roles('The TV is 55" wide.') == []
    assert roles('"The boat is 32" long," he said.') == [('"', OPEN, True), ('"', CLOSE, True)]


def test_curly_quotes_follow_the_target_language():
    assert roles("He said “yes” and ‘no’.") == [("“", OPEN, True), ("”", CLOSE, True)]
    assert roles("Er sagte „ja“ und »nein«.", "de") == [
        ("„", OPEN, True), ("“", CLOSE, True), ("»", OPEN, True), ("«", CLOSE, True),
    ]
    assert roles("Il a dit « oui » puis « non ».", "fr") == [
        ("«", OPEN, True), ("»", CLOSE, True), ("«", OPEN, True), ("»", CLOSE, True),
    ]


def test_unknown_language_uses_english_conventions():
    assert conventions("xx").lang == "en"
    assert conventions("en-GB").lang == "en"
    assert conventions("de-AT").lang == "de"


def test_one_paragraph_per_line_is_paired_line_by_line():
    text = 'First line "opens\nSecond "quoted" line\nThird line closes" here'
    # paragraph-wide pairing leaves two problems; per line, the same marks are read line by line
    found = spans(text, select=("Q103",))
    assert [c for c, _ in found] == ["Q103", "Q103"]


# -- rule behaviour beyond the examples ------------------------------------------------------------


def test_glued_closing_quote_fix_is_unsafe_when_the_paragraph_does_not_pair():
    text = 'He said "this and "that"was all.'
    (f,) = [f for f in scan(text, select=("Q101",))]
    assert f.text == '"was'
    assert f.fix.applicability is Applicability.UNSAFE


def test_multi_paragraph_quotation_is_not_unbalanced():
    text = '"We counted the boats first.\n\n"Then we counted the people," the skipper said.'
    assert spans(text) == []


def test_unbalanced_quote_is_reported_once_with_its_position():
    text = 'Officials said the vote was "a farce and left early.'
    (f,) = scan(text, select=("Q103",))
    assert (f.start, f.end, f.text) == (text.index('"'), text.index('"') + 1, '"')


def test_speech_verb_inversion_respects_normal_english():
    ok = [
        '"We cannot let him get away with it," said the minister.',
        '"We cannot let him get away with it," the minister declared.',
        '"Will it hold?" asked the reporter.',
        '"Enough," said Lavrov.',
    ]
    for text in ok:
        assert spans(text, select=("Q106",)) == [], text
    assert spans('"We cannot let him get away with it" said the minister.', select=("Q106",)) == [
        ("Q106", "said the minister")
    ]


def test_comma_inversion_with_an_unusual_verb_is_info():
    (f,) = scan('"We must talk," affirmed the conservative candidate in Toledo.', select=("Q106",))
    assert f.severity is Severity.INFO
    assert f.text == "affirmed the conservative candidate"


def test_speech_verb_inversion_in_other_languages():
    assert spans("„Wir geben nicht nach“ sagte der Minister.", ("Q106",), "de") == [
        ("Q106", "sagte der Minister")
    ]
    assert spans("«No cederemos», dijo el ministro.", ("Q106",), "es") == []
    assert spans("«No cederemos» dijo el ministro.", ("Q106",), "es") == [("Q106", "dijo el ministro")]


def test_capitalised_fragment_needs_a_common_word():
    assert spans('They promised "All the help" to the town.', ("Q105",)) == [("Q105", '"All the help"')]
    assert spans('The missile, called "Sarmat" here, was shown. The "Sarmat missiles" are new.', ("Q105",)) == []
    # the document uses "means" only in this quote, but "All" is a function word
    assert spans('He will use "All the means" he has.', ("Q105",)) == [("Q105", '"All the means"')]
    # a word the document also uses capitalised mid-sentence is a name
    text = 'The ruling party Renew joined. Delegates voted for "Renew the pact" and renew the deal.'
    assert spans(text, ("Q105",)) == []


def test_capitalised_fragment_in_wrapped_text_and_lists():
    assert spans('He said he was willing to use\n"All the means" of his arsenal.', ("Q105",)) == [
        ("Q105", '"All the means"')
    ]
    assert spans('Praise for the tool:\n- "A handy piece of magic" (a user)', ("Q105",)) == []


def test_capitalised_fragment_fix_lowercases_only_the_first_letter():
    (f,) = scan('Putin was willing to use "All the means" of his arsenal.', select=("Q105",))
    (edit,) = f.fix.edits
    assert edit.replacement == "a" and edit.end - edit.start == 1
    assert f.fix.applicability is Applicability.UNSAFE


def test_moved_boundary_needs_a_verb_inside_the_quotation():
    assert spans('He showed the missiles "Russian hypersonics" to the press.', ("Q104",)) == []
    assert spans('Of the missiles, "Russian hypersonic weapons are fast," he said.', ("Q104",)) == []
    assert spans('He said missiles "Russian hypersonic weapons are fast".', ("Q104",)) == [
        ("Q104", 'missiles "Russian hypersonic weapons')
    ]


def test_comma_outside_quote_fix_moves_the_comma_inside():
    text = '"It has been a very difficult decision", said the coach.'
    (f,) = scan(text, select=("Q107",))
    (edit,) = f.fix.edits
    fixed = text[: edit.start] + edit.replacement + text[edit.end :]
    assert fixed == '"It has been a very difficult decision," said the coach.'
    assert f.fix.applicability is Applicability.SAFE
    assert spans(fixed, select=("Q107",)) == []


def test_comma_outside_quote_is_english_only():
    assert spans("«Ha sido una decisión muy difícil», dijo el entrenador.", ("Q107",), "es") == []


def test_apertium_corpus_quote_punctuation_is_found():
    corpus = Path(__file__).resolve().parents[2] / "corpora" / "mt" / "es-en"
    for path in sorted(corpus.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        gold = [a for a in json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["annotations"]
                if a["type"] in ("quote-punctuation", "speech-inversion", "glued-quote")]
        found = [(f.start, f.end) for f in scan(text, select=("Q",), source="es")]
        for a in gold:
            assert any(s < a["end"] and a["start"] < e for s, e in found), f"{path.name}: {a['text']!r} not found"


# -- clean text ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", CLEAN, ids=[p.stem for p in CLEAN])
def test_clean_human_written_news_is_silent(path):
    text = path.read_text(encoding="utf-8")
    assert spans(text, select=("Q", "G")) == []


@pytest.mark.parametrize("lang", ["de", "es", "fr"])
def test_clean_quotations_in_other_languages_are_silent(lang):
    text = (Path(__file__).parent / "clean_quotes" / f"{lang}.txt").read_text(encoding="utf-8")
    assert spans(text, select=("Q",), target=lang) == []


def test_clean_corpus_is_silent():
    corpus = Path(__file__).resolve().parents[2] / "corpora" / "clean" / "en"
    for path in sorted(corpus.glob("*.txt")):
        assert spans(path.read_text(encoding="utf-8"), select=("Q",)) == [], path.name


# -- robustness ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ['"' * 5000, 'a"b' * 3000, "“" * 2000 + "”" * 1999, '"All ' * 2000, "« » „ “ ‘ ’ ' \" ″" * 300, "", " \n\n ", '"'],
)
def test_pathological_quote_runs_do_not_break_the_rules(text):
    for f in scan(text, select=("Q",)):
        assert text[f.start : f.end] == f.text


@pytest.mark.parametrize("unit", sorted(QUOTE_UNITS))
def test_quote_analysis_keeps_exact_offsets_on_adversarial_input(unit):
    """benchmarks/bench_scan.py times the analysis on these inputs; here only its correctness."""
    text = QUOTE_UNITS[unit] * 20_000
    for f in scan(text):
        assert text[f.start : f.end] == f.text, f"{unit}: {f.code} at {f.start}"


# -- through the CLI -------------------------------------------------------------------------------


def test_cli_reports_the_seed_quote_findings_as_json():
    proc = run_cli("scan", str(SEED), "--source-lang", "es", "--target-lang", "en", "--select", "Q", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)["documents"][0]
    codes = [f["code"] for f in doc["findings"]]
    assert codes.count("Q101") == 8
    assert codes.count("Q104") == codes.count("Q105") == 1
    assert codes.count("Q106") == 2
    glued = [f for f in doc["findings"] if f["code"] == "Q101"]
    assert all(f["fix"]["applicability"] == "safe" for f in glued)


def test_cli_fix_inserts_the_missing_spaces_once(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(SEED_TEXT, encoding="utf-8")
    proc = run_cli("fix", str(path), "--source-lang", "es", "--target-lang", "en", "--select", "Q101")
    assert proc.returncode in (0, 1), proc.stderr
    fixed = path.read_text(encoding="utf-8")
    assert 'get away with it" declared' in fixed and 'rehabilitation" said' in fixed and 'war" he assured' in fixed
    assert fixed.replace('" ', '"') == SEED_TEXT.replace('" ', '"')
    run_cli("fix", str(path), "--source-lang", "es", "--target-lang", "en", "--select", "Q101")
    assert path.read_text(encoding="utf-8") == fixed
    again = run_cli("scan", str(path), "--target-lang", "en", "--select", "Q101", "--format", "json")
    assert json.loads(again.stdout)["documents"][0]["findings"] == []


def test_cli_documents_the_quote_rules():
    proc = run_cli("rule", "Q101")
    assert proc.returncode == 0
    assert "glued-closing-quote" in proc.stdout and "Fix safety" in proc.stdout


@pytest.mark.parametrize("lang", ["en", "es", "fr", "de", "it", "pt"])
def test_speech_verb_trie_answers_what_the_longest_first_alternation_answers(lang):
    """The speech verbs are matched by a trie; it must pick the verb a flat alternation tried
    longest first picks (``pointed out`` before ``pointed``), followed by anything."""
    import re

    from mtcheck.data import load_lines

    verbs = load_lines("speech_verbs", lang)
    alts = sorted((re.escape(v).replace(r"\ ", r"\s+") for v in verbs), key=len, reverse=True)
    flat = re.compile(r"(?:" + "|".join(alts) + r")(?![\w’'-])")
    trie = conventions(lang).speech_verbs
    for v in verbs:
        for tail in ("", " ", "x", "-", "’s", " out", " to", "  out the", "s", "\u00a0a"):
            text = "« x » " + v + tail
            for i in range(len(text)):
                a, b = flat.match(text, i), trie.match(text, i)
                assert (a and a.span()) == (b and b.span()), (lang, text, i)


@pytest.mark.parametrize("text", [
    '5\'10" 6’ 2" 6 \' 2 " 5\'10.5" 1.5\'3" x5\'10"5\'11" 12" 5\'100" 5′ 11 " ٥\'١٠" 5\'1.2.3" \'10" 5 \'10"',
    '7\'7"7\'7" "a 3\' 4" b 3\'4"\' 3.\'4"',
    'He is 6\'2" tall, "she said", and the 55" screen',
    '"1\' 2"', ' "', '1"', '1 "', "5'\n10\"", '"5\'10"', "9' 9 \"",
])
def test_inch_marks_are_those_the_feet_inches_pattern_ends_on(text):
    from mtcheck.rules.quotes import _FEET_INCHES, _inch_marks

    assert _inch_marks(text) == {m.start(1) for m in _FEET_INCHES.finditer(text)}


@pytest.mark.parametrize("text", [
    "",
    'No marks at all.',
    '"a" “b” „c‟ «d» "e“ ‟f„ »g« and „„""««',
    SEED_TEXT,
])
def test_double_quote_positions_are_the_double_quote_patterns_matches(text):
    from mtcheck.rules.quotes import _DOUBLE_QUOTE, double_quote_positions

    assert double_quote_positions(text) == [m.start() for m in _DOUBLE_QUOTE.finditer(text)]


def test_lower_elsewhere_checks_the_boundary_behind_the_word_as_before_it():
    """Q105's look-up of a word in lower case puts the boundary check after the word; it must
    answer what the pattern with the lookbehind first answers."""
    import random
    import re

    from mtcheck.rules.quotes import _lower_elsewhere

    def before_first(text, word):
        return re.search(rf"(?<![\w’'-]){re.escape(word.lower())}(?![\w’'-])", text) is not None

    rng = random.Random(19)
    for _ in range(20000):
        text = "".join(rng.choice("aAb ’'-.İßx\n") for _ in range(rng.randint(0, 15)))
        word = "".join(rng.choice("aAbİß.-’") for _ in range(rng.randint(1, 3)))
        assert _lower_elsewhere(text, word) == before_first(text, word), (text, word)
    assert _lower_elsewhere(SEED_TEXT, "The") == before_first(SEED_TEXT, "The")


def test_proper_elsewhere_checks_the_context_behind_the_word_as_before_it():
    """Q105's look-up of a capitalised word after a lower-case one checks what precedes the word
    behind it; it must answer what the pattern that starts with that context answers."""
    import random
    import re

    from mtcheck.rules.quotes import _proper_elsewhere

    def context_first(text, word):
        return re.search(rf"[a-z,;] [\"“]?{re.escape(word)}\b", text) is not None

    rng = random.Random(23)
    for _ in range(20000):
        text = "".join(rng.choice("aAB ,;\"“.-x\n") for _ in range(rng.randint(0, 15)))
        word = "".join(rng.choice("ABa.-") for _ in range(rng.randint(1, 3)))
        assert _proper_elsewhere(text, word) == context_first(text, word), (text, word)
    assert _proper_elsewhere(SEED_TEXT, "The") == context_first(SEED_TEXT, "The")


def test_opening_and_closing_are_the_marks_of_each_role_in_order():
    """The Q rules read ``opening`` or ``closing`` instead of filtering ``marks`` by role."""
    text = (
        '"We will win," he said. “Nobody” was «sure» and \'nothing\' "happened\n'
        'She said "no" and "yes"/"maybe", then it"declared a "win\n\n„Nein“, sagte er.'
    )
    blocks = ((0, 95), (97, len(text)))
    analysis = analyse_quotes(text, blocks, "en")
    assert analysis.opening and analysis.closing
    assert analysis.opening == tuple(m for m in analysis.marks if m.role == OPEN)
    assert analysis.closing == tuple(m for m in analysis.marks if m.role == CLOSE)
    assert len(analysis.opening) + len(analysis.closing) == len(analysis.marks)


def test_noun_before_searches_where_the_pattern_can_start():
    """Q104 searches for the noun before an opening quote from where a match can start; it must
    find what searching the whole window finds (span and groups), wherever the window starts."""
    import random

    from mtcheck.rules.quotes import _NOUN_BEFORE, _noun_before

    rng = random.Random(7)
    pieces = ["a", "s", "b", "X", "1", "_", "’", "'", "-", " ", "\t", "\u00a0", "(", "é", "٣", "ss", " s", "es ",
              "missiles ", "the ", "Russian "]
    found = 0
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        for end in range(len(text) + 1):
            for start in (0, max(0, end - 5), max(0, end - 12)):
                want = _NOUN_BEFORE.search(text, start, end)
                got = _noun_before(text, start, end)
                assert (got and (got.span(), got.groups(), got.span(2))) == (want and (want.span(), want.groups(), want.span(2)))
                found += want is not None
    assert found > 1000


def test_spaced_word_before_searches_where_the_pattern_can_start():
    """Q105 searches for the word before an opening quote from where a match can start; it must
    find what searching the whole window finds."""
    import random

    from mtcheck.rules.quotes import _SPACED_WORD_BEFORE, _spaced_word_before

    rng = random.Random(9)
    pieces = ["a", "B", "1", "²", "½", "_", "’", "'", "-", " ", "\t", "\u00a0", "\n", "(", "é", "٣", "x y", "\u2028"]
    found = 0
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        for end in range(len(text) + 1):
            for start in (0, max(0, end - 3), max(0, end - 9)):
                want = _SPACED_WORD_BEFORE.search(text, start, end)
                got = _spaced_word_before(text, start, end)
                assert (got and (got.span(), got.groups())) == (want and (want.span(), want.groups()))
                found += want is not None
    assert found > 1000


def test_q105_word_lookups_answer_as_searching_the_text():
    """Q105 asks, for each quoted fragment's first word, whether the text also uses it in lower
    case and whether it appears as a name after a lower-case word. Both are looked up in runs
    collected in one pass over the text; they must answer as the regex searches they replace,
    on texts full of the boundary characters (apostrophes, hyphens, quotes, digits, underscores)."""
    import random
    import re

    from mtcheck.rules.quotes import _lower_elsewhere, _proper_elsewhere

    def lower_searched(text, word):
        w = re.escape(word.lower())
        return re.search(rf"{w}(?<![\w’'-]{w})(?![\w’'-])", text) is not None

    def proper_searched(text, word):
        w = re.escape(word)
        return re.search(rf"{w}(?:(?<=[a-z,;] {w})|(?<=[a-z,;] [\"“]{w}))\b", text) is not None

    rng = random.Random(5)
    pieces = ["All", "all", "Means", "means", "the", "x", "é", "É", " ", " ", ",", ";", '"', "“", "’", "'", "-",
              "_", "1", "\n", "all-", "'all", "Ünter", "ünter"]
    words = ["All", "Means", "x", "É", "Ünter", "all", "Rock'n", "Co-op", "A.B", "1st"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        for word in words:
            assert _lower_elsewhere(text, word) == lower_searched(text, word), (text, word)
            assert _proper_elsewhere(text, word) == proper_searched(text, word), (text, word)


def test_q105_letter_run_check_never_rules_out_a_lower_case_use():
    """Q105 asks the document's letter runs before collecting the text's bounded runs: when it
    says no, the full look-up must say no too (it may only skip work, never change an answer)."""
    import random

    from mtcheck.document import Document
    from mtcheck.rules.quotes import _lower_elsewhere, _may_be_lower_elsewhere

    rng = random.Random(31)
    pieces = ["All", "all", "means", "Means", "x", "é", "ſ", "İ", " ", ",", "\u00a0", '"', "’", "'", "-", "_", "1",
              "\n", "all-", "'all", "ALL", "a\u0301", "٣"]
    words = ["All", "Means", "X", "Rock'n", "Co-op", "Alls"]
    ruled_out = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        doc = Document.from_text(text)
        for word in words:
            if not _may_be_lower_elsewhere(doc, word.lower()):
                ruled_out += 1
                assert not _lower_elsewhere(text, word), (text, word)
            if _lower_elsewhere(text, word) and word.isalpha():
                assert _may_be_lower_elsewhere(doc, word.lower()), (text, word)
    assert ruled_out > 1000
