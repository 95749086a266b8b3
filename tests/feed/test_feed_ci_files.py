"""The CI integration files are real: the pre-commit hooks run as pre-commit would run them, and the
documented GitHub Actions workflow's mtcheck commands run against the local feed server."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import yaml

from .feedkit import BAD, GOOD

ROOT = Path(__file__).resolve().parents[2]


def test_pre_commit_hooks_run_like_pre_commit(cli, tmp_path):
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    by_id = {h["id"]: h for h in hooks}
    assert {"mtcheck", "mtcheck-fix"} <= set(by_id)
    for h in hooks:
        assert h["language"] == "python" and h["entry"].startswith("mtcheck ")
        assert {"id", "name", "entry", "language"} <= set(h)
    files = re.compile(by_id["mtcheck"]["files"])
    assert files.search("news/a.md") and files.search("b.html") and not files.search("c.py")
    bad = tmp_path / "bad.txt"
    good = tmp_path / "good.txt"
    shutil.copy(BAD, bad)
    shutil.copy(GOOD[0], good)
    # pre-commit runs: entry + args + the changed file names.
    entry = shlex.split(by_id["mtcheck"]["entry"])[1:]
    assert cli(*entry, "--source-lang", "es", str(good), cwd=tmp_path).returncode == 0
    r = cli(*entry, "--source-lang", "es", str(good), str(bad), cwd=tmp_path)
    assert r.returncode == 1 and "bad.txt" in r.stdout


def _workflow_commands() -> list[list[str]]:
    wf = yaml.safe_load((ROOT / "docs" / "github-actions.yml").read_text(encoding="utf-8"))
    commands = []
    for step in wf["jobs"]["audit"]["steps"]:
        run = step.get("run", "")
        for line in run.splitlines() if "\n" in run.strip() else [run]:
            line = line.split(">>")[0].strip()
            if line.startswith("mtcheck "):
                commands.append(shlex.split(line))
    return commands


def test_workflow_is_valid_and_uploads_sarif():
    wf = yaml.safe_load((ROOT / "docs" / "github-actions.yml").read_text(encoding="utf-8"))
    steps = wf["jobs"]["audit"]["steps"]
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert upload["if"] == "always()" and upload["with"]["sarif_file"] == "results.sarif"
    assert wf["permissions"]["security-events"] == "write"
    names = [c[1] for c in _workflow_commands()]
    assert names == ["feed", "feed-report"]


def test_workflow_commands_run_against_the_test_server(cli, feed_server, tmp_path):
    feed_cmd, report_cmd = _workflow_commands()
    argv = [a.replace("$FEED_URL", feed_server.url("feed.xml")) for a in feed_cmd[1:]]
    argv += ["--engine", "none", "--select", "Q,G"]  # rules only, to keep the test quick
    # The baseline the workflow expects, recorded from the clean items only: the seed still fails.
    r = cli("feed", feed_server.url("clean.xml"), "--source-lang", "es", "--engine", "none", "--no-state",
            "--write-baseline", "mtcheck-baseline.json", cwd=tmp_path)
    assert (tmp_path / "mtcheck-baseline.json").exists(), r.stderr
    r = cli(*argv, cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    sarif = json.loads((tmp_path / "results.sarif").read_text(encoding="utf-8"))
    assert len(sarif["runs"][0]["artifacts"]) == 3
    assert (tmp_path / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    r = cli(*report_cmd[1:], cwd=tmp_path)
    assert r.returncode == 0 and feed_server.url("feed.xml") in r.stdout
