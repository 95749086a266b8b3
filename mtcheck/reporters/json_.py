"""The JSON reporter: the versioned ``mtcheck/findings`` schema, version 1.

The shape is pinned by ``mtcheck/schema/findings-v1.json`` (JSON Schema 2020-12) and documented in
the README (section "Output formats"). Additive changes (a new optional field) keep version 1;
renaming, removing or retyping a field bumps the version.
"""

from __future__ import annotations

from mtcheck.reporters import ReportContext
from mtcheck.results import DocumentResult, category_counts, severity_counts
from mtcheck.scoring.quality import quality_score

SCHEMA_ID = "mtcheck/findings"
SCHEMA_VERSION = 1


def render(results: list[DocumentResult], ctx: ReportContext) -> str:
    """The report as pretty-printed JSON (UTF-8, not ASCII-escaped)."""
    from mtcheck.reporters.common import dumps_indented

    return dumps_indented(report(results, ctx)) + "\n"  # json.dumps(..., ensure_ascii=False, indent=2)


def report(results: list[DocumentResult], ctx: ReportContext) -> dict:
    """The report as a dict (what :func:`render` serialises)."""
    from mtcheck import __version__

    return {
        "schema": SCHEMA_ID,
        "version": SCHEMA_VERSION,
        "tool": {"name": "mtcheck", "version": __version__},
        "command": ctx.command,
        "fail_on": ctx.options.get("fail_on"),
        "documents": [document(r, ctx.verdicts.get(i)) for i, r in enumerate(results)],
        "summary": summary(results, ctx),
    }


def document(r: DocumentResult, verdict: tuple[bool, list[str]] | None = None) -> dict:
    """One document's entry."""
    out = {
        "path": r.path,
        "languages": {"source": r.source_lang, "target": r.target_lang},
        "words": r.words,
        "score": round(r.score, 2) if r.score is not None else None,
        "quality": r.quality.to_dict() if r.quality else None,
        "counts": _counts(r.findings),
        "gate": {"passed": verdict[0], "reasons": list(verdict[1])} if verdict is not None else None,
        "error": r.error,
        "findings": [f.to_dict() for f in r.findings],
    }
    if r.fidelity is not None:
        out["fidelity"] = _jsonable(r.fidelity)
    if r.meta:
        out["meta"] = _jsonable(r.meta)
    return out


def summary(results: list[DocumentResult], ctx: ReportContext) -> dict:
    """Totals over every document that could be read."""
    read = [r for r in results if r.error is None]
    findings = [f for r in read for f in r.findings]
    words = sum(r.words for r in read)
    return {
        "documents": len(results),
        "errors": len(results) - len(read),
        "words": words,
        "findings": len(findings),
        **_counts(findings, with_total=False),
        "score": round(quality_score(findings, words).score, 2) if read else None,
        "passed": all(v[0] for v in ctx.verdicts.values()) if ctx.verdicts else None,
    }


def _counts(findings, with_total: bool = True) -> dict:
    out = {
        "by_severity": severity_counts(findings),
        "by_category": category_counts(findings),
        "fixable": sum(1 for f in findings if f.fix is not None),
    }
    if with_total:
        out = {"total": len(findings), **out}
    return out


def _jsonable(value):
    """Dataclass-like reports (``to_dict``), dicts, lists and scalars as plain JSON values."""
    if hasattr(value, "to_dict"):
        return _jsonable(value.to_dict())
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)
