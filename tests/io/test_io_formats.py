"""Markdown, HTML and inline suppressions: exact offsets, protected markup, and what is silenced."""

from __future__ import annotations

import contextlib
import re

import pytest

from mtcheck.api import scan_document
from mtcheck.findings import Applicability, Category, Edit, Fix, Match, Severity
from mtcheck.io.loaders import document_from_string, load_path
from mtcheck.rules.base import REGISTRY, rule
from mtcheck.settings import Settings
from helpers.adversarial import LOADER_ADVERSARIAL

_WORD = re.compile(r"\bteh\b")


@contextlib.contextmanager
def typo_rule():
    """A throwaway rule (Z901) flagging the word ``teh`` with a safe fix, removed afterwards."""

    def check(ctx):
        for m in _WORD.finditer(ctx.text):
            yield Match(m.start(), m.end(), "typo", fix=Fix((Edit(m.start(), m.end(), "the"),), Applicability.SAFE))

    check.__doc__ = "Test rule.\n\nWhat it flags: teh.\n\nWhy it matters: tests."
    rule("Z901", "test-typo-teh", severity=Severity.WARNING, category=Category.FLUENCY,
         fix=Applicability.SAFE, default_enabled=False, bad=["⟦teh⟧"], good=["the"])(check)
    try:
        yield ("Z901",)
    finally:
        REGISTRY.pop("Z901", None)


def _scan(text, fmt, select=("Z901",)):
    doc = document_from_string(text, path=f"x.{fmt}", fmt=fmt)
    return doc, scan_document(doc, Settings(select=select, target_lang="en")).findings


# -- Markdown -----------------------------------------------------------------------------------

MD = """---
title: teh front matter
---
# A teh heading

Prose with teh typo, `teh code`, a [teh link](https://example.com/teh "teh title") and
<!-- teh comment --> and https://example.com/teh/path here.

```python
print("teh")
```

    indented teh code

[ref]: https://example.com/teh
Last teh line.
"""


def test_markdown_is_analysed_as_written_with_markup_protected():
    with typo_rule() as sel:
        doc, findings = _scan(MD, "markdown", sel)
    assert doc.text == doc.original == MD
    # Only prose: the heading, the sentence, the link text and the last line.
    expected = [MD.index(s) + i for s, i in (("A teh heading", 2), ("with teh typo", 5), ("[teh link", 1), ("Last teh", 5))]
    assert [f.start for f in findings] == expected
    for f in findings:
        assert MD[f.start:f.end] == f.text == "teh"


def test_markdown_unclosed_fence_and_comment_protect_to_the_end():
    text = "Fine teh.\n\n```\nteh\n"
    with typo_rule() as sel:
        _, findings = _scan(text, "markdown", sel)
    assert [f.start for f in findings] == [5]
    with typo_rule() as sel:
        _, findings = _scan("teh <!-- teh", "markdown", sel)
    assert [f.start for f in findings] == [0]


# -- HTML ---------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><title>teh title</title><style>p{}</style><script>var teh="<p>";</script></head>
<body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/teh">Sports</a></nav>
<article>
<h1>Minister says &quot;we will not stop&quot;</h1>
<p>The head of US diplomacy declared on Monday that the country would  continue
with   teh plan.&nbsp;It was a long day in Kyiv, and the delegation met twice.</p>
<p>&ldquo;We cannot let him get away with it&rdquo;declared the minister, according to <a href="x">Reuters</a> &amp; AP.</p>
<p>Many media reported that the talks had failed, and teh delegation returned home on Tuesday evening.</p>
</article>
<aside><h3>Related News</h3><ul><li>Leave A Reply about teh war</li></ul></aside>
<footer>Copyright 2026 teh site</footer>
</body></html>
"""


def test_html_extracts_the_article_with_an_exact_offset_map():
    doc = document_from_string(PAGE, path="p.html", fmt="html")
    paras = [p.text for p in doc.paragraphs]
    assert paras[0] == 'Minister says "we will not stop"'
    assert paras[1].startswith("The head of US diplomacy declared on Monday that the country would continue with teh plan.\u00a0It")
    assert paras[2].startswith("\u201cWe cannot let him get away with it\u201ddeclared the minister")
    assert "Reuters & AP." in paras[2]
    assert len(paras) == 4  # navigation, aside and footer are not article text
    assert "Related" not in doc.text and "Copyright" not in doc.text and "var" not in doc.text
    # Every verbatim run is a true copy of the original.
    for r in doc.offset_map.runs:
        assert doc.text[r.view_start:r.view_start + r.length] == doc.original[r.source_start:r.source_start + r.length]


def test_html_findings_point_into_the_original_and_fixes_only_on_verbatim_text():
    with typo_rule() as sel:
        doc, findings = _scan(PAGE, "html", sel)
    assert len(findings) == 2
    for f in findings:
        assert PAGE[f.start:f.end] == f.text == "teh"
        assert f.fix is not None and f.fix.edits[0].start == f.start
    assert [f.line for f in findings] == [8, 10]


def test_html_entity_spans_map_to_the_whole_entity():
    doc = document_from_string(PAGE, path="p.html", fmt="html")
    i = doc.text.index("\u201c")
    s, e = doc.to_source_span(i, i + 1)
    assert PAGE[s:e] == "&ldquo;"
    j = doc.text.index("\u00a0")
    assert doc.original[slice(*doc.to_source_span(j, j + 1))] == "&nbsp;"
    assert not doc.offset_map.is_verbatim(i, i + 1)


def test_html_fix_on_synthesised_text_is_dropped():
    def check(ctx):
        i = ctx.text.find("\u201c")
        if i >= 0:
            yield Match(i, i + 1, "curly", fix=Fix((Edit(i, i + 1, '"'),)))

    check.__doc__ = "T.\n\nWhat it flags: x.\n\nWhy it matters: y."
    rule("Z902", "test-curly", severity=Severity.INFO, category=Category.STYLE, default_enabled=False)(check)
    try:
        doc = document_from_string(PAGE, path="p.html", fmt="html")
        (f,) = scan_document(doc, Settings(select=("Z902",), target_lang="en")).findings
    finally:
        REGISTRY.pop("Z902", None)
    assert f.text == "&ldquo;" and f.fix is None


def test_short_html_without_an_article_keeps_all_body_text():
    doc = document_from_string("<p>Hello <b>teh</b> world.</p><p>Second.</p>", fmt="html")
    assert doc.text == "Hello teh world.\n\nSecond."


@pytest.mark.parametrize("junk", ["<p>unclosed <b>bold", "<<<>>>", "</p></div>text", "<p>&#xZZ; &#99999999; &bogus;</p>", ""])
def test_malformed_html_still_loads(junk):
    doc = document_from_string(junk, fmt="html")
    for r in doc.offset_map.runs:
        assert doc.text[r.view_start:r.view_start + r.length] == doc.original[r.source_start:r.source_start + r.length]


# -- suppressions -------------------------------------------------------------------------------

def test_ignore_comment_silences_the_next_paragraph_only():
    text = "teh one.\n\n<!-- mtcheck: ignore[Z901] -->\nteh two.\nteh still two.\n\nteh three.\n"
    with typo_rule() as sel:
        doc, findings = _scan(text, "text", sel + ("M001",))
    assert [f.text for f in findings if f.code == "Z901"] == ["teh", "teh"]
    assert [doc.line_col(f.start)[0] for f in findings] == [1, 7]
    assert doc.suppressions[0].used and not [f for f in findings if f.code == "M001"]


def test_trailing_comment_silences_its_own_paragraph():
    text = "First teh. <!-- mtcheck: ignore -->\nSame paragraph teh.\n\nNext teh.\n"
    with typo_rule() as sel:
        doc, findings = _scan(text, "markdown", sel)
    assert [doc.line_col(f.start)[0] for f in findings] == [4]


def test_off_on_region_and_codes_by_prefix_and_name():
    text = "teh a\n<!-- mtcheck: off[Z9] -->\nteh b\n\nteh c\n<!-- mtcheck: on -->\nteh d\n<!-- mtcheck: ignore[test-typo-teh] -->\nteh e\n"
    with typo_rule() as sel:
        doc, findings = _scan(text, "markdown", sel)
    assert [doc.line_col(f.start)[0] for f in findings] == [1, 7]
    assert [s.codes for s in doc.suppressions] == [("Z9",), ("Z901",)]


def test_off_without_on_runs_to_the_end():
    text = "teh a\n<!-- mtcheck: off -->\nteh b\n\nteh c\n"
    with typo_rule() as sel:
        _, findings = _scan(text, "text", sel)
    assert [f.start for f in findings] == [0]


def test_unused_suppression_is_flagged_with_a_removal_fix_in_every_format():
    md = "Clean text.\n\n<!-- mtcheck: ignore[Z901] -->\nStill clean.\n"
    html = "<article><p>Clean text here for the page.</p>\n<!-- mtcheck: ignore[Z901] -->\n<p>Still clean.</p></article>"
    for text, fmt in ((md, "markdown"), (md, "text"), (html, "html")):
        with typo_rule() as sel:
            doc, findings = _scan(text, fmt, sel + ("M001",))
        (f,) = findings
        assert (f.code, f.text) == ("M001", "<!-- mtcheck: ignore[Z901] -->"), fmt
        assert text[f.start:f.end] == f.text


def test_suppression_of_a_rule_that_did_not_run_is_not_judged():
    text = "<!-- mtcheck: ignore[Z901] -->\nClean.\n"
    _, findings = _scan(text, "text", ("M001",))
    assert findings == []


def test_suppression_of_a_rule_skipped_for_lack_of_an_engine_is_not_judged():
    # F101 needs a back-translation; a plain scan has none, so the rule does not run.
    _, findings = _scan("<!-- mtcheck: ignore[F101] -->\nClean.\n", "text", ("M001", "F101"))
    assert findings == []
    _, findings = _scan("<!-- mtcheck: ignore[F101,M] -->\nClean.\n", "text", ("M001", "F101"))
    assert [f.code for f in findings] == ["M001"]


def test_suppression_inside_html_script_or_markdown_code_is_not_a_suppression():
    doc = document_from_string("<p>A</p><script>x='<!-- mtcheck: off -->'</script><p>B</p>", fmt="html")
    assert doc.suppressions == [] and "mtcheck" not in doc.text
    md = "Use `<!-- mtcheck: off -->` to stop.\n\n```\n<!-- mtcheck: ignore -->\n```\n\n    <!-- mtcheck: on -->\n"
    assert document_from_string(md, fmt="markdown").suppressions == []
    assert len(document_from_string(md, fmt="text").suppressions) == 2  # plain text has no code


def test_load_path_records_encoding_warning_and_bom(tmp_path):
    p = tmp_path / "a.md"
    p.write_bytes("\ufeff# Título\n\nTexto.\n".encode("utf-8"))
    doc = load_path(str(p))
    assert (doc.fmt, doc.encoding, doc.metadata["bom"], doc.original[:1]) == ("markdown", "utf-8", True, "#")


# -- adversarial input (its timing is measured in benchmarks/bench_scan.py) --------------------


@pytest.mark.parametrize("kind", sorted(LOADER_ADVERSARIAL))
@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_adversarial_200kb_lines_load_with_exact_offsets(kind, fmt):
    # Unterminated tags, comments and link syntax once made html.parser and a hard-break pattern
    # quadratic; the benchmark checks the growth, this checks the offset map stays exact.
    text = LOADER_ADVERSARIAL[kind](200_000)
    doc = document_from_string(text, fmt=fmt)
    for r in doc.offset_map.runs:
        assert doc.text[r.view_start:r.view_start + r.length] == text[r.source_start:r.source_start + r.length]
