"""What a run produces per document, shared by every command and every reporter."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
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
    #: What the caller's ``prepare`` function made of the result where it was scanned (see
    #: ``mtcheck.api.scan_paths``); None when there was no such function.
    prepared: Any = field(default=None, repr=False, compare=False)

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

    def tally(self) -> Tally:
        """The findings counted (what a report's counts and summary need of them)."""
        return tally(self.findings)


@dataclass(frozen=True)
class Tally:
    """A document's findings counted: in all, by severity (every severity, most severe first), by
    category (sorted; only those present), and how many have a fix."""

    total: int
    by_severity: dict[str, int]
    by_category: dict[str, int]
    fixable: int


def tally(findings) -> Tally:
    return Tally(
        len(findings), severity_counts(findings), category_counts(findings), sum(1 for f in findings if f.fix is not None)
    )


class ShippedResult(DocumentResult):
    """A result that crosses from a worker process (``scan_paths(..., jobs=N)``) with its findings
    pickled apart, and unpickled on first use of ``findings``. A batch's findings are most of what
    the workers send; unpickling them (enum members, frozen dataclasses: 50,000 findings in a
    10 MB batch) cost the receiving process 0.9 s of a core the workers needed, for a report that
    the workers had already written (JSON) and a gate they had already evaluated. :meth:`tally`
    answers from counts made in the worker while the findings are still packed.

    In the worker the result keeps its findings as well; they are left out when it is pickled.
    A caller that needs nothing more of them than what its ``prepare`` function made of them (the
    CLI's JSON report) has them left in the worker (:meth:`leave_findings`)."""

    @property
    def findings(self) -> list[Finding]:
        state = self.__dict__
        found = state.get("_findings")
        if found is None:
            if "_packed" not in state:
                raise LookupError(f"{self.path}: the findings were left in the worker process that scanned it")
            packed, index = state["_packed"]
            found = state["_findings"] = packed.findings(index)
            state.pop("_tally", None)
        return found

    @findings.setter
    def findings(self, value: list[Finding]) -> None:
        state = self.__dict__
        state["_findings"] = value
        state.pop("_packed", None)
        state.pop("_tally", None)

    def tally(self) -> Tally:
        known = self.__dict__.get("_tally")
        return known if known is not None else tally(self.findings)

    def leave_findings(self) -> None:
        """Send the result without its findings (for a caller that has what it needs of them in
        ``prepared``): ``findings`` then raises LookupError; :meth:`tally` still answers."""
        state = self.__dict__
        state.pop("_packed", None)
        state.pop("_findings", None)

    def __getstate__(self) -> dict:
        state = self.__dict__
        if "_packed" in state and "_findings" in state:
            state = {k: v for k, v in state.items() if k != "_findings"}
        return state

    def __eq__(self, other):  # equal to the DocumentResult it was made from
        if not isinstance(other, DocumentResult):
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name) for f in fields(DocumentResult) if f.compare)

    __hash__ = None

    @classmethod
    def pack(cls, results: list[DocumentResult]) -> list[ShippedResult]:
        """``results`` (in the worker) as shipped results whose findings are pickled together, once
        per batch: a pickle per result repeated the class references and cost three times as much."""
        packed = PackedFindings([r.findings for r in results])
        out = []
        for i, r in enumerate(results):
            shipped = cls.__new__(cls)
            state = shipped.__dict__
            state.update(r.__dict__)
            state["_findings"] = found = state.pop("findings") if "findings" in state else r.findings
            state["_packed"] = (packed, i)
            state["_tally"] = tally(found)
            out.append(shipped)
        return out


class PackedFindings:
    """The findings of a batch of results, pickled when the batch is, unpickled on first use."""

    __slots__ = ("_lists", "_blob")

    def __init__(self, lists: list[list[Finding]]):
        self._lists = lists
        self._blob = None

    def findings(self, index: int) -> list[Finding]:
        if self._lists is None:
            import pickle

            self._lists, self._blob = pickle.loads(self._blob), None
        return self._lists[index]

    def __getstate__(self):
        import pickle

        if self._blob is None:
            self._blob = pickle.dumps(self._lists, protocol=pickle.HIGHEST_PROTOCOL)
        return self._blob

    def __setstate__(self, blob: bytes) -> None:
        self._lists, self._blob = None, blob


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
