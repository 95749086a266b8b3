"""The SARIF and JUnit reporters write their reports from string templates; these tests pin that the
text is exactly what the plain implementations wrote: for SARIF ``json.dumps(report(...),
ensure_ascii=False, indent=2)``, for JUnit the ElementTree the reporter used to build, indented and
serialised (kept below as the reference). The inputs are arbitrary: control characters, quotes and
markup in every string, paths that need escaping, unreadable documents, fixes with zero to two
edits, fidelity reports, feed metadata, and fields of unexpected types that the templates leave to
the general encoder."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from urllib.parse import quote
from xml.etree import ElementTree as ET

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reporter_sample import RULES, sample_context, sample_results

from mtcheck.document import Document
from mtcheck.findings import Applicability, Category, Edit, Finding, Fix, Severity
from mtcheck.reporters import ReportContext, render, render_chunks
from mtcheck.reporters import junit as junit_reporter
from mtcheck.reporters.sarif import artifact_uri
from mtcheck.reporters.sarif import report as sarif_report
from mtcheck.results import DocumentResult
from mtcheck.scoring.quality import quality_score

_ODD_CHARS = '\n\r\t\x00\x0b\x1f\x7f"\\&<>\'%\u2028\u00a0\ufffe\uffff\ue000😀東'
# Paths go through urllib's quote (UTF-8): no lone surrogates there.
PLAIN = st.text(alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from(_ODD_CHARS)), max_size=25)
TEXT = st.one_of(PLAIN, st.sampled_from(["\ud800", "a\udfffb"]))
PATHS = st.one_of(
    st.sampled_from([None, "-", "", "a.txt", "dir/with space/ü.md", "/abs/p&th <x>.txt", "C:\\win\\f.txt",
                     "https://example.org/a?b=1&c", "./rel/a%b.html", 'q"uote\t.txt', "\x01ctl.txt", "//net/x"]),
    PLAIN,
)


class _Str(str):
    """A str subclass: JSON writes it as a string, the templates leave it to the general encoder."""


@dataclass(frozen=True)
class _OddCategory:
    value: object


# Values of other types than the templates expect (json.dumps writes them all).
ODD = st.sampled_from([True, False, 2.5, float("nan"), None, "7", _Str("s&<"), 10**20, -1])
#: Numbers of other types (offsets are subtracted from each other).
ODD_NUMBERS = st.sampled_from([True, False, 2.5, float("nan"), 10**20, -1])
INTS = st.one_of(st.integers(0, 10**6), st.integers(-3, 3))


def odd_one(draw, value, fields: dict):
    """``value`` as drawn, or (one time in three) with one of ``fields`` set to a value of an
    unexpected type: one at a time, so that the templates write the rest of the report."""
    if draw(st.integers(0, 2)):
        return value
    field = draw(st.sampled_from(sorted(fields)))
    return replace(value, **{field: draw(fields[field])})


@st.composite
def edits(draw):
    edit = Edit(draw(INTS), draw(INTS), draw(TEXT))
    return odd_one(draw, edit, {"start": ODD_NUMBERS, "end": ODD_NUMBERS, "replacement": ODD})


@st.composite
def fixes(draw):
    fix = Fix(tuple(draw(st.lists(edits(), max_size=2))), draw(st.sampled_from(list(Applicability))),
              draw(st.sampled_from(["", 'insert "a\\b"', "x < y & z"])))
    return odd_one(draw, fix, {"edits": st.just(list(fix.edits)), "description": ODD})


@st.composite
def findings(draw):
    rule = draw(st.sampled_from(RULES))
    code = draw(st.sampled_from([rule.code, rule.code, rule.code, "W104", "X999", 'Q"1<']))
    finding = Finding(
        code=code, name=draw(st.sampled_from([rule.name, "n&m<e>"])), severity=draw(st.sampled_from(list(Severity))),
        category=draw(st.sampled_from(list(Category))), message=draw(TEXT), start=draw(INTS), end=draw(INTS),
        text=draw(TEXT), line=draw(INTS), column=draw(INTS), end_line=draw(INTS), end_column=draw(INTS),
        fix=draw(st.one_of(st.none(), fixes())), extra=draw(st.sampled_from([{}, {}, {"language": "es", "p": 0.5}])),
    )
    return odd_one(draw, finding, {
        "code": st.just(_Str(code)), "name": ODD, "severity": st.sampled_from(["error", "info"]),
        "category": st.builds(_OddCategory, st.sampled_from(["odd", 5, None])), "message": ODD, "text": ODD,
        "start": ODD_NUMBERS, "end": ODD_NUMBERS, "line": ODD, "column": ODD, "end_line": ODD, "end_column": ODD,
    })


class _Fidelity:
    """What ``audit`` attaches: a report with a ``summary()``."""

    def __init__(self, summary):
        self._summary = summary

    def summary(self):
        return self._summary


@st.composite
def results(draw):
    path = draw(PATHS)
    if draw(st.integers(0, 6)) == 0:
        return DocumentResult(path=path, error=draw(TEXT))
    text = draw(PLAIN)
    fmt = st.sampled_from(["text", "markdown", "html", "other"])
    document = draw(st.one_of(st.none(), st.builds(Document.from_text, st.just(text), st.just(path), fmt=fmt)))
    fidelity = draw(st.sampled_from([
        None, None, None, _Fidelity({"chrf": 51.25, "signature": {"engine": "apertium"}, "bleu": float("nan")}),
        {"chrf": 1.0},  # no summary(): not written
    ]))
    return DocumentResult(
        path=path, document=document, findings=draw(st.lists(findings(), max_size=5)),
        source_lang=draw(st.sampled_from([None, "es", 'x"y&<', ""])), target_lang=draw(st.sampled_from([None, "en"])),
        quality=draw(st.sampled_from([None, quality_score([], 10)])), fidelity=fidelity,
        meta=draw(st.one_of(st.just({}), st.fixed_dictionaries({"title": st.one_of(st.none(), TEXT)}))),
    )


@st.composite
def contexts(draw, batch):
    verdicts = {}
    for i in range(len(batch)):
        if draw(st.integers(0, 3)):
            verdicts[i] = (draw(st.booleans()), draw(st.lists(TEXT, max_size=2)))
    options = {}
    fail_on = draw(st.sampled_from(["warning", "error", "info", "never", None, "missing"]))
    if fail_on != "missing":
        options["fail_on"] = fail_on
    rules = draw(st.sampled_from(["sample", "all", "empty"]))
    if rules != "all":
        options["rules"] = RULES if rules == "sample" else []
    if draw(st.booleans()):
        options["junit_cases"] = "document"
        if draw(st.booleans()):
            options["feed"] = draw(PLAIN)
    command = draw(st.sampled_from(["scan", "audit", "feed", 'a&"b']))
    return ReportContext(command=command, verdicts=verdicts, options=options)


@st.composite
def batches(draw):
    batch = draw(st.lists(results(), max_size=4))
    if batch and draw(st.booleans()):  # two results with the same path share an artifact
        batch.append(draw(results()))
        batch[-1].path = batch[0].path
    return batch, draw(contexts(batch))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(batches())
def test_sarif_templates_write_what_json_dumps_writes(batch):
    results, ctx = batch
    expected = outcome(lambda: json.dumps(sarif_report(results, ctx), ensure_ascii=False, indent=2) + "\n")
    assert outcome(lambda: "".join(render_chunks("sarif", results, ctx))) == expected
    assert outcome(lambda: render("sarif", results, ctx)) == expected


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(batches())
def test_junit_templates_write_what_elementtree_wrote(batch):
    results, ctx = batch
    expected = outcome(lambda: reference_junit(results, ctx))
    assert outcome(lambda: "".join(render_chunks("junit", results, ctx))) == expected
    assert outcome(lambda: render("junit", results, ctx)) == expected


def outcome(make):
    """What ``make()`` returns, or the type of exception it raises (a message that is not a string,
    say: the former reporters raised too)."""
    try:
        return make()
    except Exception as e:  # noqa: BLE001
        return type(e)


def test_sample_reports_match_the_plain_implementations():
    for fail_on in (Severity.WARNING, Severity.ERROR, Severity.INFO, None):
        results = sample_results()
        ctx = sample_context(results, fail_on=fail_on)
        assert render("sarif", results, ctx) == json.dumps(sarif_report(results, ctx), ensure_ascii=False, indent=2) + "\n"
        assert render("junit", results, ctx) == reference_junit(results, ctx)
        ctx.options["junit_cases"] = "document"
        assert render("junit", results, ctx) == reference_junit(results, ctx)
    assert render("junit", [], ReportContext()) == reference_junit([], ReportContext())


def test_unexpected_values_are_written_as_json_dumps_writes_them():
    """A bool line, a float offset, a str subclass and a list of edits go through the general encoder,
    next to a finding the templates write."""
    results = sample_results()
    odd = results[0].findings[0].with_(line=True, start=1.5, message=_Str("m"),
                                       fix=Fix([Edit(0, 1, "x")], Applicability.UNSAFE, ""))
    results[0].findings.append(odd)
    ctx = sample_context(results)
    text = render("sarif", results, ctx)
    assert text == json.dumps(sarif_report(results, ctx), ensure_ascii=False, indent=2) + "\n"
    assert '"startLine": true' in text and '"charOffset": 1.5' in text


def test_junit_writes_unexpected_values_as_the_former_reporter_did():
    """A bool line, a str subclass as code, a number as an info finding's message (skipped: its
    message is an f-string), and a path that needs escaping."""
    results = sample_results()
    results[0].path = 'a&b "c" <d>\t.txt'
    info = next(f for f in results[0].findings if f.severity is Severity.INFO)
    results[0].findings += [info.with_(message=5), info.with_(line=True, code=_Str("Q3&1")), info.with_(message=None)]
    ctx = sample_context(results)
    text = render("junit", results, ctx)
    assert text == reference_junit(results, ctx)
    assert 'message="info: 5"' in text and 'message="info: None"' in text
    ctx.options["fail_on"] = "info"  # a failure's message goes through _clean as it is: a number is not text
    assert outcome(lambda: render("junit", results, ctx)) == outcome(lambda: reference_junit(results, ctx)) == TypeError


@settings(max_examples=300, deadline=None)
@given(st.one_of(PATHS, st.text(alphabet="/.~-_%aZ09 \\:", max_size=12)))
def test_artifact_uri_is_what_it_was(path):
    """``artifact_uri`` tells absolute paths by their first character and leaves out ``quote``
    where it would change nothing; the URIs are those the former code made."""
    assert artifact_uri(path) == reference_artifact_uri(path)


def reference_artifact_uri(path):
    if path in (None, "-"):
        return "stdin"
    p = str(path).replace("\\", "/")
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]+://", p):
        return p
    if PurePosixPath(p).is_absolute():
        return "file://" + quote(p)
    if p.startswith("./"):
        p = p[2:]
    return quote(p)


def test_clean_drops_what_xml_cannot_carry_and_keeps_the_rest():
    every = "".join(map(chr, range(0x110000)))
    kept = "".join(
        ch for ch in every
        if ch in "\t\n\r" or ("\x20" <= ch <= "\ud7ff") or ("\ue000" <= ch <= "\ufffd") or ch > "\uffff"
    )
    assert junit_reporter._clean(every) == kept
    assert junit_reporter._clean("plain") == "plain"
    assert junit_reporter._clean(_Str("a\x00b")) == "ab"


# -- the former JUnit reporter, built with ElementTree: the reference the templates must match ------


def reference_junit(results: list[DocumentResult], ctx: ReportContext) -> str:
    fail_on = ctx.options.get("fail_on", "warning")
    threshold = None if fail_on in (None, "never") else Severity(fail_on)
    root = ET.Element("testsuites", name="mtcheck")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    if ctx.options.get("junit_cases") == "document":
        suites = [_ref_document_suite(results, ctx)]
    else:
        suites = [_ref_suite(r, ctx.verdicts.get(i), threshold) for i, r in enumerate(results)]
    for suite in suites:
        for k in totals:
            totals[k] += int(suite.get(k))
        root.append(suite)
    for k, v in totals.items():
        root.set(k, str(v))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _ref_document_suite(results, ctx):
    name = str(ctx.options.get("feed") or ctx.command)
    suite = ET.Element("testsuite", name=name)
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for i, r in enumerate(results):
        path = _ref_path(r)
        title = " ".join(str(r.meta.get("title") or path).split())
        case = ET.SubElement(suite, "testcase", classname=f"mtcheck.{ctx.command}", name=_ref_clean(title),
                             file=_ref_clean(path))
        counts["tests"] += 1
        verdict = ctx.verdicts.get(i)
        if r.error is not None:
            ET.SubElement(case, "error", type="InputError", message=_ref_clean(r.error))
            counts["errors"] += 1
        elif verdict is not None and not verdict[0]:
            el = ET.SubElement(case, "failure", type="gate", message=_ref_clean("; ".join(verdict[1])))
            el.text = _ref_clean("\n".join(
                [*verdict[1], *(f"{f.line}:{f.column}: {f.code} ({f.severity.value}) {f.message}: {f.text!r}"
                                for f in r.findings)]))
            counts["failures"] += 1
        if r.error is None:
            ET.SubElement(case, "system-out").text = _ref_clean(
                f"{path}: {len(r.findings)} finding(s), score {r.score:.1f}" if r.score is not None else path)
    for k, v in counts.items():
        suite.set(k, str(v))
    return suite


def _ref_path(r):
    return "stdin" if r.path in (None, "-") else str(r.path)


def _ref_suite(r, verdict, threshold):
    path = _ref_path(r)
    suite = ET.Element("testsuite", name=path)
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    if r.error is not None:
        case = ET.SubElement(suite, "testcase", classname="mtcheck.read", name="read", file=path)
        ET.SubElement(case, "error", type="InputError", message=_ref_clean(r.error))
        counts["tests"], counts["errors"] = 1, 1
    else:
        for f in r.findings:
            case = ET.SubElement(
                suite, "testcase", classname=f"mtcheck.{f.code}", name=f"{f.code} {f.name} at {f.line}:{f.column}",
                file=path, line=str(f.line),
            )
            body = _ref_clean(f"{path}:{f.line}:{f.column}: {f.code} {f.message}\n{f.text!r}")
            if threshold is not None and f.severity >= threshold:
                el = ET.SubElement(case, "failure", type=f.severity.value, message=_ref_clean(f.message))
                el.text = body
                counts["failures"] += 1
            else:
                ET.SubElement(case, "skipped", message=_ref_clean(f"{f.severity.value}: {f.message}"))
                counts["skipped"] += 1
            counts["tests"] += 1
        gate = ET.SubElement(suite, "testcase", classname="mtcheck.gate", name="gate", file=path)
        if verdict is not None and not verdict[0]:
            el = ET.SubElement(gate, "failure", type="gate", message=_ref_clean("; ".join(verdict[1])))
            el.text = _ref_clean("\n".join(verdict[1]))
            counts["failures"] += 1
        counts["tests"] += 1
        props = ET.Element("properties")
        for name, value in (
            ("words", r.words),
            ("score", f"{r.score:.2f}" if r.score is not None else ""),
            ("source_lang", r.source_lang or ""),
            ("target_lang", r.target_lang or ""),
        ):
            ET.SubElement(props, "property", name=name, value=str(value))
        suite.insert(0, props)
    for k, v in counts.items():
        suite.set(k, str(v))
    return suite


def _ref_clean(text):
    return "".join(
        ch for ch in text
        if ch in "\t\n\r" or ("\x20" <= ch <= "\ud7ff") or ("\ue000" <= ch <= "\ufffd") or ch > "\uffff"
    )


def test_junit_escaping_without_elementtrees_private_helpers(monkeypatch):
    """The JUnit writer uses ElementTree's private escaping helpers; on a Python without them it
    falls back to its own, which must escape as they do."""
    import importlib
    import random
    import sys
    import xml.etree.ElementTree as ET

    originals = ET._escape_attrib, ET._escape_cdata
    monkeypatch.delattr(ET, "_escape_attrib")
    monkeypatch.delattr(ET, "_escape_cdata")
    import mtcheck.reporters
    import mtcheck.reporters.junit

    # The package attribute is set again by the import below: put the module in use back after.
    monkeypatch.setattr(mtcheck.reporters, "junit", mtcheck.reporters.junit)
    monkeypatch.delitem(sys.modules, "mtcheck.reporters.junit")
    fallback = importlib.import_module("mtcheck.reporters.junit")
    assert fallback._escape_attrib is not originals[0]
    rng = random.Random(3)
    for _ in range(5000):
        text = "".join(rng.choice('a&<>"\'\r\n\t é') for _ in range(rng.randint(0, 12)))
        assert fallback._escape_attrib(text) == originals[0](text)
        assert fallback._escape_cdata(text) == originals[1](text)
    monkeypatch.delitem(sys.modules, "mtcheck.reporters.junit")
