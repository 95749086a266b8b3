"""The translation cache: keys, the caching wrapper, concurrency, SIGKILL mid-write, damage, and
``mtcheck cache``."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from translate_support import needs_apertium, run_cli

from mtcheck.translate.base import EngineIdentity, Translation, Translator
from mtcheck.translate.cache import CachedTranslator, TranslationCache, cache_key, default_cache_path

ROOT = Path(__file__).resolve().parents[2]


class CountingEngine(Translator):
    """Upper-cases; records what reaches it; fails on sentences containing 'LOOP'."""

    name = "fake"

    def __init__(self, checksum: str = "abc", beam: int = 4) -> None:
        self.seen: list[list[str]] = []
        self.checksum = checksum
        self.beam = beam

    def pairs(self):
        return [("es", "en")]

    def identity(self, source, target):
        return EngineIdentity("fake", "1", "m", self.checksum, {"beam": self.beam})

    def translate_batch(self, sentences, source, target):
        return [t.text for t in self.translate_detailed(sentences, source, target)]

    def translate_detailed(self, sentences, source, target):
        self.seen.append(list(sentences))
        return [Translation("", error="loop") if "LOOP" in s else Translation(s.upper()) for s in sentences]


def test_key_normalises_whitespace_and_covers_identity():
    ident = EngineIdentity("argos", "1", "m", "abc", {"beam": 4})
    k = cache_key("Hola  mundo.\n", "es", "en", ident)
    assert k == cache_key(" Hola mundo.", "es", "en", ident)
    assert k != cache_key("Hola mundo.", "es", "fr", ident)
    assert k != cache_key("Hola mundo.", "es", "en", EngineIdentity("argos", "1", "m", "abd", {"beam": 4}))
    assert k != cache_key("Hola mundo.", "es", "en", EngineIdentity("argos", "1", "m", "abc", {"beam": 5}))
    assert k != cache_key("Hola mundo.", "es", "en", EngineIdentity("apertium", "1", "m", "abc", {"beam": 4}))
    assert len(k) == 64


def test_only_misses_reach_the_engine(tmp_path):
    engine = CountingEngine()
    tr = CachedTranslator(engine, TranslationCache(tmp_path / "c.sqlite3"))
    out = tr.translate_detailed(["uno", "dos", "uno", "", "LOOP tres"], "es", "en")
    assert [r.text for r in out] == ["UNO", "DOS", "UNO", "", ""]
    assert out[4].error == "loop"
    assert engine.seen == [["uno", "dos", "LOOP tres"]]  # deduplicated, empty skipped
    out = tr.translate_detailed(["dos", "cuatro", "LOOP tres", "uno"], "es", "en")
    assert [(r.text, r.cached) for r in out] == [("DOS", True), ("CUATRO", False), ("", False), ("UNO", True)]
    assert engine.seen[-1] == ["cuatro", "LOOP tres"]  # the failure was not cached
    # Another model checksum: nothing reused.
    other = CountingEngine(checksum="zzz")
    CachedTranslator(other, TranslationCache(tmp_path / "c.sqlite3")).translate_batch(["uno"], "es", "en")
    assert other.seen == [["uno"]]


def test_unusable_cache_degrades_to_no_cache(tmp_path, caplog):
    (tmp_path / "afile").write_text("x")
    engine = CountingEngine()
    tr = CachedTranslator(engine, TranslationCache(tmp_path / "afile" / "c.sqlite3"))
    assert tr.translate_batch(["uno"], "es", "en") == ["UNO"]
    assert tr.translate_batch(["uno"], "es", "en") == ["UNO"]
    assert len(engine.seen) == 2
    assert "continuing without it" in caplog.text


def test_damaged_file_is_moved_aside(tmp_path, caplog):
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    tr = CachedTranslator(CountingEngine(), TranslationCache(path))
    assert tr.translate_batch(["uno"], "es", "en") == ["UNO"]
    assert TranslationCache(path).stats()["entries"] == 1
    assert list(tmp_path.glob("c.sqlite3.corrupt-*"))


def test_wal_mode_and_location(tmp_path, monkeypatch):
    monkeypatch.setenv("MTCHECK_CACHE_DIR", str(tmp_path / "x"))
    assert default_cache_path() == tmp_path / "x" / "translations.sqlite3"
    cache = TranslationCache()
    cache.put_many([("k", "fake", "es-en", "v")])
    assert cache.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert cache.get_many(["k", "missing"]) == {"k": "v"}


_WRITER = textwrap.dedent("""
    import sys
    from mtcheck.translate.cache import TranslationCache
    path, tag, batches, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    cache = TranslationCache(path)
    print("ready", flush=True)
    i = 0
    while batches < 0 or i < batches:
        cache.put_many((f"{tag}-{i}-{j}", "fake", "es-en", "x" * 200) for j in range(size))
        i += 1
        if i == 1:
            print("wrote", flush=True)
""")


def _writer(path: Path, tag: str, batches: int, size: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", _WRITER, str(path), tag, str(batches), str(size)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_processes_write_concurrently(tmp_path):
    path = tmp_path / "c.sqlite3"
    procs = [_writer(path, tag, 40, 250) for tag in ("a", "b")]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    cache = TranslationCache(path)
    assert cache.stats()["entries"] == 2 * 40 * 250
    assert cache.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_sigkill_mid_write_leaves_a_usable_cache(tmp_path):
    path = tmp_path / "c.sqlite3"
    proc = _writer(path, "k", -1, 2000)  # writes until killed
    assert proc.stdout.readline().strip() == "ready"
    assert proc.stdout.readline().strip() == "wrote"
    time.sleep(0.3)  # let it get into further transactions
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    cache = TranslationCache(path)
    assert cache.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    n = cache.stats()["entries"]
    assert n > 0 and n % 2000 == 0  # whole batches only: each is one transaction
    cache.put_many([("after", "fake", "es-en", "ok")])
    assert cache.get_many(["after"]) == {"after": "ok"}


def test_cache_commands(tmp_path):
    env = {"MTCHECK_CACHE_DIR": str(tmp_path)}
    empty = json.loads(run_cli("cache", "stats", "--json", env=env).stdout)
    assert empty["entries"] == 0 and empty["path"] == str(tmp_path / "translations.sqlite3")
    cache = TranslationCache(tmp_path / "translations.sqlite3")
    cache.put_many([("a", "argos", "es-en", "x"), ("b", "argos", "es-en", "y"), ("c", "apertium", "en-es", "z")])
    cache.close()
    text = run_cli("cache", "stats", env=env)
    assert text.returncode == 0
    assert "entries: 3" in text.stdout and "argos es-en: 2" in text.stdout and "apertium en-es: 1" in text.stdout
    cleared = run_cli("cache", "clear", env=env)
    assert cleared.returncode == 0 and "cleared 3 cached translations" in cleared.stdout
    assert json.loads(run_cli("cache", "stats", "--json", env=env).stdout)["entries"] == 0


def test_cache_command_on_a_broken_path(tmp_path):
    """Another program's SQLite file: an error naming the file, not a traceback, and not deleted."""
    other = tmp_path / "other.sqlite3"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE translations (id INTEGER, payload BLOB)")
    con.commit()
    con.close()
    proc = run_cli("cache", "stats", "--path", str(other))
    assert proc.returncode == 2, proc.stdout
    assert proc.stderr.startswith(f"mtcheck: error: cannot read the translation cache {other}"), proc.stderr
    assert "Traceback" not in proc.stderr
    assert other.exists() and not list(tmp_path.glob("*.corrupt-*"))


@needs_apertium
def test_no_cache_flag(tmp_path):
    env = {"MTCHECK_CACHE_DIR": str(tmp_path), "ARGOS_PACKAGES_DIR": str(tmp_path / "argos")}
    args = ("translate", "-", "--from", "es", "--to", "en", "--engine", "apertium", "--json")
    run_cli(*args, "--no-cache", input="Hola.", env=env)
    assert not (tmp_path / "translations.sqlite3").exists()
    first = json.loads(run_cli(*args, input="Hola.", env=env).stdout)
    second = json.loads(run_cli(*args, input="Hola.", env=env).stdout)
    assert [s["cached"] for s in first["sentences"]] == [False]
    assert [s["cached"] for s in second["sentences"]] == [True]
    nocache = json.loads(run_cli(*args, "--no-cache", input="Hola.", env=env).stdout)
    assert [s["cached"] for s in nocache["sentences"]] == [False]


def test_sqlite_is_the_real_thing(tmp_path):
    """The file is a plain SQLite database others can read."""
    cache = TranslationCache(tmp_path / "c.sqlite3")
    cache.put_many([("k", "fake", "es-en", "v")])
    con = sqlite3.connect(tmp_path / "c.sqlite3")
    assert con.execute("SELECT engine, direction, text FROM translations").fetchall() == [("fake", "es-en", "v")]


@pytest.mark.parametrize("n", [1, 950, 2000])
def test_get_many_handles_any_number_of_keys(tmp_path, n):
    cache = TranslationCache(tmp_path / "c.sqlite3")
    cache.put_many((f"k{i}", "fake", "es-en", str(i)) for i in range(n))
    got = cache.get_many([f"k{i}" for i in range(n)] + ["nope"])
    assert len(got) == n and got["k0"] == "0"


@needs_apertium
def test_cli_warns_once_and_goes_on_without_a_usable_cache(tmp_path):
    (tmp_path / "afile").write_text("x")
    proc = run_cli("translate", "-", "--from", "es", "--to", "en", "--engine", "apertium",
                   "--cache-path", str(tmp_path / "afile" / "c.sqlite3"), input="El perro negro come.")
    assert proc.returncode == 0 and proc.stdout == "The black dog eats.\n"
    warnings = [ln for ln in proc.stderr.splitlines() if ln.startswith("mtcheck: warning: translation cache")]
    assert len(warnings) == 1 and "continuing without it" in warnings[0]
