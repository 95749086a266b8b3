"""The one result type: a finding, its severity and category, and its optional fix."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum


class Severity(str, Enum):
    """How much a finding matters. Ordered: ``INFO < WARNING < ERROR``."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    def __ge__(self, other: Severity) -> bool:  # type: ignore[override]
        return self.rank >= Severity(other).rank

    def __gt__(self, other: Severity) -> bool:  # type: ignore[override]
        return self.rank > Severity(other).rank

    def __le__(self, other: Severity) -> bool:  # type: ignore[override]
        return self.rank <= Severity(other).rank

    def __lt__(self, other: Severity) -> bool:  # type: ignore[override]
        return self.rank < Severity(other).rank


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Category(str, Enum):
    """MQM-style error categories (with two additions for scraped machine translation)."""

    ACCURACY = "accuracy"
    FLUENCY = "fluency"
    STYLE = "style"
    LOCALE_CONVENTION = "locale-convention"
    NON_TRANSLATION = "non-translation"
    SOURCE_SITE_RESIDUE = "source-site-residue"


class Applicability(str, Enum):
    """Whether a fix may be applied without a human looking at it (ruff's terms)."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement`` (offsets into the original text)."""

    start: int
    end: int
    replacement: str

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "replacement": self.replacement}


@dataclass(frozen=True)
class Fix:
    """A set of non-overlapping edits that repair one finding."""

    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE
    description: str = ""

    def to_dict(self) -> dict:
        return {
            "applicability": self.applicability.value,
            "description": self.description,
            "edits": [e.to_dict() for e in self.edits],
        }


@dataclass(frozen=True)
class Match:
    """What a rule's check function yields: a span of the analysed text and what is wrong.

    Offsets are into ``Document.text``. The linter maps them to the original text, attaches the
    rule's metadata and turns the match into a :class:`Finding`.
    """

    start: int
    end: int
    message: str
    fix: Fix | None = None
    severity: Severity | None = None  # overrides the rule's default when the rule is (un)sure


@dataclass(frozen=True)
class Finding:
    """One problem found in one document. Offsets index the original text (``Document.original``)."""

    code: str
    name: str
    severity: Severity
    category: Category
    message: str
    start: int
    end: int
    text: str
    line: int
    column: int
    end_line: int
    end_column: int
    fix: Fix | None = None
    path: str | None = None
    extra: dict = field(default_factory=dict, compare=False)

    def with_(self, **changes) -> Finding:
        return replace(self, **changes)

    def sort_key(self) -> tuple:
        return (self.path or "", self.start, self.end, self.code)

    def to_dict(self) -> dict:
        """The finding as the versioned JSON schema describes it (``schema/findings-v1.json``)."""
        out = {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "category": self.category.value,
            "message": self.message,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "text": self.text,
            "fix": self.fix.to_dict() if self.fix else None,
        }
        if self.extra:
            out["extra"] = self.extra
        return out
