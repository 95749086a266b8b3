"""The HTML report: one self-contained file, everything escaped, findings highlighted inline, and
rendered by a real browser (headless Chromium) with the highlights in the rendered DOM. The
screenshot is kept as a test artifact under ``artifacts/``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import run_cli

from .feedkit import BAD, article

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
QUICK = ("--source-lang", "es", "--engine", "none", "--select", "Q,G")


class _Collect(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(page: str) -> list[tuple[str, dict]]:
    p = _Collect()
    p.feed(page)
    return p.tags


def chromium(*args: str, user_data: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={user_data}", *args],
        capture_output=True, text=True, timeout=timeout,
    )


@pytest.fixture(scope="module")
def report(feed_server, tmp_path_factory):
    """A feed report with the failing seed article, two clean ones and an item with hostile content."""
    tmp_path = tmp_path_factory.mktemp("html")
    out = tmp_path / "report.html"
    r = run_cli("feed", feed_server.url("feed.xml"), *QUICK, "--no-state", "--format", "html", "--output", str(out),
            cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    hostile = tmp_path / "hostile.html"
    r = run_cli("feed", feed_server.url("hostile-content.xml"), *QUICK, "--no-state", "--format", "html",
            "--output", str(hostile), cwd=tmp_path)
    assert r.returncode in (0, 1), r.stderr
    return out, hostile


def test_broken_feed_is_audited_and_its_warnings_shown(cli, feed_server, tmp_path):
    r = cli("feed", feed_server.url("broken.xml"), *QUICK, "--no-state", "--format", "html", "--output", "b.html",
            cwd=tmp_path)
    assert r.returncode == 0, r.stderr  # ill-formed, yet its items are audited
    assert r.stderr.startswith("mtcheck: warning: ") and "ill-formed XML at line" in r.stderr
    page = (tmp_path / "b.html").read_text(encoding="utf-8")
    assert re.search(r'<ul class="warnings"><li>ill-formed XML at line \d+', page), r.stderr
    assert "2 items; 2 audited (2 new, 0 changed)" in page


def test_report_is_self_contained_and_escaped(report, feed_server):
    out, hostile = report
    for path in (out, hostile):
        page = path.read_text(encoding="utf-8")
        found = tags(page)
        names = {t for t, _ in found}
        assert not names & {"script", "link", "img", "iframe", "object", "embed", "base", "form"}
        assert all("src" not in attrs for _, attrs in found)
        assert "default-src 'none'" in page  # the browser may load nothing else
        for tag, attrs in found:
            if tag == "a":
                assert attrs["href"].startswith(("#doc-", "#f-", "http://127.0.0.1:")), attrs
            assert not any(k.startswith("on") for k in attrs), (tag, attrs)
    page = hostile.read_text(encoding="utf-8")
    assert "<h2>1. document.title=&#x27;pwned&#x27; Kyiv &quot;report&quot;</h2>" in page
    assert "<script" not in page and "alert(2)" not in page
    assert "javascript:" not in re.sub(r"<code>javascript:alert\(1\)</code>", "", page)


def test_items_scores_and_inline_highlights(report):
    out, _ = report
    page = out.read_text(encoding="utf-8")
    bad_title = article(BAD)[0]
    assert page.count('<section class="doc"') == 3
    assert f'<a href="#doc-1">{bad_title}</a>' in page
    assert '<span class="verdict fail">FAIL</span>' in page and page.count('<span class="verdict pass">pass</span>') >= 2
    # The seed's glued quote ("…it"declared) is marked inline, explained on hover and in a footnote.
    marks = re.findall(r'<mark class="f sev-(\w+)"[^>]*title="([^"]*)">([^<]*)</mark>', page)
    assert any("Q1" in tip and '&quot;' in text for _, tip, text in marks), marks[:5]
    assert re.search(r'<li id="f-1-\d+"><span class="code">Q1\d\d</span>', page)


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium")
def test_report_renders_in_chromium_with_highlights(report, feed_server, tmp_path):
    out, hostile = report
    before = feed_server.hits("/secret")
    dom = chromium("--dump-dom", out.as_uri(), user_data=tmp_path / "profile")
    assert dom.returncode == 0, dom.stderr[-2000:]
    rendered = dom.stdout
    assert "<mark" in rendered
    source_marks = out.read_text(encoding="utf-8").count("<mark ")
    assert rendered.count("<mark ") == source_marks > 0
    assert re.search(r'<mark class="f sev-(warning|error)"[^>]*title="Q1', rendered)

    hostile_dom = chromium("--dump-dom", hostile.as_uri(), user_data=tmp_path / "profile")
    assert "<title>" in hostile_dom.stdout and "pwned</title>" not in hostile_dom.stdout  # no script ran
    assert feed_server.hits("/secret") == before  # nothing was loaded from the network

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "feed-report.png"
    if shot.exists():
        shot.unlink()
    r = chromium(f"--screenshot={shot}", "--window-size=1280,1600", "--hide-scrollbars", out.as_uri(),
                 user_data=tmp_path / "profile")
    assert r.returncode == 0 and shot.exists() and shot.stat().st_size > 10_000, r.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    print(f"\nscreenshot: {shot}")
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        Path(os.environ["GITHUB_STEP_SUMMARY"]).open("a").write(f"HTML report screenshot: {shot}\n")


def test_output_dir_writes_one_page_per_item(cli, feed_server, tmp_path):
    r = cli("feed", feed_server.url("feed.xml"), *QUICK, "--no-state", "--format", "html", "--output-dir", "pages",
            "--output", "all.html", cwd=tmp_path)
    assert r.returncode == 1
    pages = sorted((tmp_path / "pages").glob("*.html"))
    assert len(pages) == 3
    assert all(p.read_text(encoding="utf-8").count('<section class="doc"') == 1 for p in pages)


def test_highlighting_maps_html_offsets_and_handles_overlaps_and_points():
    from mtcheck.findings import Category, Finding, Severity
    from mtcheck.io.loaders import document_from_string
    from mtcheck.reporters import ReportContext, render
    from mtcheck.results import DocumentResult

    src = ('<html><body><article><h1>Kyiv &amp; <b>war</b></h1><p>"We cannot let him get away with it"declared '
           "the minister.</p><p>They rescue to more than 300 migrants.</p></article></body></html>")
    doc = document_from_string(src, path="https://example.org/a", fmt="html")

    def finding(sub, code, sev, msg, width=None):
        start = src.index(sub)
        end = start + (len(sub) if width is None else width)
        line, col = doc.line_col(start)
        end_line, end_col = doc.line_col(end)
        return Finding(code, f"rule-{code.lower()}", sev, Category.FLUENCY, msg, start, end, src[start:end],
                       line, col, end_line, end_col)

    findings = [
        finding('"d', "Q101", Severity.WARNING, "glued <quote>"),
        finding('it"declared', "Q102", Severity.ERROR, "overlaps Q101"),
        finding("rescue to", "G101", Severity.WARNING, "personal a"),
        finding("war", "N101", Severity.INFO, "inside <b> in the original"),
        finding("300", "W101", Severity.WARNING, "missing something here", width=0),
    ]
    result = DocumentResult(path=doc.path, document=doc, findings=findings, target_lang="en")
    page = render("html", [result], ReportContext(command="scan"))
    text = page.split('<div class="text">', 1)[1].split("</div>", 1)[0]
    # Offsets into the HTML source land on the right words of the article text.
    assert 'title="N101 rule-n101 (info): inside &lt;b&gt; in the original">war</mark>' in text
    assert '>rescue to</mark>' in text
    # Overlap: the shared segment carries both findings and the worse severity.
    assert re.search(r'<mark class="f sev-error" data-findings="f2 f3" title="Q102[^"]*&#10;?\s*Q101[^"]*">&quot;d</mark>',
                     text.replace("\n", "&#10;"))
    # A zero-width finding is a caret mark before "300".
    assert re.search(r'<mark class="f point sev-warning" title="W101[^"]*">‸</mark><sup class="ref"><a href="#f-1-\d">\d</a></sup>300', text)
    # Unmarked text is intact once tags are stripped (the caret aside).
    plain = re.sub(r"<sup.*?</sup>|<[^>]+>", "", text).replace("‸", "")
    assert plain.replace("&quot;", '"').replace("&amp;", "&") == doc.text
    assert page.count('<li id="f-1-') == 5
