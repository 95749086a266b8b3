"""The pipeline and the state, in process: what is audited again, conditional GETs, history."""

from __future__ import annotations

import pytest

from .feedkit import BAD, GOOD, corpus_items, rss

from mtcheck.feed.http import FetchLimits
from mtcheck.feed.pipeline import FeedOptions, audit_key, record_run, run_feed
from mtcheck.feed.state import State
from mtcheck.feed.trends import parse_since, trends
from mtcheck.gate import evaluate_all
from mtcheck.settings import Settings

OPTIONS = FeedOptions(limits=FetchLimits(deadline=10, retries=0))


def settings(**kw) -> Settings:
    return Settings(source_lang="es", **kw)


def run_and_record(url: str, db: State, s: Settings | None = None, options: FeedOptions = OPTIONS):
    s = s or settings()
    run = run_feed(url, s, options, db)
    record_run(db, run, evaluate_all(run.results, s))
    return run


@pytest.fixture
def db(tmp_path):
    with State(tmp_path / "state.db") as state:
        yield state


def test_new_changed_unchanged_and_all(feed_server, db):
    items = corpus_items(feed_server, GOOD, prefix="pipe")
    feed_server.add("pipe.xml", rss(items))
    url = feed_server.url("pipe.xml")
    first = run_and_record(url, db)
    assert (first.new, first.changed, first.unchanged, len(first.results)) == (2, 0, 0, 2)

    items[0] = dict(items[0], body=items[0]["body"] + "<p>Officials said more trucks would arrive on Monday.</p>")
    items.append(corpus_items(feed_server, [BAD], prefix="pipe")[0])
    feed_server.add("pipe.xml", rss(items))
    second = run_and_record(url, db)
    assert (second.new, second.changed, second.unchanged) == (1, 1, 1)
    assert [r.meta["guid"] for r in second.results] == ["pipe-002_kyiv", "pipe-000_seed"]

    third = run_and_record(url, db, options=FeedOptions(redo_all=True, limits=OPTIONS.limits))
    assert (third.new, third.changed, third.unchanged, len(third.results)) == (0, 3, 0, 3)
    assert len(db.history()) == 2 + 2 + 3


def test_conditional_get_and_settings_change(feed_server, db):
    url = feed_server.url("clean.xml")
    run_and_record(url, db)
    for _ in range(2):  # a 304 keeps the validators for the next run
        again = run_and_record(url, db)
        assert again.feed.not_modified and again.results == [] and again.unchanged == 2
        assert "if-none-match" in [h for p, h in feed_server.log if p == "/clean.xml"][-1]
    # Another rule selection means other findings: no conditional GET, everything audited again.
    other = run_and_record(url, db, settings(select=("Q",)))
    assert not other.feed.not_modified and other.changed == 2


def test_audit_key_tracks_what_changes_findings():
    base = audit_key(settings(), OPTIONS)
    assert base == audit_key(settings(), FeedOptions(jobs=4, engine_options={"use_cache": False}))
    assert base != audit_key(settings(select=("Q",)), OPTIONS)
    assert base != audit_key(Settings(source_lang="fr"), OPTIONS)
    assert base != audit_key(settings(), FeedOptions(fetch_articles=True))


def test_errored_items_are_not_remembered_and_validators_dropped(feed_server, db):
    url = feed_server.url("links.xml")
    opts = FeedOptions(fetch_articles=True, limits=OPTIONS.limits,
                       article_limits=FetchLimits(deadline=5, retries=0))
    run = run_and_record(url, db, options=opts)
    assert [r.error is None for r in run.results] == [True, False]
    assert set(db.known(run.key)) == {"f-002_kyiv"}
    assert db.validators(run.key) == (None, None, None)  # next run fetches in full and retries
    again = run_and_record(url, db, options=opts)
    assert not again.feed.not_modified and len(again.results) == 1


def test_history_trends_and_worst_items(feed_server, db):
    run_and_record(feed_server.url("feed.xml"), db)
    report = trends(db, parse_since("1d"))
    (t,) = report.feeds
    assert t.total.items == 3 and t.total.failed == 1 and t.runs == 1
    assert t.total.per_1000_words == pytest.approx(1000 * t.total.findings / t.total.words)
    assert t.worst[0]["guid"] == "a-000_seed"
    assert t.days[0].items == 3 and t.top_codes
    assert trends(db, parse_since("2999-01-01")).feeds == []


def test_parse_since():
    from datetime import datetime, timezone

    now = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
    assert parse_since("7d", now) == "2026-11-20T12:00:00Z"
    assert parse_since("24h", now) == "2026-11-26T12:00:00Z"
    assert parse_since("2w", now) == "2026-11-13T12:00:00Z"
    assert parse_since("2026-11-01", now) == "2026-11-01T00:00:00Z"


def test_newer_schema_is_refused(tmp_path):
    import sqlite3

    from mtcheck.errors import InputError

    path = tmp_path / "future.db"
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 99")
    con.close()
    with pytest.raises(InputError, match="schema 99 is newer"):
        State(path)


def test_each_direction_engine_is_built_once_and_failures_remembered(monkeypatch):
    from mtcheck.errors import ModelNotInstalledError
    from mtcheck.feed.fidelity import DirectionTranslator
    from mtcheck.translate import registry
    from mtcheck.translate.base import EngineIdentity, Translator

    built = []

    class Echo(Translator):
        name = "echo"

        def pairs(self):
            return [("en", "es"), ("es", "en")]

        def identity(self, source, target):
            return EngineIdentity("echo", "1", f"{source}-{target}", "0" * 12)

        def translate_batch(self, sentences, source, target):
            return [f"{target}:{s}" for s in sentences]

    def fake(engine, *, source, target, **kw):
        built.append((source, target))
        if target == "de":
            raise ModelNotInstalledError(f"no model for {source}→{target}")
        return Echo()

    monkeypatch.setattr(registry, "get_translator", fake)
    t = DirectionTranslator("auto")
    for _ in range(3):
        assert t.translate_batch(["a", "b"], "en", "es") == ["es:a", "es:b"]
        assert t.supports("es", "en") and not t.supports("en", "de")
    assert built == [("en", "es"), ("es", "en"), ("en", "de")]
    assert isinstance(t.missing("en", "de"), ModelNotInstalledError)
    assert sorted(t.pairs()) == [("en", "es"), ("es", "en")]


def test_article_links_of_a_public_feed_may_not_reach_private_addresses(feed_server, db):
    opts = FeedOptions(fetch_articles=True, private_articles=False, limits=OPTIONS.limits,
                       article_limits=FetchLimits(deadline=5, retries=0))
    run = run_feed(feed_server.url("links.xml"), settings(), opts, db)
    assert all(r.error and "non-public address" in r.error for r in run.results)


def test_worker_initializer_loads_the_feed_directions(monkeypatch):
    from mtcheck.feed.pipeline import ItemAuditor
    from mtcheck.translate import registry
    from mtcheck.translate.base import EngineIdentity, Translator

    built = []

    class Null(Translator):
        def pairs(self):
            return []

        def identity(self, source, target):
            return EngineIdentity("null", "1", "m", "0" * 12)

        def translate_batch(self, sentences, source, target):
            return list(sentences)

    def fake(engine, *, source, target, **kw):
        built.append((engine, source, target))
        return Null()

    monkeypatch.setattr(registry, "get_translator", fake)
    ItemAuditor(settings(), FeedOptions(engine="apertium", expected_target="en")).warm_up()
    assert built == [("apertium", "en", "es"), ("apertium", "es", "en")]


def test_article_pages_of_a_batch_are_fetched_concurrently(feed_server, db):
    items = corpus_items(feed_server, GOOD[:1], prefix="slow")
    page = items[0]["link"].split("/", 3)[3]  # articles/002_kyiv.html
    many = [dict(items[0], guid=f"slow-{n}", link=feed_server.url(f"slowpage/{page}")) for n in range(6)]
    feed_server.add("slowpages.xml", rss(many))
    before, feed_server.peak_slowpages = feed_server.hits("/slowpage/"), 0
    run = run_feed(feed_server.url("slowpages.xml"), settings(),
                   FeedOptions(fetch_articles=True, limits=OPTIONS.limits), None)
    assert [r.error for r in run.results] == [None] * 6
    assert feed_server.hits("/slowpage/") - before == 6
    # The server saw the 1-second requests overlap: fetched side by side, not one after another.
    assert feed_server.peak_slowpages >= 2
