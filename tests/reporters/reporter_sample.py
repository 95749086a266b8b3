"""A small fixed input for reporter tests: hand-made rules and findings that do not change when the
real rules do, so golden files only change when a reporter does."""

from __future__ import annotations

import pytest

from mtcheck.document import Document
from mtcheck.findings import Applicability, Category, Edit, Finding, Fix, Severity
from mtcheck.gate import evaluate_all
from mtcheck.reporters import ReportContext
from mtcheck.results import DocumentResult
from mtcheck.rules.base import Example, Rule
from mtcheck.scoring.quality import quality_score
from mtcheck.settings import Settings

TEXT = (
    '"We cannot let him get away with it"declared the head of US diplomacy.\n'
    "Officials in kyiv said 1.332 people, 50% of them \u201cminors,\u201d left.\n"
    "The\u00a0minister spoke in 東京 about the \"plan\".\n"
    "Read Also:\n"
    "Related News\n"
)


def _rule(code, name, severity, category, fix=None, sources=None, targets=None):
    doc = (
        f"Sample rule {code} for reporter tests.\n\n"
        "What it flags: a made-up pattern.\n\n"
        "Why it matters: it keeps golden files independent of the real rules."
    )
    if fix:
        doc += "\n\nFix safety: the fix only inserts or removes what the finding reports."
    return Rule(
        code=code, name=name, severity=severity, category=category, check=lambda ctx: iter(()), doc=doc,
        source_langs=frozenset(sources) if sources else None, target_langs=frozenset(targets) if targets else None,
        fix=fix, bad=(Example("it⟦\"d⟧eclared"),), good=(Example('it," declared'),),
    )


RULES = [
    _rule("Q101", "glued-closing-quote", Severity.WARNING, Category.FLUENCY, Applicability.SAFE, targets=["en"]),
    _rule("Q301", "speech-verb-inversion", Severity.INFO, Category.FLUENCY, Applicability.UNSAFE, sources=["es"], targets=["en"]),
    _rule("N101", "lowercase-proper-noun", Severity.ERROR, Category.ACCURACY, Applicability.SAFE),
    _rule("L101", "source-thousands-separator", Severity.WARNING, Category.LOCALE_CONVENTION),
    _rule("W101", "non-breaking-space", Severity.INFO, Category.STYLE, Applicability.SAFE),
    _rule("R101", "site-residue-line", Severity.ERROR, Category.SOURCE_SITE_RESIDUE, Applicability.SAFE),
]
_BY_CODE = {r.code: r for r in RULES}


def finding(doc: Document, code: str, start: int, end: int, message: str, fix: Fix | None = None) -> Finding:
    r = _BY_CODE[code]
    line, col = doc.line_col(start)
    end_line, end_col = doc.line_col(end)
    return Finding(code=r.code, name=r.name, severity=r.severity, category=r.category, message=message,
                   start=start, end=end, text=doc.original[start:end], line=line, column=col,
                   end_line=end_line, end_column=end_col, fix=fix, path=doc.path)


def _at(text: str, needle: str, occurrence: int = 0) -> int:
    pos = -1
    for _ in range(occurrence + 1):
        pos = text.index(needle, pos + 1)
    return pos


def sample_results() -> list[DocumentResult]:
    doc = Document.from_text(TEXT, path="articles/sample one.txt")
    q = _at(TEXT, '"declared')
    k = _at(TEXT, "kyiv")
    n = _at(TEXT, "1.332")
    nb = _at(TEXT, "\u00a0")
    r0 = _at(TEXT, "Read Also:")
    r1 = _at(TEXT, "Related News") + len("Related News") + 1
    findings = [
        finding(doc, "Q101", q, q + 2, "Closing quote glued to the next word; insert a space.",
                Fix((Edit(q + 1, q + 1, " "),), Applicability.SAFE, "insert a space after the quote")),
        finding(doc, "Q301", q + 1, q + 9, "Speech verb after the quotation (Spanish word order): write 'the head … declared'.",
                Fix((Edit(q + 1, q + 9, ""),), Applicability.UNSAFE, "")),
        finding(doc, "N101", k, k + 4, "Proper noun in lower case: 'Kyiv'.",
                Fix((Edit(k, k + 1, "K"),), Applicability.SAFE, "capitalise")),
        finding(doc, "L101", n, n + 5, "Spanish thousands separator: '1,332' in English."),
        finding(doc, "W101", nb, nb + 1, "Non-breaking space between words.",
                Fix((Edit(nb, nb + 1, " "),), Applicability.SAFE, "replace with a space")),
        finding(doc, "R101", r0, r1, "Scraped site residue: 'Read Also:', 'Related News'.",
                Fix((Edit(r0, r1, ""),), Applicability.SAFE, "remove the lines")),
    ]
    findings.sort(key=Finding.sort_key)
    clean = Document.from_text("A clean English sentence, written by a person.\n", path="articles/clean.md")
    return [
        DocumentResult(path=doc.path, document=doc, findings=findings, source_lang="es", target_lang="en",
                       quality=quality_score(findings, doc.word_count)),
        DocumentResult(path=clean.path, document=clean, findings=[], source_lang=None, target_lang="en",
                       quality=quality_score([], clean.word_count)),
        DocumentResult(path="articles/broken.txt", error="articles/broken.txt: binary file (NUL bytes); not text"),
    ]


def sample_context(results, fail_on: Severity | None = Severity.WARNING, **options) -> ReportContext:
    settings = Settings(fail_on=fail_on)
    return ReportContext(
        command="scan",
        color=options.pop("color", False),
        verdicts=evaluate_all(results, settings),
        options={"fail_on": fail_on.value if fail_on else "never", "rules": RULES, **options},
    )


@pytest.fixture
def sample():
    """The sample results and a report context (fail-on warning) for them."""
    results = sample_results()
    return results, sample_context(results)
