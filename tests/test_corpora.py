"""The gold corpora are data that define "correct": every annotation must slice exactly to its text,
every text has its annotation file, and the required documents are present."""

from __future__ import annotations

import json

import pytest

from conftest import CORPORA
from mtcheck.evaluation import KINDS, check_annotations, load_corpus

DOCS = load_corpus(CORPORA)


@pytest.mark.parametrize("doc", DOCS, ids=[d.path.name for d in DOCS])
def test_annotations_slice_to_their_text(doc):
    assert check_annotations(doc) == []


def test_every_text_has_annotations():
    texts = {p for p in CORPORA.rglob("*.txt") if "source" not in p.parts}
    annotated = {d.path for d in DOCS}
    assert texts == annotated


def test_corpus_composition():
    mt = [d for d in DOCS if d.kind == "mt"]
    clean = [d for d in DOCS if d.kind == "clean"]
    assert len(mt) >= 7 and len(clean) >= 6
    assert all(d.kind in KINDS for d in DOCS)
    assert all(not d.annotations for d in clean), "clean texts carry no gold findings"
    assert all(d.annotations for d in mt), "every machine-translated text is annotated"


def test_apertium_texts_keep_their_spanish_source():
    for d in DOCS:
        meta = json.loads(d.path.with_suffix(".json").read_text(encoding="utf-8"))
        if "source_file" in meta:
            src = d.path.parent / meta["source_file"]
            assert src.is_file(), src
            assert src.read_text(encoding="utf-8").count("\n\n") == d.text.count("\n\n"), "one paragraph per paragraph"


SEED_TYPES = {
    "glued-quote": 8,
    "personal-a": 2,
    "speech-inversion": 1,
    "lowercase-proper-noun": 4,
    "site-residue": 6,
    "moved-quote-boundary": 1,
    "quote-capitalisation": 1,
}


def test_seed_annotations_cover_the_issue_list():
    seed = next(d for d in DOCS if d.path.name == "000_seed.txt")
    counts = {}
    for a in seed.annotations:
        counts[a["type"]] = counts.get(a["type"], 0) + 1
    for typ, n in SEED_TYPES.items():
        assert counts.get(typ) == n, typ
    assert counts["whitespace"] >= 3  # the non-breaking-space lines
