"""Markdown input: the analysed text is the original, with markup marked as protected spans.

Keeping ``text == original`` makes every offset exact and every fix applicable. What is not prose
is protected, so rules never flag inside it: front matter, fenced and indented code blocks, inline
code, link and image destinations, reference definitions, HTML comments and tags, bare URLs, and
the two trailing spaces of a hard line break. The scanners are linear: no regex here can backtrack
over the same characters twice.
"""

from __future__ import annotations

import bisect
import re

_FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)[ \t]*\r?\n")
_FENCE_OPEN = re.compile(r" {0,3}(`{3,}|~{3,})")
_INDENTED = re.compile(r"(?: {4}|\t)")
_LINK_DEST = re.compile(r"\]\((?:[^()\s]|\([^()\s]*\))*(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'))?[ \t]*\)")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]\n]{1,999}\]:[ \t]*\S[^\n]*", re.MULTILINE)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]{0,30}(?:\s[^<>\n]{0,500})?/?>|<(?:https?|mailto|ftp):[^<>\s]{1,2000}>")
_HARD_BREAK = re.compile(r"(?<! ) {2,}(?=\r?\n)")
_BACKTICKS = re.compile(r"`+")
URL = re.compile(r"\b(?:https?|ftp)://[^\s<>\"'`)\]]+|\bwww\.[A-Za-z0-9-]+\.[^\s<>\"'`)\]]+")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def _lines(text: str) -> list[tuple[int, int, str]]:
    """(start, end_including_newline, line_without_newline) for each line."""
    out = []
    for m in _LINE.finditer(text):
        if m.start() == len(text) and m.start() == m.end():
            break
        line = m.group().rstrip("\r\n")
        out.append((m.start(), m.end(), line))
    return out


def _front_matter(text: str, lines) -> tuple[int, int] | None:
    m = _FRONT_MATTER.match(text)
    if not m:
        return None
    marker = text[:3]
    for start, end, line in lines[1:]:
        if line.rstrip() == marker or (marker == "---" and line.rstrip() == "..."):
            return (0, end)
    return None


def _blocks(text: str, lines) -> list[tuple[int, int]]:
    """Front matter, fenced code blocks and indented code blocks."""
    out = []
    i = 0
    fm = _front_matter(text, lines)
    if fm:
        out.append(fm)
        while i < len(lines) and lines[i][0] < fm[1]:
            i += 1
    prev_blank = True
    while i < len(lines):
        start, end, line = lines[i]
        m = _FENCE_OPEN.match(line)
        if m and not (m.group(1)[0] == "`" and "`" in line[m.end() :]):
            fence = m.group(1)
            j = i + 1
            close_end = len(text)
            while j < len(lines):
                stripped = lines[j][2].lstrip(" ")
                if (
                    len(lines[j][2]) - len(stripped) <= 3
                    and stripped.startswith(fence[0] * len(fence))
                    and not stripped.strip(fence[0]).strip()
                ):
                    close_end = lines[j][1]
                    break
                j += 1
            out.append((start, close_end))
            i = j + 1
            prev_blank = False
            continue
        if prev_blank and line.strip() and _INDENTED.match(line):
            j = i
            last = i
            while j < len(lines) and (not lines[j][2].strip() or _INDENTED.match(lines[j][2])):
                if lines[j][2].strip():
                    last = j
                j += 1
            out.append((start, lines[last][1]))
            i = last + 1
            prev_blank = False
            continue
        prev_blank = not line.strip()
        i += 1
    return out


def _code_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Inline code spans (a run of n backticks closed by the next run of exactly n) in a range."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text, start, end)]
    out = []
    i = 0
    while i < len(runs):
        s, e = runs[i]
        n = e - s
        for j in range(i + 1, len(runs)):
            if runs[j][1] - runs[j][0] == n:
                out.append((s, runs[j][1]))
                i = j
                break
        i += 1
    return out


def _comments(text: str, code: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """HTML comments outside code (``code`` sorted, non-overlapping); an unclosed one runs to the end."""
    out = []
    starts = [c[0] for c in code]
    pos = 0
    while True:
        s = text.find("<!--", pos)
        if s < 0:
            return out
        i = bisect.bisect_right(starts, s) - 1
        if i >= 0 and s < code[i][1]:
            pos = code[i][1]  # inside code: not a comment
            continue
        e = text.find("-->", s + 4)
        if e < 0:
            out.append((s, len(text)))
            return out
        out.append((s, e + 3))
        pos = e + 3


def _complement(holes: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """The parts of ``[0, length)`` outside ``holes`` (sorted, possibly overlapping)."""
    out, pos = [], 0
    for s, e in sorted(holes):
        if s > pos:
            out.append((pos, s))
        pos = max(pos, e)
    if pos < length:
        out.append((pos, length))
    return out


def markdown_regions(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """``(protected, comments)``: the spans that are markup or code rather than prose (sorted,
    merged), and the HTML comments that are real comments (not inside code)."""
    lines = _lines(text)
    blocks = _blocks(text, lines)
    # Code spans bind tighter than HTML comments (CommonMark), so find them first.
    code = list(blocks)
    for s, e in _complement(blocks, len(text)):
        code.extend(_code_spans(text, s, e))
    code = merge_spans(code)
    comments = _comments(text, code)
    spans = code + comments
    # Links, tags and URLs only in what is left.
    for s, e in _complement(code + comments, len(text)):
        spans.extend((m.start() + 1, m.end()) for m in _LINK_DEST.finditer(text, s, e))
        spans.extend(m.span() for m in _REF_DEF.finditer(text, s, e))
        spans.extend(m.span() for m in _TAG.finditer(text, s, e))
        spans.extend(m.span() for m in _HARD_BREAK.finditer(text, s, e))
        spans.extend(m.span() for m in URL.finditer(text, s, e))
    return merge_spans(spans), comments


def url_protected(text: str) -> list[tuple[int, int]]:
    """Bare URLs in plain text."""
    if "://" not in text and "www." not in text:
        return []
    return [m.span() for m in URL.finditer(text)]


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out
