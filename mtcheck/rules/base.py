"""What a rule is: a small pure check function plus metadata declared at import time.

A rule module declares rules with :func:`rule`. Everything ``mtcheck rules`` and ``mtcheck rule CODE``
show (code, name, severity, category, languages, needs, fix safety, documentation, examples) comes
from the declaration and the function's docstring, so docs cannot drift from code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from mtcheck.document import Document, Span
from mtcheck.findings import Applicability, Category, Match, Severity

#: Markers around the span a bad example must flag: ``it⟦"d⟧eclared``.
MARK_OPEN, MARK_CLOSE = "⟦", "⟧"

#: Analyses a rule may need. The linter computes an analysis only when an enabled rule needs it.
#: ``suppressions`` marks a rule that runs after inline suppressions were applied (M001).
NEEDS = frozenset({"langid", "backtranslation", "source", "suppressions"})

_CODE = re.compile(r"^[A-Z][0-9]{3}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Example:
    """A rule example. In a bad example, ``⟦…⟧`` marks every span the rule must flag."""

    text: str
    source_lang: str | None = None
    target_lang: str | None = None
    options: dict = field(default_factory=dict)

    def plain(self) -> str:
        return self.text.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")

    def spans(self) -> list[tuple[int, int]]:
        """The marked spans, as offsets into :meth:`plain`."""
        out, pos, shift = [], 0, 0
        for m in re.finditer("[" + MARK_OPEN + MARK_CLOSE + "]", self.text):
            if m.group() == MARK_OPEN:
                pos = m.start() - shift
            else:
                out.append((pos, m.start() - shift))
            shift += 1
        return out


class RuleContext:
    """Everything a check function may read. Rules never read globals, files or the network."""

    def __init__(
        self,
        doc: Document,
        *,
        source_lang: str | None,
        target_lang: str | None,
        options: dict | None = None,
        analyses: dict | None = None,
    ):
        self.doc = doc
        self.text = doc.text
        self.source_lang = source_lang
        self.target_lang = target_lang
        self.options = options or {}
        self.analyses = analyses if analyses is not None else {}

    @property
    def sentences(self) -> list[Span]:
        return self.doc.sentences_for(self.target_lang)

    @property
    def paragraphs(self) -> list[Span]:
        return self.doc.paragraphs

    @property
    def lines(self) -> list[Span]:
        return self.doc.lines

    def option(self, name: str, default: Any) -> Any:
        return self.options.get(name, default)

    def analysis(self, name: str) -> Any:
        """A shared analysis (``langid``, ``backtranslation``, ``source``), or None if not run."""
        return self.analyses.get(name)


CheckFn = Callable[[RuleContext], Iterable[Match]]


@dataclass(frozen=True)
class Rule:
    """A registered rule. Instances are created by :func:`rule`; see the module docstring."""

    code: str
    name: str
    severity: Severity
    category: Category
    check: CheckFn
    doc: str
    source_langs: frozenset[str] | None = None
    target_langs: frozenset[str] | None = None
    needs: frozenset[str] = frozenset()
    fix: Applicability | None = None
    bad: tuple[Example, ...] = ()
    good: tuple[Example, ...] = ()
    options: dict = field(default_factory=dict)
    default_enabled: bool = True

    @property
    def summary(self) -> str:
        """The first line of the docstring."""
        return self.doc.strip().splitlines()[0] if self.doc.strip() else self.name

    @property
    def family(self) -> str:
        return self.code[0]

    def applies_to(self, source_lang: str | None, target_lang: str | None) -> bool:
        """Whether the rule runs for this direction. An unknown language does not exclude a rule."""
        if self.source_langs is not None and source_lang and base_lang(source_lang) not in self.source_langs:
            return False
        if self.target_langs is not None and target_lang and base_lang(target_lang) not in self.target_langs:
            return False
        return True

    def languages_label(self) -> str:
        src = ",".join(sorted(self.source_langs)) if self.source_langs else "*"
        tgt = ",".join(sorted(self.target_langs)) if self.target_langs else "*"
        return f"{src}→{tgt}"

    def run(self, ctx: RuleContext) -> Iterator[Match]:
        yield from self.check(ctx)


def base_lang(lang: str | None, default: str | None = None) -> str | None:
    """The base language of a code (``pt-BR``, ``pt_BR`` → ``pt``), which rule data is keyed by;
    ``default`` when there is no code."""
    lang = lang or default
    return lang.replace("_", "-").split("-")[0].lower() if lang else None


def _as_examples(items: Iterable[str | Example]) -> tuple[Example, ...]:
    return tuple(i if isinstance(i, Example) else Example(i) for i in items)


REGISTRY: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    *,
    severity: Severity,
    category: Category,
    sources: Iterable[str] | None = None,
    targets: Iterable[str] | None = None,
    needs: Iterable[str] = (),
    fix: Applicability | None = None,
    bad: Iterable[str | Example] = (),
    good: Iterable[str | Example] = (),
    options: dict | None = None,
    default_enabled: bool = True,
) -> Callable[[CheckFn], Rule]:
    """Declare and register a rule. The decorated function's docstring is the rule's documentation:
    a one-line summary, then sections ``What it flags``, ``Why it matters`` and ``Fix safety``."""

    if not _CODE.match(code):
        raise ValueError(f"rule code {code!r} must be a capital letter and three digits")
    if not _NAME.match(name):
        raise ValueError(f"rule name {name!r} must be kebab-case")
    needs = frozenset(needs)
    if needs - NEEDS:
        raise ValueError(f"rule {code} needs unknown analyses: {sorted(needs - NEEDS)}")

    def decorate(fn: CheckFn) -> Rule:
        if code in REGISTRY:
            raise ValueError(f"rule code {code} registered twice")
        if any(r.name == name for r in REGISTRY.values()):
            raise ValueError(f"rule name {name} registered twice")
        r = Rule(
            code=code,
            name=name,
            severity=severity,
            category=category,
            check=fn,
            doc=(fn.__doc__ or "").strip(),
            source_langs=frozenset(sources) if sources is not None else None,
            target_langs=frozenset(targets) if targets is not None else None,
            needs=needs,
            fix=fix,
            bad=_as_examples(bad),
            good=_as_examples(good),
            options=dict(options or {}),
            default_enabled=default_enabled,
        )
        REGISTRY[code] = r
        return r

    return decorate
