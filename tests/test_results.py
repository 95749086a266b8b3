"""Results that cross from worker processes (``scan_paths(..., jobs=N)``): findings packed per
batch, unpickled on first use or left in the worker, with the same counts either way."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from mtcheck.api import scan_paths, scan_text
from mtcheck.results import DocumentResult, ShippedResult, tally
from mtcheck.settings import Settings

CORPORA = Path(__file__).resolve().parent.parent / "corpora"
SEED = CORPORA / "mt" / "es-en" / "000_seed.txt"


def _results() -> list[DocumentResult]:
    return [
        scan_text(SEED.read_text(encoding="utf-8"), path="seed.txt", target_lang="en"),
        scan_text("Nothing to see here.", path="clean.txt", target_lang="en"),
        DocumentResult(path="bad.txt", error="bad.txt: binary file"),
    ]


def _sent(results):
    """What the receiving process gets: the shipped results of one batch, pickled together."""
    return pickle.loads(pickle.dumps(ShippedResult.pack(results), protocol=pickle.HIGHEST_PROTOCOL))


def test_shipped_results_unpickle_their_findings_on_first_use_and_equal_the_originals():
    results = _results()
    got = _sent(results)
    assert all(isinstance(r, ShippedResult) for r in got)
    assert all("_findings" not in r.__dict__ for r in got)  # nothing unpickled yet
    assert [r.tally() for r in got] == [tally(r.findings) for r in results]
    assert got[0].tally().total == len(results[0].findings) > 20
    assert [r.findings for r in got] == [r.findings for r in results]
    assert _view(got) == _view(results)
    assert [r.tally() for r in got] == [tally(r.findings) for r in results]  # now counted from the findings


def test_a_shipped_result_can_be_pickled_again_and_its_findings_replaced():
    got = _sent(_results())
    again = pickle.loads(pickle.dumps(got))  # before and after its findings are unpickled
    assert [r.findings for r in again] == [r.findings for r in got]
    assert pickle.loads(pickle.dumps(got))[0].findings == got[0].findings
    got[0].findings = got[0].findings[:3]
    assert got[0].tally().total == 3
    assert pickle.loads(pickle.dumps(got[0])).findings == got[0].findings


def test_findings_left_in_the_worker_raise_but_are_still_counted():
    results = _results()
    got = ShippedResult.pack(results)
    got[0].leave_findings()
    got = pickle.loads(pickle.dumps(got))
    with pytest.raises(LookupError, match="seed.txt: the findings were left in the worker"):
        got[0].findings  # noqa: B018
    assert got[0].tally() == tally(results[0].findings)
    assert got[1].findings == results[1].findings


def test_prepare_runs_where_each_result_is_made_with_and_without_workers(tmp_path):
    for i in range(12):
        (tmp_path / f"a{i:02d}.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "a05_bad.txt").write_bytes(b"\x00\x01binary\x00" * 20)
    settings = Settings(target_lang="en")
    one = list(scan_paths([str(tmp_path)], settings, prepare=len_of_findings))
    two = list(scan_paths([str(tmp_path)], settings, jobs=2, prepare=len_of_findings))
    assert [r.prepared for r in one] == [r.prepared for r in two] == [len(r.findings) for r in one]
    assert _view(one) == _view(two)
    assert any(isinstance(r, ShippedResult) for r in two)  # some came from a worker
    assert [r.error is not None for r in two].count(True) == 1


def test_a_shipped_result_equals_the_result_it_was_made_from():
    result = _results()[0]
    shipped = ShippedResult.pack([result])[0]
    assert shipped == result and result == shipped
    assert shipped != ShippedResult.pack([_results()[1]])[0]


def _view(results):
    """What a result says (a document's OffsetMap compares by identity, so a pickled result is
    never == the original)."""
    return [(r.path, r.findings, r.quality, r.error, r.source_lang, r.target_lang, r.document and r.document.text) for r in results]


def len_of_findings(result: DocumentResult) -> int:
    return len(result.findings)
