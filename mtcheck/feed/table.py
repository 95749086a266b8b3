"""The text output of ``mtcheck feed``: one row per audited item, then why items failed, then a
one-line summary of the run.

::

      #  Title                                    Lang  Err Warn Info  Score  Result
      1  Russia begins its mobilization of tro…   en      0    3    0   98.2  FAIL
      2  Firefighters contain the harbour fire    en      0    0    0  100.0  pass
"""

from __future__ import annotations

import os
import shutil
import unicodedata

from mtcheck.results import DocumentResult

_FIXED = 4 + 2 + 6 + 5 * 3 + 7 + 8 + 8  # every column but the title, with separators


def render_table(
    results: list[DocumentResult],
    verdicts: dict[int, tuple[bool, list[str]]],
    *,
    summary: str = "",
    color: bool = False,
    width: int | None = None,
) -> str:
    """The table, the failure reasons and ``summary``, as text ending in a newline."""
    paint = _painter(color)
    width = width or _terminal_width()
    show_fidelity = any(r.fidelity is not None for r in results)
    title_w = max(16, min(60, width - _FIXED - (8 if show_fidelity else 0)))
    lines = []
    if results:
        head = f"{'#':>4}  {_fit('Title', title_w)}  {'Lang':<4}  {'Err':>4} {'Warn':>4} {'Info':>4}  {'Score':>6}"
        if show_fidelity:
            head += f"  {'Fidel.':>6}"
        lines.append(paint(head + "  Result", "bold"))
        for i, r in enumerate(results):
            lines.append(_row(i, r, verdicts.get(i), title_w, show_fidelity, paint))
        reasons = []
        for i, r in enumerate(results):
            passed, why = verdicts.get(i, (True, []))
            if r.error is not None:
                reasons.append(f"{i + 1:>4}  {paint('error', 'red')}: {_one_line(r.error)}")
            elif not passed:
                reasons.append(f"{i + 1:>4}  {paint('failed', 'red')}: {'; '.join(why)}")
        if reasons:
            lines.append("")
            lines.extend(reasons)
    if summary:
        if lines:
            lines.append("")
        lines.append(summary)
    return "\n".join(lines) + "\n"


def _row(i: int, r: DocumentResult, verdict, title_w: int, show_fidelity: bool, paint) -> str:
    title = _one_line(r.meta.get("title") or r.meta.get("link") or r.path or r.meta.get("guid") or "")
    lang = (r.target_lang or r.meta.get("language") or "?")[:4]
    if r.error is not None:
        cells = f"{'-':>4} {'-':>4} {'-':>4}  {'-':>6}"
        if show_fidelity:
            cells += f"  {'-':>6}"
        return f"{i + 1:>4}  {_fit(title, title_w)}  {lang:<4}  {cells}  {paint('ERROR', 'red')}"
    c = r.counts_by_severity()
    cells = f"{c['error']:>4} {c['warning']:>4} {c['info']:>4}  {_num(r.score):>6}"
    if show_fidelity:
        from mtcheck.gate import _fidelity_score

        cells += f"  {_num(_fidelity_score(r.fidelity)):>6}"
    passed = verdict[0] if verdict is not None else True
    result = paint("pass", "green") if passed else paint("FAIL", "red")
    return f"{i + 1:>4}  {_fit(title, title_w)}  {lang:<4}  {cells}  {result}"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes (wide CJK characters count two)."""
    return sum(_char_width(ch) for ch in text)


def _fit(text: str, width: int) -> str:
    """``text`` truncated with … and padded to exactly ``width`` columns."""
    if display_width(text) <= width:
        return text + " " * (width - display_width(text))
    out, used = [], 0
    for ch in text:
        w = _char_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…" + " " * (width - used - 1)


def _terminal_width() -> int:
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        return shutil.get_terminal_size((100, 24)).columns


_CODES = {"bold": "1", "red": "31", "green": "32", "yellow": "33"}


def _painter(color: bool):
    if not color:
        return lambda text, style: text
    return lambda text, style: f"\x1b[{_CODES[style]}m{text}\x1b[0m"
