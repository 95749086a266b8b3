"""``mtcheck feed`` (audit the new items of a feed, gate CI on them) and ``mtcheck feed-report``
(trends per feed from the state database)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from mtcheck.cli.app import app
from mtcheck.cli.common import (
    EXIT_CODES_HELP,
    CommonOptions,
    apply_baseline,
    check_choice,
    check_engine,
    common_options,
    error,
    handle_errors,
    use_color,
    warn,
    write_atomic,
    write_report,
)

_FEED_HELP = f"""Audit the new and changed items of a news feed; gate CI on them.

SOURCE is an http(s) feed URL (RSS 0.9x/1.0/2.0, Atom 1.0, JSON Feed), a local feed file (- reads
stdin), or a folder of articles (.txt, .md, .html, .json). Items already audited with the same content and the
same settings are skipped (state in --state); --all audits everything again.

Examples:

  mtcheck feed https://example.org/feed.xml --source-lang es --format sarif --output results.sarif

  mtcheck feed https://example.org/feed.xml --fetch-articles --jobs 4 --min-score 90

  mtcheck feed articles/ --format html --output report.html --all

{EXIT_CODES_HELP} A feed that cannot be fetched or parsed exits 2; an item whose article page
fails is reported as an error (exit 2) while the other items are audited.
"""

_PANEL_FEED = "Feed"
_PANEL_NET = "Network limits"
_PANEL_FID = "Fidelity (as in `mtcheck audit`)"

#: File extension of a per-item report, by format.
_EXT = {"text": "txt", "json": "json", "sarif": "sarif", "github": "txt", "junit": "xml", "html": "html"}


@app.command(help=_FEED_HELP, epilog="Trends over time: `mtcheck feed-report --since 7d`.")
@handle_errors
@common_options
def feed(
    source: Annotated[str, typer.Argument(help="Feed URL, feed file (- for stdin), or folder of articles.",
                                          metavar="SOURCE")],
    state: Annotated[Path, typer.Option("--state", help="SQLite state file.", metavar="PATH",
                                        dir_okay=False, rich_help_panel=_PANEL_FEED)] = Path(".mtcheck/state.db"),
    no_state: Annotated[bool, typer.Option("--no-state", help="Remember nothing: audit every item, record nothing.",
                                           rich_help_panel=_PANEL_FEED)] = False,
    redo_all: Annotated[bool, typer.Option("--all", help="Audit every item again, not only new or changed ones.",
                                           rich_help_panel=_PANEL_FEED)] = False,
    fetch_articles: Annotated[bool, typer.Option(
        "--fetch-articles", help="Audit the text of each item's linked page instead of the feed's content.",
        rich_help_panel=_PANEL_FEED)] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, max=256, metavar="N",
                                      help="Audit items in N worker processes (0: one per CPU), as scan --jobs.",
                                      rich_help_panel=_PANEL_FEED)] = 1,
    output_dir: Annotated[Path | None, typer.Option(
        "--output-dir", help="Also write one report per item (in --format) into DIR.", metavar="DIR",
        file_okay=False, rich_help_panel=_PANEL_FEED)] = None,
    html_report: Annotated[Path | None, typer.Option(
        "--html", help="Also write the HTML report to FILE (whatever --format is).", metavar="FILE",
        dir_okay=False, rich_help_panel=_PANEL_FEED)] = None,
    max_items: Annotated[int, typer.Option("--max-items", min=1, help="Audit at most N items of the feed.",
                                           rich_help_panel=_PANEL_FEED)] = 1000,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Read timeout per request, in seconds.",
                                           rich_help_panel=_PANEL_NET)] = 20.0,
    connect_timeout: Annotated[float, typer.Option("--connect-timeout", min=0.1, help="Connect timeout, in seconds.",
                                                   rich_help_panel=_PANEL_NET)] = 10.0,
    deadline: Annotated[float, typer.Option(
        "--deadline", min=0.5, help="Total seconds for fetching and parsing the feed (retries included); article "
        "pages get half of it each.", rich_help_panel=_PANEL_NET)] = 60.0,
    retries: Annotated[int, typer.Option("--retries", min=0, max=10, help="Retries on 429, 5xx and dropped "
                                         "connections (Retry-After is honoured).", rich_help_panel=_PANEL_NET)] = 3,
    engine: Annotated[str, typer.Option(
        "--engine", "-e", help="Fidelity engine: auto, argos, apertium, or none for rule findings only. Fidelity "
        "runs when the source language is known.", metavar="ENGINE", rich_help_panel=_PANEL_FID)] = "auto",
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the translation cache.",
                                           rich_help_panel=_PANEL_FID)] = False,
    cache_path: Annotated[str | None, typer.Option("--cache-path", help="Translation cache file.", metavar="FILE",
                                                   rich_help_panel=_PANEL_FID)] = None,
    threshold: Annotated[float | None, typer.Option(
        "--threshold", min=0, max=100, help="Round-trip chrF under which a sentence is flagged (F101) and an item "
        "fails the gate.", rich_help_panel=_PANEL_FID)] = None,
    metrics: Annotated[str, typer.Option("--metrics", "-m", help="Fidelity metrics: chrf, and bleu, ter on request.",
                                         rich_help_panel=_PANEL_FID)] = "chrf",
    max_bytes: Annotated[str, typer.Option(
        "--max-bytes", help="Largest feed or page, downloaded or decompressed (e.g. 20MB, 500kB).",
        metavar="SIZE", rich_help_panel=_PANEL_NET)] = "20MB",
    opts: CommonOptions = None,
) -> None:
    from mtcheck.errors import UsageError
    from mtcheck.feed.http import FetchLimits
    from mtcheck.feed.pipeline import FeedOptions, record_run, run_feed
    from mtcheck.feed.state import State
    from mtcheck.gate import evaluate_all, exit_code

    check_engine(engine, "none")
    settings = opts.settings()
    if engine not in ("auto", "none") and not settings.source_lang:
        raise UsageError(f"--engine {engine} back-translates into the source language: pass --source-lang "
                         "(e.g. --source-lang es) or set source-lang in the config")
    engine_options: dict = {"use_cache": not no_cache, "cache_path": cache_path}
    if engine != "none":
        from mtcheck.scoring.fidelity import parse_metrics

        engine_options.update(metrics=parse_metrics(metrics), threshold=threshold)
        if threshold is not None:
            settings.fidelity_threshold = threshold
    cap = parse_size(max_bytes)
    limits = FetchLimits(connect_timeout=connect_timeout, read_timeout=timeout, deadline=deadline,
                         max_bytes=cap, retries=retries)
    article_limits = FetchLimits(connect_timeout=connect_timeout, read_timeout=timeout, deadline=max(0.5, deadline / 2),
                                 max_bytes=min(cap, 5 * 1024 * 1024), retries=min(retries, 2))
    if jobs == 0:
        from mtcheck.api import cpu_count

        jobs = cpu_count()
    options = FeedOptions(fetch_articles=fetch_articles, jobs=jobs, redo_all=redo_all or bool(opts.write_baseline),
                          max_items=max_items, limits=limits, article_limits=article_limits,
                          engine=None if engine == "none" else engine, engine_options=engine_options)

    db = None if no_state else State(state)
    try:
        run = run_feed(source, settings, options, db)
        results = apply_baseline(run.results, opts)
        verdicts = evaluate_all(results, settings)
        run.results = results
        if db is not None:
            record_run(db, run, verdicts)
    finally:
        if db is not None:
            db.close()

    for w in run.feed.warnings:
        warn(f"{run.key}: {w}")
    for notice in run.notices:
        warn(notice)
    from mtcheck.rules import select_rules

    report_options = {"fail_on": _fail_on_label(settings), "feed": run.key, "feed_title": run.feed.title,
                      "junit_cases": "document", "rules": select_rules(settings.select, settings.ignore),
                      "warnings": [*run.feed.warnings, *run.notices],
                      "summary": summary_line(run, verdicts)}
    write_report(render_feed(opts.format, results, verdicts, report_options, opts), opts.output)
    if html_report is not None:
        write_atomic(html_report, render_feed("html", results, verdicts, report_options))
    if output_dir is not None:
        write_item_reports(output_dir, opts.format, results, verdicts, report_options)
    for r in results:
        if r.error is not None:
            error(r.error)
    raise typer.Exit(exit_code(results, verdicts, exit_zero=opts.exit_zero))


def render_feed(fmt: str, results, verdicts, options: dict, opts: CommonOptions | None = None) -> str:
    """The whole run's report: the item table for ``text``, else the shared reporter."""
    from mtcheck.reporters import ReportContext, render

    if fmt == "text":
        from mtcheck.feed.table import render_table

        color = opts is not None and opts.output is None and use_color()
        return render_table(results, verdicts, summary=options.get("summary", ""), color=color)
    ctx = ReportContext(command="feed", verdicts=verdicts, options=dict(options))
    return render(fmt, results, ctx)


def write_item_reports(folder: Path, fmt: str, results, verdicts, options: dict) -> list[Path]:
    """One report per item in ``folder``, named ``NNN-slug.EXT``."""
    from mtcheck.errors import UsageError
    from mtcheck.reporters import ReportContext, render

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UsageError(f"cannot create {folder}: {e.strerror or e}") from None
    written = []
    for i, r in enumerate(results):
        name = f"{i + 1:03d}-{slug(r.meta.get('title') or r.meta.get('guid') or r.path or 'item')}.{_EXT[fmt]}"
        ctx = ReportContext(command="feed", verdicts={0: verdicts[i]} if i in verdicts else {},
                            options={**options, "summary": ""})
        path = folder / name
        write_atomic(path, render(fmt, [r], ctx))
        written.append(path)
    return written


_SLUG = re.compile(r"[^\w]+")


def slug(text: str, limit: int = 60) -> str:
    """A file-name-safe slug: ``"Kyiv: a day"`` → ``kyiv-a-day``."""
    s = _SLUG.sub("-", text.lower()).strip("-")[:limit].strip("-")
    return s or "item"


def parse_size(text: str) -> int:
    """``20MB`` → 20971520 bytes (:func:`mtcheck.io.loaders.parse_size`, as ``fix --max-file-size``),
    at least 1kB."""
    from mtcheck.errors import UsageError
    from mtcheck.io.loaders import parse_size as parse

    try:
        n = parse(text)
    except UsageError as e:
        raise UsageError(f"--max-bytes {e}") from None
    if n < 1024:
        raise UsageError(f"--max-bytes {text!r} is too small (at least 1kB)")
    return n


def summary_line(run, verdicts) -> str:
    """``feed URL (rss20): 12 items; 3 audited (2 new, 1 changed), 9 unchanged; 1 failed``."""
    feed = run.feed
    if feed.not_modified:
        return f"{run.key}: not modified since the last run (HTTP 304); nothing to audit"
    errored = sum(1 for r in run.results if r.error is not None)
    failed = sum(1 for i, r in enumerate(run.results) if r.error is None and not verdicts.get(i, (True,))[0])
    kind = f" ({feed.kind})" if feed.kind else ""
    n = len(feed.items)
    audited = len(run.results)
    parts = [f"{run.key}{kind}: {n} item{'s' if n != 1 else ''}"]
    if audited:
        parts.append(f"{audited} audited ({run.new} new, {run.changed} changed), {run.unchanged} unchanged")
    else:
        parts.append(f"nothing new to audit ({run.unchanged} unchanged)")
    verdict = f"{failed} failed the gate" if failed else "all passed" if audited else ""
    if errored:
        verdict += f"{', ' if verdict else ''}{errored} could not be audited"
    if verdict:
        parts.append(verdict)
    return "; ".join(parts)


def _fail_on_label(settings) -> str:
    fail_on = getattr(settings, "fail_on", None)
    return "never" if fail_on is None else getattr(fail_on, "value", str(fail_on))


# -- feed-report ---------------------------------------------------------------------------------

_REPORT_HELP = """Show trends per feed from the state database: items audited, findings per 1,000
words, mean score and fidelity per day, and the worst items.

Examples:

  mtcheck feed-report --since 7d

  mtcheck feed-report --since 2026-11-01 --feed https://example.org/feed.xml --format json
"""


@app.command("feed-report", help=_REPORT_HELP)
@handle_errors
def feed_report(
    since: Annotated[str, typer.Option("--since", help="Period: 7d, 24h, 2w, or a date (2026-11-01).",
                                       metavar="WHEN")] = "7d",
    state: Annotated[Path, typer.Option("--state", help="SQLite state file.", metavar="PATH",
                                        dir_okay=False)] = Path(".mtcheck/state.db"),
    feed_filter: Annotated[str | None, typer.Option("--feed", help="Only this feed (as `mtcheck feed` named it).",
                                                    metavar="FEED")] = None,
    worst: Annotated[int, typer.Option("--worst", min=0, help="How many worst items to list per feed.")] = 5,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.", metavar="FMT")] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to FILE.", metavar="FILE",
                                                dir_okay=False)] = None,
) -> None:
    from mtcheck.errors import InputError, UsageError
    from mtcheck.feed.state import State
    from mtcheck.feed.trends import parse_since, render_json, render_text, trends

    check_choice("--format", fmt, ("text", "json"))
    start = parse_since(since)
    if not state.exists():
        raise InputError(f"{state}: no state database yet (run `mtcheck feed SOURCE` first)")
    with State(state) as db:
        report = trends(db, start, feed=feed_filter, worst=worst)
    if feed_filter and not report.feeds:
        known = ", ".join(report.known_feeds) or "none"
        raise UsageError(f"--feed {feed_filter!r}: no history for this feed since {start} (feeds: {known})")
    text = render_json(report) if fmt == "json" else render_text(report)
    write_report(text, output)
