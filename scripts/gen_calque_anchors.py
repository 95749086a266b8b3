"""Regenerate ``mtcheck/data/calques/_anchors.json``: the anchors and required strings of every
calque pattern, computed once here so a cold ``mtcheck scan`` does not parse ~100 regexes.

Run after editing a calque data file: ``.venv/bin/python scripts/gen_calque_anchors.py``.
tests/rules/test_calques.py checks that the shipped file equals what this computes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mtcheck.rules import calques  # noqa: E402


def main() -> None:
    out = ROOT / "mtcheck" / "data" / "calques" / f"{calques.ANCHORS_FILE}.json"
    out.write_text(calques.dump_anchors(calques.compute_anchors()), encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
