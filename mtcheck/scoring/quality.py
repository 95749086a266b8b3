"""The document quality score: an MQM-style penalty per 1,000 words mapped onto 0–100.

Formula (documented in the README):

    penalty        = Σ SEVERITY_WEIGHTS[finding.severity]          over all findings
    per_1000_words = 1000 × penalty / max(words, MIN_WORDS)
    score          = 100 × max(0, 1 − per_1000_words / PENALTY_AT_ZERO)

Weights follow MQM's minor / major ratio (1 : 5); ``info`` findings are MQM's "neutral" and cost
nothing. ``MIN_WORDS`` keeps a two-line snippet with one slip from scoring 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mtcheck.findings import Finding, Severity

SEVERITY_WEIGHTS: dict[Severity, float] = {Severity.ERROR: 5.0, Severity.WARNING: 1.0, Severity.INFO: 0.0}
#: A penalty of this many points per 1,000 words scores 0.
PENALTY_AT_ZERO = 200.0
#: Word counts below this are treated as this many words.
MIN_WORDS = 100


@dataclass(frozen=True)
class QualityScore:
    """The score with the numbers that produced it."""

    score: float
    penalty: float
    per_1000_words: float
    words: int

    def to_dict(self) -> dict:
        return {
            "score": round(self.score, 2),
            "penalty": round(self.penalty, 2),
            "penalty_per_1000_words": round(self.per_1000_words, 2),
            "words": self.words,
        }


def quality_score(findings: Iterable[Finding], words: int) -> QualityScore:
    """Score a document from its findings and word count (see the module docstring)."""
    return _score(sum(SEVERITY_WEIGHTS[f.severity] for f in findings), words)


def quality_from_counts(by_severity: dict[str, int], words: int) -> QualityScore:
    """:func:`quality_score` from the number of findings of each severity (by value: ``"error"``);
    the same score, as the weights are whole numbers."""
    return _score(sum(SEVERITY_WEIGHTS[Severity(name)] * n for name, n in by_severity.items()), words)


def _score(penalty: float, words: int) -> QualityScore:
    per_1000 = 1000.0 * penalty / max(words, MIN_WORDS)
    score = 100.0 * max(0.0, 1.0 - per_1000 / PENALTY_AT_ZERO)
    return QualityScore(score=score, penalty=penalty, per_1000_words=per_1000, words=words)


def findings_per_1000_words(count: int, words: int) -> float:
    """Findings per 1,000 words (0 for an empty document)."""
    return 1000.0 * count / words if words else 0.0
