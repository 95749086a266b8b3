"""What a run produces per document, shared by every command and every reporter."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mtcheck.document import Document
from mtcheck.findings import Finding, Severity
from mtcheck.scoring.quality import QualityScore


@dataclass
class DocumentResult:
    """The findings and scores of one document, or the error that stopped it being read.

    ``meta`` carries context from where the document came from (a feed item's ``title``, ``link``,
    ``guid``); ``fidelity`` is set by ``audit`` (a ``mtcheck.scoring.fidelity`` report).
    """

    path: str | None
    document: Document | None = None
    findings: list[Finding] = field(default_factory=list)
    source_lang: str | None = None
    target_lang: str | None = None
    quality: QualityScore | None = None
    error: str | None = None
    fidelity: Any = None
    meta: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def words(self) -> int:
        return self.document.word_count if self.document else 0

    @property
    def score(self) -> float | None:
        return self.quality.score if self.quality else None

    def counts_by_severity(self) -> dict[str, int]:
        return severity_counts(self.findings)

    def counts_by_category(self) -> dict[str, int]:
        return category_counts(self.findings)


def severity_counts(findings) -> dict[str, int]:
    """``{"error": n, "warning": n, "info": n}``, every severity present, most severe first."""
    # Plain loops over the members' ``_value_``: a report counts per document, and Counter plus
    # Enum.value (a Python-level property) cost more than the JSON of the counts.
    counts = {s._value_: 0 for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
    for f in findings:
        counts[f.severity._value_] += 1
    return counts


def category_counts(findings) -> dict[str, int]:
    """Findings per category, sorted by name; only categories that have findings."""
    counts: dict[str, int] = {}
    for f in findings:
        name = f.category._value_
        counts[name] = counts.get(name, 0) + 1
    return dict(sorted(counts.items()))
