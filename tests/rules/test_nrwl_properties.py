"""Invariants of families N, R, W and L over generated text: scanning never raises, every finding
slices to its text, fixes only touch what they report and reach a fixed point, and a single pass of
safe fixes leaves no finding of the kind it fixed behind."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtcheck.api import scan_text
from mtcheck.fixer import fix_text
from mtcheck.settings import Settings

SELECT = ("N", "R", "W", "L")

#: Pieces that exercise the rules: names, residue, odd spaces, numbers, quotes and marks.
PIECES = [
    "kyiv", "Kyiv", "new york", "Zelensky", "zelensky", "nice", " ", "  ", "\u00a0", "\u202f", "\u200b",
    "\u200d", "\n", "\n\n", "Read Also: ", "Related News", "Leave A Reply", "Please enter your comment!",
    "1.332", "1,332", "3,5", " million", " people", "%", " %", "«", "»", "„", "“", "”", "\"", "¿", "¡",
    "?", "!", ":", ";", ",", ".", " ,", " .", "(", ")", "What do you want", "the", "war", "Moscow said",
    "Más noticias", "x" * 3, "—", "é", "🙂",
]

texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=40).map("".join)
languages = st.sampled_from(["en", "es", "fr", "de", "pt", "sw"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, languages)
def test_findings_slice_to_their_text_and_fixes_stay_in_range(text, lang):
    result = scan_text(text, settings=Settings(select=SELECT, target_lang=lang))
    for f in result.findings:
        assert text[f.start : f.end] == f.text
        assert 0 <= f.start <= f.end <= len(text)
        if f.fix is not None:
            for e in f.fix.edits:
                assert 0 <= e.start <= e.end <= len(text)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, languages)
def test_fixing_twice_equals_fixing_once(text, lang):
    cfg = Settings(select=SELECT, target_lang=lang)
    once = fix_text(text, settings=cfg, unsafe=True).fixed
    twice = fix_text(once, settings=Settings(select=SELECT, target_lang=lang), unsafe=True).fixed
    assert twice == once


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_whitespace_and_residue_fixes_leave_nothing_of_their_kind(text):
    cfg = Settings(select=("W101", "W102", "W103", "R101"), target_lang="en")
    fixed = fix_text(text, settings=cfg).fixed
    left = scan_text(fixed, settings=Settings(select=("W101", "W102", "W103", "R101"), target_lang="en")).findings
    assert left == [], [(f.code, f.text) for f in left]
