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

    Fix safety: unsafe. The fix deletes the comment (and the ``on`` comment is left alone); a
    suppression may be there for a rule that did not run in this invocation.
    """
    active = ctx.analysis("active_rules") or ()
    for sup in ctx.analysis("suppressions") or ():
        if sup.used or sup.view_comment is None:
            continue
        if sup.codes and not any(code.startswith(c) for c in sup.codes for code in active):
            continue
        start, end = sup.view_comment
        what = ", ".join(sup.codes) if sup.codes else "every rule"
        fix_end = end + 1 if ctx.text[end : end + 1] == "\n" else end
        yield Match(
            start,
            end,
            f"unused suppression: no finding of {what} here",
            fix=Fix((Edit(start, fix_end, ""),), Applicability.UNSAFE, "remove the unused suppression comment"),
        )
