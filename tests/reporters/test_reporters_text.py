"""The text reporter's marked line: carets under the span, long lines cut around it, wide and
invisible characters accounted for."""

from __future__ import annotations

from reporter_sample import finding, sample_context

from mtcheck.document import Document
from mtcheck.reporters import render
from mtcheck.reporters.text import SNIPPET_WIDTH
from mtcheck.results import DocumentResult


def _render(text: str, start: int, end: int, code: str = "L101") -> list[str]:
    doc = Document.from_text(text, path="t.txt")
    res = [DocumentResult(path="t.txt", document=doc, findings=[finding(doc, code, start, end, "msg")], target_lang="en")]
    return render("text", res, sample_context(res)).splitlines()


def test_carets_under_the_span():
    text = "The total was 1.332 people."
    lines = _render(text, 14, 19)
    assert lines[1] == "1 | The total was 1.332 people."
    assert lines[2] == "  |               ^^^^^ warning"


def test_wide_characters_shift_the_carets_by_their_width():
    text = "東京で 1.332 people"
    lines = _render(text, 4, 9)
    # 東京で is three characters but six terminal columns
    assert lines[2] == "  | " + " " * 7 + "^^^^^ warning"


def test_invisible_characters_are_shown():
    text = "a\u200bb and\u00a0c"
    lines = _render(text, 1, 2, "W101")
    assert lines[1] == "1 | a<U+200B>b and⍽c"
    assert lines[2] == "  |  " + "^" * len("<U+200B>") + " info"


def test_long_line_is_cut_around_the_span():
    text = "x" * 500 + " 1.332 " + "y" * 500
    lines = _render(text, 501, 506)
    shown = lines[1][len("1 | "):]
    assert shown.startswith("…") and shown.endswith("…")
    assert len(shown) <= SNIPPET_WIDTH + 2
    assert "1.332" in shown
    col = lines[2].index("^") - len("  | ")
    assert shown[col:col + 5] == "1.332"


def test_very_long_span_is_cut_too():
    text = "a " + "z" * 1000 + " b"
    lines = _render(text, 2, 1002)
    assert len(lines[1]) < SNIPPET_WIDTH + 10
    assert lines[2].count("^") <= SNIPPET_WIDTH


def test_empty_span_gets_one_caret():
    lines = _render("ab", 1, 1)
    assert lines[2] == "  |  ^ warning"


def test_width_shortcut_counts_what_unicodedata_counts():
    """_width skips unicodedata for text of Latin letters and general punctuation; it must count
    what going through every character counts, with combining marks, wide and zero-width
    characters and unassigned code points mixed in."""
    import random
    import unicodedata

    from mtcheck.reporters.text import _width

    def columns(text):
        return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
                   for ch in text)

    rng = random.Random(7)
    alphabet = "aZé…“”«»‘’—\u0301\u0300東😀\u2065\u200b\u00a0\u3000ｱ\u02ff\u2070"
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        assert _width(text) == columns(text), repr(text)
