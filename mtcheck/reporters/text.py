"""The text reporter: one ``path:line:col: CODE message`` line per finding, the line with the span
marked, and a summary (counts by severity and category, words, quality score, fixable findings).

Plain Python on purpose: importing rich would cost more start-up time than a whole scan of an
article. Colour (ANSI) only when ``ReportContext.color`` is set, which the CLI does on a terminal
without ``NO_COLOR``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter

from mtcheck.findings import Finding, Severity
from mtcheck.reporters import ReportContext
from mtcheck.reporters.common import last_line
from mtcheck.results import DocumentResult
from mtcheck.scoring.quality import quality_score

#: The snippet shows at most this many characters of a long line around the span.
SNIPPET_WIDTH = 100

_RESET = "\x1b[0m"
_STYLES = {
    "bold": "\x1b[1m",
    "dim": "\x1b[2m",
    "error": "\x1b[1;31m",
    "warning": "\x1b[1;33m",
    "info": "\x1b[1;36m",
    "ok": "\x1b[1;32m",
}

#: Invisible or confusable characters are shown by name so the caret points at something.
_VISIBLE = {
    "\t": " ",
    "\u00a0": "⍽",  # no-break space
    "\u202f": "⍽",  # narrow no-break space
    "\u2007": "⍽",  # figure space
}


def render(results: list[DocumentResult], ctx: ReportContext) -> str:
    """The report as text (see the module docstring)."""
    paint = _painter(ctx.color)
    out: list[str] = []
    if ctx.options.get("statistics"):
        out.extend(_statistics(results, paint))
    else:
        for result in results:
            for f in result.findings:
                out.append(_finding_line(f, result, paint))
                if ctx.show_source and result.document is not None:
                    out.extend(_snippet(f, result, paint))
    if out:
        out.append("")
    fidelity = _fidelity(results, ctx)
    if fidelity:
        out.extend(fidelity + [""])
    out.extend(_summary(results, ctx, paint))
    return "\n".join(out) + "\n"


def _fidelity(results: list[DocumentResult], ctx: ReportContext) -> list[str]:
    """``audit``'s fidelity section: each report renders itself (``FidelityReport.text_lines``)."""
    out: list[str] = []
    for r in results:
        if r.fidelity is not None and hasattr(r.fidelity, "text_lines"):
            out.extend(r.fidelity.text_lines(display_path(r), all_sentences=bool(ctx.options.get("fidelity_all_sentences"))))
    return out


def _statistics(results: list[DocumentResult], paint) -> list[str]:
    """One line per rule, most frequent first: count, code, name, and how many are fixable."""
    counts: Counter = Counter()
    fixable: Counter = Counter()
    names: dict[str, tuple[str, Severity]] = {}
    for r in results:
        for f in r.findings:
            counts[f.code] += 1
            fixable[f.code] += f.fix is not None
            names.setdefault(f.code, (f.name, f.severity))
    if not counts:
        return []
    width = len(str(max(counts.values())))
    lines = []
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        name, severity = names[code]
        fix = f"  ({fixable[code]} fixable)" if fixable[code] else ""
        lines.append(f"{n:>{width}}  {paint(severity.value, code)}  {name}{fix}")
    return lines


def display_path(result: DocumentResult, finding: Finding | None = None) -> str:
    path = (finding.path if finding is not None else None) or result.path
    return "<stdin>" if path in (None, "-") else str(path)


def _finding_line(f: Finding, result: DocumentResult, paint) -> str:
    where = paint("bold", f"{display_path(result, f)}:{f.line}:{f.column}:")
    return f"{where} {paint(f.severity.value, f.code)} {f.message}"


# -- the marked source line ----------------------------------------------------------------------


def _snippet(f: Finding, result: DocumentResult, paint) -> list[str]:
    doc = result.document
    line = doc.line_text(f.line)
    col0 = f.column - 1
    end0 = f.end_column - 1 if f.end_line == f.line else len(line)
    end0 = max(end0, col0)
    start, stop = _window(len(line), col0, end0)
    shown_end = min(end0, stop)
    before, marked, after = line[start:col0], line[col0:shown_end], line[shown_end:stop]
    lead = "…" if start > 0 else ""
    tail = "…" if stop < len(line) else ""
    shown_before = lead + _visible(before)
    shown_marked = _visible(marked)
    gutter = str(f.line)
    pad = " " * len(gutter)
    carets = "^" * max(1, _width(shown_marked))
    note = f.severity.value
    if f.fix is not None:
        note += f", {f.fix.applicability.value} fix"
        if f.fix.description:
            note += f": {f.fix.description}"
    if last_line(f) > f.line:
        note += f" (span continues to line {last_line(f)})"
    return [
        f"{paint('dim', gutter + ' |')} {shown_before}{shown_marked}{_visible(after)}{tail}".rstrip(),
        f"{paint('dim', pad + ' |')} {' ' * _width(shown_before)}{paint(f.severity.value, carets)} {paint('dim', note)}",
    ]


def _window(length: int, col0: int, end0: int) -> tuple[int, int]:
    """A slice of a long line that keeps the span (or its start) in view."""
    if length <= SNIPPET_WIDTH:
        return 0, length
    span = end0 - col0
    # A span too long to centre shows its start with a little context before it.
    context = 10 if span >= SNIPPET_WIDTH - 20 else (SNIPPET_WIDTH - span) // 2
    start = max(0, col0 - context)
    stop = min(length, start + SNIPPET_WIDTH)
    return max(0, stop - SNIPPET_WIDTH), stop


def _visible(text: str) -> str:
    if text.isprintable():
        # No Cc, Cf, Zl, Zp or Zs but the space (what isprintable() refuses), and every key of
        # _VISIBLE is one of those: nothing to replace (most lines).
        return text
    out = []
    for ch in text:
        if ch in _VISIBLE:
            out.append(_VISIBLE[ch])
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cf", "Cc", "Zl", "Zp") or (cat == "Zs" and ch != " "):
            out.append(f"<U+{ord(ch):04X}>")
        else:
            out.append(ch)
    return "".join(out)


def _width(text: str) -> int:
    """Terminal columns ``text`` takes: wide East Asian characters count two, combining marks none."""
    if text.isascii() or _not_narrow().search(text) is None:
        return len(text)
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


@functools.cache
def _not_narrow() -> re.Pattern:
    """A character outside Latin and general punctuation, or one of them that :func:`_width` does
    not count as one column (this Python's Unicode data decides): a line without one is as wide as
    it is long. Most marked lines hold a curly quote or the window's ellipsis, which sent every
    character through unicodedata."""
    ranges: list[list[int]] = []  # runs of narrow code points, as [first, last]
    for c in (*range(0x300), *range(0x2000, 0x2070)):
        if unicodedata.combining(chr(c)) or unicodedata.east_asian_width(chr(c)) in ("W", "F"):
            continue
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return re.compile("[^" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges) + "]")


# -- summary -------------------------------------------------------------------------------------


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def _summary(results: list[DocumentResult], ctx: ReportContext, paint) -> list[str]:
    read = [r for r in results if r.error is None]
    errors = [r for r in results if r.error is not None]
    findings = [f for r in read for f in r.findings]
    by_sev = Counter(f.severity for f in findings)
    by_cat = Counter(f.category.value for f in findings)
    fixable = Counter(f.fix.applicability.value for f in findings if f.fix is not None)
    words = sum(r.words for r in read)
    lines: list[str] = []

    if findings:
        sev = ", ".join(
            paint(s.value, _plural(by_sev[s], s.value, "info" if s is Severity.INFO else None))
            for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
            if by_sev[s]
        )
        lines.append(f"Found {_plural(len(findings), 'finding')} in {_plural(len(read), 'document')}: {sev}.")
        lines.append("By category: " + ", ".join(f"{cat} {n}" for cat, n in sorted(by_cat.items(), key=lambda kv: (-kv[1], kv[0]))) + ".")
        if fixable:
            parts = [f"{fixable['safe']:,} with `mtcheck fix`"] if fixable["safe"] else []
            if fixable["unsafe"]:
                parts.append(f"{fixable['unsafe']:,} more with `mtcheck fix --unsafe-fixes`")
            lines.append(f"Fixable: {'; '.join(parts)}.")
    elif read:
        lines.append(paint("ok", "All checks passed!") + f" ({_plural(len(read), 'document')})")

    many = len(results) > 1
    for i, r in enumerate(results):
        verdict = ctx.verdicts.get(i)
        failed = verdict is not None and not verdict[0]
        if r.error is not None:
            continue
        if many and not failed:
            continue
        lines.append(_document_line(r, verdict, paint))
    if many and read:
        total = quality_score(findings, words)
        lines.append(
            f"Total: {_plural(words, 'word')} in {_plural(len(read), 'document')}, "
            f"pooled quality score {total.score:.1f}/100."
        )
    if errors:
        lines.append(paint("error", f"{_plural(len(errors), 'input')} could not be read") + " (errors on stderr).")
    return lines


def _document_line(r: DocumentResult, verdict, paint) -> str:
    q = r.quality
    score = f"quality score {q.score:.1f}/100 (penalty {q.penalty:g} = {q.per_1000_words:.1f} per 1,000 words)" if q else "no score"
    langs = ""
    if r.source_lang or r.target_lang:
        langs = f", {r.source_lang or '?'}→{r.target_lang or '?'}"
    line = f"{display_path(r)}: {_plural(r.words, 'word')}{langs}, {score}"
    if verdict is not None:
        passed, reasons = verdict
        line += " — " + (paint("ok", "passed") if passed else paint("error", "failed") + ": " + "; ".join(reasons))
    return line + "."


def _painter(color: bool):
    if not color:
        return lambda _style, text: text
    return lambda style, text: f"{_STYLES[style]}{text}{_RESET}" if text else text
