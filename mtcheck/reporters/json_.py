"""The JSON reporter: the versioned ``mtcheck/findings`` schema, version 1.

The shape is pinned by ``mtcheck/schema/findings-v1.json`` (JSON Schema 2020-12) and documented in
the README (section "Output formats"). Additive changes (a new optional field) keep version 1;
renaming, removing or retyping a field bumps the version.
"""

from __future__ import annotations

from json.encoder import encode_basestring

from mtcheck.reporters import ReportContext
from mtcheck.reporters.common import Unplain as _Unplain
from mtcheck.reporters.common import json_scalar as _scalar
from mtcheck.results import DocumentResult, Tally, severity_counts
from mtcheck.scoring.quality import quality_from_counts

SCHEMA_ID = "mtcheck/findings"
SCHEMA_VERSION = 1


def render(results: list[DocumentResult], ctx: ReportContext) -> str:
    """The report as pretty-printed JSON (UTF-8, not ASCII-escaped)."""
    return "".join(chunks(results, ctx))


def chunks(results: list[DocumentResult], ctx: ReportContext) -> list[str]:
    """:func:`render`'s text in pieces: ``json.dumps(report(...), ensure_ascii=False, indent=2)``
    and a line break, byte for byte, with each document's entry a piece of its own."""
    from mtcheck.reporters.common import dumps_indented_parts

    parts = dumps_indented_parts(report(results, ctx, documents=_DocumentsJSON))
    parts.append("\n")
    return parts


def report(results: list[DocumentResult], ctx: ReportContext, *, documents=None) -> dict:
    """The report as a dict (what :func:`render` serialises). ``documents`` (internal) wraps the
    results and the context instead of turning each document into a dict."""
    from mtcheck import __version__

    return {
        "schema": SCHEMA_ID,
        "version": SCHEMA_VERSION,
        "tool": {"name": "mtcheck", "version": __version__},
        "command": ctx.command,
        "fail_on": ctx.options.get("fail_on"),
        "documents": documents(results, ctx) if documents else [document(r, ctx.verdicts.get(i)) for i, r in enumerate(results)],
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
        "counts": _counts(r.tally()),
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
    """Totals over every document that could be read (from each document's :class:`Tally`: the
    findings of a batch scanned in worker processes are never unpickled for a JSON report)."""
    read = [r for r in results if r.error is None]
    tallies = [r.tally() for r in read]
    words = sum(r.words for r in read)
    by_severity = dict.fromkeys(severity_counts(()), 0)
    by_category: dict[str, int] = {}
    for t in tallies:
        for name, n in t.by_severity.items():
            by_severity[name] += n
        for name, n in t.by_category.items():
            by_category[name] = by_category.get(name, 0) + n
    return {
        "documents": len(results),
        "errors": len(results) - len(read),
        "words": words,
        "findings": sum(t.total for t in tallies),
        "by_severity": by_severity,
        "by_category": dict(sorted(by_category.items())),
        "fixable": sum(t.fixable for t in tallies),
        "score": round(quality_from_counts(by_severity, words).score, 2) if read else None,
        "passed": all(v[0] for v in ctx.verdicts.values()) if ctx.verdicts else None,
    }


def _counts(t: Tally) -> dict:
    return {"total": t.total, "by_severity": t.by_severity, "by_category": t.by_category, "fixable": t.fixable}


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


#: The line break and indentation a document's entry starts on in the report.
ENTRY_INDENT = "\n    "


def entry(r: DocumentResult, verdict: tuple[bool, list[str]] | None) -> str | None:
    """One document's entry in the report, as :func:`render` writes it (None: a value the
    templates leave to the general encoder). The CLI makes entries while results arrive."""
    try:
        return _document_text(r, verdict, ENTRY_INDENT)
    except _Unplain:
        return None


class _DocumentsJSON:
    """The report's documents for :func:`mtcheck.reporters.common.dumps_indented`, written from the
    results with string templates: walking each document's dict of dicts in Python cost more than
    its findings (a 10 MB batch has 5,000 documents). The text is what ``json.dumps`` gives for
    :func:`document` at that depth; a document with a value of an unexpected type goes through the
    general encoder instead."""

    __slots__ = ("results", "verdicts", "entries")

    def __init__(self, results: list[DocumentResult], ctx: ReportContext):
        self.results = results
        self.verdicts = ctx.verdicts
        self.entries = ctx.entries

    def json_indented(self, nl: str) -> str | list[str]:
        """The list's text in pieces, an entry a piece (see :func:`chunks`)."""
        from mtcheck.reporters.common import _encode

        if not self.results:
            return "[]"
        item = nl + "  "
        entries = self.entries if item == ENTRY_INDENT else {}
        parts = ["[" + item]
        for i, r in enumerate(self.results):
            if i:
                parts.append("," + item)
            made = entries.get(id(r))
            if made is not None:
                parts.append(made)
                continue
            verdict = self.verdicts.get(i)
            try:
                parts.append(_document_text(r, verdict, item))
            except _Unplain:
                out: list[str] = []
                _encode(document(r, verdict, findings=_FindingsJSON), out, item)
                parts.append("".join(out))
        parts.append(nl + "]")
        return parts


def _document_text(r: DocumentResult, verdict, nl: str) -> str:
    """:func:`document`'s entry as ``json.dumps(..., indent=2)`` writes it on a line that starts
    with ``nl``; :class:`_Unplain` when a value is not a plain scalar of the expected type."""
    from mtcheck.reporters.common import _encode

    k = nl + "  "
    s = k + "  "
    ss = s + "  "
    findings = r.findings
    if r.quality:
        q = r.quality
        quality = (
            "{" + s + '"score": ' + _scalar(round(q.score, 2)) + "," + s + '"penalty": ' + _scalar(round(q.penalty, 2))
            + "," + s + '"penalty_per_1000_words": ' + _scalar(round(q.per_1000_words, 2))
            + "," + s + '"words": ' + _scalar(q.words) + k + "}"
        )
    else:
        quality = "null"
    counts = r.tally()
    severities = counts.by_severity
    categories = counts.by_category
    if verdict is None:
        gate = "null"
    else:
        reasons = verdict[1]
        gate = (
            "{" + s + '"passed": ' + _scalar(verdict[0]) + "," + s + '"reasons": '
            + ("[" + ss + ("," + ss).join([_scalar(x) for x in reasons]) + s + "]" if reasons else "[]") + k + "}"
        )
    score = r.score
    # One join: a chain of + copies the growing entry once per piece.
    parts = [
        "{", k, '"path": ', _scalar(r.path),
        ",", k, '"languages": {', s, '"source": ', _scalar(r.source_lang), ",", s, '"target": ', _scalar(r.target_lang), k, "},",
        k, '"words": ', _scalar(r.words),
        ",", k, '"score": ', _scalar(round(score, 2)) if score is not None else "null",
        ",", k, '"quality": ', quality,
        ",", k, '"counts": {', s, '"total": ', _scalar(counts.total),
        ",", s, '"by_severity": {', ss, ("," + ss).join([_scalar(n) + ": " + _scalar(v) for n, v in severities.items()]), s, "},",
        s, '"by_category": ',
        "{" + ss + ("," + ss).join([_scalar(n) + ": " + _scalar(v) for n, v in categories.items()]) + s + "}" if categories else "{}",
        ",", s, '"fixable": ', _scalar(counts.fixable), k, "},",
        k, '"gate": ', gate,
        ",", k, '"error": ', _scalar(r.error),
        ",", k, '"findings": ', _FindingsJSON(findings).json_indented(k),
    ]
    for key, value in (("fidelity", r.fidelity), ("meta", r.meta or None)):
        if value is not None:
            parts.append("," + k + '"' + key + '": ')
            _encode(_jsonable(value), parts, k)
    parts.append(nl + "}")
    return "".join(parts)


class _FindingsJSON:
    """A document's findings for :func:`mtcheck.reporters.common.dumps_indented`, written straight
    from the :class:`~mtcheck.findings.Finding` objects with string templates: the general encoder
    spends about 12 µs on each finding's dict (a 1 MB batch has 5,000 findings), this a fraction of
    that. What a rule's findings share (code, name, severity, category; a fix's applicability and
    description) is encoded once per document. The text is what
    ``json.dumps(f.to_dict(), indent=2, ensure_ascii=False)`` gives at that depth; a finding with
    ``extra`` data, or a field of an unexpected type, goes through the general encoder instead."""

    __slots__ = ("findings",)

    def __init__(self, findings):
        self.findings = findings

    def json_indented(self, nl: str) -> str:
        from mtcheck.reporters.common import dumps_indented

        if not self.findings:
            return "[]"
        item, key, sub, subsub, leaf = nl + "  ", nl + "    ", nl + "      ", nl + "        ", nl + "          "
        tail = (
            "," + key + '"start": %d,' + key + '"end": %d,' + key + '"line": %d,' + key + '"column": %d,'
            + key + '"end_line": %d,' + key + '"end_column": %d,' + key + '"text": '
        )
        edit = "{" + leaf + '"start": %d,' + leaf + '"end": %d,' + leaf + '"replacement": %s' + subsub + "}"
        edits_sep = "," + subsub
        enc = encode_basestring  # what json.dumps(ensure_ascii=False) writes a string as
        heads = _HEADS.setdefault(nl, {})
        fix_heads = _FIX_HEADS.setdefault(nl, {})
        if len(heads) + len(fix_heads) > 10_000:  # findings made up on the fly by a caller
            heads.clear()
            fix_heads.clear()
        parts = []
        for f in self.findings:
            head = heads.get((f.code, f.name, f.severity, f.category), False)
            if head is False:
                head = heads[(f.code, f.name, f.severity, f.category)] = _finding_head(f, key)
            fix = f.fix
            if fix is not None:
                fix_head = fix_heads.get((fix.applicability, fix.description), False)
                if fix_head is False:
                    fix_head = fix_heads[(fix.applicability, fix.description)] = _fix_head(fix, key, sub)
            # %d writes a bool as 1 and truncates a float: exact ints only, as in the general encoder.
            if (
                head is None or f.extra or type(f.message) is not str or type(f.text) is not str
                or type(f.start) is not int or type(f.end) is not int or type(f.line) is not int
                or type(f.column) is not int or type(f.end_line) is not int or type(f.end_column) is not int
                or (fix is not None and (fix_head is None or not _plain_edits(fix.edits)))
            ):
                parts.append(dumps_indented(f.to_dict()).replace("\n", item))
                continue
            text = head + enc(f.message) + tail % (f.start, f.end, f.line, f.column, f.end_line, f.end_column) + enc(f.text)
            if fix is None:
                text += "," + key + '"fix": null'
            elif fix.edits:
                text += fix_head + "[" + subsub + edits_sep.join(
                    [edit % (e.start, e.end, enc(e.replacement)) for e in fix.edits]
                ) + sub + "]" + key + "}"
            else:
                text += fix_head + "[]" + key + "}"
            parts.append(text + item + "}")
        return "[" + item + ("," + item).join(parts) + nl + "]"


#: By the line break and indentation a list of findings starts on: what :class:`_FindingsJSON`
#: writes once per rule (code, name, severity, category -> the entry up to the message, or None)
#: and once per kind of fix (applicability, description -> the fix up to its edits, or None).
_HEADS: dict[str, dict] = {}
_FIX_HEADS: dict[str, dict] = {}


def _finding_head(f, key: str) -> str | None:
    """A finding's entry up to its message, for every finding of that rule (None: the general
    encoder writes these). Severity and Category are str enums: their text is their value."""
    if not (type(f.code) is str and type(f.name) is str and isinstance(f.severity, str) and isinstance(f.category, str)):
        return None
    enc = encode_basestring
    return (
        "{" + key + '"code": ' + enc(f.code) + "," + key + '"name": ' + enc(f.name) + "," + key + '"severity": '
        + enc(f.severity) + "," + key + '"category": ' + enc(f.category) + "," + key + '"message": '
    )


def _fix_head(fix, key: str, sub: str) -> str | None:
    """A fix's entry up to its edits (None: the general encoder writes it)."""
    if not (type(fix.description) is str and isinstance(fix.applicability, str)):
        return None
    enc = encode_basestring
    return (
        "," + key + '"fix": {' + sub + '"applicability": ' + enc(fix.applicability) + "," + sub
        + '"description": ' + enc(fix.description) + "," + sub + '"edits": '
    )


def _plain_edits(edits) -> bool:
    for e in edits:
        if not (type(e.start) is int and type(e.end) is int and type(e.replacement) is str):
            return False
    return True
