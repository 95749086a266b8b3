"""`mtcheck rules` and `mtcheck rule CODE`: documentation generated from the registry, and the
README's rule table kept in step with it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from mtcheck.rules import all_rules
from mtcheck.rules.docs import TABLE_END, TABLE_START, markdown_table, readme_with_rules_table, rule_page

RULES = all_rules()
README = ROOT / "README.md"
REGENERATE = ".venv/bin/python scripts/update_readme_rules.py"


def test_rules_table_lists_every_rule():
    r = run_cli("rules")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["code", "name", "severity", "category", "languages", "fix"]
    rows = [line.split() for line in lines[2:] if line.strip() and not line.startswith(f"{len(RULES)} rule")]
    assert [row[0] for row in rows] == [r.code for r in RULES]
    for row, rule in zip(rows, RULES):
        assert row[1:5] == [rule.name, rule.severity.value, rule.category.value, rule.languages_label()]
        assert row[5] == (rule.fix.value if rule.fix else "-")


def test_rules_json_matches_registry():
    r = run_cli("rules", "--format", "json")
    data = json.loads(r.stdout)
    assert [d["code"] for d in data] == [r.code for r in RULES]
    for d, rule in zip(data, RULES):
        assert d["name"] == rule.name and d["severity"] == rule.severity.value
        assert d["category"] == rule.category.value
        assert d["fix"] == (rule.fix.value if rule.fix else None)
        assert d["bad"] == [e.text for e in rule.bad] and d["good"] == [e.text for e in rule.good]
        assert d["doc"] == rule.doc


def test_rules_select_filters_and_rejects_unknown():
    family = RULES[0].family
    r = run_cli("rules", "--select", family, "--format", "json")
    assert {d["code"][0] for d in json.loads(r.stdout)} == {family}
    r = run_cli("rules", "--select", "ZZZ")
    assert r.returncode == 2 and r.stderr.startswith("mtcheck: error: ")


def test_rules_markdown_is_the_readme_table():
    r = run_cli("rules", "--format", "markdown")
    assert r.stdout == markdown_table(RULES)


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_page_shows_doc_and_examples(rule):
    r = run_cli("rule", rule.code)
    assert r.returncode == 0, r.stderr
    assert r.stdout == rule_page(rule)
    assert r.stdout.startswith(f"{rule.code} {rule.name}\n")
    assert "What it flags" in r.stdout and "Why it matters" in r.stdout
    for e in rule.bad + rule.good:
        assert e.text.splitlines()[0] in r.stdout
    assert "Flagged" in r.stdout and "Not flagged" in r.stdout


def test_rule_by_name_and_lower_case_code():
    rule = RULES[0]
    assert run_cli("rule", rule.name).stdout == rule_page(rule)
    assert run_cli("rule", rule.code.lower()).stdout == rule_page(rule)
    md = run_cli("rule", rule.code, "--markdown").stdout
    assert md.startswith(f"# {rule.code} `{rule.name}`")


def test_unknown_rule_is_a_usage_error():
    r = run_cli("rule", "Z999")
    assert r.returncode == 2
    assert r.stderr.strip() == "mtcheck: error: no rule 'Z999' (see `mtcheck rules`)"


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_every_rule_is_documented(rule):
    assert rule.summary and rule.summary != rule.name, f"{rule.code} has no one-line summary"
    assert "What it flags" in rule.doc and "Why it matters" in rule.doc
    if rule.fix is not None:
        assert "Fix safety" in rule.doc
    assert rule.bad and rule.good


def test_readme_rule_table_matches_registry():
    readme = README.read_text(encoding="utf-8")
    assert TABLE_START in readme and TABLE_END in readme, "README.md lost its rules-table markers"
    assert readme == readme_with_rules_table(readme, RULES), (
        f"README.md's rule table is out of date with the registry; regenerate it with `{REGENERATE}`"
    )


def test_update_script_rewrites_a_stale_table(tmp_path: Path):
    import subprocess
    import sys

    stale = f"# x\n\n{TABLE_START}\n| old |\n{TABLE_END}\n\nafter\n"
    path = tmp_path / "README.md"
    path.write_text(stale, encoding="utf-8")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "update_readme_rules.py"), str(path)], check=True,
                   capture_output=True)
    assert path.read_text(encoding="utf-8") == f"# x\n\n{TABLE_START}\n{markdown_table(RULES)}{TABLE_END}\n\nafter\n"
