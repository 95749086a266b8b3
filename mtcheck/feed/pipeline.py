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
    #: Fidelity: engine name (``auto``, ``argos``, ``apertium``) or None for rules only; it runs only
    #: when the source language is known. ``engine_options``: use_cache, cache_path, metrics, threshold.
    engine: str | None = None
    engine_options: dict = field(default_factory=dict)
    #: Whether ``--fetch-articles`` may reach non-public addresses; None: only when the feed itself
    #: is served from one (or is a local file or folder). See ``mtcheck.feed.http.fetch``.
    private_articles: bool | None = None
    #: The language most items are in (the feed's), so workers can load that direction's models in
    #: their initializer rather than on the first item.
    expected_target: str | None = None


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
    notices: list[str] = field(default_factory=list)

    @property
    def seen(self) -> int:
        """Items in the feed (after a 304: the items known from before)."""
        return self.unchanged if self.feed.not_modified else len(self.feed.items)


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
        # Where translations are cached changes no result; the metrics and threshold do.
        "engine_options": {k: v for k, v in options.engine_options.items() if k not in ("use_cache", "cache_path")},
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
    if options.expected_target is None:
        options = replace(options, expected_target=settings.target_lang or feed.language)
    if options.fetch_articles and options.private_articles is None:
        from mtcheck.feed.http import host_is_public
        from mtcheck.feed.sources import is_url

        options = replace(options, private_articles=not (is_url(source) and host_is_public(source)))
    run.results = audit_items(todo, settings, options, feed_name=key, notices=run.notices)
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
    # be told "304 Not Modified" and skip the item it still owes. (After a 304 they are the ones
    # that were sent.)
    keep = not errored
    state.finish_run(
        run_id, run.key, title=run.feed.title,
        etag=run.feed.etag if keep else None, last_modified=run.feed.last_modified if keep else None,
        audit_key=run.audit_key if keep else None,
        seen=run.seen, audited=len(run.results) - errored, failed=failed, errored=errored,
        warnings=run.feed.warnings,
    )
    return run_id


# -- auditing items ------------------------------------------------------------------------------


#: Article pages downloaded at the same time by one process (``--fetch-articles``).
FETCH_THREADS = 8

#: Items per unit of work: large enough that an engine sees many sentences per call, small enough
#: that two workers share a feed evenly.
BATCH = 16


def audit_items(items: list[FeedItem], settings: Settings, options: FeedOptions, *, feed_name: str = "",
                notices: list[str] | None = None) -> list[DocumentResult]:
    """Audit items, in order; in ``options.jobs`` worker processes when there is enough work.
    Engine notices (no model for a direction) are appended to ``notices``, once each."""
    if not items:
        return []
    jobs = max(1, min(options.jobs, -(-len(items) // BATCH) if len(items) > BATCH else len(items)))
    size = BATCH if jobs == 1 else max(1, min(BATCH, -(-len(items) // jobs)))
    batches = [items[i : i + size] for i in range(0, len(items), size)]
    out: list[DocumentResult] = []
    seen: set[str] = set()

    def collect(pair):
        results, batch_notices = pair
        out.extend(results)
        for n in batch_notices:
            if n not in seen and notices is not None:
                seen.add(n)
                notices.append(n)

    if jobs == 1:
        auditor = ItemAuditor(settings, options, feed_name)
        try:
            for batch in batches:
                collect(auditor.audit_batch(batch))
        finally:
            auditor.close()
        return out
    # Rule data (word frequencies, gazetteers, phrase lists) loads lazily on first use. Loading it
    # here, before the workers fork, lets every worker share it instead of loading its own copy.
    parent = ItemAuditor(settings, options, feed_name)
    parent.warm_rules(items[0])
    if parent.with_fidelity:
        import mtcheck.audit  # noqa: F401 - the audit pipeline and sacrebleu, imported once for all workers
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(settings, options, feed_name)) as pool:
        for pair in pool.map(_audit_in_worker, batches):
            collect(pair)
    return out


_AUDITOR: ItemAuditor | None = None


def _init_worker(settings: Settings, options: FeedOptions, feed_name: str) -> None:
    global _AUDITOR
    _AUDITOR = ItemAuditor(settings, options, feed_name)
    _AUDITOR.warm_up()


def _audit_in_worker(batch: list[FeedItem]) -> tuple[list[DocumentResult], list[str]]:
    assert _AUDITOR is not None, "worker initializer did not run"
    results, notices = _AUDITOR.audit_batch(batch)
    for r in results:
        if r.document is not None:
            r.document.drop_caches()  # not pickled back: several times the text, recomputed if asked
    return results, notices


class ItemAuditor:
    """Audits items with rules and models loaded once (per process)."""

    def __init__(self, settings: Settings, options: FeedOptions, feed_name: str = ""):
        self.settings = settings
        self.options = options
        self.feed_name = feed_name
        self._fidelity = None

    @property
    def with_fidelity(self) -> bool:
        return bool(self.options.engine) and bool(self.settings.source_lang)

    def warm_up(self) -> None:
        """Load what every item needs (the rule registry, the engine wrapper) before the first item."""
        from mtcheck.rules import all_rules

        all_rules()
        if self.with_fidelity:
            runner = self.fidelity_runner()
            target, source = self.options.expected_target, self.settings.source_lang
            if target and target != source:
                # Both legs of the round trip; a missing model is remembered, not raised, here.
                runner.translator.supports(target, source)
                runner.translator.supports(source, target)

    def warm_rules(self, sample: FeedItem) -> None:
        """Scan the start of ``sample`` so the rules load the data this feed's language needs."""
        from mtcheck.api import scan_document
        from mtcheck.io.loaders import document_from_string

        text = sample.document_text()[:4000]
        doc = document_from_string(text, path="warm-up", fmt=sample.fmt)
        if sample.language:
            doc.metadata["target_lang"] = sample.language
        try:
            scan_document(doc, self.settings)
        except MtcheckError:
            pass  # the real audit reports it

    def fidelity_runner(self):
        if self._fidelity is None:
            from mtcheck.feed.fidelity import FidelityRunner

            self._fidelity = FidelityRunner(self.options.engine, self.options.engine_options, self.settings)
        return self._fidelity

    def close(self) -> None:
        if self._fidelity is not None:
            self._fidelity.translator.close()

    def audit(self, item: FeedItem) -> DocumentResult:
        """One item (see :meth:`audit_batch`)."""
        return self.audit_batch([item])[0][0]

    def audit_batch(self, items: list[FeedItem]) -> tuple[list[DocumentResult], list[str]]:
        """Findings, score and (with an engine and a source language) fidelity for each item, in
        order; an item that cannot be read becomes a result with ``error`` set."""
        from mtcheck.api import scan_document

        metas = [item_meta(item, self.feed_name) for item in items]
        if self.options.fetch_articles and len(items) > 1:
            # Downloading pages waits on the network, not the CPU: fetch a batch's pages concurrently.
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(max_workers=min(FETCH_THREADS, len(items))) as pool:
                docs = list(pool.map(self.load, items, metas))
        else:
            docs = [self.load(item, meta) for item, meta in zip(items, metas)]
        notices: list[str] = []
        if self.with_fidelity:
            results, notices = self.fidelity_runner().audit(docs)
        else:
            results = [
                DocumentResult(path=d.path, error=str(d)) if isinstance(d, MtcheckError) else scan_document(d, self.settings)
                for d in docs
            ]
        for res, meta in zip(results, metas):
            res.meta = {**res.meta, **meta}
        return results, notices

    def load(self, item: FeedItem, meta: dict):
        """The item's Document, or the InputError that stopped it being read."""
        from mtcheck.errors import InputError
        from mtcheck.io.loaders import document_from_string

        path = item.link or item.guid
        try:
            if self.options.fetch_articles:
                item = self.fetch_article(item)
                meta["fetched"] = True
            doc = document_from_string(item.document_text(), path=path, fmt=item.fmt)
        except MtcheckError as e:
            err = e if isinstance(e, InputError) else InputError(str(e))
            err.path = path
            return err
        if item.language:
            doc.metadata["target_lang"] = item.language
        return doc

    def fetch_article(self, item: FeedItem) -> FeedItem:
        """The item with its text replaced by the main text of its linked page."""
        from mtcheck.errors import InputError

        if not item.link or not item.link.startswith(("http://", "https://")):
            raise InputError(f"{item.link or item.guid}: item has no http(s) link to fetch")
        resp = fetch(item.link, self.options.article_limits, headers={"Accept": "text/html,application/xhtml+xml"},
                     allow_private=self.options.private_articles is not False)
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
