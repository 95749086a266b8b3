"""A tiny genuine ``.argosmodel`` through install → audit → remove, via the CLI.

The model is randomly initialised and trained for seconds on a copy task, so its translations are
gibberish: these tests check the pipeline (engine choice, identities in the signature, batching,
cache, faults), not translation quality.
"""

from __future__ import annotations

import json

import pytest

from conftest import SEED, run_cli
from fidelity_support import argos_home, round_trip_models  # noqa: F401 - fixtures

pytestmark = pytest.mark.slow  # builds two tiny models (~10 s) and starts Argos in each CLI call

ARTICLE = (
    "Moscow began its mobilization of additional troops on Thursday.\n\n"
    "The government announced the new law in the city.\n\n"
    "\"We cannot let him get away with it\"declared the minister.\n"
)


def _install(path, env):
    proc = run_cli("models", "install", "--file", str(path), env=env)
    assert proc.returncode == 0, proc.stderr


def test_install_audit_remove(round_trip_models, argos_home, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    _install(round_trip_models["es_en"], argos_home)
    _install(round_trip_models["en_es"], argos_home)

    proc = run_cli("audit", "--isolated", str(article), "-s", "es", "-t", "en", "--engine", "auto", "-f", "json",
                   env=argos_home)
    assert proc.returncode == 1, proc.stderr
    (doc,) = json.loads(proc.stdout)["documents"]
    fid = doc["fidelity"]
    assert [e["engine"] for e in fid["engines"]] == ["argos", "argos"]
    assert [e["model"] for e in fid["engines"]] == ["translate-en_es-1_0@1.0", "translate-es_en-1_0@1.0"]
    sig = fid["signature"]["chrf"]
    assert "|rt:en-es-en|engine:argos|" in sig and "|model:translate-en_es-1_0@1.0+translate-es_en-1_0@1.0|" in sig
    assert "|beam:4" in sig
    assert len(fid["sentences"]) == 3 and fid["failed"] == []
    assert any(f["code"] == "Q101" for f in doc["findings"])
    # Gibberish round trips are low: F101 findings show what came back.
    assert [f["code"] for f in doc["findings"]].count("F101") == len(fid["low"]) > 0

    # Re-audit: same numbers, translations from the cache.
    again = run_cli("audit", "--isolated", str(article), "-s", "es", "-t", "en", "-f", "json", env=argos_home)
    assert json.loads(again.stdout)["documents"][0]["fidelity"]["sentences"] == fid["sentences"]
    stats = json.loads(run_cli("cache", "stats", "--json", env=argos_home).stdout)
    assert stats["entries"] >= 6

    for pair in (("es", "en"), ("en", "es")):
        assert run_cli("models", "remove", *pair, env=argos_home).returncode == 0
    gone = run_cli("audit", "--isolated", str(article), "-s", "es", "-t", "en", "-f", "json", env=argos_home)
    assert gone.returncode == 1
    assert "no translation engine for en→es" in gone.stderr
    assert json.loads(gone.stdout)["documents"][0].get("fidelity") is None


def test_looping_model_is_an_engine_failure_not_a_fidelity_finding(round_trip_models, argos_home, tmp_path):
    _install(round_trip_models["de_en"], argos_home)
    _install(round_trip_models["en_de"], argos_home)
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    proc = run_cli("audit", "--isolated", str(article), "-s", "de", "-t", "en", "--engine", "argos", "-f", "json",
                   env=argos_home)
    assert "Traceback" not in proc.stderr
    (doc,) = json.loads(proc.stdout)["documents"]
    fid = doc["fidelity"]
    assert len(fid["failed"]) == 3 and all("repetition loop" in f["error"] for f in fid["failed"])
    assert fid["sentences"] == []
    assert not any(f["code"] == "F101" for f in doc["findings"])
    assert any(f["code"] == "Q101" for f in doc["findings"])  # rule findings survive
    assert "the engine failed on 3 sentences" in proc.stderr


def test_seed_audit_batches_every_sentence_in_two_calls(round_trip_models, argos_home):
    _install(round_trip_models["es_en"], argos_home)
    _install(round_trip_models["en_es"], argos_home)
    proc = run_cli("audit", "--isolated", str(SEED), "-s", "es", "--engine", "argos", "-f", "json", env=argos_home)
    assert proc.returncode == 1, proc.stderr
    fid = json.loads(proc.stdout)["documents"][0]["fidelity"]
    assert len(fid["sentences"]) + len(fid["failed"]) == 42
