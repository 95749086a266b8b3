"""`mtcheck eval` on the gold corpora, through the CLI: numbers must stay at or above the floors
stored in corpora/eval-floors.json, and the seed must show every artifact class the issue lists."""

from __future__ import annotations

import json

from conftest import CORPORA, SEED, run_cli
from mtcheck.cli.eval import check_floors


def test_eval_meets_floors():
    r = run_cli("eval", str(CORPORA), "--format", "json", "--floors", str(CORPORA / "eval-floors.json"))
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["clean"]["false_alarms_per_1000_words"] <= 1.0
    assert data["clean"]["words"] > 1500


def test_eval_text_report_names_every_category():
    r = run_cli("eval", str(CORPORA))
    assert r.returncode == 0, r.stderr
    for cat in ("accuracy", "fluency", "locale-convention", "non-translation", "source-site-residue", "style", "overall"):
        assert cat in r.stdout
    assert "per 1,000 words" in r.stdout and "separates" in r.stdout


def test_floors_fail_when_not_reached(tmp_path):
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"overall": {"recall": 1.01}, "clean": {"false_alarms_per_1000_words_max": -1}}))
    r = run_cli("eval", str(CORPORA), "--floors", str(floors))
    assert r.returncode == 1
    assert "below floor: overall.recall" in r.stderr
    assert "clean.false_alarms_per_1000_words" in r.stderr


def test_check_floors_semantics():
    data = {"overall": {"recall": 0.5, "precision": None}, "clean": {"false_alarms_per_1000_words": 2.0}}
    assert check_floors(data, {"overall": {"recall": 0.5}}) == []
    assert check_floors(data, {"overall": {"recall": 0.6}}) == ["overall.recall = 0.5 < 0.6"]
    assert check_floors(data, {"overall": {"precision": 0.1}}) == ["overall.precision = None < 0.1"]
    assert check_floors(data, {"clean": {"false_alarms_per_1000_words_max": 1.0}}) == [
        "clean.false_alarms_per_1000_words = 2.0 > 1.0"
    ]


def test_eval_bad_corpus_is_a_one_line_error(tmp_path):
    r = run_cli("eval", str(tmp_path / "missing"))
    assert r.returncode == 2
    assert r.stderr.startswith("mtcheck: error:") and len(r.stderr.strip().splitlines()) == 1


def test_eval_rejects_annotations_that_do_not_slice(tmp_path):
    (tmp_path / "a.txt").write_text("Hello kyiv.\n", encoding="utf-8")
    (tmp_path / "a.json").write_text(json.dumps({
        "kind": "mt", "source_lang": "es", "target_lang": "en", "text_file": "a.txt",
        "annotations": [{"start": 0, "end": 4, "text": "kyiv", "category": "fluency"}],
    }), encoding="utf-8")
    r = run_cli("eval", str(tmp_path))
    assert r.returncode == 2 and "bad annotation" in r.stderr


SEED_EXPECTED = {
    # artifact class of the issue → (rule code prefix, minimum findings on the seed)
    "glued closing quotes": ("Q101", 8),
    "personal a": ("G101", 2),
    "speech inversion": ("Q106", 1),
    "kyiv in lower case": ("N101", 4),
    "residue lines": ("R", 6),
    "non-breaking-space lines": ("W", 3),
    "All the means": ("Q105", 1),
    "moved quote boundary": ("Q104", 1),
}


def test_scan_on_the_seed_reports_every_artifact_class():
    r = run_cli("scan", str(SEED), "--format", "json", "--exit-zero", "--source-lang", "es")
    assert r.returncode == 0, r.stderr
    findings = json.loads(r.stdout)["documents"][0]["findings"]
    for what, (prefix, n) in SEED_EXPECTED.items():
        got = [f for f in findings if f["code"].startswith(prefix)]
        assert len(got) >= n, f"{what}: {len(got)} {prefix} findings, want ≥ {n}"
    kyiv = [f["text"] for f in findings if f["code"] == "N101"]
    assert kyiv == ["kyiv"] * 4


def test_heldout_eval_meets_its_own_floors():
    heldout = CORPORA / "heldout"
    r = run_cli("eval", str(heldout), "--format", "json", "--floors", str(heldout / "eval-floors.json"))
    assert r.returncode == 0, r.stderr
