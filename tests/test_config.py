"""Configuration files: discovery, every key, strict validation naming the file and key, overrides."""

from __future__ import annotations

import pytest

from conftest import run_cli
from mtcheck.config import find_config, load_settings
from mtcheck.errors import ConfigError, UsageError
from mtcheck.findings import Severity

FULL = """
select = ["M"]
ignore = ["M001"]
extend-select = ["F"]
fail-on = "error"
min-score = 80
max-findings-per-1000-words = 4.5
fidelity-threshold = 0.4
source-lang = "es"
target-lang = "en"

[severity]
M = "error"

[rules.F101]
min-words = 5
threshold = 0.3
"""


def test_every_key_of_mtcheck_toml(tmp_path):
    (tmp_path / "mtcheck.toml").write_text(FULL)
    s = load_settings(start_dir=tmp_path)
    assert s.select == ("M", "F") and s.ignore == ("M001",)
    assert (s.fail_on, s.min_score, s.max_findings_per_1000_words, s.fidelity_threshold) == (Severity.ERROR, 80.0, 4.5, 0.4)
    assert (s.source_lang, s.target_lang) == ("es", "en")
    assert s.severity == {"M001": Severity.ERROR}  # prefixes expand to codes
    assert s.config_path == str(tmp_path / "mtcheck.toml")
    assert s.rule_options == {"F101": {"min-words": 5, "threshold": 0.3}}


def test_pyproject_tool_table_found_by_walking_up(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.mtcheck]\nfail-on = "never"\ntarget-lang = "en"\n')
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) == tmp_path / "pyproject.toml"
    s = load_settings(start_dir=deep)
    assert (s.fail_on, s.target_lang) == (None, "en")


def test_pyproject_without_tool_table_is_skipped_and_mtcheck_toml_wins(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.mtcheck]\ntarget-lang = "fr"\n')
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_config(sub) == tmp_path / "pyproject.toml"
    (tmp_path / "mtcheck.toml").write_text('target-lang = "de"\n')
    assert load_settings(start_dir=sub).target_lang == "de"


def test_no_config_gives_defaults(tmp_path):
    s = load_settings(start_dir=tmp_path, isolated=True)
    assert (s.select, s.fail_on, s.config_path) == ((), Severity.WARNING, None)


def test_overrides_win_and_none_means_not_given(tmp_path):
    (tmp_path / "mtcheck.toml").write_text(FULL)
    s = load_settings(start_dir=tmp_path, overrides={
        "select": ["M001"], "target_lang": None, "fail_on": "never", "severity": {"m001": "info"}, "extend_ignore": ["F"]})
    assert s.select == ("M001",) and s.target_lang == "en" and s.fail_on is None
    assert s.severity == {"M001": Severity.INFO} and s.ignore == ("M001", "F")


def test_explicit_config_path_and_missing_file(tmp_path):
    p = tmp_path / "custom.toml"
    p.write_text('fail-on = "info"\n')
    assert load_settings(config_path=str(p), start_dir=tmp_path).fail_on == Severity.INFO
    with pytest.raises(ConfigError, match="nope.toml: config file not found"):
        load_settings(config_path=str(tmp_path / "nope.toml"))


@pytest.mark.parametrize(
    "body,needle",
    [
        ('selct = ["M"]\n', "selct: unknown key (did you mean 'select'?)"),
        ('select = ["Z999"]\n', "select: 'Z999' matches no rule"),
        ('select = "M"\nignore = [1]\n', "ignore: must be a list"),
        ('fail-on = "fatal"\n', "fail-on: must be one of error, warning, info, never"),
        ('min-score = 120\n', "min-score: must be between 0 and 100"),
        ('min-score = "80"\n', "min-score: must be a number"),
        ('fidelity-threshold = true\n', "fidelity-threshold: must be a number"),
        ('source-lang = "spanish language"\n', "source-lang: must be a language code"),
        ('[severity]\nM001 = "fatal"\n', "severity.M001: must be one of error, warning, info"),
        ('[severity]\nZ1 = "error"\n', "severity.Z1: 'Z1' matches no rule"),
        ('[rules.Z999]\nx = 1\n', "rules.Z999: no rule 'Z999'"),
        ('[rules.M001]\nthreshold = 1\n', "rules.M001.threshold: unknown option for M001"),
        ('[rules.F101]\nmin-words = "five"\n', "rules.F101.min-words: expected int"),
        ('[rules.F101]\nmin_words = 5\n', "rules.F101.min_words: unknown option for F101 (options: min-words, threshold)"),
        ('select = [\n', "invalid TOML"),
    ],
)
def test_bad_config_is_an_error_naming_file_and_key(tmp_path, body, needle):
    (tmp_path / "mtcheck.toml").write_text(body)
    with pytest.raises(ConfigError) as e:
        load_settings(start_dir=tmp_path)
    assert str(e.value).startswith(str(tmp_path / "mtcheck.toml") + ": ")
    assert needle in str(e.value)


def test_pyproject_errors_name_the_tool_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.mtcheck]\nfail_on = "error"\n')
    with pytest.raises(ConfigError, match=r"pyproject\.toml: tool\.mtcheck\.fail_on: unknown key \(did you mean 'fail-on'\?\)"):
        load_settings(start_dir=tmp_path)


def test_bad_override_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="--select: 'Z999' matches no rule"):
        load_settings(start_dir=tmp_path, isolated=True, overrides={"select": ["Z999"]})
    with pytest.raises(UsageError, match="--fail-on"):
        load_settings(start_dir=tmp_path, isolated=True, overrides={"fail_on": "sometimes"})


def test_cli_reports_a_bad_config_in_one_line(tmp_path):
    (tmp_path / "mtcheck.toml").write_text('unknown-key = 1\n')
    (tmp_path / "a.txt").write_text("Fine.\n")
    r = run_cli("scan", "a.txt", "-t", "en", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.startswith("mtcheck: error: ") and "mtcheck.toml: unknown-key: unknown key" in r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_cli_config_selects_and_fails_on(tmp_path):
    (tmp_path / "mtcheck.toml").write_text('select = ["M001"]\nfail-on = "info"\ntarget-lang = "en"\n')
    (tmp_path / "a.md").write_text("<!-- mtcheck: off -->\nNothing to hide.\n<!-- mtcheck: on -->\n")
    r = run_cli("scan", "a.md", cwd=tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "M001" in r.stdout
    r = run_cli("scan", "a.md", "--fail-on", "warning", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
