"""Baselines: known findings stop failing CI; new ones still do, even after lines move."""

from __future__ import annotations

import json
import os

import pytest

from conftest import run_cli
from mtcheck.api import scan_paths
from mtcheck.baseline import BASELINE_VERSION, apply_baseline, load_baseline, write_baseline
from mtcheck.errors import InputError
from mtcheck.settings import Settings

UNUSED = "<!-- mtcheck: ignore[M] -->\n"
SETTINGS = Settings(select=("M001",), target_lang="en")


def _scan(*paths):
    return list(scan_paths([str(p) for p in paths], SETTINGS))


def _write(path, paragraphs):
    path.write_text("\n\n".join(paragraphs) + "\n")


def test_round_trip_drops_known_findings(tmp_path):
    doc = tmp_path / "a.md"
    _write(doc, [UNUSED + "Intro.", "Middle.", UNUSED + "End."])
    results = _scan(doc)
    assert len(results[0].findings) == 2
    base = tmp_path / "baseline.json"
    written = write_baseline(results, base)
    assert len(written) == 2
    data = json.loads(base.read_text())
    assert data["version"] == BASELINE_VERSION and data["tool"] == "mtcheck"
    assert {e["path"] for e in data["findings"]} == {"a.md"} and all(e["code"] == "M001" for e in data["findings"])
    after = apply_baseline(results, load_baseline(base))
    assert after[0].findings == [] and after[0].meta["baselined"] == 2
    assert after[0].quality.score == 100.0


def test_fingerprints_survive_line_shifts_but_not_edits_nearby(tmp_path):
    doc = tmp_path / "a.md"
    _write(doc, [UNUSED + "Intro.", "Middle."])
    base = tmp_path / "b.json"
    write_baseline(_scan(doc), base)
    # Lines added above: the same finding, further down, is still known.
    _write(doc, ["A new first paragraph.", "And another.", UNUSED + "Intro.", "Middle."])
    assert apply_baseline(_scan(doc), load_baseline(base))[0].findings == []
    # The text right around it changed: it is a new finding.
    _write(doc, [UNUSED + "Rewritten introduction.", "Middle."])
    assert len(apply_baseline(_scan(doc), load_baseline(base))[0].findings) == 1


def test_duplicates_are_counted(tmp_path):
    doc = tmp_path / "a.md"
    _write(doc, ["X.", UNUSED + "Same.", "X.", UNUSED + "Same."])
    base = tmp_path / "b.json"
    write_baseline(_scan(doc), base)
    assert json.loads(base.read_text())["findings"][0]["count"] == 2
    _write(doc, ["X.", UNUSED + "Same.", "X.", UNUSED + "Same.", "X.", UNUSED + "Same."])
    assert len(apply_baseline(_scan(doc), load_baseline(base))[0].findings) == 1


def test_paths_are_relative_to_the_baseline_file(tmp_path, monkeypatch):
    (tmp_path / "docs").mkdir()
    doc = tmp_path / "docs" / "a.md"
    _write(doc, [UNUSED + "Intro."])
    base = tmp_path / "b.json"
    monkeypatch.chdir(tmp_path)
    write_baseline(list(scan_paths(["docs/a.md"], SETTINGS)), base)
    assert json.loads(base.read_text())["findings"][0]["path"] == "docs/a.md"
    monkeypatch.chdir(tmp_path / "docs")  # run from elsewhere, with another spelling of the path
    assert apply_baseline(list(scan_paths(["a.md"], SETTINGS)), load_baseline(base))[0].findings == []
    # Another document with the same finding is not covered.
    other = tmp_path / "docs" / "b.md"
    _write(other, [UNUSED + "Intro."])
    assert len(apply_baseline(list(scan_paths(["b.md"], SETTINGS)), load_baseline(base))[0].findings) == 1


def test_write_is_atomic_and_keeps_permissions(tmp_path):
    doc = tmp_path / "a.md"
    _write(doc, [UNUSED + "Intro."])
    base = tmp_path / "b.json"
    base.write_text("{}")
    os.chmod(base, 0o640)
    write_baseline(_scan(doc), base)
    assert oct(base.stat().st_mode & 0o777) == oct(0o640)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    "content,needle",
    [
        (None, "baseline file not found"),
        ("not json", "invalid JSON"),
        ('{"version": 1, "findings": []}', "not an mtcheck baseline"),
        ('{"version": 99, "tool": "mtcheck", "findings": []}', "version 99 is not supported"),
        ('{"version": 1, "tool": "mtcheck", "findings": [{"code": "M001"}]}', "malformed baseline entry"),
    ],
)
def test_bad_baseline_files(tmp_path, content, needle):
    p = tmp_path / "b.json"
    if content is not None:
        p.write_text(content)
    with pytest.raises(InputError, match=needle):
        load_baseline(p)


def test_results_with_errors_pass_through(tmp_path):
    results = _scan(tmp_path / "missing.txt")
    assert results[0].error
    write_baseline(results, tmp_path / "b.json")
    assert apply_baseline(results, load_baseline(tmp_path / "b.json")) == results


def test_cli_baseline_after_lines_shift(tmp_path):
    doc = tmp_path / "a.md"
    _write(doc, [UNUSED + "Intro."])
    args = ("--select", "M001", "-t", "en", "--fail-on", "info")
    r = run_cli("scan", "a.md", *args, "--write-baseline", "b.json", cwd=tmp_path)
    assert (tmp_path / "b.json").exists(), r.stderr
    _write(doc, ["New paragraph on top.", UNUSED + "Intro."])
    r = run_cli("scan", "a.md", *args, "--baseline", "b.json", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    _write(doc, ["New paragraph on top.", UNUSED + "Intro.", UNUSED + "Another."])
    r = run_cli("scan", "a.md", *args, "--baseline", "b.json", cwd=tmp_path)
    assert r.returncode == 1 and r.stdout.count("M001") >= 1
