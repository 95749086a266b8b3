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
from pathlib import PurePosixPath
from urllib.parse import quote

from mtcheck.findings import Finding, Severity
from mtcheck.reporters import ReportContext
from mtcheck.results import DocumentResult

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/mtcheck/"

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(results: list[DocumentResult], ctx: ReportContext) -> str:
    from mtcheck.reporters.common import dumps_indented

    return dumps_indented(report(results, ctx)) + "\n"  # json.dumps(..., ensure_ascii=False, indent=2)


def report(results: list[DocumentResult], ctx: ReportContext) -> dict:
    """The SARIF log as a dict."""
    from mtcheck import __version__

    rules = _rules(results, ctx)
    index = {r.code: i for i, r in enumerate(rules)}
    artifacts: list[dict] = []
    artifact_index: dict[str, int] = {}
    sarif_results: list[dict] = []
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
        "artifacts": artifacts,
        "results": sarif_results,
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
        for f in res.findings:
            if f.code not in rules:
                found = get_rule(f.code)
                if found is not None:
                    rules[f.code] = found
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
    if PurePosixPath(p).is_absolute():
        return "file://" + quote(p)
    if p.startswith("./"):
        p = p[2:]
    return quote(p)


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
