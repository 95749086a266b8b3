"""The engine: runs the selected rules over a document and turns matches into findings.

It owns the cross-cutting work: choosing the target language, selecting rules for the direction,
computing costly analyses only when an enabled rule needs them, mapping offsets back to the
original text, dropping matches in protected spans, severity overrides and inline suppressions.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from mtcheck.document import Document
from mtcheck.findings import Finding, Match
from mtcheck.io.suppress import attach_suppressions
from mtcheck.rules import Rule, RuleContext, select_rules
from mtcheck.settings import Settings

#: Producers of shared analyses, by name (see ``mtcheck.rules.base.NEEDS``). Callers such as
#: ``audit`` pass precomputed analyses (back-translation, the aligned source) in ``analyses``.
AnalysisFn = Callable[[Document, str | None, str | None], object]


def resolve_target_lang(doc: Document, settings: Settings) -> str | None:
    """The target language: from settings, else from document metadata, else detected."""
    if settings.target_lang:
        return settings.target_lang
    if doc.metadata.get("target_lang"):
        return doc.metadata["target_lang"]
    from mtcheck.langid import detect

    return detect(doc.text[:20000])


def rules_for(settings: Settings, source_lang: str | None, target_lang: str | None) -> list[Rule]:
    """Selected rules that apply to the direction (memoised: a batch asks once per document)."""
    from mtcheck.rules.base import REGISTRY

    registered = tuple(REGISTRY.values())
    key = (tuple(settings.select), tuple(settings.ignore), source_lang, target_lang, tuple(map(id, registered)))
    hit = _RULES_FOR.get(key)
    if hit is None:
        rules = [r for r in select_rules(settings.select, settings.ignore) if r.applies_to(source_lang, target_lang)]
        # The registered rules are kept with the answer, so the ids in the key stay theirs.
        hit = _RULES_FOR[key] = (registered, rules)
    return list(hit[1])


#: rules_for's answers by (select, ignore, source, target, ids of the registered rules).
_RULES_FOR: dict[tuple, tuple[tuple[Rule, ...], list[Rule]]] = {}


def lint(doc: Document, settings: Settings | None = None, analyses: dict | None = None) -> list[Finding]:
    """Findings for one document, sorted by position.

    Rules that need an analysis missing from ``analyses`` (other than ``langid``, which rules
    compute lazily themselves) are skipped: a scan without an engine still runs every other rule.
    """
    settings = settings or Settings()
    analyses = dict(analyses or {})
    target = resolve_target_lang(doc, settings)
    source = settings.source_lang or doc.metadata.get("source_lang")
    doc.metadata.setdefault("target_lang", target)
    for sup in attach_suppressions(doc).suppressions:
        sup.used = False
    findings: list[Finding] = []
    selected = rules_for(settings, source, target)
    # Rules that need "suppressions" (M001 unused-suppression) run after suppression, on what it did.
    post = [r for r in selected if "suppressions" in r.needs]
    ran = [r.code for r in post]
    # One context for the document, its options set for each rule in turn: no rule keeps or
    # changes its context, and a batch of 5,000 documents built 175,000 of them.
    ctx = RuleContext(doc, source_lang=source, target_lang=target, analyses=analyses)
    for r in selected:
        if r.needs and (r in post or any(n not in analyses and n != "langid" for n in r.needs)):
            continue
        ran.append(r.code)
        ctx.options = _options(r, settings)
        # r.check, not r.run: one generator fewer per rule and document.
        for m in r.check(ctx):
            f = _to_finding(doc, r, m, settings)
            if f is not None:
                findings.append(f)
    findings = _apply_suppressions(doc, findings)
    if post:
        analyses["suppressions"] = doc.suppressions
        analyses["active_rules"] = tuple(ran)
        for r in post:
            ctx.options = _options(r, settings)
            for m in r.check(ctx):
                f = _to_finding(doc, r, m, settings, allow_protected=True)
                if f is not None:
                    findings.append(f)
    findings.sort(key=Finding.sort_key)
    return _dedupe(findings)


def _options(r: Rule, settings: Settings) -> dict:
    """The rule's options, with what the configuration sets for it on top."""
    configured = settings.rule_options.get(r.code)
    return {**r.options, **configured} if configured else r.options


def _in_protected(doc: Document, start: int, end: int) -> bool:
    # Sorted, merged spans, rebuilt only when the list grows: a Markdown page has thousands of
    # protected spans and a scan thousands of matches, so a linear scan per match is quadratic.
    cached = doc.__dict__.get("_protected_index")
    if cached is None or cached[0] != len(doc.protected):
        merged: list[list[int]] = []
        for ps, pe in sorted(doc.protected):
            if merged and ps <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], pe)
            else:
                merged.append([ps, pe])
        cached = (len(doc.protected), [m[0] for m in merged], [m[1] for m in merged])
        doc.__dict__["_protected_index"] = cached
    _, starts, ends = cached
    i = bisect.bisect_right(starts, start) - 1
    return i >= 0 and end <= ends[i]


def _to_finding(doc: Document, r: Rule, m: Match, settings: Settings, allow_protected: bool = False) -> Finding | None:
    if not (0 <= m.start <= m.end <= len(doc.text)):
        raise ValueError(f"rule {r.code} produced an out-of-range span {m.start}:{m.end}")
    if doc.protected and not allow_protected and _in_protected(doc, m.start, m.end):
        return None
    fix = m.fix
    if doc.offset_map.is_identity:
        start, end = m.start, m.end
    else:
        start, end = doc.to_source_span(m.start, m.end)
        if fix is not None:
            fix = _map_fix(doc, fix)
    line, col = doc.line_col(start)
    end_line, end_col = doc.line_col(end)
    severity = settings.severity.get(r.code) or m.severity or r.severity
    return Finding(
        code=r.code,
        name=r.name,
        severity=severity,
        category=r.category,
        message=m.message,
        start=start,
        end=end,
        text=doc.original[start:end],
        line=line,
        column=col,
        end_line=end_line,
        end_column=end_col,
        fix=fix,
        path=doc.path,
    )


def _map_fix(doc: Document, fix):
    """Map a fix's edits to the original text, or drop the fix when an edit touches synthesised
    text (a decoded entity, a tag turned into a newline): such a fix cannot be applied safely."""
    from mtcheck.findings import Edit, Fix

    edits = []
    for e in fix.edits:
        if not doc.offset_map.is_verbatim(e.start, e.end):
            return None
        s, t = doc.to_source_span(e.start, e.end)
        edits.append(Edit(s, t, e.replacement))
    return Fix(tuple(edits), fix.applicability, fix.description)


def _apply_suppressions(doc: Document, findings: list[Finding]) -> list[Finding]:
    """Drop findings covered by inline suppressions that the loader recorded on the document.

    Each suppression has ``codes`` (empty = all), ``start`` and ``end`` (offsets into the original
    text) and a ``used`` flag, which the unused-suppression rule (M001) reads afterwards.
    """
    if not doc.suppressions:
        return findings
    out = []
    for f in findings:
        hit = None
        for s in doc.suppressions:
            if s.start <= f.start < s.end and (not s.codes or any(f.code.startswith(c) for c in s.codes)):
                hit = s
                break
        if hit is None:
            out.append(f)
        else:
            hit.used = True
    return out


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        key = (f.code, f.start, f.end)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
