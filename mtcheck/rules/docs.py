"""Rule documentation generated from the registry: the rule table and one rule's page.

``mtcheck rules``, ``mtcheck rule CODE``, the SARIF reporter's rule help and the README's rule table
all come from here, and here reads only a rule's metadata, docstring and examples.
"""

from __future__ import annotations

import inspect

COLUMNS = ("code", "name", "severity", "category", "languages", "fix")


def rule_row(r) -> dict:
    """One rule's row of the table (also the ``--format json`` record, with more fields)."""
    return {
        "code": r.code,
        "name": r.name,
        "severity": r.severity.value,
        "category": r.category.value,
        "languages": r.languages_label(),
        "fix": r.fix.value if r.fix else "",
    }


def rule_record(r) -> dict:
    """Everything the registry knows about a rule, as JSON."""
    return {
        **rule_row(r),
        "fix": r.fix.value if r.fix else None,
        "summary": r.summary,
        "source_langs": sorted(r.source_langs) if r.source_langs is not None else None,
        "target_langs": sorted(r.target_langs) if r.target_langs is not None else None,
        "needs": sorted(r.needs),
        "default_enabled": r.default_enabled,
        "options": r.options,
        "doc": r.doc,
        "bad": [e.text for e in r.bad],
        "good": [e.text for e in r.good],
    }


def markdown_table(rules) -> str:
    """The rule table as GitHub-flavoured markdown (what the README shows)."""
    head = "| code | name | severity | category | languages | fix | summary |"
    sep = "|---|---|---|---|---|---|---|"
    rows = []
    for r in rules:
        row = rule_row(r)
        cells = [f"`{row['code']}`", f"`{row['name']}`", row["severity"], row["category"], f"`{row['languages']}`",
                 row["fix"] or "—", r.summary.replace("|", "\\|")]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join([head, sep, *rows]) + "\n"


def text_table(rules) -> str:
    rows = [dict(zip(COLUMNS, COLUMNS))] + [rule_row(r) for r in rules]
    widths = {c: max(len(str(row[c])) for row in rows) for c in COLUMNS}
    lines = []
    for i, row in enumerate(rows):
        cells = [str(row[c] if c != "fix" or row[c] or i == 0 else "-").ljust(widths[c]) for c in COLUMNS]
        lines.append("  ".join(cells).rstrip())
        if i == 0:
            lines.append("  ".join("-" * widths[c] for c in COLUMNS))
    lines.append(f"\n{len(rules)} rule{'s' if len(rules) != 1 else ''}. `mtcheck rule CODE` shows one rule's documentation.")
    return "\n".join(lines) + "\n"


def rule_page(r, *, markdown: bool = False) -> str:
    """A rule's documentation page: metadata, its docstring, and its bad and good examples."""
    doc = inspect.cleandoc(r.doc) if r.doc else r.name
    summary, _, body = doc.partition("\n")
    meta = [
        ("Severity", r.severity.value),
        ("Category", r.category.value),
        ("Languages", r.languages_label() + "  (source→target; * = any)"),
        ("Fix", r.fix.value if r.fix else "none"),
    ]
    if r.needs:
        meta.append(("Needs", ", ".join(sorted(r.needs))))
    if not r.default_enabled:
        meta.append(("Enabled", "no (opt in with --select)"))
    if r.options:
        meta.append(("Options", ", ".join(f"{k}={v!r}" for k, v in sorted(r.options.items()))))
    out: list[str] = []
    if markdown:
        out += [f"# {r.code} `{r.name}`", "", summary, ""]
        out += [f"- **{k}**: {v}" for k, v in meta]
        out += ["", body.strip(), ""] if body.strip() else [""]
        out += ["## Flagged (⟦…⟧ marks the reported span)", ""]
        out += [_example_item(e) for e in r.bad]
        out += ["", "## Not flagged", ""]
        out += [_example_item(e) for e in r.good]
    else:
        out += [f"{r.code} {r.name}", "=" * len(f"{r.code} {r.name}"), "", summary, ""]
        width = max(len(k) for k, _ in meta)
        out += [f"{k + ':':<{width + 1}} {v}" for k, v in meta]
        out += ["", body.strip(), ""] if body.strip() else [""]
        out += ["Flagged (⟦…⟧ marks the reported span):"]
        out += [f"  ✗ {_indent(e.text)}{_direction(e)}" for e in r.bad]
        out += ["", "Not flagged:"]
        out += [f"  ✓ {_indent(e.text)}{_direction(e)}" for e in r.good]
    return "\n".join(out).rstrip() + "\n"


def _direction(e) -> str:
    if e.source_lang or e.target_lang or e.options:
        parts = []
        if e.source_lang or e.target_lang:
            parts.append(f"{e.source_lang or '*'}→{e.target_lang or '*'}")
        if e.options:
            parts.append(", ".join(f"{k}={v!r}" for k, v in sorted(e.options.items())))
        return f"  ({'; '.join(parts)})"
    return ""


def _example_item(e) -> str:
    """A markdown list item; a multi-line example is a fenced block under its direction."""
    if "\n" in e.text and _direction(e):
        return f"- {_direction(e).strip()}\n  {_example_md(e.text)}"
    return f"- {_example_md(e.text)}{_direction(e)}"


def _indent(text: str) -> str:
    return text.replace("\n", "\n    ")


def _example_md(text: str) -> str:
    if "\n" in text:
        fence = "````" if "```" in text else "```"
        return fence + "\n  " + text.replace("\n", "\n  ") + "\n  " + fence
    # Inline code cannot hold a backtick run of its own length; widen the fence when needed.
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


#: Markers around the generated rule table in README.md.
TABLE_START, TABLE_END = "<!-- rules-table:start (generated by scripts/update_readme_rules.py) -->", "<!-- rules-table:end -->"


def readme_with_rules_table(readme: str, rules) -> str:
    """``readme`` with the text between :data:`TABLE_START` and :data:`TABLE_END` replaced by the
    current rule table. Raises ValueError when the markers are missing."""
    start = readme.find(TABLE_START)
    end = readme.find(TABLE_END)
    if start < 0 or end < start:
        raise ValueError("README.md has no rules-table markers")
    return readme[: start + len(TABLE_START)] + "\n" + markdown_table(rules) + readme[end:]
