"""The commands behave alike: each flag belongs to one parameter (a command that declared its own
copy of a shared flag showed it twice in --help), and the same mistake gets the same one-line error."""

from __future__ import annotations

import json

import pytest
import typer

from mtcheck.cli import app as app_module  # noqa: F401 - registers the commands
from mtcheck.cli.app import app


def _commands():
    group = typer.main.get_command(app)
    return group.commands.items()


def test_no_flag_is_declared_twice():
    for name, command in _commands():
        seen: dict[str, str] = {}
        for param in command.params:
            for flag in [*param.opts, *param.secondary_opts]:
                assert flag not in seen, f"{name}: {flag} declared by {seen[flag]} and {param.name}"
                seen[flag] = param.name


@pytest.mark.parametrize("args", [
    ["eval", "corpora", "--format", "xml"],
    ["score", "--hyp", "README.md", "--ref", "README.md", "--format", "xml"],
    ["backtranslate", "README.md", "--source-lang", "es", "--format", "xml"],
    ["feed-report", "--format", "xml"],
])
def test_a_string_format_option_is_checked_in_one_wording(cli, args):
    proc = cli(*args)
    assert proc.returncode == 2
    assert proc.stderr == "mtcheck: error: --format must be text or json, not 'xml'\n"


def test_eval_rejects_an_unknown_selector(cli):
    proc = cli("eval", "corpora", "--select", "ZZZ")
    assert proc.returncode == 2
    assert proc.stderr.startswith("mtcheck: error: unknown rule selector in --select: ZZZ")


@pytest.mark.parametrize("command", [["scan"], ["audit", "-s", "es"], ["backtranslate", "-s", "es"], ["fix"]])
def test_a_missing_input_is_one_error_line_and_exit_2(cli, tmp_path, command):
    missing = tmp_path / "missing.txt"
    proc = cli(*command, str(missing))
    assert proc.returncode == 2
    assert proc.stderr == f"mtcheck: error: {missing}: no such file or directory\n"


@pytest.mark.parametrize("command", [["eval", "{m}"], ["score", "--hyp", "{m}", "--ref", "README.md"],
                                     ["translate", "{m}", "--from", "es", "--to", "en"]])
def test_a_missing_file_is_worded_alike_in_every_command(cli, tmp_path, command):
    missing = tmp_path / "missing.txt"
    proc = cli(*(a.format(m=missing) for a in command))
    assert proc.returncode == 2
    assert proc.stderr == f"mtcheck: error: {missing}: no such file or directory\n"


def test_translate_takes_the_language_flags_the_other_commands_use(cli):
    proc = cli("translate", "-", "-s", "es", "--target-lang", "1x", input="Hola.")
    assert proc.returncode == 2
    assert proc.stderr == "mtcheck: error: --to '1x' is not a language code (e.g. en, es, pt-BR)\n"


def test_cache_takes_cache_path_as_the_translating_commands_do(cli, tmp_path):
    cache = tmp_path / "t.sqlite3"
    proc = cli("cache", "stats", "--cache-path", str(cache), "--json")
    assert proc.returncode == 0, proc.stderr
    assert str(cache) in proc.stdout


def test_feed_jobs_0_means_one_per_cpu_as_in_scan(cli, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("The the dog eat food yesterday.\n", encoding="utf-8")
    runs = [cli("feed", str(folder), "--no-state", "--engine", "none", "--jobs", j) for j in ("0", "1")]
    assert [r.returncode for r in runs] == [1, 1], runs[0].stderr
    assert runs[0].stdout == runs[1].stdout


@pytest.mark.parametrize("command", ["translate", "backtranslate", "audit"])
def test_translating_commands_share_engine_options_through_common(command):
    """translate and backtranslate took audit's engine options from mtcheck.cli.audit, so running
    either imported (and registered) the audit command too."""
    import subprocess
    import sys

    code = ("import sys; from mtcheck.cli import load_commands; load_commands((sys.argv[1],)); "
            "print(sorted(m for m in sys.modules if m.startswith('mtcheck.cli.')))")
    out = subprocess.run([sys.executable, "-c", code, command], capture_output=True, text=True, check=True).stdout
    assert out.strip() == str(sorted(["mtcheck.cli.app", "mtcheck.cli.common", f"mtcheck.cli.{command}"]))


@pytest.mark.parametrize("command", [["scan"], ["fix", "--diff"], ["audit"], ["backtranslate"]])
def test_a_malformed_language_code_is_a_usage_error(cli, tmp_path, command):
    text = tmp_path / "a.txt"
    text.write_text("Hello  world.\n", encoding="utf-8")
    proc = cli(command[0], str(text), *command[1:], "--source-lang", "1x")
    assert proc.returncode == 2
    assert proc.stderr == "mtcheck: error: --source-lang '1x' is not a language code (e.g. en, es, pt-BR)\n"


@pytest.mark.parametrize("command", [["audit", "{m}", "-s", "es"], ["backtranslate", "{m}", "-s", "es"],
                                     ["translate", "{m}", "--from", "es", "--to", "en"], ["feed", "{m}", "-s", "es"]])
def test_an_unknown_engine_is_refused_before_any_input_is_read(cli, tmp_path, command):
    proc = cli(*(a.format(m=tmp_path / "missing.txt") for a in command), "--engine", "deepl")
    assert proc.returncode == 2
    assert proc.stderr.startswith("mtcheck: error: unknown engine 'deepl'; choose one of auto, argos, apertium")


@pytest.mark.parametrize("command", [["scan"], ["audit", "-s", "es", "--engine", "apertium"], ["fix", "--diff"]])
def test_input_format_takes_the_same_names_everywhere(cli, command):
    proc = cli(command[0], "-", *command[1:], "--input-format", "pdf", input="Hello.\n")
    assert proc.returncode == 2
    assert proc.stderr == "mtcheck: error: unknown input format 'pdf'; choose from text, markdown, html\n"


@pytest.mark.parametrize("command", [["scan"], ["audit", "-s", "es", "--engine", "apertium"], ["fix", "--diff"]])
def test_stdin_named_twice_is_read_once(cli, command):
    one = cli(command[0], "-", *command[1:], input="The the dog sleeps.\n")
    two = cli(command[0], "-", "-", *command[1:], input="The the dog sleeps.\n")
    assert (two.returncode, two.stdout) == (one.returncode, one.stdout)


def test_backtranslate_takes_config_and_isolated_as_scan_does(cli, tmp_path):
    (tmp_path / "mtcheck.toml").write_text('source-lang = "es"\n', encoding="utf-8")
    text = tmp_path / "a.txt"
    text.write_text("The black dog eats.\n", encoding="utf-8")
    isolated = cli("backtranslate", str(text), "--isolated", "--engine", "apertium", cwd=tmp_path)
    assert isolated.returncode == 2 and "the source language is needed" in isolated.stderr
    other = tmp_path / "elsewhere"
    other.mkdir()
    configured = cli("backtranslate", str(text), "-t", "en", "--config", str(tmp_path / "mtcheck.toml"), "--engine", "apertium",
                     "--format", "json", cwd=other, env={"MTCHECK_CACHE_DIR": str(tmp_path / "cache")})
    assert configured.returncode == 0, configured.stderr
    assert json.loads(configured.stdout)[0]["fidelity"]["source_lang"] == "es"


def test_backtranslate_notices_do_not_promise_rule_findings(cli, tmp_path):
    """backtranslate runs no rules; audit's notices said 'rule findings are reported' there too."""
    text = tmp_path / "a.txt"
    text.write_text("12 34 56.\n", encoding="utf-8")
    proc = cli("backtranslate", str(text), "-s", "es", "--engine", "apertium")
    assert proc.returncode == 2
    assert "not recognised" in proc.stderr and "rule findings" not in proc.stderr
    assert proc.stderr.count("not recognised") == 1, proc.stderr  # the error line, not also a warning
