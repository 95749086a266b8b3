#!/usr/bin/env python3
"""Rewrite the rule table in README.md from the rule registry (the same table as
``mtcheck rules --format markdown``). tests/test_cli_rules.py fails when the README is stale.

Usage: .venv/bin/python scripts/update_readme_rules.py [README.md]
"""

from __future__ import annotations

import sys
from pathlib import Path

from mtcheck.rules import all_rules
from mtcheck.rules.docs import readme_with_rules_table


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "README.md"
    old = path.read_text(encoding="utf-8")
    new = readme_with_rules_table(old, all_rules())
    if new != old:
        path.write_text(new, encoding="utf-8")
        print(f"updated the rule table in {path}")
    else:
        print(f"{path} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
