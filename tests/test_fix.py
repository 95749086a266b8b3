"""``mtcheck fix`` and the fixer: non-overlapping, idempotent, atomic, faithful to the file's bytes."""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import re
import shutil

import pytest

from conftest import SEED, run_cli
from mtcheck.errors import InputError
from mtcheck.findings import Applicability, Category, Edit, Finding, Fix, Match, Severity
from mtcheck.fixer import apply_edits, choose_fixes, fix_path, fix_text
from mtcheck.rules.base import REGISTRY, rule
from mtcheck.settings import Settings

# -- throwaway rules (registered for one test, then removed) ----------------------------------------

_TEH = re.compile(r"\bteh\b")
_ARROW = re.compile(r"->")
_DOUBLE = re.compile(r"[ ]{2,}")


def _doc(fn):
    fn.__doc__ = "Test rule.\n\nWhat it flags: x.\n\nWhy it matters: y.\n\nFix safety: safe."
    return fn


@contextlib.contextmanager
def throwaway_rules():
    @_doc
    def teh(ctx):
        for m in _TEH.finditer(ctx.text):
            yield Match(m.start(), m.end(), "typo", fix=Fix((Edit(m.start(), m.end(), "the"),)))

    @_doc
    def double(ctx):  # fixes that shrink text and sit next to others
        for m in _DOUBLE.finditer(ctx.text):
            yield Match(m.start(), m.end(), "double space", fix=Fix((Edit(m.start(), m.end(), " "),)))

    @_doc
    def arrow(ctx):  # an unsafe fix inserting a character legacy encodings lack
        for m in _ARROW.finditer(ctx.text):
            yield Match(m.start(), m.end(), "arrow", fix=Fix((Edit(m.start(), m.end(), "→"),), Applicability.UNSAFE))

    codes = []
    for code, name, fn, fix in (("Z911", "test-teh", teh, Applicability.SAFE), ("Z912", "test-double", double, Applicability.SAFE),
                                ("Z913", "test-arrow", arrow, Applicability.UNSAFE)):
        rule(code, name, severity=Severity.WARNING, category=Category.FLUENCY, fix=fix, default_enabled=False)(fn)
        codes.append(code)
    try:
        yield Settings(select=tuple(codes), target_lang="en")
    finally:
        for c in codes:
            REGISTRY.pop(c, None)


# -- unit ---------------------------------------------------------------------------------------

def _f(start, end, *edits, unsafe=False, code="Z911"):
    fix = Fix(tuple(Edit(*e) for e in edits), Applicability.UNSAFE if unsafe else Applicability.SAFE) if edits else None
    return Finding(code, "n", Severity.WARNING, Category.FLUENCY, "m", start, end, "", 1, 1, 1, 1, fix)


def test_choose_fixes_skips_overlapping_touching_unsafe_and_missing():
    fs = [_f(0, 2, (0, 2, "x")), _f(1, 3, (1, 3, "y")), _f(2, 2, (2, 2, " ")), _f(5, 6, (5, 6, "z")),
          _f(8, 9, (8, 9, "u"), unsafe=True), _f(10, 11)]
    assert [f.start for f in choose_fixes(fs)] == [0, 5]
    assert [f.start for f in choose_fixes(fs, unsafe=True)] == [0, 5, 8]


def test_apply_edits_keeps_crlf_line_endings():
    assert apply_edits("a\r\nb\r\n", [Edit(1, 1, "\nX")]) == "a\r\nX\r\nb\r\n"
    assert apply_edits("a\nb", [Edit(0, 1, "A"), Edit(2, 3, "")]) == "A\n"
    with pytest.raises(ValueError):
        apply_edits("abc", [Edit(0, 2, ""), Edit(1, 3, "")])


def test_fix_text_reaches_a_fixed_point_and_touches_only_reported_spans():
    text = "teh  cat   sat on  teh mat -> teh end\r\nnext teh\r\n"
    with throwaway_rules() as settings:
        once = fix_text(text, settings=settings)
        twice = fix_text(once.fixed, settings=settings)
        unsafe = fix_text(text, settings=settings, unsafe=True)
    assert once.fixed == "the cat sat on the mat -> the end\r\nnext the\r\n"
    assert twice.fixed == once.fixed and not twice.changed
    assert unsafe.fixed == "the cat sat on the mat → the end\r\nnext the\r\n"
    assert [f.code for f in once.remaining] == ["Z913"]
    assert sorted(f.code for f in once.applied) == ["Z911"] * 4 + ["Z912"] * 3


def test_fix_path_keeps_encoding_bom_newlines_and_permissions(tmp_path):
    p = tmp_path / "a.txt"
    data = codecs.BOM_UTF16_LE + "teh señal\r\nnext  line\r".encode("utf-16-le")
    p.write_bytes(data)
    os.chmod(p, 0o604)
    with throwaway_rules() as settings:
        out = fix_path(str(p), settings=settings)
    assert out.written
    assert p.read_bytes() == codecs.BOM_UTF16_LE + "the señal\r\nnext line\r".encode("utf-16-le")
    assert oct(p.stat().st_mode & 0o777) == oct(0o604)
    assert sorted(x.name for x in tmp_path.iterdir()) == ["a.txt"]  # no temp file left behind


def test_fix_path_refuses_a_fix_the_encoding_cannot_hold(tmp_path):
    p = tmp_path / "a.txt"
    latin = ("El presidente señaló que la situación económica había mejorado según los datos -> bien. " * 3).encode("latin-1")
    p.write_bytes(latin)
    with throwaway_rules() as settings, pytest.raises(InputError, match="cannot encode"):
        fix_path(str(p), settings=settings, unsafe=True)
    assert p.read_bytes() == latin


def test_fix_path_without_write_leaves_the_file(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("teh end\n")
    with throwaway_rules() as settings:
        out = fix_path(str(p), settings=settings, write=False)
    assert out.changed and not out.written and p.read_text() == "teh end\n"
    assert out.diff().splitlines()[:4] == ["--- a/" + str(p), "+++ b/" + str(p), "@@ -1 +1 @@", "-teh end"]


def test_fix_on_html_changes_only_verbatim_text(tmp_path):
    p = tmp_path / "a.html"
    html = "<html><body><p>teh &amp; teh</p><p>Second  paragraph.</p></body></html>"
    p.write_text(html)
    with throwaway_rules() as settings:
        fix_path(str(p), settings=settings)
    assert p.read_text() == "<html><body><p>the &amp; the</p><p>Second  paragraph.</p></body></html>"


# -- CLI ----------------------------------------------------------------------------------------

UNUSED = "Intro.\r\n\r\n<!-- mtcheck: off -->\r\nNothing to hide.\r\n<!-- mtcheck: on -->\r\nEnd.\r\n"


def test_cli_safe_by_default_unsafe_on_request(tmp_path):
    p = tmp_path / "a.md"
    p.write_bytes(UNUSED.encode())
    r = run_cli("fix", "a.md", "--select", "M001", "-t", "en", cwd=tmp_path)
    assert r.returncode == 0, r.stderr  # M001 is info: below the default --fail-on warning
    assert p.read_bytes() == UNUSED.encode()
    assert "a.md:3:1: M001" in r.stdout and "Fixed 0 findings in 0 files; 1 remaining." in r.stdout
    r = run_cli("fix", "a.md", "--select", "M001", "-t", "en", "--unsafe-fixes", "--fail-on", "info", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert p.read_bytes() == b"Intro.\r\n\r\nNothing to hide.\r\nEnd.\r\n"
    assert "Fixed 1 finding in 1 file; 0 remaining." in r.stdout


def test_cli_diff_writes_nothing_and_counts_what_remains(tmp_path):
    p = tmp_path / "a.md"
    p.write_bytes(UNUSED.encode())
    r = run_cli("fix", "a.md", "--select", "M001", "-t", "en", "--unsafe-fixes", "--diff", "--fail-on", "info",
                input=b"", cwd=tmp_path)
    assert r.returncode == 1  # nothing written, so the finding is still in the file
    assert p.read_bytes() == UNUSED.encode()
    assert r.stdout.startswith(b"--- a/a.md\n+++ b/a.md\n") and b"-<!-- mtcheck: off -->\r\n" in r.stdout
    assert b"Would fix 1 finding in 1 file." in r.stderr


def test_cli_stdin_prints_the_fixed_text(tmp_path):
    r = run_cli("fix", "-", "--select", "M001", "-t", "en", "--unsafe-fixes", "--stdin-filename", "x.md",
                input=UNUSED.encode(), cwd=tmp_path)
    assert r.returncode == 0
    assert r.stdout == b"Intro.\r\n\r\nNothing to hide.\r\nEnd.\r\n"


def test_cli_batch_goes_on_past_bad_inputs(tmp_path):
    (tmp_path / "a.md").write_bytes(UNUSED.encode())
    (tmp_path / "b.txt").write_bytes(b"\x00\x01binary")
    r = run_cli("fix", "missing.md", "b.txt", "a.md", "--select", "M001", "-t", "en", "--unsafe-fixes", cwd=tmp_path)
    assert r.returncode == 2
    errors = r.stderr.splitlines()
    assert errors == ["mtcheck: error: missing.md: no such file or directory",
                      "mtcheck: error: b.txt: looks like a binary file (contains NUL bytes); mtcheck reads text, Markdown and HTML"]
    assert b"mtcheck: off" not in (tmp_path / "a.md").read_bytes()


def test_cli_usage_errors(tmp_path):
    r = run_cli("fix", "x.txt", "--select", "Z999", cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.startswith("mtcheck: error: --select: 'Z999' matches no rule")
    r = run_cli("fix", "x.txt", "--max-file-size", "lots", cwd=tmp_path)
    assert r.returncode == 2 and r.stderr == "mtcheck: error: 'lots' is not a size (examples: 4096, 500kB, 200MB, 1GB)\n"
    (tmp_path / "big.txt").write_text("x" * 2000)
    r = run_cli("fix", "big.txt", "--max-file-size", "1kB", cwd=tmp_path)
    assert r.returncode == 2 and "big.txt: is 2 kB, larger than the 1 kB limit" in r.stderr
    (tmp_path / "empty").mkdir()
    r = run_cli("fix", "empty", cwd=tmp_path)
    assert r.returncode == 2 and r.stderr == "mtcheck: error: no documents found in empty\n"
    r = run_cli("fix", "--help")
    assert r.returncode == 0 and "--unsafe-fixes" in r.stdout and "--diff" in r.stdout


def _seed_fixable():
    """Whether the seed has safe fixes yet (the rules offering them land separately)."""
    r = run_cli("scan", str(SEED), "-s", "es", "-t", "en", "--format", "json", "--exit-zero")
    data = json.loads(r.stdout)
    docs = data.get("documents") or data.get("results") or []
    return any(f.get("fix") and f["fix"]["applicability"] == "safe" for d in docs for f in d.get("findings", []))


@pytest.mark.slow
def test_cli_fix_on_the_seed_is_idempotent_and_local(tmp_path):
    if not _seed_fixable():
        pytest.skip("no rule offers a safe fix on the seed yet")
    p = tmp_path / "seed.txt"
    shutil.copy(SEED, p)
    before = p.read_text()
    scan = run_cli("scan", str(p), "-s", "es", "-t", "en", "--format", "json", "--exit-zero")
    fixable_lines = set()

    def line_of(offset):
        return before.count("\n", 0, offset) + 1

    for f in json.loads(scan.stdout)["documents"][0]["findings"]:
        if f["fix"] and f["fix"]["applicability"] == "safe":
            fixable_lines.update(range(f["line"], f["end_line"] + 1))
            for e in f["fix"]["edits"]:  # a removed line takes its line break (and blank line) along
                fixable_lines.update(range(line_of(e["start"]), line_of(max(e["start"], e["end"] - 1)) + 1))
    r1 = run_cli("fix", str(p), "-s", "es", "-t", "en", "--exit-zero")
    assert r1.returncode == 0, r1.stderr
    once = p.read_text()
    assert once != before
    # Only lines carrying a finding with a safe fix changed (or were removed).
    import difflib

    sm = difflib.SequenceMatcher(a=before.splitlines(), b=once.splitlines(), autojunk=False)
    changed = {i + 1 for tag, i1, i2, _, _ in sm.get_opcodes() if tag != "equal" for i in range(i1, i2)}
    lines = before.splitlines()
    # Removing a line and the blank line after it equals removing the blank line before it: diff
    # alignment may pick either, so a blank line next to a fixed line counts as that fix's.
    blank_neighbours = {n for n in range(1, len(lines) + 1) if not lines[n - 1].strip()
                        and ({n - 1, n + 1} & fixable_lines)}
    assert changed and changed <= fixable_lines | blank_neighbours, sorted(changed - fixable_lines)
    r2 = run_cli("fix", str(p), "-s", "es", "-t", "en", "--exit-zero")
    assert p.read_text() == once and "Fixed 0 findings" in r2.stdout
    after = run_cli("scan", str(p), "-s", "es", "-t", "en", "--format", "json", "--exit-zero")
    left = json.loads(after.stdout)["documents"][0]["findings"]
    assert not [f for f in left if f["fix"] and f["fix"]["applicability"] == "safe"]


def test_cli_fix_html_removes_an_unused_suppression_in_place(tmp_path):
    page = ("<html><body><article>\n<p>The delegation met in Kyiv on Monday and again on Tuesday evening.</p>\n"
            "<!-- mtcheck: ignore[M] -->\n<p>Nothing here needs silencing &amp; nothing is wrong.</p>\n"
            "</article></body></html>\n")
    p = tmp_path / "page.html"
    p.write_text(page)
    r = run_cli("fix", "page.html", "--select", "M001", "-t", "en", "--unsafe-fixes", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert p.read_text() == page.replace("<!-- mtcheck: ignore[M] -->", "")
