"""The feed audit: read the source, pick new or changed items, audit them (in worker processes with
``jobs > 1``), and record what was audited.

:func:`run_feed` reads and audits; the caller applies the baseline and the gate, then calls
:func:`record_run` so the state remembers each item's verdict. Each worker process builds one
:class:`ItemAuditor` in its initializer, so engine models load once per process, not once per item.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace

from mtcheck.errors import MtcheckError
from mtcheck.feed.http import FetchLimits, fetch
from mtcheck.feed.parse import MAX_ITEMS, FeedItem, ParsedFeed
from mtcheck.feed.sources import Conditional, feed_key, load_source
from mtcheck.feed.state import KnownItem, State
from mtcheck.results import DocumentResult
from mtcheck.settings import Settings

#: Article pages are smaller than feeds and must not hold up the run.
ARTICLE_LIMITS = FetchLimits(connect_timeout=10.0, read_timeout=15.0, deadline=30.0, max_bytes=5 * 1024 * 1024,
                             retries=2)


@dataclass
class FeedOptions:
    """How a feed is read and audited (everything but the rule settings)."""

    fetch_articles: bool = False
    jobs: int = 1
    redo_all: bool = False
    max_items: int = MAX_ITEMS
    limits: FetchLimits = field(default_factory=FetchLimits)
    article_limits: FetchLimits = ARTICLE_LIMITS
    #: Fidelity: engine name (``argos``, ``apertium``) and the audit options, or None for rules only.
    engine: str | None = None
    engine_options: dict = field(default_factory=dict)


@dataclass
class FeedRun:
    """What one run read and audited. ``results`` are the audited items, in feed order."""

    key: str
    feed: ParsedFeed
    audit_key: str
    results: list[DocumentResult] = field(default_factory=list)
    new: int = 0
    changed: int = 0
    unchanged: int = 0

    @property
    def seen(self) -> int:
        return len(self.feed.items)


def audit_key(settings: Settings, options: FeedOptions) -> str:
    """A hash of everything that changes an item's findings; a different key re-audits every item."""
    from mtcheck import __version__

    payload = {
        "version": __version__,
        "select": list(settings.select),
        "ignore": list(settings.ignore),
        "severity": {k: getattr(v, "value", v) for k, v in sorted(settings.severity.items())},
        "rule_options": settings.rule_options,
        "source_lang": settings.source_lang,
        "target_lang": settings.target_lang,
        "fetch_articles": options.fetch_articles,
        "engine": options.engine,
        "engine_options": options.engine_options,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:16]


def run_feed(source: str, settings: Settings, options: FeedOptions, state: State | None = None) -> FeedRun:
    """Read ``source`` and audit its new or changed items (every item with ``redo_all``)."""
    key = feed_key(source)
    akey = audit_key(settings, options)
    conditional = None
    if state is not None and not options.redo_all:
        etag, modified, last_key = state.validators(key)
        if last_key == akey and (etag or modified):
            conditional = Conditional(etag, modified)
    feed = load_source(source, limits=options.limits, max_items=options.max_items, conditional=conditional)
    run = FeedRun(key=key, feed=feed, audit_key=akey)
    if feed.not_modified:
        run.unchanged = len(state.known(key)) if state is not None else 0
        return run
    known = state.known(key) if state is not None else {}
    todo: list[FeedItem] = []
    for item in feed.items:
        before = known.get(item.guid)
        if before is None:
            run.new += 1
        elif options.redo_all or before != KnownItem(item.content_hash(), akey):
            run.changed += 1
        else:
            run.unchanged += 1
            continue
        todo.append(item)
    run.results = audit_items(todo, settings, options, feed_name=key)
    return run


def record_run(state: State, run: FeedRun, verdicts: dict[int, tuple[bool, list[str]]]) -> int:
    """Store the run, its audited items and their verdicts; returns the run id."""
    from mtcheck import __version__
    from mtcheck.gate import _fidelity_score

    run_id = state.begin_run(run.key, run.audit_key, __version__)
    entries, errored, failed = [], 0, 0
    for i, res in enumerate(run.results):
        if res.error is not None:
            errored += 1
            continue  # not remembered: the next run tries it again
        passed = verdicts.get(i, (True, []))[0]
        failed += not passed
        counts = res.counts_by_severity()
        entries.append({
            "guid": res.meta["guid"],
            "content_hash": res.meta["content_hash"],
            "audit_key": run.audit_key,
            "title": res.meta.get("title"),
            "link": res.meta.get("link"),
            "published": res.meta.get("published"),
            "language": res.target_lang,
            "words": res.words,
            "findings": len(res.findings),
            "errors": counts["error"],
            "warnings": counts["warning"],
            "infos": counts["info"],
            "score": res.score,
            "fidelity": _fidelity_score(res.fidelity),
            "passed": passed,
            "codes": dict(Counter(f.code for f in res.findings)),
        })
    state.record(run_id, run.key, entries)
    # Validators are kept only when every item was audited: after an error, the next run must not
    # be told "304 Not Modified" and skip the item it still owes.
    keep = not errored and not run.feed.not_modified
    state.finish_run(
        run_id, run.key, title=run.feed.title,
        etag=run.feed.etag if keep else None, last_modified=run.feed.last_modified if keep else None,
        audit_key=run.audit_key if (keep or run.feed.not_modified) else None,
        seen=run.seen, audited=len(run.results) - errored, failed=failed, errored=errored,
        warnings=run.feed.warnings,
    )
    return run_id


# -- auditing items ------------------------------------------------------------------------------


def audit_items(items: list[FeedItem], settings: Settings, options: FeedOptions, *, feed_name: str = "") -> list[DocumentResult]:
    """Audit items, in order; in ``options.jobs`` worker processes when there is enough work."""
    if not items:
        return []
    jobs = max(1, min(options.jobs, len(items)))
    if jobs == 1:
        auditor = ItemAuditor(settings, options, feed_name)
        return [auditor.audit(item) for item in items]
    chunk = max(1, len(items) // (jobs * 4))
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(settings, options, feed_name)) as pool:
        return list(pool.map(_audit_in_worker, items, chunksize=chunk))


_AUDITOR: ItemAuditor | None = None


def _init_worker(settings: Settings, options: FeedOptions, feed_name: str) -> None:
    global _AUDITOR
    _AUDITOR = ItemAuditor(settings, options, feed_name)
    _AUDITOR.warm_up()


def _audit_in_worker(item: FeedItem) -> DocumentResult:
    assert _AUDITOR is not None, "worker initializer did not run"
    return _AUDITOR.audit(item)


class ItemAuditor:
    """Audits items one by one with models loaded once (per process)."""

    def __init__(self, settings: Settings, options: FeedOptions, feed_name: str = ""):
        self.settings = settings
        self.options = options
        self.feed_name = feed_name
        self._fidelity = None

    def warm_up(self) -> None:
        """Load what every item needs (rules, engine models) before the first item arrives."""
        from mtcheck.rules import all_rules

        all_rules()
        if self.options.engine:
            self.fidelity_runner()

    def fidelity_runner(self):
        if self._fidelity is None:
            from mtcheck.feed.fidelity import FidelityRunner

            self._fidelity = FidelityRunner(self.options.engine, self.options.engine_options, self.settings)
        return self._fidelity

    def audit(self, item: FeedItem) -> DocumentResult:
        """Findings, score and (with an engine) fidelity for one item; errors become ``result.error``."""
        from mtcheck.api import scan_document
        from mtcheck.io.loaders import document_from_string

        path = item.link or item.guid
        meta = item_meta(item, self.feed_name)
        try:
            if self.options.fetch_articles:
                item = self.fetch_article(item)
                meta["fetched"] = True
            doc = document_from_string(item.document_text(), path=path, fmt=item.fmt)
            if item.language:
                doc.metadata["target_lang"] = item.language
            analyses = None
            fidelity = None
            if self.options.engine:
                analyses, fidelity = self.fidelity_runner().analyse(doc)
            result = scan_document(doc, self.settings, analyses)
            result.fidelity = fidelity
        except MtcheckError as e:
            return DocumentResult(path=path, error=str(e), meta=meta)
        result.meta = {**result.meta, **meta}
        return result

    def fetch_article(self, item: FeedItem) -> FeedItem:
        """The item with its text replaced by the main text of its linked page."""
        from mtcheck.errors import InputError

        if not item.link or not item.link.startswith(("http://", "https://")):
            raise InputError(f"{item.link or item.guid}: item has no http(s) link to fetch")
        resp = fetch(item.link, self.options.article_limits, headers={"Accept": "text/html,application/xhtml+xml"})
        text = extract_article(resp.body, resp.content_type, resp.url)
        if not text:
            raise InputError(f"{item.link}: no article text found on the page")
        return replace(item, content=text, fmt="text", headline_in_body=False)


def item_meta(item: FeedItem, feed_name: str) -> dict:
    """What reporters show about an item besides its findings."""
    return {
        "guid": item.guid,
        "title": item.title,
        "link": item.link,
        "published": item.published,
        "language": item.language,
        "feed": feed_name,
        "content_hash": item.content_hash(),
        "warnings": list(item.warnings),
    }


def extract_article(body: bytes, content_type: str, url: str) -> str:
    """The main text of an article page (trafilatura), decoded by its declared or sniffed charset."""
    import trafilatura

    html = _decode_page(body, content_type)
    text = trafilatura.extract(html, url=url, include_comments=False, include_tables=False, favor_precision=True,
                               deduplicate=False)
    return (text or "").strip()


def _decode_page(body: bytes, content_type: str) -> str:
    import re

    m = re.search(r"charset=[\"']?([\w.:-]+)", content_type or "", re.IGNORECASE)
    if not m:
        m = re.search(rb"<meta[^>]+charset=[\"']?([\w.:-]+)", body[:4096], re.IGNORECASE)
        charset = m.group(1).decode("ascii", "replace") if m else None
    else:
        charset = m.group(1)
    if charset:
        try:
            return body.decode(charset, errors="replace")
        except LookupError:
            pass
    from mtcheck.io.decode import decode_bytes

    return decode_bytes(body, "page").text
