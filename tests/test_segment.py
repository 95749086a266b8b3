"""Paragraph and sentence segmentation: examples, and invariants over arbitrary text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtcheck.document import Document, Span
from mtcheck.text.segment import (
    _BOUNDARY,
    _BOUNDARY_AT_STOP,
    _CLOSERS,
    _OPENERS,
    ABBREVIATIONS,
    split_paragraph_sentences,
    split_paragraphs,
    split_sentences,
)


def sentences(text: str, lang: str | None = "en") -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, lang)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two.", ["One.", "Two."]),
        ('He said "stop." Then he left!', ['He said "stop."', "Then he left!"]),
        ("Wait... what? Yes…  No.", ["Wait...", "what?", "Yes…", "No."]),
        ("Mr. Smith met Dr. Jones in the U.S. on Monday.", ["Mr. Smith met Dr. Jones in the U.S. on Monday."]),
        ("John F. Kennedy spoke. Then", ["John F. Kennedy spoke.", "Then"]),
        ("Version 2.5 is out. ¿Qué? ¡Sí!", ["Version 2.5 is out.", "¿Qué?", "¡Sí!"]),
        ("Lowercase. after a stop still splits.", ["Lowercase.", "after a stop still splits."]),
        ("No split.at dots inside words", ["No split.at dots inside words"]),
        ("  padded.   \n ", ["padded."]),
        ("", []),
        (" \n\t ", []),
    ],
)
def test_sentence_examples(text, expected):
    assert sentences(text) == expected


def test_abbreviations_are_per_language():
    assert sentences("Llegó la Sra. García.", "es") == ["Llegó la Sra. García."]
    assert sentences("Llegó la Sra. García.", "en") == ["Llegó la Sra.", "García."]


def test_paragraphs_are_split_at_blank_lines_and_stripped():
    text = "  First para.\nsame para.\n \t\nSecond.\n\n\n\u00a0\nThird.  "
    assert [text[s:e] for s, e in split_paragraphs(text)] == ["First para.\nsame para.", "Second.", "Third."]


def test_document_sentences_carry_offsets_into_the_text():
    doc = Document.from_text("Intro line.\n\nOne. Two!\nThree?")
    assert doc.sentences_for("en") == [
        Span(0, 11, "Intro line."), Span(13, 17, "One."), Span(18, 22, "Two!"), Span(23, 29, "Three?"),
    ]


TEXT = st.text(alphabet=st.sampled_from(list("ab .!?…\"'”»)(“«¿¡\n\t\u00a0XéM1r")), max_size=60) | st.text(max_size=40)


@settings(max_examples=400, deadline=None)
@given(TEXT, st.sampled_from([None, "en", "es", "de", "xx"]))
def test_sentences_are_ordered_stripped_and_cover_every_non_space_character(text, lang):
    spans = split_sentences(text, lang)
    pos = 0
    for s, e in spans:
        assert pos <= s < e <= len(text)
        assert not text[s].isspace() and not text[e - 1].isspace()
        assert text[pos:s].strip() == ""  # only whitespace between sentences
        pos = e
    assert text[pos:].strip() == ""


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_paragraphs_are_ordered_stripped_and_cover_every_non_space_character(text):
    pos = 0
    for s, e in split_paragraphs(text):
        assert pos <= s < e <= len(text)
        assert text[s:e] == text[s:e].strip()
        assert text[pos:s].strip() == ""
        pos = e
    assert text[pos:].strip() == ""


def test_span_equality_hash_and_pickle():
    import pickle

    a, b = Span(1, 3, "ab"), Span(1, 3, "ab")
    assert a == b and hash(a) == hash(b) and a != Span(1, 3, "ac") and a != (1, 3, "ab")
    assert pickle.loads(pickle.dumps(a)) == a
    assert repr(a) == "Span(start=1, end=3, text='ab')"


def test_a_scanned_document_pickles_with_its_caches_and_without_them():
    # Worker processes send documents back; what rules cache on a document must pickle (P101's
    # token offsets come from a running finditer), and drop_caches keeps only the fields.
    import pickle

    from mtcheck.api import scan_text

    text = "Officials said that the talks would resume that the talks would resume next week. " * 3
    result = scan_text(text, target_lang="en")
    assert any(f.code == "P101" for f in result.findings)
    doc = result.document
    assert "_pathology_tokens" in doc.__dict__
    copy = pickle.loads(pickle.dumps(doc))
    assert set(copy.__dict__) == set(doc.__dict__)  # the caches went along
    assert copy.text == doc.text and copy.sentences_for("en") == doc.sentences_for("en")
    words = doc.word_count
    doc.drop_caches()
    assert "_sentences" not in doc.__dict__ and doc.word_count == words
    assert set(doc.__dict__) <= set(Document.__dataclass_fields__) | {"word_count"}


# -- the splitter against the plain algorithm it replaced -----------------------------------------
#
# split_sentences finds the word before a full stop in the reversed paragraph and the next
# sentence's start from its boundary match; the reference searches ``([\w.]+)$`` before the stop
# and strips every piece. Both must give the same spans on every text.

_REF_BOUNDARY = re.compile(r"[.!?…]+[" + re.escape(_CLOSERS) + r"]*(?=\s+[" + re.escape(_OPENERS) + r"]*[\w¿¡])")
_REF_WORD_BEFORE = re.compile(r"([\w.]+)$")


def _ref_add_stripped(out, text, start, end):
    piece = text[start:end]
    if piece.strip():
        s = start + len(piece) - len(piece.lstrip())
        out.append((s, s + len(piece.strip())))


def reference_split_sentences(text: str, lang: str | None = None) -> list[tuple[int, int]]:
    abbrevs = ABBREVIATIONS.get((lang or "en")[:2], ABBREVIATIONS["en"])
    spans, pos = [], 0
    for m in _REF_BOUNDARY.finditer(text):
        if text[m.start()] == ".":
            w = _REF_WORD_BEFORE.search(text, 0, m.start())
            if w:
                word = w.group(1).lower().rstrip(".")
                if word in abbrevs or (len(word) == 1 and word.isalpha()):
                    continue
        _ref_add_stripped(spans, text, pos, m.end())
        pos = m.end()
    _ref_add_stripped(spans, text, pos, len(text))
    return spans


_PIECES = [
    "Mr", "mr", "Sra", "U.S", "u.s.", "e.g", "etc", "Dr", "A", "é", "x", "ß", "İ", "word", "Word", "2.5", "1",
    ".", "..", "...", "…", "!", "?", "?!", ".”", ".»", ".)", "'", '"', "“", "«", "¿", "¡", "(", "_",
    " ", "  ", "\n", "\n\n", "\t", "\r", "\u00a0", "\u2003", "\x1c", "\u2028", "\u200b",
]
SEGMENT_TEXT = (
    st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)
    | st.text(alphabet=st.sampled_from(list("ab .!?…\"'”»)(“«¿¡\n\t\u00a0XéM1r_\u2003\x85")), max_size=80)
    | st.text(max_size=60)
)


@settings(max_examples=1500, deadline=None)
@given(SEGMENT_TEXT, st.sampled_from([None, "en", "es", "fr", "de", "pt", "it", "xx"]))
def test_sentences_equal_the_reference_splitter(text, lang):
    assert split_sentences(text, lang) == reference_split_sentences(text, lang)


@pytest.mark.parametrize(
    "text",
    [
        "Mr\n. Smith", "etc.\n. Next", "x\n\n. Y", ". Start", "  . Start", "a.\u2003B", "Sra.\u00a0García",
        "U.S.. Then", "word…. Next", "(Mr.) Smith", "Fig.\r\nTwo", "a" * 70 + ". B", "b." + "c" * 70 + ". D",
        "é. F", "İ. G", "1. Two", "no. 5", "...", ". . .", "?! x", "end.\u200b next",
        # long runs of marks and closers (the boundary reads each run once)
        "." * 3000 + " A", "x" + "." * 3000, "Mr" + "." * 3000 + " Smith", "." + '"' * 3000 + " a",
        "a" + "!?…." * 800 + " B", '."' * 1500 + " A", "Fin. " + "“" * 3000 + "x",
        # no mark at all (no boundary is looked for), or only full stops (the literal pattern)
        "", "   ", "A heading with no mark", "  two\nlines  ", "Mr. Smith went. Then he left",
    ],
)
def test_sentences_equal_the_reference_splitter_on_edge_cases(text):
    for lang in (None, "en", "es", "de", "fr"):
        assert split_sentences(text, lang) == reference_split_sentences(text, lang)


def _corpus_texts() -> list[tuple[Path, str]]:
    """Every text and Markdown file of the corpora, with its text."""
    root = Path(__file__).resolve().parent.parent / "corpora"
    paths = sorted(root.rglob("*.txt")) + sorted(root.rglob("*.md"))
    assert paths
    return [(path, path.read_text(encoding="utf-8")) for path in paths]


def test_sentences_equal_the_reference_splitter_on_the_corpora():
    for path, text in _corpus_texts():
        for ps, pe in split_paragraphs(text):
            para = text[ps:pe]
            for lang in ("en", "es"):
                assert split_sentences(para, lang) == reference_split_sentences(para, lang), path


_REF_BLANK_LINES = re.compile(r"\n[ \t\r\f\v\u00a0\u200b\ufeff]*\n")


def reference_split_paragraphs(text: str) -> list[tuple[int, int]]:
    """split_paragraphs as it was, one _add_stripped call per block."""
    out, pos = [], 0
    for m in _REF_BLANK_LINES.finditer(text):
        _ref_add_stripped(out, text, pos, m.start())
        pos = m.end() - 1
    _ref_add_stripped(out, text, pos, len(text))
    return out


PARAGRAPH_TEXT = SEGMENT_TEXT | st.lists(
    st.sampled_from(["a", " b", "\n", "\n\n", " \n \n", "\n\u200b\n", "\ufeff", "\u00a0", "\r\n", "\t", "\u2028"]), max_size=30
).map("".join)


@settings(max_examples=1000, deadline=None)
@given(PARAGRAPH_TEXT)
def test_paragraphs_equal_the_reference_splitter(text):
    assert split_paragraphs(text) == reference_split_paragraphs(text)


NO_OTHER_MARKS = st.lists(st.sampled_from([p for p in _PIECES if not set(p) & set("!?…")]), max_size=40).map("".join)


@settings(max_examples=1000, deadline=None)
@given(NO_OTHER_MARKS | st.text(alphabet=st.sampled_from(list("ab .\"'”»)(“«¿¡\n\u00a0M")), max_size=60))
def test_the_full_stop_boundary_matches_as_the_general_one_without_other_marks(text):
    """split_sentences uses the pattern that starts at a full stop for a paragraph without ``! ? …``."""
    assert not set(text) & set("!?…")
    general = [(m.span(), m.span(1)) for m in _BOUNDARY.finditer(text)]
    assert [(m.span(), m.span(1)) for m in _BOUNDARY_AT_STOP.finditer(text)] == general


def _sentences_paragraph_by_paragraph(text, lang):
    return [(ps + s, ps + e) for ps, pe in split_paragraphs(text) for s, e in split_sentences(text[ps:pe], lang)]


@settings(max_examples=1500, deadline=None)
@given(PARAGRAPH_TEXT | st.lists(st.sampled_from(_PIECES + ["\n\n", "\n \n", "\n\u200b\n", ". ", "\n\n."]), max_size=40).map("".join),
       st.sampled_from([None, "en", "es", "de", "xx"]))
def test_sentences_of_all_paragraphs_in_one_pass_equal_those_of_each_paragraph(text, lang):
    assert split_paragraph_sentences(text, split_paragraphs(text), lang) == _sentences_paragraph_by_paragraph(text, lang)


@pytest.mark.parametrize(
    "text",
    [
        "", "  ", "One.", "One. Two.\n\nThree. Four", "Mr\n\n. Smith", "x.\n\n. Y", "End.\n\nNext one",
        "End.\n\u200b\nNext", "End. \n \n Next. More", "Dr.\n\nSmith", "a.\n\n\n\nb. c", "“Quote.”\n\n«Next.»",
        "Heading\n\nBody. More?\n\n!Odd start. x", "Fig.\n\nTwo.\r\n\r\nThree. Four", "x\n\n" + ". " * 50 + "A",
    ],
)
def test_sentences_of_all_paragraphs_in_one_pass_on_edge_cases(text):
    for lang in (None, "en", "es", "de"):
        assert split_paragraph_sentences(text, split_paragraphs(text), lang) == _sentences_paragraph_by_paragraph(text, lang)


def test_sentences_of_all_paragraphs_in_one_pass_on_the_corpora():
    for path, text in _corpus_texts():
        for lang in ("en", "es"):
            assert split_paragraph_sentences(text, split_paragraphs(text), lang) == _sentences_paragraph_by_paragraph(text, lang), path
