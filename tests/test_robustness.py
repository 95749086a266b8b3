"""Robustness: hostile and odd inputs through the real CLI, and property-based invariants.

Through ``mtcheck scan``: no traceback ever, one clear ``mtcheck: error: …`` line per bad input,
the batch goes on, exit 2 when an input could not be read. With hypothesis, over arbitrary
Unicode (and fragments that trigger rules): scanning never raises, every finding's offsets slice
the original to exactly its reported text (text, Markdown and HTML), and ``fix`` twice equals
``fix`` once, touching only the lines of reported findings (and blank lines next to them).
"""

from __future__ import annotations

import codecs
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_cli
from mtcheck.api import scan_document
from mtcheck.fixer import fix_text
from mtcheck.io.loaders import DEFAULT_MAX_BYTES, document_from_string
from mtcheck.settings import Settings

ARTICLE = ('The minister said the talks would continue. "We cannot let him get away with it," '
           "he told reporters in Kyiv on Monday, adding that 1,332 people had been evacuated.\n")


def _scan(*args, cwd, input=None, env=None):
    return run_cli("scan", *args, "-t", "en", "--format", "json", cwd=cwd, input=input, env=env)


def _one_line_errors(stderr: str) -> list[str]:
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert all(line.startswith(("mtcheck: error: ", "mtcheck: warning: ")) for line in lines), stderr
    return [line for line in lines if line.startswith("mtcheck: error: ")]


def _docs(stdout: str) -> list[dict]:
    data = json.loads(stdout)
    return data.get("documents") or data.get("results") or []


# -- odd inputs through the CLI ------------------------------------------------------------------

@pytest.mark.parametrize("content", [b"", b"   \n\t\n  \r\n", "\ufeff".encode("utf-8"), b"\n" * 1000])
def test_empty_and_whitespace_only_files_are_clean(tmp_path, content):
    (tmp_path / "e.txt").write_bytes(content)
    r = _scan("e.txt", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert _one_line_errors(r.stderr) == []
    (doc,) = _docs(r.stdout)
    assert doc["findings"] == []


@pytest.mark.parametrize(
    "name,data,needle",
    [
        ("bin.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "looks like a binary file"),
        ("ctrl.txt", bytes(range(1, 9)) * 100, "looks like a binary file"),
        ("bad.txt", bytes(range(0x80, 0x100)) * 4, "is not valid UTF-8 (bad byte at offset 0) and its encoding could not be detected"),
    ],
)
def test_binary_input_is_one_line_error_and_the_batch_goes_on(tmp_path, name, data, needle):
    (tmp_path / name).write_bytes(data)
    (tmp_path / "ok.txt").write_text(ARTICLE)
    r = _scan(name, "ok.txt", cwd=tmp_path)
    assert r.returncode == 2
    (err,) = _one_line_errors(r.stderr)
    assert err.startswith(f"mtcheck: error: {name}: ") and needle in err
    assert any(d.get("path") == "ok.txt" for d in _docs(r.stdout))


def test_invalid_utf8_that_is_legacy_text_is_read_with_a_warning(tmp_path):
    text = ("El presidente señaló que la situación económica había mejorado según los datos de la región. " * 4)
    (tmp_path / "latin1.txt").write_bytes(text.encode("latin-1"))
    r = _scan("latin1.txt", "--fail-on", "never", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert _one_line_errors(r.stderr) == []
    assert "not valid UTF-8" in r.stderr + r.stdout  # the decoding warning is shown somewhere


def test_utf16_with_bom_and_mixed_newlines_keep_exact_offsets(tmp_path):
    text = "First line  with double space.\r\nSecond line\rThird\u00a0line with nbsp.\n\nLast \"quoted\"word.\n"
    (tmp_path / "u16.txt").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    r = _scan("u16.txt", "--fail-on", "never", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    (doc,) = _docs(r.stdout)
    assert doc["findings"], "the double space, nbsp or glued quote should be flagged"
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for f in doc["findings"]:
        assert text[f["start"]:f["end"]] == f["text"]
        assert lines[f["line"] - 1][f["column"] - 1:].startswith(f["text"].split("\n")[0].split("\r")[0])


def test_emoji_and_rtl_text(tmp_path):
    text = ("مرحبا بالعالم — Hello 👋🏽 world. שלום \u200f\u202etxt.exe\u202c. The family 👨‍👩‍👧 arrived "
            "in Kyiv.\n") * 3
    (tmp_path / "x.md").write_text(text)
    r = _scan("x.md", "--fail-on", "never", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    for f in _docs(r.stdout)[0]["findings"]:
        assert text[f["start"]:f["end"]] == f["text"]


def test_unreadable_entries_in_a_folder(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    os.symlink(tmp_path / "gone.txt", tmp_path / "broken.txt")
    (tmp_path / "z.txt").write_text(ARTICLE)
    r = _scan(".", "--fail-on", "never", cwd=tmp_path)
    assert r.returncode == 2
    (err,) = _one_line_errors(r.stderr)
    assert "broken.txt: cannot read: broken symbolic link" in err
    assert sorted(os.path.basename(d["path"]) for d in _docs(r.stdout) if d.get("path") and not d.get("error")) == ["a.txt", "z.txt"]


def test_glob_without_match_and_missing_file(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    r = _scan("nothing/**/*.txt", "missing.txt", "a.txt", "--fail-on", "never", cwd=tmp_path)
    assert r.returncode == 2
    assert _one_line_errors(r.stderr) == [
        "mtcheck: error: nothing/**/*.txt: no files match this pattern",
        "mtcheck: error: missing.txt: no such file or directory",
    ]


def test_file_over_the_size_cap_is_a_clear_error(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:  # sparse: no 50 MB written to disk
        fh.truncate(DEFAULT_MAX_BYTES + 1)
    (tmp_path / "ok.txt").write_text(ARTICLE)
    r = _scan("big.txt", "ok.txt", "--fail-on", "never", cwd=tmp_path)
    assert r.returncode == 2
    (err,) = _one_line_errors(r.stderr)
    assert err == "mtcheck: error: big.txt: is 50.0 MB, larger than the 50 MB limit (set MTCHECK_MAX_FILE_SIZE, e.g. 200MB, to raise it)"
    r = _scan("big.txt", "--fail-on", "never", "--select", "W101", cwd=tmp_path, env={"MTCHECK_MAX_FILE_SIZE": "60MB"})
    (err,) = _one_line_errors(r.stderr)  # under a raised cap it is read, and its NUL bytes are binary
    assert err.startswith("mtcheck: error: big.txt: looks like a binary file")



@pytest.mark.slow
def test_a_50_mb_file_is_scanned(tmp_path):
    para = ("The delegation met in Kyiv on Monday. " * 20 + "\n\n").encode()
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        for _ in range(DEFAULT_MAX_BYTES // len(para)):
            fh.write(para)
    assert big.stat().st_size > 49 * 1024 * 1024
    r = run_cli("scan", "big.txt", "-t", "en", "--select", "W101", "--format", "json", cwd=tmp_path, timeout=300)
    assert r.returncode == 0, r.stderr[-500:]
    assert _docs(r.stdout)[0]["findings"] == []


def test_stdin_with_crlf_and_bom(tmp_path):
    r = run_cli("scan", "-", "-t", "en", "--format", "json", "--fail-on", "never",
                input=codecs.BOM_UTF8 + b"One  two.\r\nThree\r\n", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    for f in _docs(r.stdout.decode())[0]["findings"]:
        assert "One  two.\r\nThree\r\n"[f["start"]:f["end"]] == f["text"]


# -- properties ----------------------------------------------------------------------------------

#: Fragments that make rules fire, mixed with arbitrary Unicode so offsets get exercised.
FRAGMENTS = [
    '"', "“", "”", "«", "»", "'", "declared", " the ", "kyiv", "Kyiv", "\u00a0", "\u200b", "  ", " ,", " ;",
    "\r\n", "\r", "\n", "\n\n", "1.332", "3,5 million", "¿", "¡", "Read Also:", "Leave A Reply", "Many media",
    "the head of US diplomacy", "actually", "wanting \"destroy\" to Russia", "<p>", "</p>", "&quot;", "&amp;",
    "&nbsp;", "<!-- mtcheck: ignore -->", "<!-- mtcheck: off -->", "<!-- mtcheck: on -->", "```", "`", "[a](http://x.y)",
    "<script>", "</script>", "# ", "> ", "-- ", "said the minister.", "la situación", "👋🏽", "مرحبا", "\t",
]
TEXTS = st.one_of(
    st.text(max_size=120),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=40).map("".join),
)
FORMATS = st.sampled_from(["text", "markdown", "html"])
PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SETTINGS = Settings(target_lang="en", source_lang="es")


@PROPS
@given(text=TEXTS, fmt=FORMATS)
def test_scan_never_raises_and_offsets_slice_to_the_reported_text(text, fmt):
    doc = document_from_string(text, path=f"x.{fmt}", fmt=fmt)
    result = scan_document(doc, SETTINGS)
    for f in result.findings:
        assert 0 <= f.start <= f.end <= len(text)
        assert text[f.start:f.end] == f.text
        assert doc.line_col(f.start) == (f.line, f.column)
        if f.fix:
            for e in f.fix.edits:
                assert 0 <= e.start <= e.end <= len(text)
    if fmt == "html":
        for r in doc.offset_map.runs:
            assert doc.text[r.view_start:r.view_start + r.length] == text[r.source_start:r.source_start + r.length]


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    s = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
    e = len(text)
    for nl in ("\n", "\r"):
        i = text.find(nl, end)
        if i >= 0:
            e = min(e, i + 1)
    if text.startswith("\r\n", e - 1):
        e += 1
    return s, e


@PROPS
@given(text=TEXTS, fmt=FORMATS, unsafe=st.booleans())
def test_fix_twice_equals_fix_once_and_only_touches_reported_lines(text, fmt, unsafe):
    once = fix_text(text, fmt=fmt, settings=SETTINGS, unsafe=unsafe)
    twice = fix_text(once.fixed, fmt=fmt, settings=SETTINGS, unsafe=unsafe)
    if once.passes < 5:  # reached a fixed point within the pass limit
        assert twice.fixed == once.fixed
    if not once.applied:
        assert once.fixed == text
        return
    # First pass: every edit comes from a finding reported on that text, on that finding's lines,
    # and the text between edits is unchanged.
    first = once.before
    by_edit = {e: f for f in first.findings if f.fix for e in f.fix.edits}
    edits = sorted(once.edits[0], key=lambda e: (e.start, e.end))
    for e in edits:
        f = by_edit[e]
        lo, hi = _line_bounds(text, f.start, f.end)
        # A removed line may take the blank lines next to it along; nothing else outside its lines.
        outside = text[e.start:min(e.end, lo)] + text[max(e.start, max(hi, f.end)):e.end]
        assert not outside.strip(), (e, f)
    pos, rebuilt = 0, []
    for e in edits:
        rebuilt.append(text[pos:e.start])
        pos = e.end
    rebuilt.append(text[pos:])
    after = fix_text(text, fmt=fmt, settings=SETTINGS, unsafe=unsafe, max_passes=1).fixed
    i = 0
    for chunk in rebuilt:
        j = after.find(chunk, i)
        assert j >= 0, "text outside the edits changed"
        i = j + len(chunk)


def test_html_that_trafilatura_cannot_parse_prints_no_library_logging(tmp_path):
    (tmp_path / "x.html").write_text('&amp;<?xml version="1.0"?></p>><?xml version="1.0"?>')
    r = _scan("x.html", "--fail-on", "never", cwd=tmp_path)
    assert r.returncode == 0 and r.stderr == ""
