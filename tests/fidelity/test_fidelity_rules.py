"""The F rules' own examples, run with the analysis their options describe.

``tests/test_rule_examples.py`` skips rules that need an engine; here each example's options stand
in for the engine: ``round_trip`` is the round trip of the example's sentence, ``source`` its
source text and ``forward`` the engine's translation of that source (sentence for sentence).
"""

from __future__ import annotations

import pytest

from mtcheck.api import scan_document
from mtcheck.audit import sentence_text
from mtcheck.document import Document
from mtcheck.rules import all_rules
from mtcheck.scoring.fidelity import round_trip_report, source_report
from mtcheck.settings import Settings
from mtcheck.translate.base import EngineIdentity

RULES = [r for r in all_rules() if r.family == "F"]
EXAMPLE_ENGINE = EngineIdentity("example", "0", "example", "0" * 12)


def analyses_for(example, doc: Document, source_lang: str = "es", target_lang: str = "en") -> dict:
    spans = doc.sentences_for(target_lang)
    texts = [sentence_text(s.text) for s in spans]
    opts = example.options
    analyses = {}
    if "round_trip" in opts:
        round_trip = [sentence_text(s.text) for s in Document.from_text(opts["round_trip"]).sentences_for(target_lang)]
        assert len(round_trip) == len(texts), "an F101 example needs one round-trip sentence per sentence"
        analyses["backtranslation"] = round_trip_report(
            spans, texts, [""] * len(texts), round_trip, source_lang=source_lang, target_lang=target_lang,
            legs=[EXAMPLE_ENGINE, EXAMPLE_ENGINE],
        )
    if "source" in opts:
        source = [sentence_text(s.text) for s in Document.from_text(opts["source"]).sentences_for(source_lang)]
        forward = None
        if "forward" in opts:
            forward = [sentence_text(s.text) for s in Document.from_text(opts["forward"]).sentences_for(target_lang)]
            assert len(forward) == len(source), "an example's forward translation needs one sentence per source sentence"
        analyses["source"] = source_report(source, spans, texts, source_lang=source_lang, target_lang=target_lang,
                                           forward=forward, forward_legs=[EXAMPLE_ENGINE])
    return analyses


def _run(rule, example):
    settings = Settings(select=(rule.code,), source_lang=example.source_lang or "es", target_lang="en")
    doc = Document.from_text(example.plain())
    result = scan_document(doc, settings, analyses_for(example, doc))
    return [f for f in result.findings if f.code == rule.code]


def _cases(kind):
    for r in RULES:
        for i, ex in enumerate(getattr(r, kind)):
            yield pytest.param(r, ex, id=f"{r.code}-{kind}{i}")


def test_family_f_has_the_documented_rules():
    codes = {r.code for r in RULES}
    assert {"F101", "F102", "F201", "F202", "F203", "F204", "F205", "F301", "F302"} <= codes
    for r in RULES:
        assert r.needs & {"backtranslation", "source"}, f"{r.code} must declare what it needs"


@pytest.mark.parametrize("rule,example", list(_cases("bad")))
def test_bad_example_flags_marked_spans(rule, example):
    found = sorted((f.start, f.end) for f in _run(rule, example))
    assert found == sorted(example.spans()), f"{rule.code} on {example.plain()!r}"


@pytest.mark.parametrize("rule,example", list(_cases("good")))
def test_good_example_is_silent(rule, example):
    assert _run(rule, example) == [], f"{rule.code} flagged {example.plain()!r}"


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rules_are_skipped_without_their_analysis(rule):
    """``scan`` has no engine: the linter must skip these rules instead of failing or guessing."""
    for example in rule.bad:
        settings = Settings(select=(rule.code,), source_lang="es", target_lang="en")
        assert scan_document(Document.from_text(example.plain()), settings).findings == []


def test_f101_message_shows_the_round_trip_and_threshold_option_applies():
    rule = next(r for r in RULES if r.code == "F101")
    example = rule.bad[0]
    (finding,) = _run(rule, example)
    assert example.options["round_trip"] in finding.message
    assert "round-trip chrF" in finding.message
    settings = Settings(select=("F101",), source_lang="es", target_lang="en", rule_options={"F101": {"threshold": 10}})
    doc = Document.from_text(example.plain())
    assert scan_document(doc, settings, analyses_for(example, doc)).findings == []


def test_several_whole_pair_issues_make_one_finding_that_names_them_all():
    from mtcheck.rules.base import Example

    rule = next(r for r in RULES if r.code == "F201")
    example = Example("Six people died and others were hurt.", source_lang="es",
                      options={"source": "Murieron 6 personas y 2 resultaron heridas."})
    (finding,) = _run(rule, example)
    assert "number 6 of the source is missing" in finding.message and "number 2 of the source is missing" in finding.message
