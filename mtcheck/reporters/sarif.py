"""The SARIF 2.1.0 reporter (for GitHub code scanning and other SARIF viewers).

* ``tool.driver.rules`` lists the rules that ran, from the rule registry: id, name, short and full description, help
  (the rule's documentation page), ``defaultConfiguration.level`` and ``properties.category``.
* Severity maps to level: error → ``error``, warning → ``warning``, info → ``note``.
* Regions carry both line/column and ``charOffset``/``charLength``; columns and offsets count Unicode
  code points (``run.columnKind`` is ``unicodeCodePoints``); ``endColumn`` is exclusive.
* A finding's fix becomes a SARIF ``fix`` with one replacement per edit.
* A document that could not be read becomes an error notification of the invocation.
"""

from __future__ import annotations

import re
from json.encoder import encode_basestring as _ESCAPE  # a str as json.dumps(ensure_ascii=False) writes it
from urllib.parse import quote

from mtcheck.findings import Applicability, Category, Finding, Severity
from mtcheck.reporters import ReportContext
from mtcheck.reporters.common import Unplain as _Unplain
from mtcheck.results import DocumentResult

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/mtcheck/"

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(results: list[DocumentResult], ctx: ReportContext) -> str:
    """The SARIF log as pretty-printed JSON: ``json.dumps(report(...), ensure_ascii=False, indent=2)``
    and a line break, byte for byte."""
    return "".join(chunks(results, ctx))


def chunks(results: list[DocumentResult], ctx: ReportContext) -> list[str]:
    """:func:`render`'s text in pieces, the results a piece per document (see
    :func:`mtcheck.reporters.render_chunks`)."""
    from mtcheck.reporters.common import dumps_indented_parts

    parts = dumps_indented_parts(_log(results, ctx, templates=True))
    parts.append("\n")
    return parts


def report(results: list[DocumentResult], ctx: ReportContext) -> dict:
    """The SARIF log as a dict."""
    return _log(results, ctx)


def _log(results: list[DocumentResult], ctx: ReportContext, *, templates: bool = False) -> dict:
    """:func:`report`; with ``templates`` the run's results are a :class:`_ResultsJSON` that writes
    them from the findings instead of a list of dicts."""
    from mtcheck import __version__

    rules = _rules(results, ctx)
    index = {r.code: i for i, r in enumerate(rules)}
    artifacts: list[dict] = []
    artifact_index: dict[str, int] = {}
    sarif_results: list[dict] = []
    documents: list[tuple] = []  # (findings, uri, artifact) for the templates
    notifications: list[dict] = []

    for r in results:
        uri = artifact_uri(r.path)
        if r.error is not None:
            notifications.append({
                "level": "error",
                "message": {"text": r.error},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
            })
            continue
        if uri not in artifact_index:
            artifact_index[uri] = len(artifacts)
            art = {"location": {"uri": uri}, "length": len(r.document.original) if r.document else -1}
            if r.document is not None and r.document.fmt in _MIME:
                art["mimeType"] = _MIME[r.document.fmt]
            if r.fidelity is not None and hasattr(r.fidelity, "summary"):
                art["properties"] = {"fidelity": r.fidelity.summary()}  # audit: score and signature
            artifacts.append(art)
        if templates:
            if r.findings:
                documents.append((r.findings, uri, artifact_index[uri]))
            continue
        for f in r.findings:
            sarif_results.append(_result(f, uri, artifact_index[uri], index))

    run: dict = {
        "tool": {
            "driver": {
                "name": "mtcheck",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(r) for r in rules],
            }
        },
        "invocations": [{
            "executionSuccessful": not notifications,
            "toolExecutionNotifications": notifications,
        }],
        "artifacts": _ArtifactsJSON(artifacts) if templates and artifacts else artifacts,
        "results": _ResultsJSON(documents, index) if documents else sarif_results,
        "columnKind": "unicodeCodePoints",
        "properties": {"command": ctx.command},
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _rules(results: list[DocumentResult], ctx: ReportContext) -> list:
    """The rules that ran (``ctx.options["rules"]``, set by the CLI from the selection; default every
    registered rule), plus any rule a result refers to, sorted by code."""
    from mtcheck.rules import all_rules, get_rule

    rules = {r.code: r for r in (ctx.options.get("rules") or all_rules())}
    for res in results:
        for code in {f.code for f in res.findings}:
            if code not in rules:
                found = get_rule(code)
                if found is not None:
                    rules[code] = found
    return [rules[c] for c in sorted(rules)]


_MIME = {"text": "text/plain", "markdown": "text/markdown", "html": "text/html"}


_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")


def artifact_uri(path: str | None) -> str:
    """A URI reference for a path: relative paths stay relative (``/`` separators, percent-encoded),
    absolute ones become ``file://`` URIs, URLs stay as they are, stdin is ``stdin``."""
    if path in (None, "-"):
        return "stdin"
    p = str(path).replace("\\", "/")
    if _URL.match(p):  # already a URI (a feed item's link)
        return p
    if p.startswith("/"):  # PurePosixPath(p).is_absolute(), without parsing the path
        return "file://" + (p if _UNQUOTED.fullmatch(p) else quote(p))
    if p.startswith("./"):
        p = p[2:]
    return p if _UNQUOTED.fullmatch(p) else quote(p)


#: What ``quote`` leaves as it is (most paths): it is slow to find that out.
_UNQUOTED = re.compile(r"[A-Za-z0-9_.~/-]*", re.ASCII)


def _rule(r) -> dict:
    from mtcheck.rules.docs import rule_page  # one source for `mtcheck rule CODE` and SARIF help

    page = rule_page(r, markdown=False)
    return {
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": _full_description(r)},
        "help": {"text": page, "markdown": rule_page(r, markdown=True)},
        "defaultConfiguration": {"level": LEVELS[r.severity], "enabled": r.default_enabled},
        "properties": {
            "category": r.category.value,
            "tags": [r.category.value, r.family],
            "languages": r.languages_label(),
            "fix": r.fix.value if r.fix else None,
        },
    }


def _full_description(r) -> str:
    """The docstring's first paragraph (summary and what it flags)."""
    paragraphs = [p.strip() for p in r.doc.split("\n\n") if p.strip()]
    text = " ".join(" ".join(p.split()) for p in paragraphs[:2]) if paragraphs else r.name
    return text or r.name


def _result(f: Finding, uri: str, artifact: int, index: dict[str, int]) -> dict:
    region = {
        "startLine": f.line,
        "startColumn": f.column,
        "endLine": f.end_line,
        "endColumn": f.end_column,
        "charOffset": f.start,
        "charLength": f.end - f.start,
        "snippet": {"text": f.text},
    }
    out: dict = {
        "ruleId": f.code,
        "level": LEVELS[f.severity],
        "message": {"text": f.message},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": uri, "index": artifact},
                "region": region,
            }
        }],
        "properties": {"name": f.name, "category": f.category.value, "severity": f.severity.value},
    }
    if f.code in index:
        out["ruleIndex"] = index[f.code]
    if f.fix is not None:
        out["fixes"] = [{
            "description": {"text": f.fix.description or f"{f.fix.applicability.value} fix for {f.code}"},
            "artifactChanges": [{
                "artifactLocation": {"uri": uri, "index": artifact},
                "replacements": [
                    {
                        "deletedRegion": {"charOffset": e.start, "charLength": e.end - e.start},
                        "insertedContent": {"text": e.replacement},
                    }
                    for e in f.fix.edits
                ],
            }],
            "properties": {"applicability": f.fix.applicability.value},
        }]
    return out


class _ResultsJSON:
    """The run's results for :func:`mtcheck.reporters.common.dumps_indented`, written straight from
    the findings with string templates: the general encoder walked each result's nine nested
    containers in Python (a 10 MB batch has 49,000 results). What a rule's results share (rule id,
    level, properties, rule index) is encoded once per report, a document's location once per
    document. The text is what ``json.dumps(..., indent=2, ensure_ascii=False)`` gives for
    :func:`_result` at that depth; a finding with a value of an unexpected type goes through the
    general encoder instead."""

    __slots__ = ("documents", "index")

    def __init__(self, documents: list[tuple], index: dict[str, int]):
        self.documents = documents  # (findings, uri, artifact's index: an int), in order
        self.index = index

    def json_indented(self, nl: str) -> str | list[str]:
        """The list's text in pieces, a document's results a piece."""
        from mtcheck.reporters.common import dumps_indented

        item = nl + "  "
        k1, k2, k3, k4, k5, k6 = (item + "  " * n for n in range(1, 7))
        region = (
            "%d," + k5 + '"startColumn": %d,' + k5 + '"endLine": %d,' + k5 + '"endColumn": %d,' + k5
            + '"charOffset": %d,' + k5 + '"charLength": %d,' + k5 + '"snippet": {' + k6 + '"text": '
        )
        close = k5 + "}" + k4 + "}" + k3 + "}" + k2 + "}" + k1 + "]"
        end = item + "}"
        enc = _ESCAPE
        index = self.index
        heads: dict = {}  # (code, name, severity, category) -> (head, tail) or None
        fix_heads: dict = {}  # (applicability, description, code) -> the fix around its location and replacements
        fix_shape = _fix_shape(k1)
        parts: list[str] = []
        sep = "[" + item  # before the first result, then a comma
        for findings, uri, artifact in self.documents:
            location = (
                k1 + "}," + k1 + '"locations": [' + k2 + "{" + k3 + '"physicalLocation": {' + k4 + '"artifactLocation": {'
                + k5 + '"uri": ' + enc(uri) + "," + k5 + '"index": ' + str(artifact) + k4 + "}," + k4 + '"region": {'
                + k5 + '"startLine": '
            )
            fix_location = (
                k4 + "{" + k5 + '"artifactLocation": {' + k6 + '"uri": ' + enc(uri) + "," + k6
                + '"index": ' + str(artifact) + k5 + "},"
            )
            out = []  # the document's results in pieces, joined once
            for f in findings:
                out.append(sep)
                sep = "," + item
                mark = len(out)
                try:
                    severity, category = f.severity, f.category
                    if type(severity) is not Severity or type(category) is not Category:
                        raise _Unplain
                    key = (f.code, f.name, severity, category)
                    rule = heads.get(key, False)
                    if rule is False:
                        rule = heads[key] = _result_head(f, index, k1, k2)
                    if rule is None:
                        raise _Unplain
                    start, end_ = f.start, f.end
                    if not (
                        type(f.message) is str and type(f.text) is str and type(start) is int and type(end_) is int
                        and type(f.line) is int and type(f.column) is int and type(f.end_line) is int
                        and type(f.end_column) is int
                    ):
                        raise _Unplain
                    out += (
                        rule[0], enc(f.message), location,
                        region % (f.line, f.column, f.end_line, f.end_column, start, end_ - start),
                        enc(f.text), close, rule[1],
                    )
                    fix = f.fix
                    if fix is not None:
                        _fix_text(fix, f.code, fix_location, fix_heads, fix_shape, out)
                    out.append(end)
                except _Unplain:
                    del out[mark:]
                    out.append(dumps_indented(_result(f, uri, artifact, index)).replace("\n", item))
            if out:
                parts.append("".join(out))
        if not parts:
            return "[]"
        parts.append(nl + "]")
        return parts


class _ArtifactsJSON:
    """The run's artifacts (the dicts :func:`report` lists) for
    :func:`mtcheck.reporters.common.dumps_indented`: one per document, most with only a location, a
    length and a MIME type, written from a template; the others (an audit's fidelity summary) go
    through the general encoder."""

    __slots__ = ("artifacts",)

    def __init__(self, artifacts: list[dict]):
        self.artifacts = artifacts

    def json_indented(self, nl: str) -> str:
        from mtcheck.reporters.common import _encode

        item = nl + "  "
        k1 = item + "  "
        k2 = k1 + "  "
        head = "{" + k1 + '"location": {' + k2 + '"uri": '
        length = k1 + "}," + k1 + '"length": '
        mime = "," + k1 + '"mimeType": '
        texts = []
        for art in self.artifacts:
            uri = art["location"]["uri"]
            size = art["length"]
            plain = len(art) == 2 or (len(art) == 3 and type(art.get("mimeType")) is str)  # no properties
            if plain and type(uri) is str and type(size) is int:
                text = head + _ESCAPE(uri) + length + int.__repr__(size)
                if len(art) == 3:
                    text += mime + _ESCAPE(art["mimeType"])
                texts.append(text + item + "}")
            else:
                out: list[str] = []
                _encode(art, out, item)
                texts.append("".join(out))
        return "[" + item + ("," + item).join(texts) + nl + "]"


def _int(v) -> str:
    if type(v) is not int:
        raise _Unplain
    return int.__repr__(v)


def _str(v) -> str:
    if type(v) is not str:
        raise _Unplain
    return _ESCAPE(v)


def _result_head(f: Finding, index: dict[str, int], k1: str, k2: str) -> tuple[str, str] | None:
    """What every result of a rule shares: the text up to the message, and from the properties up
    to the fixes (None: the general encoder writes these results)."""
    try:
        head = (
            "{" + k1 + '"ruleId": ' + _str(f.code) + "," + k1 + '"level": ' + _str(LEVELS[f.severity]) + "," + k1
            + '"message": {' + k2 + '"text": '
        )
        tail = (
            "," + k1 + '"properties": {' + k2 + '"name": ' + _str(f.name) + "," + k2 + '"category": '
            + _str(f.category.value) + "," + k2 + '"severity": ' + _str(f.severity.value) + k1 + "}"
        )
        if f.code in index:
            tail += "," + k1 + '"ruleIndex": ' + _int(index[f.code])
    except _Unplain:
        return None
    return head, tail


def _fix_shape(k1: str) -> tuple:
    """The indentation :func:`_fix_text` writes a fix with, for results whose keys start with ``k1``,
    and the template of one replacement."""
    k2, k3, k4, k5, k6, k7, k8 = (k1 + "  " * n for n in range(1, 8))
    replacement = (
        "{" + k7 + '"deletedRegion": {' + k8 + '"charOffset": %d,' + k8 + '"charLength": %d' + k7 + "}," + k7
        + '"insertedContent": {' + k8 + '"text": %s' + k7 + "}" + k6 + "}"
    )
    return k1, k2, k3, k4, k5, "[" + k6, "," + k6, k5 + "]", replacement


def _fix_text(fix, code: str, location: str, fix_heads: dict, shape: tuple, out: list[str]) -> None:
    """A result's ``fixes`` member (from the comma before it) added to ``out`` in pieces, the fix's
    description and applicability written once per kind of fix; :class:`_Unplain` for a value of
    another type (some pieces may have been added)."""
    applicability, description, edits = fix.applicability, fix.description, fix.edits
    if type(applicability) is not Applicability or type(description) is not str or type(edits) is not tuple:
        raise _Unplain
    k1, k2, k3, k4, k5, open_list, list_sep, close_list, replacement = shape
    key = (applicability, description, code)
    head = fix_heads.get(key)
    if head is None:
        head = fix_heads[key] = (
            "," + k1 + '"fixes": [' + k2 + "{" + k3 + '"description": {' + k4 + '"text": '
            + _str(description or f"{applicability.value} fix for {code}") + k3 + "}," + k3 + '"artifactChanges": ['
        ), k5 + '"replacements": ', (
            k4 + "}" + k3 + "]," + k3 + '"properties": {' + k4 + '"applicability": ' + _str(applicability.value)
            + k3 + "}" + k2 + "}" + k1 + "]"
        )
    # %d writes a bool as 1 and truncates a float: exact ints only, as json.dumps writes them.
    if len(edits) == 1:
        e = edits[0]
        start, end = e.start, e.end
        if type(start) is not int or type(end) is not int or type(e.replacement) is not str:
            raise _Unplain
        out += (
            head[0], location, head[1], open_list, replacement % (start, end - start, _ESCAPE(e.replacement)),
            close_list, head[2],
        )
        return
    if not edits:
        out += (head[0], location, head[1], "[]", head[2])
        return
    replacements = []
    for e in edits:
        start, end = e.start, e.end
        if type(start) is not int or type(end) is not int or type(e.replacement) is not str:
            raise _Unplain
        replacements.append(replacement % (start, end - start, _ESCAPE(e.replacement)))
    out += (head[0], location, head[1], open_list, list_sep.join(replacements), close_list, head[2])
