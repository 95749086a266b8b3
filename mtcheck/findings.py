"""The one result type: a finding, its severity and category, and its optional fix."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any


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


# Edit, Fix, Match and Finding write their own ``__init__``: a frozen dataclass's sets each field
# with ``object.__setattr__``, one call per field (1.7 µs for a Finding, 0.9 µs this way; a batch
# makes 5,000 findings per MB, and a match and its fix and edits for each). The dataclass still
# makes the rest (equality, hashing, repr, refusing assignment); a test holds each ``__init__`` to
# the fields, their order and their defaults.

#: The default of a field with a ``default_factory`` in such an ``__init__``.
_FACTORY: Any = type("_Factory", (), {"__repr__": lambda self: "<factory>"})()


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement`` (offsets into the original text)."""

    start: int
    end: int
    replacement: str

    def __init__(self, start: int, end: int, replacement: str):
        self.__dict__.update(start=start, end=end, replacement=replacement)  # see _FACTORY

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "replacement": self.replacement}


@dataclass(frozen=True)
class Fix:
    """A set of non-overlapping edits that repair one finding."""

    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE
    description: str = ""

    def __init__(self, edits: tuple[Edit, ...], applicability: Applicability = Applicability.SAFE, description: str = ""):
        self.__dict__.update(edits=edits, applicability=applicability, description=description)  # see _FACTORY

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

    def __init__(self, start: int, end: int, message: str, fix: Fix | None = None, severity: Severity | None = None):
        self.__dict__.update(start=start, end=end, message=message, fix=fix, severity=severity)  # see _FACTORY


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

    def __init__(
        self, code: str, name: str, severity: Severity, category: Category, message: str, start: int, end: int,
        text: str, line: int, column: int, end_line: int, end_column: int, fix: Fix | None = None,
        path: str | None = None, extra: dict = _FACTORY,
    ):
        self.__dict__.update(
            code=code, name=name, severity=severity, category=category, message=message, start=start, end=end,
            text=text, line=line, column=column, end_line=end_line, end_column=end_column, fix=fix, path=path,
            extra={} if extra is _FACTORY else extra,
        )  # see _FACTORY

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
