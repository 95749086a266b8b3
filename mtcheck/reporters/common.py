"""Small helpers several reporters share."""

from __future__ import annotations

from mtcheck.findings import Finding


def last_line(f: Finding) -> int:
    """The last line a finding's span really covers: a span that ends right after a line break
    (a removed line) ends on the line before the one its end offset falls on."""
    if f.end_line > f.line and f.end_column == 1:
        return f.end_line - 1
    return f.end_line
