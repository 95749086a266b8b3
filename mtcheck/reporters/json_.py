"""The JSON reporter: the versioned ``mtcheck/findings`` schema, version 1.

The shape is pinned by ``mtcheck/schema/findings-v1.json`` (JSON Schema 2020-12) and documented in
the README (section "Output formats"). Additive changes (a new optional field) keep version 1;
renaming, removing or retyping a field bumps the version.
"""

from __future__ import annotations

from json.encoder import encode_basestring

from mtcheck.reporters import ReportContext
from mtcheck.results import DocumentResult, category_counts, severity_counts
from mtcheck.scoring.quality import quality_score

SCHEMA_ID = "mtcheck/findings"
SCHEMA_VERSION = 1


def render(results: list[DocumentResult], ctx: ReportContext) -> str:
    """The report as pretty-printed JSON (UTF-8, not ASCII-escaped)."""
    from mtcheck.reporters.common import dumps_indented

    out = report(results, ctx, findings=_FindingsJSON)
    return dumps_indented(out) + "\n"  # json.dumps(report(...), ensure_ascii=False, indent=2), byte for byte


def report(results: list[DocumentResult], ctx: ReportContext, *, findings=None) -> dict:
    """The report as a dict (what :func:`render` serialises). ``findings`` (internal) wraps each
    document's list of findings instead of turning it into dicts."""
    from mtcheck import __version__

    return {
        "schema": SCHEMA_ID,
        "version": SCHEMA_VERSION,
        "tool": {"name": "mtcheck", "version": __version__},
        "command": ctx.command,
        "fail_on": ctx.options.get("fail_on"),
        "documents": [document(r, ctx.verdicts.get(i), findings=findings) for i, r in enumerate(results)],
        "summary": summary(results, ctx),
    }


def document(r: DocumentResult, verdict: tuple[bool, list[str]] | None = None, *, findings=None) -> dict:
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
        "findings": findings(r.findings) if findings else [f.to_dict() for f in r.findings],
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


class _FindingsJSON:
    """A document's findings for :func:`mtcheck.reporters.common.dumps_indented`, written straight
    from the :class:`~mtcheck.findings.Finding` objects with string templates: the general encoder
    spends about 12 µs on each finding's dict (a 1 MB batch has 5,000 findings), this a third of
    that. The text is what ``json.dumps(f.to_dict(), indent=2, ensure_ascii=False)`` gives at that
    depth; a finding with ``extra`` data, or a field of an unexpected type, goes through the
    general encoder instead."""

    __slots__ = ("findings",)

    def __init__(self, findings):
        self.findings = findings

    def json_indented(self, nl: str) -> str:
        from mtcheck.reporters.common import dumps_indented

        if not self.findings:
            return "[]"
        item, key, sub, subsub, leaf = nl + "  ", nl + "    ", nl + "      ", nl + "        ", nl + "          "
        head = (
            "{" + key + '"code": %s,' + key + '"name": %s,' + key + '"severity": %s,' + key + '"category": %s,'
            + key + '"message": %s,' + key + '"start": %d,' + key + '"end": %d,' + key + '"line": %d,'
            + key + '"column": %d,' + key + '"end_line": %d,' + key + '"end_column": %d,' + key + '"text": %s,'
            + key + '"fix": '
        )
        fix_head = "{" + sub + '"applicability": %s,' + sub + '"description": %s,' + sub + '"edits": '
        edit = "{" + leaf + '"start": %d,' + leaf + '"end": %d,' + leaf + '"replacement": %s' + subsub + "}"
        enc = encode_basestring  # what json.dumps(ensure_ascii=False) writes a string as
        parts = []
        for f in self.findings:
            if not _plain(f):
                parts.append(dumps_indented(f.to_dict()).replace("\n", item))
                continue
            # Severity, Category and Applicability are str enums: their text is their value.
            text = head % (
                enc(f.code), enc(f.name), enc(f.severity), enc(f.category), enc(f.message),
                f.start, f.end, f.line, f.column, f.end_line, f.end_column, enc(f.text),
            )
            fix = f.fix
            if fix is None:
                text += "null"
            else:
                text += fix_head % (enc(fix.applicability), enc(fix.description))
                if fix.edits:
                    text += "[" + subsub + ("," + subsub).join(
                        [edit % (e.start, e.end, enc(e.replacement)) for e in fix.edits]
                    ) + sub + "]" + key + "}"
                else:
                    text += "[]" + key + "}"
            parts.append(text + item + "}")
        return "[" + item + ("," + item).join(parts) + nl + "]"


def _plain(f) -> bool:
    """Whether the template writes ``f`` exactly as the general encoder would: exact ints (not a
    bool, which ``%d`` would write as 1), strings and str enums, no extra data."""
    if f.extra or not (
        type(f.start) is int and type(f.end) is int and type(f.line) is int and type(f.column) is int
        and type(f.end_line) is int and type(f.end_column) is int and type(f.code) is str
        and type(f.name) is str and type(f.message) is str and type(f.text) is str
        and isinstance(f.severity, str) and isinstance(f.category, str)
    ):
        return False
    fix = f.fix
    if fix is None:
        return True
    if not (type(fix.description) is str and isinstance(fix.applicability, str)):
        return False
    for e in fix.edits:
        if not (type(e.start) is int and type(e.end) is int and type(e.replacement) is str):
            return False
    return True
