"""Shared fixtures: paths to the corpora and a way to run the real CLI in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
SEED = CORPORA / "mt" / "es-en" / "000_seed.txt"


def run_cli(*args: str, input: str | bytes | None = None, env: dict | None = None, cwd: str | Path | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``python -m mtcheck ARGS`` as a user would; returns the completed process (text mode
    unless ``input`` is bytes)."""
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})}
    text = not isinstance(input, bytes)
    return subprocess.run(
        [sys.executable, "-m", "mtcheck", *args],
        input=input,
        capture_output=True,
        text=text,
        env=full_env,
        cwd=cwd or ROOT,
        timeout=timeout,
    )


@pytest.fixture
def cli():
    """The :func:`run_cli` helper as a fixture."""
    return run_cli


@pytest.fixture
def seed_path() -> Path:
    return SEED
