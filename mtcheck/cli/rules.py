"""``mtcheck rules`` (the rule table) and ``mtcheck rule CODE`` (one rule's documentation page).

Both read only the registry (through :mod:`mtcheck.rules.docs`): a rule's metadata, its docstring
and its bad/good examples, so the documentation cannot drift from the code. The README's rule table
is ``mtcheck rules --format markdown`` (``scripts/update_readme_rules.py`` rewrites it;
``tests/test_cli_rules.py`` checks it).
"""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated

import typer

from mtcheck.cli.app import app
from mtcheck.cli.common import handle_errors, split_selectors, write_report
from mtcheck.rules.docs import markdown_table, rule_page, rule_record, text_table


class TableFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command("rules")
@handle_errors
def rules_command(
    format: Annotated[TableFormat, typer.Option("--format", "-f", help="text, json or markdown.", case_sensitive=False)] = TableFormat.text,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", help="Only rules matching these codes, prefixes or names.", metavar="RULES"),
    ] = None,
) -> None:
    """List every rule: code, name, severity, category, languages (source→target) and fix safety.

    Examples:

      mtcheck rules

      mtcheck rules --select Q,N --format json

      mtcheck rules --format markdown > docs/rules.md
    """
    from mtcheck.cli.common import check_selectors
    from mtcheck.rules import all_rules, matches_selector

    selectors = split_selectors(select)
    check_selectors(selectors, "--select")
    rules = [r for r in all_rules() if not selectors or any(matches_selector(r, s) for s in selectors)]
    if format is TableFormat.json:
        text = json.dumps([rule_record(r) for r in rules], ensure_ascii=False, indent=2) + "\n"
    elif format is TableFormat.markdown:
        text = markdown_table(rules)
    else:
        text = text_table(rules)
    write_report(text, None)


@app.command("rule")
@handle_errors
def rule_command(
    code: Annotated[str, typer.Argument(help="A rule code (Q101) or name (glued-closing-quote).", metavar="CODE")],
    markdown: Annotated[bool, typer.Option("--markdown", help="Print the page as markdown.")] = False,
) -> None:
    """Show one rule's documentation: what it flags, why it matters, fix safety, examples.

    Examples:

      mtcheck rule Q101

      mtcheck rule glued-closing-quote --markdown
    """
    from mtcheck.errors import UsageError
    from mtcheck.rules import get_rule

    r = get_rule(code)
    if r is None:
        raise UsageError(f"no rule {code!r} (see `mtcheck rules`)")
    write_report(rule_page(r, markdown=markdown), None)
