"""The HTML reporter: one self-contained page people can read.

* One file, no external resources: inline CSS, no scripts, no fonts or images; a
  Content-Security-Policy meta tag (``default-src 'none'``) makes a browser refuse anything else.
* Everything that comes from a document or a feed (titles, links, text, messages) is escaped;
  only ``http``/``https`` links become hyperlinks.
* A table of documents (title or path, language, findings by severity, score, fidelity, verdict),
  then each document's text with every finding highlighted inline: a ``<mark>`` whose ``title``
  attribute explains it on hover, and a numbered footnote (rule, severity, message, suggested fix).
  Overlapping findings split the text into segments, each marked with every finding covering it.

Findings index the original text; the page shows the analysed text (for HTML input, the article
text without markup), so offsets are mapped back through the document's offset map.
"""

from __future__ import annotations

import bisect
import html
from datetime import datetime, timezone

from mtcheck.findings import Finding, Severity
from mtcheck.reporters import ReportContext
from mtcheck.results import DocumentResult

_CSS = """
:root{--fg:#1d232a;--muted:#5b6673;--bg:#fff;--line:#d8dee4;--err:#c62828;--warn:#b26a00;--info:#1565c0;
--errbg:#fde2e1;--warnbg:#fff1c2;--infobg:#e1efff;--pass:#1b7f3b}
@media (prefers-color-scheme:dark){:root{--fg:#e6e9ec;--muted:#9aa5b1;--bg:#15191e;--line:#333b44;
--errbg:#5a1f1f;--warnbg:#4d3b0b;--infobg:#173252;--err:#ff8a80;--warn:#ffc04d;--info:#82b1ff;--pass:#5fd38a}}
*{box-sizing:border-box}
body{font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);
margin:0 auto;max-width:1100px;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:0 0 6px}
.muted,.meta{color:var(--muted);font-size:13px}
table.items{border-collapse:collapse;width:100%;margin:16px 0 28px;font-size:14px}
table.items th,table.items td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
table.items .n{text-align:right;font-variant-numeric:tabular-nums}
.verdict{font-weight:600}.pass{color:var(--pass)}.fail,.error{color:var(--err)}
section.doc{border-top:2px solid var(--line);padding:18px 0 8px}
.reasons{color:var(--err);margin:4px 0 8px;padding-left:18px}
.warnings{color:var(--warn);font-size:13px;padding-left:18px}
.text{white-space:pre-wrap;overflow-wrap:anywhere;border:1px solid var(--line);border-radius:6px;padding:14px 16px;
font:15px/1.7 Georgia,"Times New Roman",serif}
mark.f{color:inherit;border-radius:3px;padding:0 1px;cursor:help}
mark.sev-error{background:var(--errbg);box-shadow:inset 0 -2px var(--err)}
mark.sev-warning{background:var(--warnbg);box-shadow:inset 0 -2px var(--warn)}
mark.sev-info{background:var(--infobg);box-shadow:inset 0 -2px var(--info)}
mark.point{padding:0;font-weight:700}
sup.ref{font-size:11px;line-height:0}sup.ref a{text-decoration:none;color:var(--muted)}
ol.findings{font-size:14px;padding-left:28px}ol.findings li{margin:3px 0}
.code{font:600 13px ui-monospace,SFMono-Regular,Menlo,monospace}
.sev{font-size:12px;font-weight:600;text-transform:uppercase}
.sev.error{color:var(--err)}.sev.warning{color:var(--warn)}.sev.info{color:var(--info)}
q{quotes:"\\201C" "\\201D"}code{font:13px ui-monospace,monospace}
footer{margin-top:32px;color:var(--muted);font-size:12px}
"""

_SEV_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def render(results: list[DocumentResult], ctx: ReportContext) -> str:
    """The whole page."""
    from mtcheck import __version__

    title = ctx.options.get("feed_title") or ctx.options.get("feed") or f"mtcheck {ctx.command}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{_e(title)} — mtcheck report</title>",
        f"<style>{_CSS}</style>",
        "</head><body>",
        "<header>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="muted">{_e(_summary(results, ctx))}</p>',
        "</header>",
    ]
    if ctx.options.get("summary"):
        out.append(f'<p class="muted">{_e(ctx.options["summary"])}</p>')
    if ctx.options.get("warnings"):
        out.append('<ul class="warnings">' + "".join(f"<li>{_e(w)}</li>" for w in ctx.options["warnings"]) + "</ul>")
    if results:
        out.append(_table(results, ctx))
    elif ctx.command == "feed":
        out.append("<p>Nothing new to audit.</p>")
    for i, r in enumerate(results):
        out.append(_document(i, r, ctx.verdicts.get(i)))
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    fail_on = ctx.options.get("fail_on")
    gate = f" · fail on {fail_on}" if fail_on else ""
    out.append(f"<footer>mtcheck {_e(__version__)} · {_e(ctx.command)}{_e(gate)} · generated {now}</footer>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _e(text) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _summary(results: list[DocumentResult], ctx: ReportContext) -> str:
    n = len(results)
    findings = sum(len(r.findings) for r in results)
    failed = sum(1 for i, _ in enumerate(results) if not ctx.verdicts.get(i, (True,))[0])
    errors = sum(1 for r in results if r.error is not None)
    words = sum(r.words for r in results)
    parts = [f"{n} document{'s' if n != 1 else ''}", f"{words:,} words", f"{findings} finding{'s' if findings != 1 else ''}"]
    if ctx.verdicts:
        parts.append(f"{failed} failed the gate")
    if errors:
        parts.append(f"{errors} could not be read")
    return " · ".join(parts)


def _label(r: DocumentResult) -> str:
    return " ".join(str(r.meta.get("title") or r.path or r.meta.get("guid") or "stdin").split())


def _safe_href(url) -> str | None:
    if isinstance(url, str) and url.lower().startswith(("http://", "https://")):
        return url
    return None


def _verdict_cell(r: DocumentResult, verdict) -> str:
    if r.error is not None:
        return '<span class="verdict error">error</span>'
    if verdict is None:
        return '<span class="muted">—</span>'
    return '<span class="verdict pass">pass</span>' if verdict[0] else '<span class="verdict fail">FAIL</span>'


def _table(results: list[DocumentResult], ctx: ReportContext) -> str:
    from mtcheck.gate import _fidelity_score

    show_fid = any(r.fidelity is not None for r in results)
    head = ["#", "Document", "Lang", "Errors", "Warnings", "Info", "Score"] + (["Fidelity"] if show_fid else []) + ["Result"]
    numeric = {"#", "Errors", "Warnings", "Info", "Score", "Fidelity"}
    rows = ['<table class="items"><thead><tr>'
            + "".join(f'<th class="n">{h}</th>' if h in numeric else f"<th>{h}</th>" for h in head)
            + "</tr></thead><tbody>"]
    for i, r in enumerate(results):
        c = r.counts_by_severity()
        cells = [
            f'<td class="n">{i + 1}</td>',
            f'<td><a href="#doc-{i + 1}">{_e(_label(r))}</a></td>',
            f"<td>{_e(r.target_lang or r.meta.get('language') or '?')}</td>",
        ]
        if r.error is not None:
            cells += ['<td class="n">—</td>'] * (4 + show_fid)
        else:
            cells += [f'<td class="n">{c[s.value]}</td>' for s in _SEV_ORDER]
            cells.append(f'<td class="n">{_num(r.score)}</td>')
            if show_fid:
                cells.append(f'<td class="n">{_num(_fidelity_score(r.fidelity))}</td>')
        cells.append(f"<td>{_verdict_cell(r, ctx.verdicts.get(i))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    rows.append("</tbody></table>")
    return "\n".join(rows)


def _num(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def _document(i: int, r: DocumentResult, verdict) -> str:
    from mtcheck.gate import _fidelity_score

    n = i + 1
    out = [f'<section class="doc" id="doc-{n}">', f"<h2>{n}. {_e(_label(r))}</h2>"]
    meta = []
    link = r.meta.get("link") or r.path
    href = _safe_href(link)
    if href:
        meta.append(f'<a href="{_e(href)}" rel="noopener noreferrer nofollow">{_e(link)}</a>')
    elif link:
        meta.append(f"<code>{_e(link)}</code>")
    if r.meta.get("published"):
        meta.append(f"published {_e(r.meta['published'])}")
    if r.source_lang or r.target_lang:
        meta.append(f"{_e(r.source_lang or '?')} → {_e(r.target_lang or '?')}")
    if r.error is None:
        meta.append(f"{r.words:,} words")
        meta.append(f"score {_num(r.score)}")
        fid = _fidelity_score(r.fidelity)
        if fid is not None:
            sig = getattr(r.fidelity, "signature", None) or (r.fidelity.get("signature") if isinstance(r.fidelity, dict) else None)
            if isinstance(sig, dict):  # one signature per metric
                sig = "\n".join(f"{k}: {v}" for k, v in sig.items())
            meta.append(f"fidelity {_num(fid)}" + (f' <span title="{_e(sig)}">ⓘ</span>' if sig else ""))
        if r.meta.get("baselined"):
            meta.append(f"{int(r.meta['baselined'])} baselined finding(s) hidden")
    meta.append(_verdict_cell(r, verdict))
    out.append(f'<p class="meta">{" · ".join(meta)}</p>')
    if r.error is not None:
        out.append(f'<p class="reasons">{_e(r.error)}</p></section>')
        return "\n".join(out)
    if verdict is not None and not verdict[0] and verdict[1]:
        out.append('<ul class="reasons">' + "".join(f"<li>{_e(x)}</li>" for x in verdict[1]) + "</ul>")
    findings = sorted(r.findings, key=lambda f: (f.start, f.end, f.code))
    if r.document is not None:
        out.append(f'<div class="text">{highlight(r, findings, n)}</div>')
    if findings:
        out.append('<ol class="findings">')
        for k, f in enumerate(findings, 1):
            out.append(f'<li id="f-{n}-{k}">{_explain(f)}</li>')
        out.append("</ol>")
    else:
        out.append('<p class="muted">No findings.</p>')
    out.append("</section>")
    return "\n".join(out)


def _explain(f: Finding) -> str:
    parts = [
        f'<span class="code">{_e(f.code)}</span> <span class="muted">{_e(f.name)}</span>',
        f'<span class="sev {_e(f.severity.value)}">{_e(f.severity.value)}</span>',
        f"line {f.line}:{f.column}",
        _e(f.message),
    ]
    if f.text:
        parts.append(f"<q>{_e(f.text)}</q>")
    if f.fix is not None and f.fix.edits:
        repl = " / ".join(e.replacement for e in f.fix.edits)
        desc = f.fix.description or "suggested fix"
        parts.append(f"{_e(desc)} ({_e(f.fix.applicability.value)}): <code>{_e(repl) or '(delete)'}</code>")
    return " · ".join(parts)


def _tooltip(f: Finding) -> str:
    return f"{f.code} {f.name} ({f.severity.value}): {f.message}"


# -- inline highlighting -------------------------------------------------------------------------


class _SourceToView:
    """Maps offsets into ``Document.original`` back to the analysed text the page shows."""

    def __init__(self, doc):
        omap = doc.offset_map
        self.identity = omap is None or omap.is_identity
        if not self.identity:
            self.runs = sorted(omap.runs, key=lambda r: r.source_start)
            self.starts = [r.source_start for r in self.runs]
        self.length = len(doc.text)

    def __call__(self, offset: int, *, end: bool = False) -> int | None:
        if self.identity:
            return min(offset, self.length)
        i = bisect.bisect_right(self.starts, offset if not end else max(offset - 1, 0)) - 1
        if i >= 0:
            run = self.runs[i]
            if run.source_start <= offset <= run.source_start + run.length:
                return run.view_start + (offset - run.source_start)
        # Inside markup: snap forward for a start, backward for an end.
        if end:
            return self.runs[i].view_start + self.runs[i].length if i >= 0 else None
        return self.runs[i + 1].view_start if i + 1 < len(self.runs) else None


def highlight(r: DocumentResult, findings: list[Finding], doc_no: int) -> str:
    """The document's analysed text, escaped, with findings marked inline and numbered."""
    doc = r.document
    text = doc.text
    to_view = _SourceToView(doc)
    spans = []  # (start, end, number, finding)
    for k, f in enumerate(findings, 1):
        s = to_view(f.start)
        e = to_view(f.end, end=True) if f.end > f.start else s
        if s is None or e is None or e < s:
            continue  # cannot be placed in the text; it is still listed below
        spans.append((s, e, k, f))
    points = sorted({0, len(text)} | {s for s, _, _, _ in spans} | {e for _, e, _, _ in spans})
    ends_at: dict[int, list[int]] = {}
    for s, e, k, _ in spans:
        ends_at.setdefault(e, []).append(k)
    zero_at: dict[int, list[tuple[int, Finding]]] = {}
    for s, e, k, f in spans:
        if s == e:
            zero_at.setdefault(s, []).append((k, f))
    out = []
    for a, b in zip(points, points[1:] + [None]):
        for k, f in zero_at.get(a, ()):
            out.append(f'<mark class="f point sev-{f.severity.value}" title="{_e(_tooltip(f))}">‸</mark>'
                       f'<sup class="ref"><a href="#f-{doc_no}-{k}">{k}</a></sup>')
        if b is None:
            break
        piece = text[a:b]
        covering = [(k, f) for s, e, k, f in spans if s <= a and b <= e and s < e]
        if covering:
            worst = max((f.severity for _, f in covering), key=lambda s: s.rank)
            tip = "\n".join(_tooltip(f) for _, f in covering)
            nums = " ".join(f"f{k}" for k, _ in covering)
            out.append(f'<mark class="f sev-{worst.value}" data-findings="{nums}" title="{_e(tip)}">{_e(piece)}</mark>')
        else:
            out.append(_e(piece))
        for k in sorted(ends_at.get(b, ())):
            if any(kk == k and s < e for s, e, kk, _ in spans):
                out.append(f'<sup class="ref"><a href="#f-{doc_no}-{k}">{k}</a></sup>')
    return "".join(out)
