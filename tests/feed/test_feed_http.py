"""The HTTP client against a real server: timeouts, the deadline, retries and Retry-After, byte
caps before and after decompression, redirects, conditional requests."""

from __future__ import annotations

import time

import pytest

from mtcheck.feed.http import FetchError, FetchLimits, _retry_after, fetch

FAST = FetchLimits(connect_timeout=2, read_timeout=2, deadline=5, retries=3, backoff=0.05, max_bytes=1024 * 1024)


def test_fetches_a_feed_with_etag(feed_server):
    resp = fetch(feed_server.url("feed.xml"), FAST)
    assert resp.status == 200 and resp.body.startswith(b"<?xml")
    assert resp.headers["etag"]
    again = fetch(feed_server.url("feed.xml"), FAST, headers={"If-None-Match": resp.headers["etag"]})
    assert again.not_modified and again.body == b""


def test_gzip_body_is_decompressed(feed_server):
    resp = fetch(feed_server.url("feed.gz.xml"), FAST)
    assert resp.headers.get("content-encoding") == "gzip"
    assert resp.body.startswith(b"<?xml") and b"</rss>" in resp.body


def test_retries_503_then_succeeds(feed_server):
    resp = fetch(feed_server.url("flaky/2/clean.xml"), FAST)
    assert resp.status == 200 and resp.attempts == 3


def test_honours_retry_after_on_429(feed_server):
    before, waits = feed_server.hits("/ratelimited/clean.xml"), []
    # The client's sleeps are recorded, not slept: the test checks what it waits for.
    resp = fetch(feed_server.url("ratelimited/clean.xml"), FAST, sleep=waits.append)
    assert resp.status == 200 and resp.attempts == 2
    assert waits == [1]  # the second the server asked for, not the 0.05 s backoff
    assert feed_server.hits("/ratelimited/clean.xml") - before == 2


def test_retry_after_beyond_the_deadline_fails_fast(feed_server):
    before, waits = feed_server.hits("/retry-after-hour"), []
    with pytest.raises(FetchError, match="retry after 3600s exceeds the 5s deadline"):
        fetch(feed_server.url("retry-after-hour"), FAST, sleep=waits.append)
    assert waits == []  # gave up at once: no sleep, no second request
    assert feed_server.hits("/retry-after-hour") - before == 1


def test_gives_up_after_the_retries(feed_server):
    before = feed_server.hits("/always-500")
    with pytest.raises(FetchError, match=r"HTTP 500 .*gave up after 4 attempts"):
        fetch(feed_server.url("always-500"), FAST)
    assert feed_server.hits("/always-500") - before == 4


def test_read_timeout(feed_server):
    # The server answers after 30 s; the message says the 0.5 s read timeout fired, not the 10 s
    # deadline. The wall-clock bound only catches a client that waits for the server: it leaves
    # a busy CI machine seconds of slack.
    start = time.monotonic()
    with pytest.raises(FetchError, match="read timed out after 0.5s"):
        fetch(feed_server.url("slow-headers"), FetchLimits(read_timeout=0.5, deadline=10, retries=0))
    assert time.monotonic() - start < 10


def test_deadline_stops_a_server_that_drips_bytes(feed_server):
    # Each byte arrives within the read timeout; only the total deadline can stop this.
    # The message names the deadline; the bound (generous for a busy machine) shows it was kept:
    # without it, this server never stops and the read timeout never fires.
    start = time.monotonic()
    with pytest.raises(FetchError, match="deadline of 1.5s exceeded"):
        fetch(feed_server.url("drip"), FetchLimits(read_timeout=5, deadline=1.5, retries=0))
    assert time.monotonic() - start < 1.5 + 5


def test_gzip_bomb_is_capped_after_decompression(feed_server):
    before = feed_server.hits("/gzip-bomb")
    with pytest.raises(FetchError, match="cap after decompression"):
        fetch(feed_server.url("gzip-bomb"), FAST)
    assert feed_server.hits("/gzip-bomb") - before == 1  # refused, not retried


def test_content_length_over_the_cap_is_refused_before_download(feed_server):
    with pytest.raises(FetchError, match=r"1,073,741,824 bytes exceeds the 1,048,576-byte cap"):
        fetch(feed_server.url("huge"), FAST)


def test_endless_chunked_stream_is_capped(feed_server):
    with pytest.raises(FetchError, match="download exceeds the 1,048,576-byte cap"):
        fetch(feed_server.url("endless"), FAST)


def test_redirects_are_followed_and_loops_stopped(feed_server):
    resp = fetch(feed_server.url("redirect/clean.xml"), FAST)
    assert resp.url == feed_server.url("clean.xml")
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch(feed_server.url("redirect-loop"), FAST)


def test_http_errors_and_refused_connections(feed_server):
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(feed_server.url("missing"), FAST)
    with pytest.raises(FetchError, match="connection failed"):
        fetch("http://127.0.0.1:9/feed.xml", FetchLimits(retries=1, backoff=0.01, deadline=3))
    with pytest.raises(FetchError, match="only http and https"):
        fetch("file:///etc/passwd", FAST)


def test_retry_after_header_forms():
    assert _retry_after("120") == 120
    assert _retry_after(None) is None and _retry_after("soon") is None
    future = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 60))
    assert 55 <= _retry_after(future) <= 61


def test_non_ascii_links_are_percent_encoded(feed_server):
    from urllib.parse import quote

    feed_server.add(quote("artículos/niño.xml"), "<rss/>")
    resp = fetch(feed_server.url("artículos/niño.xml"), FAST)
    assert resp.status == 200 and resp.body == b"<rss/>"
    assert resp.url == feed_server.url("artículos/niño.xml")


def test_non_public_addresses_can_be_refused(feed_server):
    from mtcheck.feed.http import host_is_public, is_public_address

    with pytest.raises(FetchError, match=r"refused: 127.0.0.1 is a non-public address"):
        fetch(feed_server.url("clean.xml"), FAST, allow_private=False)
    # Redirects are checked on every hop: the connected socket's address decides.
    with pytest.raises(FetchError, match="non-public address"):
        fetch(feed_server.url("redirect/clean.xml"), FAST, allow_private=False)
    for address in ("127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254", "::1", "fd00::1", "::ffff:10.0.0.1"):
        assert not is_public_address(address), address
    assert is_public_address("93.184.216.34") and is_public_address("2606:4700::1111")
    assert not host_is_public(feed_server.url("feed.xml"))
