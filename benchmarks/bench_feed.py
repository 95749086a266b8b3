"""Benchmark `mtcheck feed`: items/s on a 500-item feed served from 127.0.0.1.

Scenarios (each a real `python -m mtcheck feed` run, wall time including start-up and the fetch):

* rules only, with 1 and 2 worker processes: cold (a fresh state database) and warm (a second run
  over the same state: nothing new to audit, answered by a conditional GET);
* rules + back-translation fidelity (Apertium, when installed), with 1 and 2 workers: cold (an
  empty translation cache) and warm (``--all`` re-audits every item with the cache filled).

The feed's items are news-style articles of a few paragraphs, made by reshuffling the corpora's
machine-translated paragraphs (seeded, so every run audits the same text).

Usage: .venv/bin/python benchmarks/bench_feed.py [--items 500] [--paragraphs 3] [--no-fidelity]
"""

from __future__ import annotations

import argparse
import functools
import html
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def make_feed(folder: Path, items: int, paragraphs: int) -> int:
    """Write ``folder/feed.xml`` with ``items`` items; returns its size in bytes."""
    rng = random.Random(500)
    pool = []
    for p in sorted((ROOT / "corpora" / "mt").rglob("*.txt")):
        if "source" not in p.parts:
            pool += [x.strip() for x in p.read_text(encoding="utf-8").split("\n\n")[1:] if len(x.strip()) > 80]
    out = ['<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
           'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Bench</title>'
           "<link>http://127.0.0.1/</link><description>bench</description><language>en</language>"]
    for n in range(items):
        body = "".join(f"<p>{html.escape(p)}</p>" for p in rng.sample(pool, paragraphs))
        title = html.escape(rng.choice(pool).split(".")[0][:90])
        out.append(f"<item><title>{title}</title><link>http://127.0.0.1/a/{n}</link><guid>bench-{n}</guid>"
                   f"<pubDate>Mon, 01 Sep 2025 08:00:00 GMT</pubDate>"
                   f"<content:encoded><![CDATA[{body}]]></content:encoded></item>")
    out.append("</channel></rss>\n")
    data = "".join(out).encode("utf-8")
    (folder / "feed.xml").write_bytes(data)
    return len(data)


def serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/feed.xml"


def run(url: str, cwd: Path, *args: str) -> float:
    cmd = [PY, "-m", "mtcheck", "feed", url, "--source-lang", "es", "--exit-zero", "--max-items", "100000", *args]
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if r.returncode not in (0, 1):
        raise SystemExit(f"mtcheck feed failed ({r.returncode}): {r.stderr.strip()[:500]}")
    return wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--items", type=int, default=500)
    ap.add_argument("--paragraphs", type=int, default=3, help="paragraphs per item")
    ap.add_argument("--no-fidelity", action="store_true", help="skip the back-translation scenarios")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="mtcheck-bench-feed-"))
    size = make_feed(work, args.items, args.paragraphs)
    httpd, url = serve(work)
    print(f"feed: {args.items} items, {size / 1e6:.2f} MB, {url}")
    rows = []

    def scenario(label: str, jobs: int, state: Path, *extra: str, expect_audit: bool = True) -> None:
        wall = run(url, work, "--state", str(state), "--jobs", str(jobs), *extra)
        audited = args.items if expect_audit else 0
        rows.append((label, jobs, audited, wall, args.items / wall))
        print(f"  {label:<42} jobs {jobs}: {wall:7.2f} s  {args.items / wall:8.1f} items/s", flush=True)

    rules = ("--engine", "none", "--format", "json", "--output", str(work / "out.json"))
    for jobs in (1, 2):
        state = work / f"rules-{jobs}.db"
        scenario("rules only, cold state", jobs, state, *rules)
        scenario("rules only, warm state (nothing new)", jobs, state, *rules, expect_audit=False)

    if not args.no_fidelity and shutil.which("apertium"):
        for jobs in (1, 2):
            cache = work / f"cache-{jobs}.db"
            fid = ("--engine", "apertium", "--cache-path", str(cache), "--format", "json",
                   "--output", str(work / "out.json"))
            state = work / f"fid-{jobs}.db"
            scenario("rules + fidelity (apertium), cold cache", jobs, state, *fid)
            scenario("rules + fidelity, warm cache (--all)", jobs, state, *fid, "--all")
    elif not args.no_fidelity:
        print("  (Apertium not installed: fidelity scenarios skipped)")

    httpd.shutdown()
    shutil.rmtree(work, ignore_errors=True)
    print("\n| scenario | jobs | items audited | wall (s) | items/s |\n|---|---:|---:|---:|---:|")
    for label, jobs, audited, wall, rate in rows:
        print(f"| {label} | {jobs} | {audited} | {wall:.2f} | {rate:.1f} |")


if __name__ == "__main__":
    main()
