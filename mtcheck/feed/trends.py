"""``mtcheck feed-report``: trends per feed from the ``history`` table.

Per feed and period: items audited, findings per 1,000 words (pooled: all findings over all words,
so long articles weigh what they contain), mean quality score, mean fidelity, items that failed the
gate, the most frequent rule codes, one row per day, and the worst items (lowest score; an item
audited several times counts with its latest audit).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone

from mtcheck.errors import UsageError
from mtcheck.feed.state import HistoryRow, State

_PERIOD = re.compile(r"^\s*(\d+)\s*([hdw])\s*$", re.IGNORECASE)
_UNIT = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


def parse_since(text: str, now: datetime | None = None) -> str:
    """``7d``/``24h``/``2w`` before now, or a date/time, as an ISO UTC string."""
    now = now or datetime.now(timezone.utc)
    m = _PERIOD.match(text)
    if m:
        return (now - int(m.group(1)) * _UNIT[m.group(2).lower()]).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"--since {text!r}: use a period (7d, 24h, 2w) or a date (2026-11-01)") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Stats:
    """Aggregates over a set of item audits."""

    items: int = 0
    words: int = 0
    findings: int = 0
    failed: int = 0
    per_1000_words: float = 0.0
    mean_score: float | None = None
    mean_fidelity: float | None = None


@dataclass
class DayTrend(Stats):
    day: str = ""


@dataclass
class FeedTrend:
    feed: str
    total: Stats
    days: list[DayTrend] = field(default_factory=list)
    worst: list[dict] = field(default_factory=list)
    top_codes: list[tuple[str, int]] = field(default_factory=list)
    runs: int = 0

    @property
    def direction(self) -> str:
        """``better``/``worse``/``steady`` comparing the first and last day's findings rate."""
        if len(self.days) < 2:
            return "steady"
        first, last = self.days[0].per_1000_words, self.days[-1].per_1000_words
        if abs(last - first) < 0.5:
            return "steady"
        return "worse" if last > first else "better"


@dataclass
class TrendReport:
    since: str
    feeds: list[FeedTrend] = field(default_factory=list)
    known_feeds: list[str] = field(default_factory=list)


def _stats(rows: list[HistoryRow], cls=Stats, **extra) -> Stats:
    s = cls(**extra)
    s.items = len(rows)
    s.words = sum(r.words for r in rows)
    s.findings = sum(r.findings for r in rows)
    s.failed = sum(1 for r in rows if not r.passed)
    s.per_1000_words = 1000.0 * s.findings / s.words if s.words else 0.0
    scores = [r.score for r in rows if r.score is not None]
    fids = [r.fidelity for r in rows if r.fidelity is not None]
    s.mean_score = sum(scores) / len(scores) if scores else None
    s.mean_fidelity = sum(fids) / len(fids) if fids else None
    return s


def trends(db: State, since: str, *, feed: str | None = None, worst: int = 5) -> TrendReport:
    """Trends per feed since ``since`` (ISO UTC)."""
    report = TrendReport(since=since, known_feeds=db.feeds())
    by_feed: dict[str, list[HistoryRow]] = defaultdict(list)
    for row in db.history(since, feed):
        by_feed[row.feed].append(row)
    runs = Counter(r["feed"] for r in db.runs(since, feed))
    for name in sorted(by_feed):
        rows = by_feed[name]
        t = FeedTrend(feed=name, total=_stats(rows), runs=runs.get(name, 0))
        per_day: dict[str, list[HistoryRow]] = defaultdict(list)
        for r in rows:
            per_day[r.audited_at[:10]].append(r)
        t.days = [_stats(per_day[d], DayTrend, day=d) for d in sorted(per_day)]
        latest: dict[str, HistoryRow] = {}
        for r in rows:
            latest[r.guid] = r
        ranked = sorted(latest.values(), key=lambda r: (r.score if r.score is not None else 101.0,
                                                        -(r.findings / max(r.words, 1))))
        t.worst = [
            {"title": r.title, "link": r.link, "guid": r.guid, "audited_at": r.audited_at, "score": r.score,
             "findings": r.findings, "words": r.words, "fidelity": r.fidelity, "passed": r.passed,
             "codes": r.codes}
            for r in ranked[:worst] if r.findings or not r.passed
        ]
        codes: Counter = Counter()
        for r in rows:
            codes.update(r.codes)
        t.top_codes = codes.most_common(5)
        report.feeds.append(t)
    return report


def _n(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def render_text(report: TrendReport) -> str:
    from mtcheck.feed.table import _fit

    if not report.feeds:
        return f"No feed audits since {report.since}.\n"
    out: list[str] = []
    for t in report.feeds:
        s = t.total
        out.append(f"{t.feed}")
        out.append(
            f"  since {report.since}: {t.runs} run{'s' if t.runs != 1 else ''}, {s.items} item audit"
            f"{'s' if s.items != 1 else ''}, {s.words:,} words, {s.findings} findings = "
            f"{s.per_1000_words:.1f} per 1,000 words ({t.direction}); mean score {_n(s.mean_score)}, "
            f"mean fidelity {_n(s.mean_fidelity)}; {s.failed} failed the gate"
        )
        out.append("")
        out.append(f"  {'day':<10}  {'items':>5}  {'words':>7}  {'per 1k':>6}  {'score':>6}  {'fidel.':>6}  {'failed':>6}")
        for d in t.days:
            out.append(f"  {d.day:<10}  {d.items:>5}  {d.words:>7,}  {d.per_1000_words:>6.1f}  {_n(d.mean_score):>6}  "
                       f"{_n(d.mean_fidelity):>6}  {d.failed:>6}")
        if t.top_codes:
            out.append("")
            out.append("  most frequent: " + ", ".join(f"{c} ×{n}" for c, n in t.top_codes))
        if t.worst:
            out.append("")
            out.append("  worst items:")
            for w in t.worst:
                title = _fit(" ".join((w["title"] or w["guid"]).split()), 50)
                noun = "finding " if w["findings"] == 1 else "findings"
                out.append(f"    {_n(w['score']):>5}  {w['findings']:>3} {noun}  {title}  {w['link'] or ''}".rstrip())
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def render_json(report: TrendReport) -> str:
    data = {
        "since": report.since,
        "feeds": [
            {"feed": t.feed, "runs": t.runs, "direction": t.direction, "total": asdict(t.total),
             "days": [asdict(d) for d in t.days], "top_codes": [{"code": c, "count": n} for c, n in t.top_codes],
             "worst": t.worst}
            for t in report.feeds
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
