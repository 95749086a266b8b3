"""Every rule's own examples are its specification: bad examples flag exactly the marked spans,
good examples stay silent. Meta-tests fail when a rule has no examples or no documentation."""

from __future__ import annotations

import pytest

from mtcheck.api import scan_document
from mtcheck.document import Document
from mtcheck.rules import all_rules
from mtcheck.settings import Settings

RULES = all_rules()


def _run(rule, example):
    settings = Settings(
        select=(rule.code,),
        source_lang=example.source_lang or (sorted(rule.source_langs)[0] if rule.source_langs else None),
        target_lang=example.target_lang or (sorted(rule.target_langs)[0] if rule.target_langs else "en"),
        rule_options={rule.code: dict(example.options)} if example.options else {},
    )
    doc = Document.from_text(example.plain())
    analyses = {}
    return [f for f in scan_document(doc, settings, analyses).findings if f.code == rule.code]


def _cases(kind):
    for r in RULES:
        if r.needs - {"langid", "suppressions"}:
            continue  # rules needing an engine or a source are tested in their own modules
        for i, ex in enumerate(getattr(r, kind)):
            yield pytest.param(r, ex, id=f"{r.code}-{kind}{i}")


@pytest.mark.parametrize("rule,example", list(_cases("bad")))
def test_bad_example_flags_marked_spans(rule, example):
    found = sorted((f.start, f.end) for f in _run(rule, example))
    assert found == sorted(example.spans()), f"{rule.code} on {example.plain()!r}"


@pytest.mark.parametrize("rule,example", list(_cases("good")))
def test_good_example_is_silent(rule, example):
    assert _run(rule, example) == [], f"{rule.code} flagged {example.plain()!r}"


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_is_documented_with_examples(rule):
    assert rule.bad, f"{rule.code} has no bad examples"
    assert rule.good, f"{rule.code} has no good examples"
    for section in ("What it flags", "Why it matters"):
        assert section in rule.doc, f"{rule.code} docstring lacks {section!r}"
    if rule.fix is not None:
        assert "Fix safety" in rule.doc, f"{rule.code} has a fix but no 'Fix safety' section"
