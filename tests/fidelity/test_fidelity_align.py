"""Sentence alignment: Gale–Church lengths plus chrF of the forward translation (Bleualign-style).

The data: ``source_es.txt`` is a Spanish source of the seed article's first twelve sentences;
``target_en.txt`` is the seed's English with the source's fourth sentence omitted and one sentence
added after the eighth. ``source_es.forward_en.txt`` is Apertium's spa-eng translation of the
source, one sentence per line, so these tests need no engine.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtcheck.audit import sentence_text
from mtcheck.document import Document
from mtcheck.scoring.align import align, length_cost, similarity
from mtcheck.scoring.fidelity import source_report

DATA = Path(__file__).parent / "data"


def _sentences(path: Path, lang: str) -> list[str]:
    return [sentence_text(s.text) for s in Document.from_text(path.read_text(encoding="utf-8")).sentences_for(lang)]


@pytest.fixture(scope="module")
def pair():
    source = _sentences(DATA / "source_es.txt", "es")
    target = _sentences(DATA / "target_en.txt", "en")
    forward = (DATA / "source_es.forward_en.txt").read_text(encoding="utf-8").splitlines()
    assert len(source) == len(forward) == 12 and len(target) == 12
    return source, target, forward


def test_omission_and_addition_are_found_with_translations(pair):
    source, target, forward = pair
    beads = align(source, target, forward)
    omitted = [b.source for b in beads if b.source and not b.target]
    added = [b.target for b in beads if b.target and not b.source]
    assert omitted == [(3,)]  # "La convocatoria se produce tras los graves reveses …"
    assert added == [(7,)]  # "The Kremlin has not commented …"
    ones = [(b.source, b.target) for b in beads if b.kind == "1-1"]
    assert ones == [((i,), (j,)) for i, j in [(0, 0), (1, 1), (2, 2), (4, 3), (5, 4), (6, 5), (7, 6), (8, 8), (9, 9), (10, 10), (11, 11)]]
    for b in beads:
        if b.kind == "1-1":
            assert b.similarity is not None and b.similarity > 0.35


def test_lengths_alone_cannot_see_the_omission(pair):
    """The reason for the translation signal: Gale–Church glues the gap onto neighbours."""
    source, target, _ = pair
    beads = align(source, target)
    assert not any(b.source and not b.target for b in beads)
    assert all(b.similarity is None for b in beads)


def test_every_sentence_is_in_exactly_one_bead_in_order(pair):
    source, target, forward = pair
    for fwd in (forward, None):
        beads = align(source, target, fwd)
        assert [i for b in beads for i in b.source] == list(range(len(source)))
        assert [j for b in beads for j in b.target] == list(range(len(target)))


def test_a_split_sentence_becomes_a_one_to_two_bead():
    source = ["El ejército ruso afirmó el jueves que cerca de 10.000 personas se habían presentado como voluntarias, "
              "y el Kremlin dijo que la movilización seguirá durante semanas.",
              "Rusia confirmó la llegada de 55 prisioneros."]
    forward = ["The Russian army said on Thursday that nearly 10,000 people had volunteered, and the Kremlin said "
               "that the mobilisation will continue for weeks.",
               "Russia confirmed the arrival of 55 prisoners."]
    target = ["The Russian military said on Thursday that nearly 10,000 people had volunteered.",
              "The Kremlin said the mobilization will continue for weeks.",
              "Russia confirmed the arrival of 55 prisoners."]
    beads = align(source, target, forward)
    assert [(b.source, b.target) for b in beads] == [((0,), (0, 1)), ((1,), (2,))]


def test_empty_sides():
    assert align([], []) == []
    beads = align(["Hola."], [], ["Hello."])
    assert [(b.source, b.target) for b in beads] == [((0,), ())]
    beads = align([], ["Hello.", "Bye."])
    assert [(b.source, b.target) for b in beads] == [((), (0,)), ((), (1,))]


def test_length_cost_is_smallest_for_proportional_lengths():
    assert length_cost(100, 100) < length_cost(100, 150) < length_cost(100, 300)
    assert length_cost(100, 200, ratio=2.0) < length_cost(100, 100, ratio=2.0)
    assert length_cost(0, 0) == 0.0


def test_similarity_is_close_to_sacrebleu_chrf_beta_one(pair):
    """Types instead of counts: within a few points of sacrebleu's chrF₁ on real sentences."""
    from sacrebleu.metrics import CHRF

    source, target, forward = pair
    chrf1 = CHRF(beta=1)
    for f, t in [(forward[0], target[0]), (forward[1], target[1]), (forward[5], target[4]), (forward[0], target[5])]:
        assert similarity(f, t) == pytest.approx(chrf1.sentence_score(f, [t]).score / 100, abs=0.05)
    assert similarity(forward[0], forward[0]) == pytest.approx(1.0)
    assert similarity("", "abc") == 0.0


def test_source_report_scores_pairs_and_places_omissions(pair):
    source, _, forward = pair
    doc = Document.from_text((DATA / "target_en.txt").read_text(encoding="utf-8"))
    spans = doc.sentences_for("en")
    report = source_report(source, spans, [sentence_text(s.text) for s in spans], source_lang="es",
                           target_lang="en", forward=forward)
    (omission,) = report.omissions
    # The omission sits, as an empty span, right after the target sentence before the gap.
    assert omission.target_start == omission.target_end == spans[2].end
    (addition,) = report.additions
    assert doc.text[addition.target_start : addition.target_end].startswith("The Kremlin has not commented")
    assert 55 < report.forward["chrf"] < 75
    assert report.forward_signature["chrf"].startswith("chrF2|nrefs:1|")
    assert "|fwd:es-en" in report.forward_signature["chrf"]
    d = report.to_dict()
    assert d["omissions"] == 1 and d["additions"] == 1 and len(d["pairs"]) == 13


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.text(alphabet="abcdef gh.", min_size=1, max_size=40), max_size=12),
    st.lists(st.text(alphabet="abcdef gh.", min_size=1, max_size=40), max_size=12),
    st.booleans(),
)
def test_alignment_is_a_monotone_partition(source, target, with_forward):
    beads = align(source, target, source if with_forward else None)
    assert [i for b in beads for i in b.source] == list(range(len(source)))
    assert [j for b in beads for j in b.target] == list(range(len(target)))
    assert all(b.kind in {"1-1", "1-0", "0-1", "2-1", "1-2"} for b in beads)


def test_very_uneven_sides_still_align(pair):
    source, target, forward = pair
    beads = align(source[:2], target * 5, forward[:2])
    assert [i for b in beads for i in b.source] == [0, 1]
    assert [j for b in beads for j in b.target] == list(range(60))
    # The target repeats itself five times: any copy of the right sentence will do.
    assert [tuple(j % 12 for j in b.target) for b in beads if b.source] == [(0,), (1,)]


def test_omissions_at_both_ends_and_a_merged_pair(pair):
    source, target, forward = pair
    beads = align(source, target[1:-1], forward)
    assert [b.source for b in beads if b.source and not b.target] == [(0,), (3,), (11,)]
    merged = target[:5] + [target[5] + " " + target[6]] + target[7:]
    beads = align(source, merged, forward)
    assert [(b.kind, b.source, b.target) for b in beads if b.kind != "1-1"] == [
        ("1-0", (3,), ()), ("2-1", (6, 7), (5,)), ("0-1", (), (6,))]


def test_omission_at_the_start_sits_at_offset_zero(pair):
    source, _, forward = pair
    text = (DATA / "target_en.txt").read_text(encoding="utf-8")
    doc = Document.from_text(text[text.index("Moscow began"):])
    spans = doc.sentences_for("en")
    report = source_report(source, spans, [sentence_text(s.text) for s in spans], source_lang="es",
                           target_lang="en", forward=forward)
    first = report.omissions[0]
    assert first.source == (0,) and first.target_start == first.target_end == 0
