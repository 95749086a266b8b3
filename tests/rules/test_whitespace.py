"""Family W (whitespace): the seed's no-break-space lines, language-aware no-break spaces, the
other whitespace rules, fixes through the CLI, and exact offsets on adversarial lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtcheck.api import scan_text
from mtcheck.settings import Settings
from helpers.adversarial import rule_inputs
from conftest import ROOT, SEED, run_cli

SEED_TEXT = SEED.read_text(encoding="utf-8")
HERE = Path(__file__).parent


def scan(text: str, select=("W",), target="en"):
    return scan_text(text, settings=Settings(select=tuple(select), target_lang=target)).findings


def codes_and_texts(text: str, select=("W",), target="en"):
    return [(f.code, f.text) for f in scan(text, select, target)]


# -- the seed article ----------------------------------------------------------------------------------


def test_seed_whitespace_findings_are_exact():
    findings = scan(SEED_TEXT)
    got = [(f.code, f.line, f.column, f.text) for f in findings]
    assert got == [
        ("W103", 21, 1, "\u00a0"),
        ("W101", 35, 11, "\u00a0 "),
        ("W103", 49, 1, "\u00a0"),
        ("W101", 51, 1, "\u00a0"),
        ("W101", 51, 23, "\u00a0"),
    ]
    for f in findings:
        assert SEED_TEXT[f.start : f.end] == f.text


def test_seed_fix_through_the_cli_leaves_no_whitespace_findings(tmp_path):
    path = tmp_path / "seed.txt"
    path.write_text(SEED_TEXT, encoding="utf-8")
    proc = run_cli("fix", str(path), "--select", "W", "--target-lang", "en")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    fixed = path.read_text(encoding="utf-8")
    assert "\u00a0" not in fixed
    assert '\n"I don’t want to die"\n' in fixed
    assert "\n\n\n" not in fixed
    assert "Read Also: Vatican" in fixed
    assert scan(fixed) == []
    # Only whitespace changed.
    assert fixed.split() == SEED_TEXT.split()


# -- W101 no-break spaces, language by language ------------------------------------------------------


def test_english_allows_number_unit_and_title_no_break_spaces():
    text = "The missile flew 300\u00a0km; Mr.\u00a0Smith left at 5\u00a0p.m. with 50\u00a0% of the vote and 10\u00a0€."
    assert scan(text) == []


def test_english_flags_no_break_spaces_between_words():
    assert codes_and_texts("Putin\u00a0said\u202fso.") == [("W101", "\u00a0"), ("W101", "\u202f")]


def test_french_uses_no_break_spaces_before_high_punctuation_and_inside_guillemets():
    text = "Il a dit\u00a0: «\u00a0Non\u00a0!\u00a0» Pourquoi\u202f? 1\u202f332 personnes, 50\u00a0%."
    assert scan(text, target="fr") == []
    assert codes_and_texts("Il a\u00a0dit non.", target="fr") == [("W101", "\u00a0")]


def test_english_space_before_high_punctuation_is_left_to_l104():
    text = "Why\u00a0? Because\u00a0: no."
    assert scan(text) == []
    assert [f.code for f in scan(text, select=("W", "L"))] == ["L104", "L104"]


def test_unknown_target_still_flags_line_edges():
    assert codes_and_texts("\u00a0Text here.\u00a0", target="sw") == [("W101", "\u00a0"), ("W101", "\u00a0")]
    assert codes_and_texts("Maneno\u00a0 mawili", target="sw") == [("W101", "\u00a0 ")]
    assert scan("300\u00a0km na Bw.\u00a0Juma", target="sw") == []  # conventions unknown


# -- W102 … W105 ------------------------------------------------------------------------------------


def test_zero_width_characters():
    assert codes_and_texts("Mos\u200bcow and Ky\u200d\u200biv") == [("W102", "\u200b"), ("W102", "\u200d\u200b")]
    assert scan("emoji 👩\u200d🚀 and \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645") == []


def test_whitespace_only_lines_keep_the_paragraph_break():
    text = "One.\n\u00a0\u200b \nTwo."
    findings = scan(text)
    assert [(f.code, f.text) for f in findings] == [("W103", "\u00a0\u200b ")]
    (edit,) = findings[0].fix.edits
    assert text[: edit.start] + edit.replacement + text[edit.end :] == "One.\n\nTwo."
    assert scan("One.\n   \t\nTwo.") == []  # ordinary spaces on a blank line are harmless
    text = "One.\n\n\u00a0\n\nTwo."
    (f,) = scan(text)
    (edit,) = f.fix.edits
    assert text[: edit.start] + edit.replacement + text[edit.end :] == "One.\n\nTwo."


def test_doubled_spaces():
    assert codes_and_texts("The minister  said  so.") == [("W104", "  "), ("W104", "  ")]
    assert scan("End.  Next sentence.") == []
    assert codes_and_texts("End.  Next.", select=("W104",)) == []
    findings = scan_text("End.  Next.", settings=Settings(select=("W104",), target_lang="en",
                                                      rule_options={"W104": {"allow_after_sentence_end": False}})).findings
    assert [f.text for f in findings] == ["  "]


def test_space_before_punctuation():
    assert codes_and_texts("Moscow , Kyiv . (east )") == [("W105", " "), ("W105", " "), ("W105", " ")]
    assert scan("Wait ... and .NET or .5 or (a) b") == []
    text = "word" + " \t" * 100 + ", then ( ) and \n. and  ,"
    assert [(f.start, f.end) for f in scan(text, ("W105",))] == [(4, 204), (225, 227)]


def test_clean_corpora_have_no_whitespace_findings():
    paths = sorted((ROOT / "corpora" / "clean" / "en").glob("*.txt")) + sorted((HERE / "clean_en").glob("*.txt"))
    paths += sorted((HERE / "data_nrwl").glob("clean_*"))
    for p in paths:
        findings = scan(p.read_text(encoding="utf-8"))
        assert findings == [], f"{p.name}: {[(f.code, f.line, f.text) for f in findings]}"


# -- adversarial lines (their timing is measured in benchmarks/bench_scan.py) --------------------------


@pytest.mark.parametrize("kind", sorted(rule_inputs("W")))
def test_adversarial_lines_keep_exact_offsets(kind):
    select, make, n = rule_inputs("W")[kind]
    text = make(n // 4)
    for f in scan(text, select=select):
        assert text[f.start : f.end] == f.text, f"{kind}: {f.code} at {f.start}"


def test_marks_after_a_space_found_per_mark_as_by_the_class_pattern():
    """W105 scans for each of , . ) on its own; it must find what the one class pattern finds."""
    import random

    from mtcheck.text.patterns import one_character_matches
    from mtcheck.rules.whitespace import _EACH_MARK_AFTER_SPACE, _MARK_AFTER_SPACE

    rng = random.Random(13)
    alphabet = " \t\u00a0a1,.)(\n"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(20000)]
    texts += [SEED_TEXT, "Done , then . and (this ) too\n. ,\t, ..."]
    for text in texts:
        assert one_character_matches(_EACH_MARK_AFTER_SPACE, text) == [
            m.start() for m in _MARK_AFTER_SPACE.finditer(text)
        ], text


def test_space_runs_are_the_double_space_patterns_matches():
    """W104 finds its runs of spaces with ``str.find``; they must be ``_DOUBLE_SPACE.finditer``'s."""
    import random

    from mtcheck.rules.whitespace import _DOUBLE_SPACE, _space_runs

    rng = random.Random(3)
    texts = ["  ", "   ", "a  b", "  a", "a  ", " a  b   c    d ", "a\u00a0 b \t c"]
    texts += ["".join(rng.choice(["a", " ", " ", "  ", "\t", "\n", "é"]) for _ in range(rng.randint(0, 30))) for _ in range(5000)]
    for text in texts:
        want = [m.span() for m in _DOUBLE_SPACE.finditer(text)]
        first = text.find("  ")
        got = [m.span() for m in _space_runs(text, first)] if first >= 0 else []
        assert got == want, repr(text)
