"""Family R (scraped site residue): the seed's six residue lines, line-removal fixes through the
CLI, the phrase data, the structural rule and what it must leave alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mtcheck.api import scan_text
from mtcheck.data import available, load_json
from mtcheck.findings import Applicability
from mtcheck.rules.residue import residue_kind
from mtcheck.settings import Settings
from helpers.adversarial import rule_inputs
from conftest import ROOT, SEED, run_cli

SEED_TEXT = SEED.read_text(encoding="utf-8")
HERE = Path(__file__).parent
SEED_RESIDUE = [
    "Read Also:\u00a0 Vatican cancels Pope Francis' presence at Stations of the Cross \"to protect his health\"",
    "Recent Articles",
    "Related News",
    "Leave A Reply",
    "Please enter your comment!",
    "Please enter your name here",
]


def scan(text: str, select=("R",), target="en"):
    return scan_text(text, settings=Settings(select=tuple(select), target_lang=target)).findings


def apply(text: str, findings) -> str:
    edits = sorted((e for f in findings for e in f.fix.edits), key=lambda e: e.start, reverse=True)
    for e in edits:
        text = text[: e.start] + e.replacement + text[e.end :]
    return text


# -- the seed article ----------------------------------------------------------------------------------


def test_seed_reports_exactly_the_six_residue_lines():
    findings = scan(SEED_TEXT)
    assert [(f.code, f.text) for f in findings] == [("R101", line) for line in SEED_RESIDUE]
    for f in findings:
        start = SEED_TEXT.index(f.text)
        assert (f.start, f.end) == (start, start + len(f.text))
        assert f.column == 1
        assert f.fix.applicability is Applicability.SAFE


def test_seed_title_and_subhead_are_not_residue():
    findings = scan(SEED_TEXT)
    lines = {f.line for f in findings}
    assert 1 not in lines  # "Russia begins its mobilization of troops …"
    assert 23 not in lines  # "\"voting\" of annexation"
    assert [f for f in findings if f.code == "R102"] == []


def test_seed_fix_removes_the_lines_and_nothing_else():
    fixed = apply(SEED_TEXT, scan(SEED_TEXT))
    for line in SEED_RESIDUE:
        assert line not in fixed
    assert fixed.endswith("\"threatened with severe repression\".\n\n")
    assert "health\"\n\nAnd then he stated" not in fixed
    assert "Saldo" in fixed and fixed.startswith("Russia begins its mobilization")
    assert "\n\n\n" not in fixed
    # Removing the residue lines is all that changed.
    kept = [l for l in SEED_TEXT.splitlines() if l not in SEED_RESIDUE]
    assert [l for l in fixed.splitlines() if l] == [l for l in kept if l]
    assert scan(fixed) == []


def test_fix_through_the_cli_is_idempotent(tmp_path):
    path = tmp_path / "seed.txt"
    path.write_text(SEED_TEXT, encoding="utf-8")
    first = run_cli("fix", str(path), "--select", "R", "--target-lang", "en")
    assert first.returncode == 0, first.stdout + first.stderr
    once = path.read_text(encoding="utf-8")
    assert "Leave A Reply" not in once and "Read Also" not in once
    second = run_cli("fix", str(path), "--select", "R", "--target-lang", "en")
    assert second.returncode == 0
    assert path.read_text(encoding="utf-8") == once


def test_scan_through_the_cli_lists_the_lines():
    proc = run_cli("scan", str(SEED), "--select", "R", "--target-lang", "en", "--format", "json")
    assert proc.returncode == 1
    findings = json.loads(proc.stdout)["documents"][0]["findings"]
    assert [(f["line"], f["column"]) for f in findings] == [(35, 1), (69, 1), (71, 1), (73, 1), (75, 1), (76, 1)]
    assert all(f["fix"]["applicability"] == "safe" for f in findings)


# -- the phrase lists -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "es", "fr", "de", "pt"])
def test_every_language_has_all_lists(lang):
    data = load_json("residue", lang)
    for key in ("lines", "prefixes", "starts", "contains", "chrome_words"):
        assert data[key], f"{lang}: {key} is empty"
        assert all(isinstance(p, str) and p == p.strip() and p for p in data[key])
    assert set(available("residue")) >= {"en", "es", "fr", "de", "pt"}


@pytest.mark.parametrize("line,kind", [
    ("Read Also: Vatican cancels the Pope's trip", "prefix"),
    ("Leer también: El Vaticano cancela", "prefix"),
    ("Lire aussi » La guerre en Ukraine", "prefix"),
    ("Lesen Sie auch | Krieg", "prefix"),
    ("Leia também - a guerra", "prefix"),
    ("  RELATED NEWS  ", "phrase"),
    ("Leave a reply.", "phrase"),
    ("Noticias relacionadas", "phrase"),
    ("Dejar un comentario", "phrase"),
    ("Partager sur Facebook", "phrase"),
    ("It reads also: Five keys to understand the heat wave", "prefix"),
    ("Please ingrese his name here", "phrase"),
    ("We use cookies to give you the best experience.", "start"),
    ("Diese Website verwendet Cookies.", "start"),
    ("© 2024 Example Media Group", "start"),
    ("Copyright 2024 Example Media. All rights reserved.", "contains"),
])
def test_residue_kinds(line, kind):
    assert residue_kind(line) == kind


@pytest.mark.parametrize("line", [
    "",
    "Read also the small print before you sign, the minister told reporters.",
    "Related news came from Kyiv, where officials said talks had failed.",
    "He asked readers to leave a reply in the comments, then logged off and went to bed early.",
    "Photo: a firefighter in Attica",
    "Source: the statistics office",
    "Reporting by Maria Georgiou; editing by Tom Hale",
    "x" * 5000,
])
def test_article_lines_are_not_residue(line):
    assert residue_kind(line) is None


# -- the structural rule -------------------------------------------------------------------------------


ARTICLE = ("The talks will resume next week in Geneva, the foreign ministry said in a statement on "
           "Thursday evening.\n\n")


def test_trailing_block_of_link_titles_is_flagged():
    text = ARTICLE + "Most Shared\n\nWorld Cup Qualifiers\nChampions League Final\n"
    findings = scan(text, select=("R102",))
    assert [f.text for f in findings] == ["Most Shared", "World Cup Qualifiers", "Champions League Final"]
    fixed = apply(text, findings)
    assert fixed.startswith(ARTICLE.rstrip("\n"))
    assert "Qualifiers" not in fixed and "Most Shared" not in fixed


def test_short_lines_beside_known_residue_are_chrome_too():
    text = ARTICLE + "It continues reading: The drought empties the reservoirs\n\nIt shares this note\n\nLeave A Reply\n"
    findings = scan(text)
    assert [(f.code, f.text) for f in findings] == [
        ("R102", "It continues reading: The drought empties the reservoirs"),
        ("R102", "It shares this note"),
        ("R101", "Leave A Reply"),
    ]
    assert apply(text, findings) == ARTICLE.rstrip("\n") + "\n\n"


def test_short_sentence_case_lines_without_residue_are_kept():
    text = ARTICLE + "The minister was not available for comment\n\nMaria Georgiou in Athens contributed\n"
    assert scan(text) == []


def test_lone_name_or_byline_after_the_article_is_kept():
    for tail in ("Maria Georgiou", "By Maria Georgiou", "Reporting by Maria Georgiou; Editing by Tom Hale",
                 "Maria Georgiou, Athens", "— Maria Georgiou", "## Notes"):
        assert scan(ARTICLE + tail + "\n", select=("R102",)) == [], tail


def test_short_lines_before_the_last_paragraph_are_headings():
    text = "Markets Rally As Inflation Eases\n\n" + ARTICLE + "What Happens Next\n\n" + ARTICLE
    assert scan(text, select=("R102",)) == []


def test_document_without_prose_has_no_trailing_block():
    assert scan("Related Stories\nTop Picks\nMore News\n", select=("R102",)) == []


def test_clean_corpora_have_no_residue():
    paths = sorted((ROOT / "corpora" / "clean" / "en").glob("*.txt")) + sorted((HERE / "clean_en").glob("*.txt"))
    paths += sorted((HERE / "data_nrwl").glob("clean_*"))
    for p in paths:
        findings = scan(p.read_text(encoding="utf-8"))
        assert findings == [], f"{p.name}: {[(f.code, f.text) for f in findings]}"


def test_machine_translated_corpus_residue_is_found():
    """Every site-residue annotation in the es→en corpus overlaps an R finding."""
    for txt in sorted((ROOT / "corpora" / "mt" / "es-en").glob("*.txt")):
        ann = json.loads(txt.with_suffix(".json").read_text(encoding="utf-8"))["annotations"]
        gold = [a for a in ann if a["type"] == "site-residue"]
        found = scan(txt.read_text(encoding="utf-8"))
        for a in gold:
            assert any(f.start < a["end"] and a["start"] < f.end for f in found), f"{txt.name}: {a['text']!r}"


# -- adversarial lines (their timing is measured in benchmarks/bench_scan.py) -----------------------------


@pytest.mark.parametrize("kind", sorted(rule_inputs("R")))
def test_adversarial_lines_keep_exact_offsets(kind):
    select, make, n = rule_inputs("R")[kind]
    text = make(n // 4)
    for f in scan(text, select=select):
        assert text[f.start : f.end] == f.text, f"{kind}: {f.code} at {f.start}"


def test_default_scan_of_the_seed_reports_every_n_r_w_l_artifact():
    """The whole product, default rules, through the CLI: families N, R, W and L on the seed."""
    proc = run_cli("scan", str(SEED), "--format", "json")
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)["documents"][0]
    assert doc["languages"]["target"] == "en"
    ours = [(f["code"], f["line"], f["column"]) for f in doc["findings"] if f["code"][0] in "NRWL"]
    assert ours == [
        ("N101", 17, 113), ("N101", 19, 140),
        ("W103", 21, 1),
        ("R101", 35, 1), ("W101", 35, 11),
        ("N101", 47, 36),
        ("W103", 49, 1), ("W101", 51, 1), ("W101", 51, 23),
        ("N101", 57, 169),
        ("R101", 69, 1), ("R101", 71, 1), ("R101", 73, 1), ("R101", 75, 1), ("R101", 76, 1),
    ]


def test_phrase_matcher_answers_what_the_alternation_regex_answers():
    """PhraseMatcher (phrases tried by first character) agrees with the regex it replaced,
    ``(?:p1|p2|…)<tail>`` matched at the start, on every corpus line and on each phrase followed
    by every kind of tail."""
    import re
    from pathlib import Path

    from mtcheck.data import available, load_json
    from mtcheck.rules.residue import _PREFIX_TAIL, _START_TAIL, PhraseMatcher

    texts = {"", " ", ":", "-", "©"}
    for path in sorted((Path(__file__).resolve().parents[2] / "corpora").rglob("*.txt")):
        texts.update(line.strip().casefold() for line in path.read_text(encoding="utf-8").splitlines())
    for key, tail in (("prefixes", _PREFIX_TAIL), ("starts", _START_TAIL)):
        phrases = {p.casefold() for lang in available("residue") for p in (load_json("residue", lang) or {}).get(key, ())}
        assert phrases
        cases = set(texts)
        for p in phrases:
            cases.update(p + t for t in ("", ":", " : x", " - x", "-x", "x", " x", "é", "_", "1", " »", "\u00a0|"))
            cases.add(p[:-1])
        alternation = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
        regex = re.compile(rf"(?:{alternation}){tail.pattern}")
        matcher = PhraseMatcher(phrases, tail)
        for text in cases:
            assert matcher.match(text) == (regex.match(text) is not None), (key, text)


def test_odd_space_class_is_every_space_but_the_plain_one():
    """``_squeeze`` skips ``_SPACES.sub`` when a line has no "  " and none of ``_ODD_SPACE``'s
    characters: that class must be exactly ``_SPACES``'s characters other than " "."""
    from mtcheck.rules.residue import _ODD_SPACE, _SPACES, _squeeze

    every = [chr(c) for c in range(0x110000)]
    odd = {c for c in every if _ODD_SPACE.match(c)}
    assert odd == {c for c in every if _SPACES.match(c) and c != " "}
    # line_kinds skips the search for odd spaces in a printable line
    assert not any(c.isprintable() for c in odd)
    for s in ("a b", "a  b", "a\u00a0b", "a\u200bb", " a\tb ", "a \u202f b", "plain"):
        assert _squeeze(s) == _SPACES.sub(" ", s)


@pytest.mark.parametrize("text", ["", "a", "a\n", "\n\n", "one\ntwo\n\nthree", "a\r\nb\rc\n", "x\u2028y\n\u00a0\n"])
def test_document_lines_are_the_documents_lines(text):
    from mtcheck.document import Document
    from mtcheck.rules.base import RuleContext
    from mtcheck.rules.residue import document_lines

    doc = Document.from_text(text)
    lines = document_lines(RuleContext(doc, source_lang=None, target_lang="en"))
    assert len(lines) == len(doc.lines)
    assert [lines[i] for i in range(len(lines))] == doc.lines
    assert lines.texts == [s.text for s in doc.lines] and lines.starts == [s.start for s in doc.lines]


def test_word_count_patterns_count_what_the_word_pattern_finds():
    """R102 asks whether a line has 8 or 20 words without listing them; the answer must be the
    count of ``_WORD.findall``."""
    import random

    from mtcheck.rules.residue import _WORD, _at_least_words

    rng = random.Random(17)
    alphabet = "ab1_ '’&-.\u00e9\u0663\n,"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(20000)]
    texts += ["one two three four five six seven eight", "a-b c_d e’f & - _ 'g'", "_" * 30 + " x"]
    for n in (1, 8, 20):
        pattern = _at_least_words(n)
        for text in texts:
            assert (pattern.match(text) is not None) == (len(_WORD.findall(text)) >= n), (n, text)


def test_line_kinds_agree_with_residue_kind():
    """R101 classifies a document's lines with ``line_kinds``, which skips the head of a line
    whose first characters begin no prefix or start phrase; it must answer what ``residue_kind``
    answers line by line: on the corpora's lines, on every phrase behind lead marks, odd spaces,
    capitals and case-folding characters, and on random lines of those pieces."""
    import random

    from mtcheck.rules.residue import line_kinds, phrase_lists

    lists = phrase_lists()
    phrases = sorted(lists.lines | set(lists.contains))
    for matcher in (lists.prefixes, lists.starts):
        phrases += [p for group in matcher.by_head.values() for p in group] + matcher.short
    lines = ["", " ", "x" * 341, "x" * 301, "y" * 201, "z" * 101]
    for path in sorted((ROOT / "corpora").rglob("*.txt")):
        lines += path.read_text(encoding="utf-8").split("\n")
    leads = ["", " ", "• ", "*", "\u00a0", "\u2009", "\u200b", "\t- ", "» ", "> ", "—", "  ", ". "]
    tails = ["", ":", " : x", " - read", "!", " …", "\u00a0|", "x", " » more", "  ", ": " + "w " * 60]
    for p in phrases:
        for form in (p, p.upper(), p.title(), p.replace(" ", "  "), p.replace(" ", "\u00a0"), p.replace("ss", "ß")):
            lines += [lead + form + tail for lead in leads for tail in tails]
    rng = random.Random(5)
    pieces = phrases + leads + tails + ["ﬁ", "ß", "İ", "ſ", "Σ", " ", "  ", "\u200b", "the", "It"]
    lines += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) for _ in range(20000)]
    assert line_kinds(lines) == [residue_kind(t) for t in lines]
    assert {residue_kind(t) for t in lines} == {None, "phrase", "prefix", "start", "contains"}


def test_case_folding_neither_makes_nor_changes_lead_marks():
    """``line_kinds`` strips a line's lead marks before case-folding its first characters, the
    head after: the same when no character folds to one starting with a lead mark (or a space)
    and the lead marks fold to themselves."""
    from mtcheck.rules.residue import _LEAD

    assert all(c.casefold() == c for c in _LEAD)
    every = (chr(c) for c in range(0x110000))
    assert [c for c in every if c not in _LEAD and c.casefold()[:1] in _LEAD] == []
