"""The JUnit XML reporter, for CI systems that show test reports.

Design (documented in the README):

* one ``<testsuite>`` per document (``name`` = the path);
* one ``<testcase>`` per finding: ``classname`` = ``mtcheck.CODE``, ``name`` =
  ``CODE name at line:col``. A finding at or above ``--fail-on`` is a ``<failure>``
  (``type`` = severity); one below it is ``<skipped>`` with the finding as its message, so it
  shows without failing the build;
* one ``<testcase name="gate">`` per document that fails when the document fails the gate (its
  reasons are the failure message), so every suite has at least one test;
* a document that could not be read has one ``<testcase name="read">`` with an ``<error>``.

With ``ctx.options["junit_cases"] == "document"`` (what ``mtcheck feed`` sets) the report is one
suite with one test case per document instead: a feed item passes or fails as a whole.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from mtcheck.findings import Severity
from mtcheck.reporters import ReportContext
from mtcheck.results import DocumentResult


def render(results: list[DocumentResult], ctx: ReportContext) -> str:
    fail_on = ctx.options.get("fail_on", "warning")
    threshold = None if fail_on in (None, "never") else Severity(fail_on)
    root = ET.Element("testsuites", name="mtcheck")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    if ctx.options.get("junit_cases") == "document":
        suites = [_document_suite(results, ctx)]
    else:
        suites = [_suite(r, ctx.verdicts.get(i), threshold) for i, r in enumerate(results)]
    for suite in suites:
        for k in totals:
            totals[k] += int(suite.get(k))
        root.append(suite)
    for k, v in totals.items():
        root.set(k, str(v))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _document_suite(results: list[DocumentResult], ctx: ReportContext) -> ET.Element:
    """``junit_cases="document"`` (``mtcheck feed``): one suite, one test case per document (feed
    item) named by its title; it fails when the document fails the gate (the reasons and findings
    are the failure text) and errors when the document could not be read."""
    name = str(ctx.options.get("feed") or ctx.command)
    suite = ET.Element("testsuite", name=name)
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for i, r in enumerate(results):
        path = _path(r)
        title = " ".join(str(r.meta.get("title") or path).split())
        case = ET.SubElement(suite, "testcase", classname=f"mtcheck.{ctx.command}", name=_clean(title), file=_clean(path))
        counts["tests"] += 1
        verdict = ctx.verdicts.get(i)
        if r.error is not None:
            ET.SubElement(case, "error", type="InputError", message=_clean(r.error))
            counts["errors"] += 1
        elif verdict is not None and not verdict[0]:
            el = ET.SubElement(case, "failure", type="gate", message=_clean("; ".join(verdict[1])))
            el.text = _clean("\n".join(
                [*verdict[1], *(f"{f.line}:{f.column}: {f.code} ({f.severity.value}) {f.message}: {f.text!r}"
                                for f in r.findings)]))
            counts["failures"] += 1
        if r.error is None:
            ET.SubElement(case, "system-out").text = _clean(
                f"{path}: {len(r.findings)} finding(s), score {r.score:.1f}" if r.score is not None else path)
    for k, v in counts.items():
        suite.set(k, str(v))
    return suite


def _path(r: DocumentResult) -> str:
    return "stdin" if r.path in (None, "-") else str(r.path)


def _suite(r: DocumentResult, verdict, threshold: Severity | None) -> ET.Element:
    path = _path(r)
    suite = ET.Element("testsuite", name=path)
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    if r.error is not None:
        case = ET.SubElement(suite, "testcase", classname="mtcheck.read", name="read", file=path)
        ET.SubElement(case, "error", type="InputError", message=_clean(r.error))
        counts["tests"], counts["errors"] = 1, 1
    else:
        for f in r.findings:
            case = ET.SubElement(
                suite, "testcase", classname=f"mtcheck.{f.code}", name=f"{f.code} {f.name} at {f.line}:{f.column}",
                file=path, line=str(f.line),
            )
            body = _clean(f"{path}:{f.line}:{f.column}: {f.code} {f.message}\n{f.text!r}")
            if threshold is not None and f.severity >= threshold:
                el = ET.SubElement(case, "failure", type=f.severity.value, message=_clean(f.message))
                el.text = body
                counts["failures"] += 1
            else:
                ET.SubElement(case, "skipped", message=_clean(f"{f.severity.value}: {f.message}"))
                counts["skipped"] += 1
            counts["tests"] += 1
        gate = ET.SubElement(suite, "testcase", classname="mtcheck.gate", name="gate", file=path)
        if verdict is not None and not verdict[0]:
            el = ET.SubElement(gate, "failure", type="gate", message=_clean("; ".join(verdict[1])))
            el.text = _clean("\n".join(verdict[1]))
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


def _clean(text: str) -> str:
    """Drop characters XML 1.0 cannot carry (control characters other than tab and newlines)."""
    return "".join(
        ch for ch in text
        if ch in "\t\n\r" or ("\x20" <= ch <= "\ud7ff") or ("\ue000" <= ch <= "\ufffd") or ch > "\uffff"
    )
