"""The pass/fail gate that turns a document's findings and score into a verdict.

``scan``, ``audit`` and ``feed`` all decide their exit code here, so a threshold means the same
thing everywhere. A document fails when any of these holds:

* it could not be read (``result.error``);
* it has a finding at or above ``settings.fail_on`` (``None`` means findings never fail it);
* its quality score is below ``settings.min_score``;
* it has more than ``settings.max_findings_per_1000_words`` findings per 1,000 words;
* its fidelity score (set by ``audit``) is below ``settings.fidelity_threshold``.
"""

from __future__ import annotations

from collections.abc import Iterable

from mtcheck.findings import Severity
from mtcheck.results import DocumentResult
from mtcheck.scoring.quality import findings_per_1000_words
from mtcheck.settings import Settings


def evaluate(result: DocumentResult, settings: Settings) -> tuple[bool, list[str]]:
    """``(passed, reasons)`` for one document; ``reasons`` says why it failed (empty when it passed)."""
    if result.error is not None:
        return False, [f"could not be read: {result.error}"]
    reasons: list[str] = []
    if settings.fail_on is not None:
        threshold = Severity(settings.fail_on)
        levels = _AT_OR_ABOVE[threshold]
        hits = [f for f in result.findings if f.severity in levels]
        if hits:
            codes = sorted({f.code for f in hits})
            shown = ", ".join(codes[:5]) + (", …" if len(codes) > 5 else "")
            reasons.append(f"{len(hits)} finding{'s' if len(hits) != 1 else ''} at or above {threshold.value} ({shown})")
    if settings.min_score is not None and result.score is not None and result.score < settings.min_score:
        reasons.append(f"quality score {result.score:.1f} is below the minimum {settings.min_score:g}")
    if settings.max_findings_per_1000_words is not None:
        rate = findings_per_1000_words(len(result.findings), result.words)
        if rate > settings.max_findings_per_1000_words:
            reasons.append(
                f"{rate:.1f} findings per 1,000 words exceeds the maximum {settings.max_findings_per_1000_words:g}"
            )
    fidelity = _fidelity_score(result.fidelity)
    if settings.fidelity_threshold is not None and fidelity is not None and fidelity < settings.fidelity_threshold:
        reasons.append(f"fidelity {fidelity:.1f} is below the threshold {settings.fidelity_threshold:g}")
    return not reasons, reasons


#: The severities at or above each one. Membership in a tuple of members compares by identity
#: first, in C; ``>=`` on each finding went through Severity's Python-level comparison (a batch
#: has 50,000 findings).
_AT_OR_ABOVE = {t: tuple(s for s in Severity if s >= t) for t in Severity}


def evaluate_all(
    results: Iterable[DocumentResult], settings: Settings, known: dict[int, tuple[bool, list[str]]] | None = None
) -> dict[int, tuple[bool, list[str]]]:
    """Verdicts by result index (the shape ``ReportContext.verdicts`` takes). ``known`` holds
    verdicts already evaluated with the same settings, by ``id`` of the result."""
    known = known or {}
    return {i: known.get(id(r)) or evaluate(r, settings) for i, r in enumerate(results)}


#: Exit codes shared by every command (documented in the README and in ``--help``).
EXIT_CLEAN, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def exit_code(results: list[DocumentResult], verdicts: dict[int, tuple[bool, list[str]]], *, exit_zero: bool = False) -> int:
    """2 when any document could not be read; else 1 when any document failed the gate (unless
    ``exit_zero``); else 0."""
    if any(r.error is not None for r in results):
        return EXIT_ERROR
    if not exit_zero and any(not passed for passed, _ in verdicts.values()):
        return EXIT_FAILED
    return EXIT_CLEAN


def _fidelity_score(fidelity) -> float | None:
    """The headline number of an audit's fidelity report, whatever its shape (object or dict)."""
    if fidelity is None:
        return None
    if isinstance(fidelity, (int, float)):
        return float(fidelity)
    for attr in ("score", "chrf", "value"):
        value = fidelity.get(attr) if isinstance(fidelity, dict) else getattr(fidelity, attr, None)
        if isinstance(value, (int, float)):
            return float(value)
    return None
