"""The adversarial inputs of ``benchmarks/bench_scan.py``, for tests.

The benchmark owns these inputs and measures how time grows with their length (a ratio in one
run). Tests must not time anything on a shared CI machine; they only check that the rules stay
correct on the same inputs: a finding's offsets slice the original text to its reported text.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

_BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_scan.py"


def _load():
    spec = importlib.util.spec_from_file_location("bench_scan", _BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench_scan = _load()


def rule_inputs(family: str) -> dict:
    """``{name: (select, make, n)}`` for one rule family's adversarial inputs ("N", "L", "R", "W")."""
    return {name: spec for name, spec in bench_scan.RULE_ADVERSARIAL.items() if name.split()[0] == family}


QUOTE_UNITS: dict[str, str] = bench_scan.QUOTE_UNITS
LOADER_ADVERSARIAL: dict = bench_scan.LOADER_ADVERSARIAL
