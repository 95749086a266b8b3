"""``mtcheck backtranslate``: sentence, back-translation, round trip and chrF, through the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import SEED, run_cli

needs_apertium = pytest.mark.skipif(
    shutil.which("apertium") is None or not Path("/usr/share/apertium/modes/spa-eng.mode").exists(),
    reason="Apertium with apertium-eng-spa is not installed",
)


@pytest.fixture
def env(tmp_path):
    return {"MTCHECK_CACHE_DIR": str(tmp_path / "cache")}


@needs_apertium
def test_text_shows_each_sentence_back_translation_round_trip_and_score(env):
    proc = run_cli("backtranslate", str(SEED), "--source-lang", "es", "--engine", "apertium", env=env)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith(f"{SEED}: round trip en → es → en")
    assert "[1] chrf  80.9\n  sentence:    Russia begins its mobilization of troops to reinforce its offensive in Ukraine\n" in out
    assert "  back (es):   Rusia empieza su movilización de tropas para reforzar su ofensiva en Ucrania\n" in out
    assert "  round trip:  Russia begins his mobilisation of troops to reinforce his offensive in Ukraine\n" in out
    assert out.count("  round trip:  ") == 42
    assert "document chrf 78.9 (mean 77.4 over 42 sentences)" in out
    assert "  signature: chrF2|nrefs:1|" in out


@needs_apertium
def test_json_with_bleu_and_ter(env):
    proc = run_cli("backtranslate", str(SEED), "-s", "es", "-e", "apertium", "-f", "json", "-m", "chrf,bleu,ter", env=env)
    assert proc.returncode == 0, proc.stderr
    (doc,) = json.loads(proc.stdout)
    fid = doc["fidelity"]
    assert doc["path"] == str(SEED) and fid["metrics"] == ["chrf", "bleu", "ter"]
    assert set(fid["sentences"][0]["scores"]) == {"chrf", "bleu", "ter"}
    assert fid["signature"]["ter"].startswith("TER|nrefs:1|case:lc|tok:tercom|")
    assert fid["sentences"][0]["back_translation"].startswith("Rusia")


def test_no_engine_is_an_error_for_backtranslate(env, tmp_path):
    empty = tmp_path / "none"
    empty.mkdir()
    proc = run_cli("backtranslate", str(SEED), "-s", "es",
                   env={**env, "APERTIUM_DATADIR": str(empty), "ARGOS_PACKAGES_DIR": str(empty)})
    assert proc.returncode == 2
    assert "mtcheck: error: no translation engine for en→es" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_usage_errors(env):
    proc = run_cli("backtranslate", str(SEED), env=env)
    assert proc.returncode == 2 and "the source language is needed" in proc.stderr
    proc = run_cli("backtranslate", str(SEED), "-s", "es", "-f", "sarif", env=env)
    assert proc.returncode == 2 and "--format must be text or json" in proc.stderr


@needs_apertium
def test_engine_options_change_the_identity(env):
    plain = json.loads(run_cli("backtranslate", str(SEED), "-s", "es", "-e", "apertium", "-f", "json", env=env).stdout)
    marked = json.loads(run_cli("backtranslate", str(SEED), "-s", "es", "-e", "apertium", "-f", "json",
                                "--mark-unknown", env=env).stdout)
    assert plain[0]["fidelity"]["signature"]["chrf"].endswith("|unknown:drop")
    assert marked[0]["fidelity"]["signature"]["chrf"].endswith("|unknown:mark")
