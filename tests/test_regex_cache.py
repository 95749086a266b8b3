"""The compiled-regex cache (mtcheck.text.regex_cache): patterns rebuilt from the file behave as
freshly compiled ones, a damaged or foreign file is ignored, and a scan's output does not change.
Each check runs in fresh interpreters, since the cache is about what a new process does."""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys

from conftest import ROOT, SEED, run_cli

#: Patterns with what the engine's code must carry: groups and names, flags, look-behind,
#: Unicode classes, a large alternation, verbose mode.
PATTERNS = [
    (r"(?P<word>[^\W\d_]+)-(?P=word)", 0),
    (r"(?<![\w’'-])(?:many|several|numerous) media\b(?! outlets)", 0),
    (r"«\s*(.+?)\s*»", 16),  # re.DOTALL
    (r"\b(?:" + "|".join(f"w{i:03d}x" for i in range(300)) + r")\b", 2),  # re.IGNORECASE
    (r"""(?x) (\d{1,3}) (?: \. \d{3} )+ (?! \d )  # 1.332.000""", 0),
    (r"^\s*$", 8),  # re.MULTILINE
]
SAMPLES = ["kyiv-kyiv and Kyiv", "Many media said; several media outlets", "«  hola\nmundo »",
           "W150X w299x w300x", "1.332.000 people, 3,5", "a\n  \nb", "", "ümlaut-ümlaut"]

PROBE = """
import json, re, sys
from mtcheck.text import regex_cache
used = regex_cache.install()
patterns = json.loads(sys.argv[1])
samples = json.loads(sys.argv[2])
hits = [(p, f) in regex_cache._state["known"] for p, f in patterns]
out = []
for p, f in patterns:
    a = re.compile(p, f)
    out.append([a.pattern, a.flags, a.groups, sorted(a.groupindex.items()),
                [[m.span(), m.groups()] for s in samples for m in a.finditer(s)],
                [a.sub("_", s) for s in samples]])
print(json.dumps({"used": used, "hits": hits, "out": out}))
"""


def probe(env: dict, patterns=PATTERNS) -> dict:
    r = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(patterns), json.dumps(SAMPLES)],
        capture_output=True, text=True, cwd=ROOT, timeout=60, env={**os.environ, **env},
    )
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def cache_files(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_patterns_rebuilt_from_the_file_behave_like_fresh_ones(tmp_path):
    env = {"MTCHECK_CACHE_DIR": str(tmp_path)}
    off = probe({**env, "MTCHECK_REGEX_CACHE": "0"})
    assert off["used"] is False and cache_files(tmp_path) == []
    first = probe(env)
    assert first["used"] is True and first["hits"] == [False] * len(PATTERNS)
    [name] = cache_files(tmp_path)
    assert name.startswith("regex-") and name.endswith(".marshal")
    second = probe(env)
    assert second["hits"] == [True] * len(PATTERNS)  # these came from the file, not the compiler
    assert first["out"] == second["out"] == off["out"]


def test_a_damaged_or_foreign_file_is_ignored_and_replaced(tmp_path):
    env = {"MTCHECK_CACHE_DIR": str(tmp_path)}
    expected = probe({**env, "MTCHECK_REGEX_CACHE": "0"})["out"]
    probe(env)
    [name] = cache_files(tmp_path)
    path = tmp_path / name
    good = path.read_bytes()
    for damaged in (good[: len(good) // 2], b"\x00garbage", marshal.dumps([1, [["x", 0, [compile("1", "f", "eval")]]]]),
                    marshal.dumps([1, [["(a)", 0, ["(b)", 0, b"\x01\x00\x00\x00", 0, {}, [None]]]]])):
        path.write_bytes(damaged)
        got = probe(env)
        assert got["hits"] == [False] * len(PATTERNS) and got["out"] == expected
        assert probe(env)["hits"] == [True] * len(PATTERNS)  # the first run wrote a good file


def test_invalid_engine_code_in_a_well_formed_file_falls_back_to_compiling(tmp_path):
    env = {"MTCHECK_CACHE_DIR": str(tmp_path)}
    pattern = [(r"(\w+) media", 0)]
    probe(env, pattern)
    [name] = cache_files(tmp_path)
    path = tmp_path / name
    fmt, entries = marshal.loads(path.read_bytes())
    entries[0][2][2] = b"\xff\xff\xff\xff" * 3  # not code the engine accepts
    path.write_bytes(marshal.dumps([fmt, entries]))
    got = probe(env, pattern)
    assert got["hits"] == [False]
    assert got["out"][0][4] == [[[0, 10], ["Many"]], [[17, 30], ["several"]]]


def test_a_cache_folder_that_cannot_be_created_changes_nothing(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    got = probe({"MTCHECK_CACHE_DIR": str(blocker / "cache")})
    assert got["used"] is True and got["out"] == probe({"MTCHECK_REGEX_CACHE": "0"})["out"]
    assert cache_files(tmp_path) == ["file"]


def test_a_scan_reports_the_same_with_and_without_the_cache(tmp_path):
    env = {"MTCHECK_CACHE_DIR": str(tmp_path)}
    args = ("scan", str(SEED), "--source-lang", "es", "--format", "json", "--exit-zero")
    off = run_cli(*args, env={**env, "MTCHECK_REGEX_CACHE": "0"})
    assert cache_files(tmp_path) == []
    cold = run_cli(*args, env=env)
    [name] = cache_files(tmp_path)
    assert (tmp_path / name).stat().st_size > 10_000  # the rules' patterns are in it
    warm = run_cli(*args, env=env)
    assert off.returncode == cold.returncode == warm.returncode == 0
    assert json.loads(off.stdout) == json.loads(cold.stdout) == json.loads(warm.stdout)
    assert cache_files(tmp_path) == [name]  # no temporary file left behind


def test_patterns_a_run_uses_stay_and_unused_ones_age_out(tmp_path):
    # With room for three patterns: p1, p2, p3 are written; a run that uses p1 and compiles p4
    # keeps p3 (the newest of the unused), p1 (used) and p4 (new), and drops p2.
    code = (
        "import json, re, sys\n"
        "from mtcheck.text import regex_cache\n"
        "regex_cache.MAX_PATTERNS = 3\n"
        "regex_cache.install()\n"
        "for p in json.loads(sys.argv[1]): re.compile(p)\n"
        "print(json.dumps(sorted(k[0] for k in regex_cache._state['known'])))\n"
    )

    def run(*patterns):
        r = subprocess.run([sys.executable, "-c", code, json.dumps(patterns)], capture_output=True, text=True,
                           cwd=ROOT, timeout=60, env={**os.environ, "MTCHECK_CACHE_DIR": str(tmp_path)})
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout)

    assert run("p1", "p2", "p3") == []
    assert run("p1", "p4") == ["p1", "p2", "p3"]
    assert run() == ["p1", "p3", "p4"]
