"""Fidelity numbers are sacrebleu's numbers, and every one carries a reproducible signature."""

from __future__ import annotations

import pytest
from sacrebleu.metrics import BLEU, CHRF, TER

from mtcheck import __version__
from mtcheck.document import Span
from mtcheck.errors import UsageError
from mtcheck.scoring.fidelity import (
    DEFAULT_THRESHOLD,
    engine_signature,
    parse_metrics,
    round_trip_report,
    score_corpus,
    score_pairs,
)
from mtcheck.translate.base import EngineIdentity

ORIG = [
    "Moscow began its mobilization of additional troops on Thursday.",
    "Despite the outrage aroused in the West, the authorities reiterated that the trials were going to take place.",
    "On the ground, the bombing continues.",
]
ROUND = [
    "Moscow began his mobilisation of additional troops the Thursday.",
    "In spite of the anger in the west, the authorities repeated that the judgements would be held.",
    "In the earth, the bombing continues.",
]
LEGS = [
    EngineIdentity("apertium", "3.8.3", "eng-spa", "a" * 64, {"unknown": "drop"}),
    EngineIdentity("apertium", "3.8.3", "spa-eng", "b" * 64, {"unknown": "drop"}),
]


def test_sentence_and_corpus_scores_equal_sacrebleu():
    s = score_pairs(ROUND, ORIG, ("chrf", "bleu", "ter"))
    for i, (h, r) in enumerate(zip(ROUND, ORIG)):
        assert s.sentence[i]["chrf"] == pytest.approx(CHRF().sentence_score(h, [r]).score)
        assert s.sentence[i]["bleu"] == pytest.approx(BLEU(effective_order=True).sentence_score(h, [r]).score)
        assert s.sentence[i]["ter"] == pytest.approx(TER().sentence_score(h, [r]).score)
    assert s.corpus["chrf"] == pytest.approx(CHRF().corpus_score(ROUND, [ORIG]).score)
    assert s.corpus["bleu"] == pytest.approx(BLEU().corpus_score(ROUND, [ORIG]).score)
    assert s.corpus["ter"] == pytest.approx(TER().corpus_score(ROUND, [ORIG]).score)
    assert s.mean["chrf"] == pytest.approx(sum(x["chrf"] for x in s.sentence) / 3)


def test_signature_extends_sacrebleu_with_mtcheck_path_and_engines():
    s = score_pairs(ROUND, ORIG, ("chrf",), path=("en", "es", "en"), legs=LEGS)
    sig = s.signature["chrf"]
    assert sig.startswith("chrF2|nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:")
    assert f"|mtcheck:{__version__}|rt:en-es-en|engine:apertium|ver:3.8.3|model:eng-spa+spa-eng|" in sig
    assert sig.endswith(f"|sha:{'a' * 12}+{'b' * 12}|unknown:drop")


def test_engine_signature_keeps_differing_fields_per_leg():
    legs = [EngineIdentity("argos", "1.11.0", "en_es", "c" * 64, {"beam": 4}),
            EngineIdentity("apertium", "3.8.3", "spa-eng", "d" * 64, {"unknown": "drop"})]
    assert engine_signature(legs) == (
        f"engine:argos+apertium|ver:1.11.0+3.8.3|model:en_es+spa-eng|sha:{'c' * 12}+{'d' * 12}|beam:4|unknown:drop"
    )
    assert engine_signature([]) == ""


def test_no_sentences_still_gives_signatures():
    s = score_pairs([], [], ("chrf", "bleu"))
    assert s.corpus == {"chrf": 0.0, "bleu": 0.0}
    assert s.signature["bleu"].startswith("BLEU|nrefs:1|")


def test_round_trip_report_marks_low_sentences():
    spans = [Span(0, len(t), t) for t in ORIG]
    report = round_trip_report(spans, ORIG, ["x"] * 3, ROUND, source_lang="es", target_lang="en", legs=LEGS)
    assert report.direction == "en-es-en"
    assert report.threshold == DEFAULT_THRESHOLD
    assert report.score == pytest.approx(report.document["chrf"])
    low = report.low()
    assert [s.index for s in low] == [1]
    assert report.low(threshold=0.0) == []
    d = report.to_dict()
    assert d["low"] == [1]
    assert d["sentences"][1]["round_trip"] == ROUND[1]
    assert set(d) >= {"document", "mean", "signature", "engines", "sentences", "threshold", "direction"}
    assert d["engines"][0]["model"] == "eng-spa"


def test_ter_is_lower_is_better_for_low():
    spans = [Span(0, len(t), t) for t in ORIG]
    report = round_trip_report(spans, ORIG, ["x"] * 3, ROUND, source_lang="es", target_lang="en",
                               metrics=("chrf", "ter"), threshold=50)
    assert [s.index for s in report.low("ter", 50)] == [i for i, s in enumerate(report.sentences) if s.scores["ter"] > 50]


@pytest.mark.parametrize("spec,expected", [(None, ("chrf",)), ("chrf,bleu", ("chrf", "bleu")),
                                           ("BLEU, ter,bleu", ("bleu", "ter")), (["chrf", "ter"], ("chrf", "ter"))])
def test_parse_metrics(spec, expected):
    assert parse_metrics(spec) == expected


@pytest.mark.parametrize("spec", ["meteor", ",", "chrf,comet"])
def test_parse_metrics_rejects_unknown(spec):
    with pytest.raises(UsageError):
        parse_metrics(spec)


def test_score_corpus_matches_sacrebleu_json_records():
    recs = score_corpus(ROUND, [ORIG], ("bleu", "chrf"), width=2)
    assert recs[0]["name"] == "BLEU" and recs[0]["score"] == round(BLEU().corpus_score(ROUND, [ORIG]).score, 2)
    assert recs[1]["signature"] == "nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:" + recs[1]["version"]
    with pytest.raises(UsageError, match="lines"):
        score_corpus(ROUND, [ORIG[:2]])
