"""Docs cannot drift: every command has help text with an example, the README mentions every
command, and `--help` works for each of them (a smoke test of the installed CLI)."""

from __future__ import annotations

import re

import pytest
import typer
from conftest import ROOT, run_cli

from mtcheck.cli import app

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _walk(group, prefix=()):
    for name, cmd in sorted(group.commands.items()):
        path = (*prefix, name)
        if getattr(cmd, "hidden", False):
            continue
        yield path, cmd
        if hasattr(cmd, "commands"):
            yield from _walk(cmd, path)


ROOT_COMMAND = typer.main.get_command(app)
COMMANDS = list(_walk(ROOT_COMMAND))
TOP_LEVEL = [path[0] for path, _ in COMMANDS if len(path) == 1]
LEAVES = [(path, cmd) for path, cmd in COMMANDS if not hasattr(cmd, "commands")]


def test_the_core_commands_exist():
    assert {"scan", "rules", "rule", "fix", "eval"} <= set(TOP_LEVEL)


@pytest.mark.parametrize("path,cmd", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_help(path, cmd):
    assert (cmd.help or "").strip(), f"`mtcheck {' '.join(path)}` has no help text"
    assert (cmd.short_help or cmd.help).strip().splitlines()[0].strip(), "empty first line of help"


@pytest.mark.parametrize("path,cmd", LEAVES, ids=[" ".join(p) for p, _ in LEAVES])
def test_every_command_help_has_an_example(path, cmd):
    text = (cmd.help or "") + "\n" + (cmd.epilog or "")
    invocation = "mtcheck " + " ".join(path)
    assert re.search(r"(?im)^\s*examples?:", text) and invocation in text, (
        f"`{invocation} --help` needs an 'Example:' section showing `{invocation} …`"
    )


@pytest.mark.parametrize("name", TOP_LEVEL)
def test_readme_mentions_every_command(name):
    assert re.search(rf"mtcheck {re.escape(name)}\b", README), f"README.md never shows `mtcheck {name}`"


def test_readme_documents_exit_codes():
    flat = " ".join(README.split())
    for code in ("0", "1", "2"):
        assert re.search(rf"\|\s*`?{code}`?\s*\|", README) or f"exit code {code}" in flat.lower(), code


@pytest.mark.parametrize("path", [(), *[p for p, _ in COMMANDS]], ids=["mtcheck", *[" ".join(p) for p, _ in COMMANDS]])
def test_help_smoke(path):
    r = run_cli(*path, "--help")
    assert r.returncode == 0, r.stderr
    assert "Usage:" in r.stdout and "Traceback" not in r.stderr


def test_version():
    from mtcheck import __version__

    r = run_cli("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"mtcheck {__version__}"


def _section(title: str) -> str:
    return README.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_readme_score_formula_matches_the_code():
    from mtcheck.findings import Severity
    from mtcheck.scoring.quality import MIN_WORDS, PENALTY_AT_ZERO, SEVERITY_WEIGHTS as W

    section = _section("Quality score")
    assert (f"penalty        = {W[Severity.ERROR]:g} × errors + {W[Severity.WARNING]:g} × warnings + "
            f"{W[Severity.INFO]:g} × info") in section
    assert f"max(words, {MIN_WORDS})" in section
    assert f"per_1000_words / {PENALTY_AT_ZERO:g})" in section


def test_readme_documents_every_json_field():
    import json

    schema = json.loads((ROOT / "mtcheck" / "schema" / "findings-v1.json").read_text(encoding="utf-8"))
    section = _section("Output formats and exit codes")
    for definition in ("finding", "document"):
        for field in schema["$defs"][definition]["required"]:
            assert f"`{field}`" in section, f"README does not document the JSON field {definition}.{field}"
