"""Golden files: every reporter's output on the fixed sample (tests/reporters/conftest.py).

A reporter change shows up as a diff of the golden file. To regenerate after an intended change:

    MTCHECK_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/reporters -q

and review ``git diff tests/reporters/golden``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reporter_sample import sample  # noqa: F401 (fixture)

from mtcheck import __version__
from mtcheck.reporters import render

GOLDEN = Path(__file__).parent / "golden"
CASES = {
    "text": "text.txt",
    "json": "json.json",
    "sarif": "sarif.sarif",
    "github": "github.txt",
    "junit": "junit.xml",
}


def _normalise(out: str) -> str:
    # The tool version is not part of any reporter's contract.
    return out.replace(f'"{__version__}"', '"<version>"')


@pytest.mark.parametrize("fmt", sorted(CASES))
def test_reporter_matches_golden_file(sample, fmt):
    results, ctx = sample
    out = _normalise(render(fmt, results, ctx))
    path = GOLDEN / CASES[fmt]
    if os.environ.get("MTCHECK_UPDATE_GOLDEN"):
        path.write_text(out, encoding="utf-8")
    assert path.exists(), f"missing {path}; run with MTCHECK_UPDATE_GOLDEN=1 to create it"
    assert out == path.read_text(encoding="utf-8"), (
        f"{fmt} output differs from {path}; if intended, regenerate with "
        "MTCHECK_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/reporters -q"
    )


def test_text_colour_only_when_asked(sample):
    results, ctx = sample
    assert "\x1b[" not in render("text", results, ctx)
    ctx.color = True
    coloured = render("text", results, ctx)
    assert "\x1b[1;31mN101\x1b[0m" in coloured  # errors in red
    assert "\x1b[1;33mQ101\x1b[0m" in coloured  # warnings in yellow
