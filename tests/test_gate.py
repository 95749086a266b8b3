"""The gate shared by scan, audit and feed: thresholds, reasons and exit codes."""

from __future__ import annotations

import pytest

from mtcheck.document import Document
from mtcheck.findings import Category, Finding, Severity
from mtcheck.gate import EXIT_CLEAN, EXIT_ERROR, EXIT_FAILED, evaluate, evaluate_all, exit_code
from mtcheck.results import DocumentResult
from mtcheck.scoring.quality import quality_score
from mtcheck.settings import Settings

WORDS = " ".join(["word"] * 200)


def result(*severities: Severity, fidelity=None) -> DocumentResult:
    doc = Document.from_text(WORDS, path="a.txt")
    findings = [
        Finding(code=f"X{i:03d}", name=f"rule-{i}", severity=s, category=Category.FLUENCY, message="m",
                start=0, end=4, text="word", line=1, column=1, end_line=1, end_column=5, path="a.txt")
        for i, s in enumerate(severities)
    ]
    return DocumentResult(path="a.txt", document=doc, findings=findings, target_lang="en",
                          quality=quality_score(findings, doc.word_count), fidelity=fidelity)


@pytest.mark.parametrize(
    "fail_on,severities,passed",
    [
        (Severity.WARNING, (), True),
        (Severity.WARNING, (Severity.INFO,), True),
        (Severity.WARNING, (Severity.WARNING,), False),
        (Severity.ERROR, (Severity.WARNING, Severity.INFO), True),
        (Severity.ERROR, (Severity.ERROR,), False),
        (Severity.INFO, (Severity.INFO,), False),
        (None, (Severity.ERROR,), True),
    ],
)
def test_fail_on(fail_on, severities, passed):
    ok, reasons = evaluate(result(*severities), Settings(fail_on=fail_on))
    assert ok is passed
    assert bool(reasons) is not passed


def test_reasons_name_the_codes():
    ok, reasons = evaluate(result(Severity.ERROR, Severity.WARNING), Settings())
    assert reasons == ["2 findings at or above warning (X000, X001)"]


def test_min_score():
    r = result(Severity.ERROR, Severity.ERROR)  # penalty 10 over 200 words: 50 per 1,000, score 75
    assert r.score == 75.0
    assert evaluate(r, Settings(fail_on=None, min_score=75))[0]
    ok, reasons = evaluate(r, Settings(fail_on=None, min_score=80))
    assert not ok and reasons == ["quality score 75.0 is below the minimum 80"]


def test_max_findings_per_1000_words():
    r = result(Severity.INFO, Severity.INFO)  # 2 findings in 200 words: 10 per 1,000
    assert evaluate(r, Settings(fail_on=None, max_findings_per_1000_words=10))[0]
    ok, reasons = evaluate(r, Settings(fail_on=None, max_findings_per_1000_words=9.5))
    assert not ok and "10.0 findings per 1,000 words exceeds the maximum 9.5" in reasons[0]


def test_fidelity_threshold_reads_score_of_object_or_dict():
    class Report:
        score = 0.3

    assert not evaluate(result(fidelity=Report()), Settings(fidelity_threshold=0.4))[0]
    assert evaluate(result(fidelity={"score": 0.5}), Settings(fidelity_threshold=0.4))[0]
    assert evaluate(result(fidelity=None), Settings(fidelity_threshold=0.4))[0]


def test_unreadable_document_fails_and_exit_code_is_2():
    bad = DocumentResult(path="b.txt", error="b.txt: cannot read")
    good = result()
    verdicts = evaluate_all([good, bad], Settings())
    assert verdicts[1] == (False, ["could not be read: b.txt: cannot read"])
    assert exit_code([good, bad], verdicts) == EXIT_ERROR
    assert exit_code([good, bad], verdicts, exit_zero=True) == EXIT_ERROR


def test_exit_codes():
    clean, dirty = result(), result(Severity.WARNING)
    s = Settings()
    assert exit_code([clean], evaluate_all([clean], s)) == EXIT_CLEAN
    assert exit_code([clean, dirty], evaluate_all([clean, dirty], s)) == EXIT_FAILED
    assert exit_code([dirty], evaluate_all([dirty], s), exit_zero=True) == EXIT_CLEAN
