"""Property tests: on arbitrary Unicode text and arbitrary spans every reporter produces output its
consumer can read (JSON parses and validates, XML parses), and the text reporter never raises."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reporter_sample import RULES, sample_context

from mtcheck.document import Document
from mtcheck.findings import Applicability, Edit, Finding, Fix
from mtcheck.reporters import render
from mtcheck.reporters.json_ import report as json_report
from mtcheck.results import DocumentResult
from mtcheck.scoring.quality import quality_score

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "mtcheck" / "schema" / "findings-v1.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


@st.composite
def documents(draw):
    alphabet = st.characters(codec="utf-8", exclude_categories=("Cs",))
    text = draw(st.text(alphabet=st.one_of(alphabet, st.sampled_from("\n\r\t \u00a0\u200b\"“”«»東😀\u05d0")), max_size=300))
    doc = Document.from_text(text, path=draw(st.sampled_from(["a.txt", "dir/with space/ü.md", "-", "a,b:c%.txt"])))
    findings = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, len(text)))
        rule = draw(st.sampled_from(RULES))
        line, col = doc.line_col(start)
        end_line, end_col = doc.line_col(end)
        fix = None
        if draw(st.booleans()):
            edits = tuple(Edit(start, end, draw(st.text(max_size=5))) for _ in range(draw(st.integers(1, 2))))
            fix = Fix(edits, draw(st.sampled_from(list(Applicability))), draw(st.sampled_from(["", 'insert "a\\b"'])))
        message = draw(st.text(min_size=1, max_size=40).filter(lambda m: m.strip()))
        extra = draw(st.sampled_from([{}, {}, {"language": "es", "probability": 0.5, "spans": [[1, 2]]}]))
        findings.append(Finding(code=rule.code, name=rule.name, severity=rule.severity, category=rule.category,
                                message=message, start=start, end=end, text=text[start:end], line=line,
                                column=col, end_line=end_line, end_column=end_col, fix=fix, path=doc.path,
                                extra=extra))
    findings.sort(key=Finding.sort_key)
    return DocumentResult(path=doc.path, document=doc, findings=findings, target_lang="en",
                          quality=quality_score(findings, doc.word_count))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(documents(), min_size=1, max_size=3))
def test_every_reporter_handles_arbitrary_text(results):
    ctx = sample_context(results)
    text = render("text", results, ctx)
    assert text.endswith("\n")
    rendered = render("json", results, ctx)
    # The JSON reporter writes findings with templates: byte for byte what json.dumps writes.
    assert rendered == json.dumps(json_report(results, ctx), ensure_ascii=False, indent=2) + "\n"
    report = json.loads(rendered)
    VALIDATOR.validate(report)
    for doc, res in zip(report["documents"], results):
        for f in doc["findings"]:
            assert res.document.original[f["start"]:f["end"]] == f["text"]
    json.loads(render("sarif", results, ctx))
    ET.fromstring(render("junit", results, ctx).encode("utf-8"))
    for line in render("github", results, ctx).rstrip("\n").split("\n"):  # the runner splits on LF only
        assert line.startswith("::") and "\r" not in line


@st.composite
def odd_results(draw):
    """Results the JSON templates do not write themselves, or write in every variant: unreadable
    documents, feed metadata, fidelity reports, no quality, paths that need escaping."""
    result = draw(documents())
    kind = draw(st.sampled_from(["plain", "error", "meta", "fidelity", "no-quality", "no-path"]))
    if kind == "error":
        return DocumentResult(path=result.path, error=draw(st.text(max_size=20)))
    if kind == "meta":
        result.meta = {"title": draw(st.text(max_size=10)), "n": draw(st.integers()), "tags": ["a", 1.5]}
    elif kind == "fidelity":
        result.fidelity = {"chrf": draw(st.floats(0, 100)), "engine": "apertium", "bleu": float("nan")}
    elif kind == "no-quality":
        result.quality = None
    elif kind == "no-path":
        result.path = None
    result.source_lang = draw(st.sampled_from([None, "es", 'x"y']))
    return result


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(odd_results(), max_size=4), st.sampled_from(["verdicts", "none", "failing"]))
def test_json_report_templates_write_what_json_dumps_writes(results, verdicts):
    """The JSON reporter writes documents and findings from string templates, in pieces; joined,
    they are json.dumps(report, ensure_ascii=False, indent=2) byte for byte, whatever the result."""
    from mtcheck.reporters import ReportContext, render_chunks

    if verdicts == "none":
        ctx = ReportContext(options={"fail_on": "never"})
    elif verdicts == "failing":
        ctx = ReportContext(verdicts={i: (False, ["a reason", 'quoted "reason"']) for i in range(len(results))})
    else:
        ctx = sample_context(results)
    pieces = render_chunks("json", results, ctx)
    expected = json.dumps(json_report(results, ctx), ensure_ascii=False, indent=2) + "\n"
    assert "".join(pieces) == expected == render("json", results, ctx)
    assert len(pieces) >= len(results)  # a piece per document at least: written as produced
