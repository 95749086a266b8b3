"""Reading feeds: every format, hostile XML refused before parsing, broken XML recovered, wrong
encodings, duplicate guids, missing dates, item caps, folders of articles."""

from __future__ import annotations

import json
import time

import pytest

from .feedkit import GOOD, article, rss

from mtcheck.errors import InputError
from mtcheck.feed.http import FetchLimits
from mtcheck.feed.parse import UnsafeFeedError, parse_feed
from mtcheck.feed.sources import load_source

LIMITS = FetchLimits(deadline=5, retries=0)


@pytest.mark.parametrize("name,kind", [
    ("feed.xml", "rss20"), ("atom.xml", "atom10"), ("feed.json", "json11"), ("rss1.rdf", "rss10"),
    ("rss091.xml", "rss091n"),
])
def test_every_format_yields_items_with_language_and_text(feed_server, name, kind):
    feed = load_source(feed_server.url(name), limits=LIMITS)
    assert feed.kind == kind
    assert feed.items, name
    headline, _ = article(GOOD[0])
    item = next(i for i in feed.items if i.title == headline) if name != "feed.xml" else feed.items[1]
    assert item.language == "en"
    assert "Kyiv" in item.document_text() or name == "feed.xml"
    assert item.guid


def test_relative_links_resolve_against_the_feed_url(feed_server):
    feed = load_source(feed_server.url("atom.xml"), limits=LIMITS)
    assert feed.items[0].link == feed_server.url("articles/atom-1.html")
    assert feed.items[0].published == "2025-09-01T10:00:00Z"


def test_json_feed_dates_become_utc(feed_server):
    item = load_source(feed_server.url("feed.json"), limits=LIMITS).items[0]
    assert item.published == "2025-09-01T08:00:00Z" and item.fmt == "html"


@pytest.mark.parametrize("name", ["bomb.xml", "xxe.xml", "xxe-param.xml"])
def test_entity_declarations_are_refused_without_expansion_or_network(feed_server, name):
    # Refused on the declaration, before any entity is expanded (a billion laughs would take
    # gigabytes) or fetched (an external entity would hit /secret).
    before = feed_server.hits("/secret")
    with pytest.raises(UnsafeFeedError, match="declares XML entities"):
        load_source(feed_server.url(name), limits=LIMITS)
    assert feed_server.hits("/secret") == before


def test_rss091_doctype_is_allowed_but_never_fetched(feed_server):
    before = feed_server.hits("/secret")
    feed = load_source(feed_server.url("rss091.xml"), limits=LIMITS)
    assert len(feed.items) == 1
    assert feed_server.hits("/secret") == before


def test_ill_formed_xml_is_reported_and_items_recovered(feed_server):
    feed = load_source(feed_server.url("broken.xml"), limits=LIMITS)
    assert len(feed.items) == 2
    assert any(w.startswith("ill-formed XML at line") and "2 items recovered" in w for w in feed.warnings)


def test_wrong_declared_encoding_is_reported_and_text_decoded(feed_server):
    feed = load_source(feed_server.url("latin1.xml"), limits=LIMITS)
    assert feed.items[0].title == "Café con leche en Kyiv"
    assert any(w.startswith("wrong encoding") for w in feed.warnings)


def test_duplicate_guids_and_missing_dates(feed_server):
    feed = load_source(feed_server.url("dupes.xml"), limits=LIMITS)
    guids = [i.guid for i in feed.items]
    assert guids == ["d-002_kyiv", "d-001_harbour", "d-001_harbour#2"]
    joined = "\n".join(feed.warnings)
    assert "repeats guid 'd-002_kyiv' with the same content; skipped" in joined
    assert "audited as d-001_harbour#2" in joined
    assert "3 items have no date" in joined


def test_not_a_feed(feed_server):
    with pytest.raises(InputError, match="not a feed"):
        load_source(feed_server.url("notafeed.xml"), limits=LIMITS)


def test_item_cap():
    items = [{"title": f"Item {n}", "guid": f"g{n}", "summary": f"Text number {n}."} for n in range(30)]
    feed = parse_feed(rss(items).encode(), "cap", max_items=10)
    assert len(feed.items) == 10 and feed.total_items == 30
    assert any("only the first 10" in w for w in feed.warnings)


def test_items_without_guid_or_link_get_a_content_hash():
    feed = parse_feed(rss([{"title": "No id", "summary": "Some text here."}]).encode(), "x")
    assert feed.items[0].guid.startswith("sha256:")


@pytest.mark.parametrize("data,message", [
    (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "invalid JSON"),
    (b"[" * 100000 + b"]" * 100000, "invalid JSON"),
    (b'{"version": "https://jsonfeed.org/version/1.1"}', "not a JSON Feed"),
    (b'{"items": [1]}', None),
])
def test_bad_json_feeds(data, message):
    if message is None:
        feed = parse_feed(data, "j")
        assert feed.items == [] and any("not an object" in w for w in feed.warnings)
        return
    with pytest.raises(InputError, match=message):
        parse_feed(data, "j")


def test_folder_of_articles(tmp_path):
    (tmp_path / "a.txt").write_text("Headline one\n\nBody of the first article.", encoding="utf-8")
    (tmp_path / "b.md").write_text("# Markdown headline\n\nBody *two*.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.html").write_text("<html><head><title>Page three</title></head><body><p>Three.</p></body></html>",
                                             encoding="utf-8")
    (tmp_path / "d.json").write_text(json.dumps({"title": "JSON four", "text": "Four.", "language": "es-ES"}),
                                     encoding="utf-8")
    (tmp_path / "e.json").write_text("{broken", encoding="utf-8")
    (tmp_path / "f.txt").write_bytes("Titular\n\nCaf\xe9 y se\xf1or, ni\xf1o peque\xf1o.".encode("cp1252"))
    (tmp_path / ".hidden.txt").write_text("skip me", encoding="utf-8")
    feed = load_source(str(tmp_path), limits=LIMITS)
    assert [i.guid for i in feed.items] == ["a.txt", "b.md", "d.json", "f.txt", "sub/c.html"]
    assert [i.title for i in feed.items] == ["Headline one", "Markdown headline", "JSON four", "Titular", "Page three"]
    assert feed.items[2].language == "es"
    assert "señor" in feed.items[3].content
    assert feed.items[0].document_text() == "Headline one\n\nBody of the first article."
    assert feed.items[0].link == (tmp_path / "a.txt").as_posix()  # reports point at the file
    assert any(w.startswith("e.json: skipped: invalid JSON") for w in feed.warnings)


def test_parsing_is_bounded_by_the_deadline():
    nested = (b'<?xml version="1.0"?><rss><channel><item><title>x</title><description>' + b"<a>" * 100000
              + b"</description></item></channel></rss>")
    # The message says the 0.2 s deadline stopped the parse; the bound only needs to catch a
    # parse that ran to the end, so it leaves a busy machine seconds of slack.
    start = time.monotonic()
    with pytest.raises(InputError, match=r"parsing 300,\d+ bytes took longer than the 0.2s deadline"):
        parse_feed(nested, "slow", timeout=0.2)
    assert time.monotonic() - start < 0.2 + 5


def test_language_tags_normalised_as_everywhere_else():
    from mtcheck.feed.parse import normalise_lang

    assert [normalise_lang(v) for v in ("en-US", "ES", "spa", "fre", "pt_BR", "x", "", None, 3)] == \
        ["en", "es", "es", "fr", "pt", None, None, None, None]
