"""Argos through the CLI, with tiny genuine packages in a private Argos directory:
install --file → list → translate (batched, cached, pivoted) → remove, and every install fault."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from pathlib import Path

import pytest
from translate_fixtures import argos_env, argos_models, env_no_network  # noqa: F401 (fixtures)
from translate_support import needs_apertium, one_line_error, run_cli

SENTENCES = "El gobierno anunció la ley. Los niños juegan en la casa grande.\n\nHola mundo.\n"


def _install(model: Path, env: dict) -> str:
    proc = run_cli("models", "install", "--file", str(model), env=env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _translate_json(env: dict, *args: str, text: str = SENTENCES, source: str = "es", target: str = "en"):
    proc = run_cli("translate", "-", "--from", source, "--to", target, "--json", *args, input=text, env=env)
    return proc, (json.loads(proc.stdout) if proc.stdout.strip() else None)


def test_install_list_translate_remove(argos_models, argos_env):
    out = _install(argos_models["es_en"], argos_env)
    assert "installed argos es→en translate-es_en-1_0" in out

    listed = run_cli("models", "list", "--json", env=argos_env)
    assert listed.returncode == 0, listed.stderr
    data = json.loads(listed.stdout)
    assert [(m["from"], m["to"], m["model"], m["tokenizer"]) for m in data["argos"]] == [
        ("es", "en", "translate-es_en-1_0", "sentencepiece.model")]
    assert Path(data["argos"][0]["path"]).parent == Path(argos_env["ARGOS_PACKAGES_DIR"])
    table = run_cli("models", "list", env=argos_env).stdout
    assert "argos" in table and "translate-es_en-1_0" in table

    proc, data = _translate_json(argos_env, "--engine", "argos")
    assert proc.returncode == 0, proc.stderr
    assert data["engine"]["engine"] == "argos"
    assert data["engine"]["model"] == "translate-es_en-1_0@1.0"
    assert len(data["engine"]["checksum"]) == 64
    assert data["engine"]["params"]["beam"] == 4
    assert [s["text"] for s in data["sentences"]] == [
        "El gobierno anunció la ley.", "Los niños juegan en la casa grande.", "Hola mundo."]
    assert all(s["error"] is None and s["translation"] and not s["cached"] for s in data["sentences"])

    # The same input again: identical output, now from the cache.
    proc2, again = _translate_json(argos_env, "--engine", "argos")
    assert [s["translation"] for s in again["sentences"]] == [s["translation"] for s in data["sentences"]]
    assert all(s["cached"] for s in again["sentences"])
    stats = json.loads(run_cli("cache", "stats", "--json", env=argos_env).stdout)
    assert stats["entries"] == 3
    assert stats["by_engine"] == [{"engine": "argos", "direction": "es-en", "entries": 3}]

    # Deterministic without the cache too.
    proc3, fresh = _translate_json(argos_env, "--engine", "argos", "--no-cache")
    assert [s["translation"] for s in fresh["sentences"]] == [s["translation"] for s in data["sentences"]]
    assert not any(s["cached"] for s in fresh["sentences"])

    # A different beam is a different identity: not served from the cache.
    proc4, beam1 = _translate_json(argos_env, "--engine", "argos", "--beam-size", "1")
    assert beam1["engine"]["params"]["beam"] == 1
    assert not any(s["cached"] for s in beam1["sentences"])

    removed = run_cli("models", "remove", "es", "en", env=argos_env)
    assert removed.returncode == 0 and "removed argos translate-es_en-1_0" in removed.stdout
    assert json.loads(run_cli("models", "list", "--json", env=argos_env).stdout)["argos"] == []
    err = one_line_error(run_cli("translate", "-", "--from", "es", "--to", "en", "--engine", "argos",
                                 input="Hola.", env=argos_env))
    assert "mtcheck models install es en" in err


def test_text_output_keeps_paragraphs(argos_models, argos_env):
    _install(argos_models["es_en"], argos_env)
    proc = run_cli("translate", "-", "--from", "es", "--to", "en", "--engine", "argos", input=SENTENCES, env=argos_env)
    assert proc.returncode == 0, proc.stderr
    paragraphs = proc.stdout.rstrip("\n").split("\n\n")
    assert len(paragraphs) == 2 and all(p.strip() for p in paragraphs)
    # Output cut at the decoding limit is reported per sentence (exit 1), never passed off as a translation.
    cut, data = _translate_json(argos_env, "--engine", "argos", "--max-decoding-length", "2", "--no-cache")
    assert cut.returncode == 1
    assert all(s["translation"] == "" and "cut off at the decoding limit of 2 tokens" in s["error"]
               for s in data["sentences"])
    assert "--max-decoding-length" in cut.stderr


def test_pivot_through_english(argos_models, argos_env):
    _install(argos_models["es_en"], argos_env)
    _install(argos_models["en_fr"], argos_env)
    listed = run_cli("models", "list", env=argos_env)
    assert "argos pivot: es→fr via en" in listed.stdout
    proc, data = _translate_json(argos_env, "--engine", "argos", target="fr")
    assert proc.returncode == 0, proc.stderr
    assert data["engine"]["model"] == "translate-es_en-1_0@1.0+translate-en_fr-1_0@1.0"
    assert all(s["translation"] for s in data["sentences"])


def test_reinstall_replaces_the_same_direction(argos_models, argos_env):
    _install(argos_models["es_en"], argos_env)
    out = _install(argos_models["es_en"], argos_env)
    assert "(replaced translate-es_en-1_0)" in out
    assert len(json.loads(run_cli("models", "list", "--json", env=argos_env).stdout)["argos"]) == 1


@needs_apertium
def test_auto_prefers_argos_then_apertium(argos_models, argos_env):
    proc, data = _translate_json(argos_env)
    assert proc.returncode == 0 and data["engine"]["engine"] == "apertium"
    _install(argos_models["es_en"], argos_env)
    proc, data = _translate_json(argos_env)
    assert proc.returncode == 0 and data["engine"]["engine"] == "argos"


def test_degenerate_output_is_an_engine_failure(argos_models, argos_env):
    """The untrained model loops; each sentence is reported as not translated (exit 1), never as a
    translation to be scored."""
    _install(argos_models["degenerate"], argos_env)
    proc, data = _translate_json(argos_env, "--engine", "argos", source="de", text="Das Haus ist rot. Der Hund.")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert all(s["translation"] == "" and "repetition loop" in s["error"] for s in data["sentences"])
    assert proc.stderr.count("mtcheck: warning: sentence") == 2
    # Failures are not cached.
    assert json.loads(run_cli("cache", "stats", "--json", env=argos_env).stdout)["entries"] == 0


# -- faults: each one line naming the fix, exit 2 -------------------------------------------------


def test_install_faults(argos_models, argos_env):
    cases = {
        "truncated": "not a zip archive",
        "corrupt": "is corrupt",
        "lfs_pointer": "Git LFS pointer",
        "model_lfs": "Git LFS pointer",
        "no_tokenizer": "no tokenizer",
    }
    for key, needle in cases.items():
        err = one_line_error(run_cli("models", "install", "--file", str(argos_models[key]), env=argos_env))
        assert needle in err, (key, err)
    err = one_line_error(run_cli("models", "install", "--file", "/nonexistent.argosmodel", env=argos_env))
    assert "no such file" in err
    # Nothing half-installed.
    assert json.loads(run_cli("models", "list", "--json", env=argos_env).stdout)["argos"] == []


def test_broken_installed_packages(argos_models, argos_env):
    _install(argos_models["es_en"], argos_env)
    pkg = Path(argos_env["ARGOS_PACKAGES_DIR"]) / "translate-es_en-1_0"
    (pkg / "sentencepiece.model").unlink()
    err = one_line_error(run_cli("translate", "-", "--from", "es", "--to", "en", "--engine", "argos",
                                 input="Hola.", env=argos_env))
    assert "no tokenizer" in err and "mtcheck models remove es en" in err
    _install(argos_models["es_en"], argos_env)
    (pkg / "model" / "model.bin").write_bytes(b"version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 1\n")
    err = one_line_error(run_cli("translate", "-", "--from", "es", "--to", "en", "--engine", "argos",
                                 input="Hola.", env=argos_env))
    assert "Git LFS pointer" in err
    (pkg / "model" / "model.bin").write_bytes(b"\x00garbage" * 100)
    err = one_line_error(run_cli("translate", "-", "--from", "es", "--to", "en", "--engine", "argos", "--no-cache",
                                 input="Hola.", env=argos_env))
    assert "cannot load the model of es→en" in err and "mtcheck models remove es en" in err


def test_non_utf8_input(argos_env):
    err = one_line_error(run_cli("translate", "-", "--from", "es", "--to", "en", input=b"caf\xe9\n", env=argos_env))
    assert "cannot read stdin: not UTF-8" in err


def test_pair_not_installed(argos_env):
    err = one_line_error(run_cli("translate", "-", "--from", "es", "--to", "en", "--engine", "argos",
                                 input="Hola.", env=argos_env))
    assert "no package for es→en" in err and "mtcheck models install es en" in err
    err = one_line_error(run_cli("models", "remove", "es", "en", env=argos_env))
    assert "no Argos package for es→en is installed" in err


def test_online_commands_fail_cleanly_offline(argos_env):
    for args in (("models", "available"), ("models", "install", "es", "en")):
        err = one_line_error(run_cli(*args, env=argos_env))
        assert "cannot download the Argos package index" in err and "--file" in err
    err = one_line_error(run_cli("models", "install", env=argos_env))
    assert "FROM and TO" in err


@needs_apertium
def test_no_code_path_reaches_the_network(argos_models, argos_env, env_no_network):
    """With every socket connection and DNS lookup raising, install, translate (Argos and
    Apertium), cache and list still work; only the online index command fails (with our message)."""
    env = {**argos_env, **env_no_network}
    probe = run_cli("models", "available", env=env)
    assert "network access attempted" in one_line_error(probe)  # the block is really active
    _install(argos_models["es_en"], env)
    _install(argos_models["en_es"], env)
    for engine, source, target in (("argos", "es", "en"), ("argos", "en", "es"), ("apertium", "es", "en")):
        for _ in range(2):  # cold, then from the cache
            proc, data = _translate_json(env, "--engine", engine, source=source, target=target)
            assert proc.returncode == 0, proc.stderr
    assert run_cli("models", "list", env=env).returncode == 0
    assert run_cli("cache", "stats", env=env).returncode == 0
    assert run_cli("cache", "clear", env=env).returncode == 0
    assert run_cli("models", "remove", "es", "en", env=env).returncode == 0


def test_install_audit_remove(argos_models, argos_env, seed_path):
    """The tiny packages go through install → audit (round trip en→es→en) → remove."""
    _install(argos_models["es_en"], argos_env)
    _install(argos_models["en_es"], argos_env)
    args = ("audit", str(seed_path), "--source-lang", "es", "--engine", "argos", "--format", "json")
    proc = run_cli(*args, env=argos_env)
    assert proc.returncode in (0, 1), proc.stderr
    fid = json.loads(proc.stdout)["documents"][0]["fidelity"]
    assert "engine:argos" in fid["signature"]["chrf"]
    assert "model:translate-en_es-1_0@1.0+translate-es_en-1_0@1.0" in fid["signature"]["chrf"]
    assert fid["document"]["chrf"] is not None
    entries = json.loads(run_cli("cache", "stats", "--json", env=argos_env).stdout)["entries"]
    assert entries > 0
    again = run_cli(*args, env=argos_env)
    assert json.loads(again.stdout)["documents"][0]["fidelity"]["document"] == fid["document"]
    assert json.loads(run_cli("cache", "stats", "--json", env=argos_env).stdout)["entries"] == entries
    for pair in (("es", "en"), ("en", "es")):
        assert run_cli("models", "remove", *pair, env=argos_env).returncode == 0
    gone = run_cli(*args, env=argos_env)
    assert gone.returncode == 2 and "mtcheck models install" in gone.stderr and "Traceback" not in gone.stderr


def test_list_reports_broken_package_folders(argos_models, argos_env):
    _install(argos_models["es_en"], argos_env)
    (Path(argos_env["ARGOS_PACKAGES_DIR"]) / "half-copied").mkdir()
    proc = run_cli("models", "list", env=argos_env)
    assert proc.returncode == 0
    assert "translate-es_en-1_0" in proc.stdout
    assert "argos broken package:" in proc.stderr and "half-copied" in proc.stderr
    data = json.loads(run_cli("models", "list", "--json", env=argos_env).stdout)
    assert [Path(b["path"]).name for b in data["argos_broken"]] == ["half-copied"]
    # A broken folder does not stop translation with the good package.
    assert run_cli("translate", "-", "--from", "es", "--to", "en", "--engine", "argos", input="Hola.",
                   env=argos_env).returncode == 0


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def local_index(argos_models, tmp_path):
    """A package index and download server on 127.0.0.1, in the shape of Argos's online index."""
    root = tmp_path / "www"
    root.mkdir()
    shutil.copy(argos_models["es_en"], root / "translate-es_en-1_0.argosmodel")
    shutil.copy(argos_models["truncated"], root / "broken.argosmodel")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    index = [
        {"package_version": "1.0", "argos_version": "1.9", "from_code": "es", "from_name": "Spanish",
         "to_code": "en", "to_name": "English", "type": "translate",
         "links": [base + "translate-es_en-1_0.argosmodel"]},
        {"package_version": "1.0", "argos_version": "1.9", "from_code": "en", "from_name": "English",
         "to_code": "de", "to_name": "German", "type": "translate", "links": [base + "broken.argosmodel"]},
        {"package_version": "1.0", "argos_version": "1.9", "from_code": "en", "from_name": "English",
         "to_code": "fr", "to_name": "French", "type": "translate", "links": [base + "missing.argosmodel"]},
    ]
    (root / "index.json").write_text(json.dumps(index))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def test_online_index_available_and_install(local_index, argos_env):
    env = {**argos_env, "ARGOS_PACKAGE_INDEX": local_index}
    proc = run_cli("models", "available", "--json", env=env)
    assert proc.returncode == 0, proc.stderr
    pkgs = json.loads(proc.stdout)
    assert [(p["from"], p["to"], p["installed"]) for p in pkgs] == [
        ("en", "de", False), ("en", "fr", False), ("es", "en", False)]
    out = run_cli("models", "install", "es", "en", env=env)
    assert out.returncode == 0, out.stderr
    assert "installed argos es→en translate-es_en-1_0" in out.stdout
    assert [p["installed"] for p in json.loads(run_cli("models", "available", "--json", env=env).stdout)] == [
        False, False, True]
    assert run_cli("translate", "-", "--from", "es", "--to", "en", "--engine", "argos", input="Hola.",
                   env=env).returncode == 0
    # Downloads are not left behind.
    assert not list(Path(argos_env["XDG_CACHE_HOME"]).rglob("*.argosmodel"))
    # A broken download is refused like a broken file; a dead link is a download error; an
    # unknown direction names `models available`.
    assert "not a valid .argosmodel" in one_line_error(run_cli("models", "install", "en", "de", env=env))
    assert "cannot download the Argos package en→fr" in one_line_error(run_cli("models", "install", "en", "fr", env=env))
    assert "mtcheck models available" in one_line_error(run_cli("models", "install", "es", "de", env=env))
    table = run_cli("models", "available", env=env).stdout
    assert "Spanish → English" in table and "yes" in table
