"""Family M: checks on mtcheck's own annotations in a document (inline suppressions)."""

from __future__ import annotations

from collections.abc import Iterator

from mtcheck.findings import Applicability, Category, Edit, Fix, Match, Severity
from mtcheck.rules.base import RuleContext, rule


@rule(
    "M001",
    "unused-suppression",
    severity=Severity.INFO,
    category=Category.STYLE,
    needs=("suppressions",),
    fix=Applicability.UNSAFE,
    bad=[
        "⟦<!-- mtcheck: off -->⟧\nThe minister arrived in Kyiv on Monday.\n<!-- mtcheck: on -->",
        "⟦<!-- mtcheck: ignore[M] -->⟧\nNothing here needs silencing.",
    ],
    good=[
        "The minister arrived in Kyiv on Monday.",
        "<!-- an ordinary comment -->\nThe minister arrived in Kyiv on Monday.",
        # Q101 is not among the rules that ran, so the comment cannot be judged: stay silent.
        "<!-- mtcheck: ignore[Q101] -->\nThe minister arrived in Kyiv on Monday.",
    ],
)
def unused_suppression(ctx: RuleContext) -> Iterator[Match]:
    """An inline suppression comment that silenced nothing.

    What it flags: a ``<!-- mtcheck: ignore[…] -->`` or ``<!-- mtcheck: off -->`` comment such that no
    finding of the codes it names fell inside the region it covers, although at least one of those
    rules ran. A comment naming only rules that did not run (not selected, or not applicable to the
    language pair) is not judged.

    Why it matters: suppressions outlive the problems they silenced. Once the text is fixed, a
    stale comment hides the next real problem in that paragraph, as ruff's unused-noqa check warns.

    Fix safety: unsafe. The fix deletes the comment (with the matching ``on`` comment of an ``off``
    region); a suppression may be there for a rule that did not run in this invocation.
    """
    active = ctx.analysis("active_rules") or ()
    for sup in ctx.analysis("suppressions") or ():
        if sup.used or sup.view_comment is None:
            continue
        if sup.codes and not any(code.startswith(c) for c in sup.codes for code in active):
            continue
        start, end = sup.view_comment
        what = ", ".join(sup.codes) if sup.codes else "every rule"
        # In HTML the line breaks around a comment are not in the analysed text: remove the comment only.
        remove = _removal if ctx.doc.offset_map.is_identity else (lambda _text, s, e: Edit(s, e, ""))
        edits = [remove(ctx.text, start, end)]
        if sup.view_end_comment is not None:
            edits.append(remove(ctx.text, *sup.view_end_comment))
        yield Match(
            start,
            end,
            f"unused suppression: no finding of {what} here",
            fix=Fix(tuple(edits), Applicability.UNSAFE, "remove the unused suppression comment"),
        )


def _removal(text: str, start: int, end: int) -> Edit:
    """Delete a comment, and its line break too when the comment is alone on its line."""
    line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
    if text[line_start:start].strip(" \t"):
        return Edit(start, end, "")
    tail = end
    while tail < len(text) and text[tail] in " \t":
        tail += 1
    for nl in ("\r\n", "\n", "\r"):
        if text.startswith(nl, tail):
            return Edit(line_start, tail + len(nl), "")
    return Edit(start, end, "")
