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

The XML is written from string templates, not built as an ElementTree: a 10 MB batch has 49,000
findings, and building, indenting and serialising their elements cost more than the scan's report
deserved. The text is what ``ElementTree.indent`` and ``ElementTree.tostring`` wrote for the same
elements: two spaces of indentation a level, ``" />"`` for an element without text or children,
attribute values and text escaped by the same functions ElementTree uses.
"""

from __future__ import annotations

import re
try:  # ElementTree's own escaping, so the output stays what ElementTree writes on this Python
    from xml.etree.ElementTree import _escape_attrib, _escape_cdata
except ImportError:  # private names: a Python without them gets their 3.11–3.13 behaviour
    _CDATA = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
    _ATTRIB = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;",
                             "\t": "&#09;"})

    def _escape_cdata(text: str) -> str:
        return text.translate(_CDATA)

    def _escape_attrib(text: str) -> str:
        return text.translate(_ATTRIB)

from mtcheck.findings import Severity
from mtcheck.reporters import ReportContext
from mtcheck.results import DocumentResult

_HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'
# The indentation of a suite, a test case and a test case's child.
_SUITE, _CASE, _CHILD = "\n  ", "\n    ", "\n      "


def render(results: list[DocumentResult], ctx: ReportContext) -> str:
    """The report as an XML document (a ``<testsuites>`` root, two spaces of indentation a level)."""
    return "".join(chunks(results, ctx))


def chunks(results: list[DocumentResult], ctx: ReportContext) -> list[str]:
    """:func:`render`'s text in pieces, a suite a piece (see :func:`mtcheck.reporters.render_chunks`)."""
    fail_on = ctx.options.get("fail_on", "warning")
    threshold = None if fail_on in (None, "never") else Severity(fail_on)
    if ctx.options.get("junit_cases") == "document":
        suites = [_document_suite(results, ctx)]
    else:
        memo: dict = {}
        suites = [_suite(r, ctx.verdicts.get(i), threshold, memo) for i, r in enumerate(results)]
    tests = failures = errors = skipped = 0
    for suite in suites:
        tests += suite[1]
        failures += suite[2]
        errors += suite[3]
        skipped += suite[4]
    root = f'<testsuites name="mtcheck" tests="{tests}" failures="{failures}" errors="{errors}" skipped="{skipped}"'
    if not suites:
        return [_HEADER + root + " />\n"]
    parts = [_HEADER + root + ">"]
    parts.extend([_SUITE + suite[0] for suite in suites])
    parts.append("\n</testsuites>\n")
    return parts


def _element(tag: str, attributes: str, text: str) -> str:
    """An element without children: its attributes already written, its text escaped here."""
    if text:
        return "<" + tag + attributes + ">" + _escape_cdata(text) + "</" + tag + ">"
    return "<" + tag + attributes + " />"


def _open_suite(name: str, tests: int, failures: int, errors: int, skipped: int) -> str:
    """A ``<testsuite>`` start tag without its closing ``>`` (an empty suite ends it with ``" />"``)."""
    return (
        '<testsuite name="' + _escape_attrib(name) + f'" tests="{tests}" failures="{failures}" errors="{errors}"'
        f' skipped="{skipped}"'
    )


def _document_suite(results: list[DocumentResult], ctx: ReportContext) -> tuple:
    """``junit_cases="document"`` (``mtcheck feed``): one suite, one test case per document (feed
    item) named by its title; it fails when the document fails the gate (the reasons and findings
    are the failure text) and errors when the document could not be read. The suite's text and
    its counts (tests, failures, errors, skipped)."""
    name = str(ctx.options.get("feed") or ctx.command)
    classname = _escape_attrib(f"mtcheck.{ctx.command}")
    cases = []
    failures = errors = 0
    for i, r in enumerate(results):
        path = _path(r)
        title = " ".join(str(r.meta.get("title") or path).split())
        case = (
            '<testcase classname="' + classname + '" name="' + _escape_attrib(_clean(title)) + '" file="'
            + _escape_attrib(_clean(path)) + '">'
        )
        verdict = ctx.verdicts.get(i)
        if r.error is not None:
            case += _CHILD + '<error type="InputError" message="' + _escape_attrib(_clean(r.error)) + '" />'
            errors += 1
        elif verdict is not None and not verdict[0]:
            message = _clean("; ".join(verdict[1]))
            text = _clean("\n".join(
                [*verdict[1], *(f"{f.line}:{f.column}: {f.code} ({f.severity.value}) {f.message}: {f.text!r}"
                                for f in r.findings)]))
            case += _CHILD + _element("failure", ' type="gate" message="' + _escape_attrib(message) + '"', text)
            failures += 1
        if r.error is None:
            case += _CHILD + _element("system-out", "", _clean(
                f"{path}: {len(r.findings)} finding(s), score {r.score:.1f}" if r.score is not None else path))
        cases.append(_CASE + case + _CASE + "</testcase>")
    head = _open_suite(name, len(cases), failures, errors, 0)
    if not cases:
        return head + " />", 0, 0, 0, 0
    return head + ">" + "".join(cases) + _SUITE + "</testsuite>", len(cases), failures, errors, 0


def _path(r: DocumentResult) -> str:
    return "stdin" if r.path in (None, "-") else str(r.path)


def _suite(r: DocumentResult, verdict, threshold: Severity | None, memo: dict) -> tuple:
    """A document's suite and its counts (tests, failures, errors, skipped). ``memo`` keeps what
    the findings of a rule (code, name) or of a severity share."""
    path = _path(r)
    file = _escape_attrib(path)
    if r.error is not None:
        case = (
            '<testcase classname="mtcheck.read" name="read" file="' + file + '">' + _CHILD
            + '<error type="InputError" message="' + _escape_attrib(_clean(r.error)) + '" />' + _CASE + "</testcase>"
        )
        return _open_suite(path, 1, 0, 1, 0) + ">" + _CASE + case + _SUITE + "</testsuite>", 1, 0, 1, 0
    cases = []
    failures = skipped = 0
    file_line = '" file="' + file + '" line="'
    for f in r.findings:
        code, name, line, column, message, severity = f.code, f.name, f.line, f.column, f.message, f.severity
        if type(line) is int and type(column) is int and type(code) is str and type(name) is str:
            # Escaping works character by character: what a rule's cases share is escaped once,
            # and numbers need none.
            head = memo.get((code, name))
            if head is None:
                head = memo[(code, name)] = (
                    _CASE + '<testcase classname="' + _escape_attrib(f"mtcheck.{code}") + '" name="'
                    + _escape_attrib(f"{code} {name} at ")
                )
            case = f'{head}{line}:{column}{file_line}{line}">{_CHILD}'
        else:
            case = (
                _CASE + '<testcase classname="' + _escape_attrib(f"mtcheck.{code}") + '" name="'
                + _escape_attrib(f"{code} {name} at {line}:{column}") + file_line + _escape_attrib(str(line)) + '">'
                + _CHILD
            )
        body = f"{path}:{line}:{column}: {code} {message}\n{f.text!r}"
        # The body holds the message as f"{message}" writes it: when the body is clean, so is that.
        clean = _NOT_XML.search(body) is None
        if not clean:
            body = _NOT_XML.sub("", body)
        outcome = memo.get(severity) if type(severity) is Severity else None
        if outcome is None:
            # (fails, the failure or skipped element up to the message)
            if threshold is not None and severity >= threshold:
                outcome = True, '<failure type="' + _escape_attrib(severity.value) + '" message="'
            else:
                outcome = False, '<skipped message="' + _escape_attrib(_clean(f"{severity.value}: "))
            if type(severity) is Severity:
                memo[severity] = outcome
        if outcome[0]:
            case += outcome[1] + _escape_attrib(message if clean and type(message) is str else _clean(message))
            case += ('">' + _escape_cdata(body) + "</failure>") if body else '" />'
            failures += 1
        else:  # the message as f"{severity.value}: {message}" writes it
            message = message if type(message) is str else f"{message}"
            case += outcome[1] + _escape_attrib(message if clean else _clean(message)) + '" />'
            skipped += 1
        cases.append(case + _CASE + "</testcase>")
    gate = '<testcase classname="mtcheck.gate" name="gate" file="' + file + '"'
    if verdict is not None and not verdict[0]:
        attributes = ' type="gate" message="' + _escape_attrib(_clean("; ".join(verdict[1]))) + '"'
        gate += ">" + _CHILD + _element("failure", attributes, _clean("\n".join(verdict[1]))) + _CASE + "</testcase>"
        failures += 1
    else:
        gate += " />"
    properties = "".join([
        _CHILD + '<property name="' + name + '" value="' + _escape_attrib(str(value)) + '" />'
        for name, value in (
            ("words", r.words),
            ("score", f"{r.score:.2f}" if r.score is not None else ""),
            ("source_lang", r.source_lang or ""),
            ("target_lang", r.target_lang or ""),
        )
    ])
    tests = len(cases) + 1
    return (
        _open_suite(path, tests, failures, 0, skipped) + ">" + _CASE + "<properties>" + properties
        + _CASE + "</properties>"
        + "".join(cases) + _CASE + gate + _SUITE + "</testsuite>",
        tests, failures, 0, skipped,
    )


#: What XML 1.0 cannot carry: control characters other than tab and line breaks, surrogates, U+FFFE, U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    """Drop characters XML 1.0 cannot carry (control characters other than tab and newlines)."""
    if type(text) is str:
        return _NOT_XML.sub("", text) if _NOT_XML.search(text) is not None else text
    return "".join(
        ch for ch in text
        if ch in "\t\n\r" or ("\x20" <= ch <= "\ud7ff") or ("\ue000" <= ch <= "\ufffd") or ch > "\uffff"
    )
