"""A small, hardened HTTP client for feeds and article pages (stdlib ``http.client`` only).

Real feeds and servers stall, drip bytes, answer 503 with ``Retry-After``, redirect in loops and
serve gzip bombs. :func:`fetch` survives all of that:

* separate connect and read timeouts, and a hard **deadline** for the whole fetch (every retry and
  redirect included), enforced by a watchdog that shuts the socket down, so even a server that
  drips one header byte at a time cannot hold a CI job;
* **retries** with exponential backoff on 429, 5xx and dropped connections, honouring
  ``Retry-After`` (seconds or an HTTP date) when it fits in the deadline;
* a **byte cap** on what is downloaded and, separately, on what gzip/deflate decompress to, checked
  while streaming (a 10 KB gzip bomb never becomes 10 GB);
* at most :attr:`FetchLimits.max_redirects` redirects, http(s) only;
* conditional requests (``If-None-Match`` / ``If-Modified-Since``) so an unchanged feed costs a 304.
"""

from __future__ import annotations

import email.utils
import http.client
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

from mtcheck.errors import InputError

#: Statuses worth retrying: rate limiting and server-side failures.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
#: Characters left as they are when a request target is percent-encoded (reserved, unreserved, %).
_URL_SAFE = "/?&=:;@!$'()*+,~%#[]-._"


@dataclass(frozen=True)
class FetchLimits:
    """Timeouts (seconds), retry policy and size caps for one fetch."""

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    #: Total seconds for the fetch, retries, backoff waits and redirects included.
    deadline: float = 60.0
    #: Cap on downloaded bytes, and separately on the decompressed body.
    max_bytes: int = 20 * 1024 * 1024
    retries: int = 3
    #: First backoff wait; doubles on each retry unless the server sends ``Retry-After``.
    backoff: float = 0.5
    max_redirects: int = 5


@dataclass
class Response:
    """A successful (2xx or 304) response with its decompressed body."""

    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    attempts: int = 1

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


class FetchError(InputError):
    """A URL could not be fetched: network failure, timeout, HTTP error, too large, deadline."""

    def __init__(self, url: str, reason: str, status: int | None = None):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.path = url
        self.reason = reason
        self.status = status


class _Retry(Exception):
    def __init__(self, reason: str, wait: float | None = None, status: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.wait = wait
        self.status = status


class _Redirect(Exception):
    def __init__(self, location: str):
        super().__init__(location)
        self.location = location


def fetch(
    url: str,
    limits: FetchLimits | None = None,
    *,
    headers: dict[str, str] | None = None,
    user_agent: str | None = None,
    allow_private: bool = True,
    sleep=time.sleep,
) -> Response:
    """GET ``url`` within ``limits``; raise :class:`FetchError` on failure (see the module docstring).

    ``allow_private=False`` refuses to talk to loopback, private, link-local and reserved addresses
    (checked on the connected socket, so redirects and DNS tricks are covered): links taken from a
    public feed must not reach a CI runner's metadata service or intranet.
    """
    limits = limits or FetchLimits()
    deadline_at = time.monotonic() + limits.deadline
    req_headers = {
        "User-Agent": user_agent or _default_agent(),
        "Accept-Encoding": "gzip, deflate",
        "Accept": "*/*",
        "Connection": "close",
        **(headers or {}),
    }
    current, redirects, attempt = url, 0, 0
    while True:
        attempt += 1
        try:
            status, resp_headers, body = _fetch_once(current, req_headers, limits, deadline_at, allow_private)
            return Response(url=current, status=status, headers=resp_headers, body=body, attempts=attempt)
        except _Redirect as r:
            redirects += 1
            if redirects > limits.max_redirects:
                raise FetchError(url, f"more than {limits.max_redirects} redirects") from None
            current = urljoin(current, r.location)
            attempt -= 1  # a redirect is not a failed attempt
        except _Retry as r:
            if attempt > limits.retries:
                tries = f"{attempt} attempt{'s' if attempt != 1 else ''}"
                raise FetchError(url, f"{r.reason} (gave up after {tries})", r.status) from None
            wait = r.wait if r.wait is not None else limits.backoff * (2 ** (attempt - 1))
            left = deadline_at - time.monotonic()
            if wait >= left:
                hint = f"server asked to retry after {wait:g}s" if r.wait is not None else f"backoff {wait:g}s"
                raise FetchError(
                    url, f"{r.reason}; {hint} exceeds the {limits.deadline:g}s deadline", r.status
                ) from None
            sleep(wait)


def _default_agent() -> str:
    from mtcheck import __version__

    return f"mtcheck/{__version__} (+feed audit)"


class _Watchdog:
    """Shuts a socket down when the deadline passes, unblocking whatever read is waiting on it."""

    def __init__(self, sock: socket.socket, seconds: float):
        self.fired = False
        self._sock = sock
        self._timer = threading.Timer(max(0.0, seconds), self._fire)
        self._timer.daemon = True

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()

    def _fire(self) -> None:
        self.fired = True
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _fetch_once(url: str, headers: dict, limits: FetchLimits, deadline_at: float,
                allow_private: bool = True) -> tuple[int, dict, bytes]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(url, "only http and https URLs can be fetched")
    left = deadline_at - time.monotonic()
    if left <= 0:
        raise FetchError(url, f"deadline of {limits.deadline:g}s exceeded")
    try:
        port = parts.port
    except ValueError:
        raise FetchError(url, "invalid port") from None
    timeout = min(limits.connect_timeout, left)
    if parts.scheme == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)
    # Links in feeds are often IRIs (accented paths); percent-encode what is not ASCII, keep the rest.
    target = quote((parts.path or "/") + (f"?{parts.query}" if parts.query else ""), safe=_URL_SAFE)
    try:
        try:
            conn.connect()
        except (socket.timeout, TimeoutError):
            raise FetchError(url, f"connect timed out after {timeout:g}s") from None
        except ssl.SSLError as e:
            raise FetchError(url, f"TLS error: {e.reason or e}") from None
        except ConnectionError as e:
            raise _Retry(f"connection failed: {_describe(e)}") from None
        except OSError as e:
            raise FetchError(url, f"network error: {_describe(e)}") from None
        # http.client drops conn.sock once the response owns the connection; keep our own handle
        # so the watchdog and the per-read timeouts reach the socket until the body is read.
        sock = conn.sock
        if not allow_private:
            address = sock.getpeername()[0]
            if not is_public_address(address):
                raise FetchError(url, f"refused: {parts.hostname} is a non-public address ({address}); only links "
                                      "of a feed served from such an address may go there")
        with _Watchdog(sock, deadline_at - time.monotonic()) as dog:
            try:
                sock.settimeout(min(limits.read_timeout, max(0.01, deadline_at - time.monotonic())))
                conn.request("GET", target, headers=headers)
                resp = conn.getresponse()
                status = resp.status
                resp_headers = {k.lower(): v for k, v in resp.getheaders()}
                if status in REDIRECT_STATUSES and resp_headers.get("location"):
                    raise _Redirect(resp_headers["location"])
                if status in RETRY_STATUSES:
                    wait = _retry_after(resp_headers.get("retry-after"))
                    raise _Retry(f"HTTP {status} {resp.reason}".strip(), wait, status)
                if status == 304:
                    return status, resp_headers, b""
                if not 200 <= status < 300:
                    raise FetchError(url, f"HTTP {status} {resp.reason}".strip(), status)
                body = _read_body(url, resp, sock, resp_headers, limits, deadline_at)
                if dog.fired:  # the watchdog's shutdown reads as end-of-file: not a complete body
                    raise FetchError(url, f"deadline of {limits.deadline:g}s exceeded")
                return status, resp_headers, body
            except (FetchError, _Redirect, _Retry):
                if dog.fired:
                    raise FetchError(url, f"deadline of {limits.deadline:g}s exceeded") from None
                raise
            except (socket.timeout, TimeoutError):
                # Read timeouts are capped by the time left, so a timeout near the deadline is the
                # deadline's, even if it beat the watchdog by a few milliseconds.
                if dog.fired or time.monotonic() >= deadline_at - 0.05:
                    raise FetchError(url, f"deadline of {limits.deadline:g}s exceeded") from None
                raise FetchError(url, f"read timed out after {limits.read_timeout:g}s") from None
            except (ConnectionError, http.client.IncompleteRead, http.client.RemoteDisconnected,
                    http.client.BadStatusLine, http.client.LineTooLong) as e:
                if dog.fired:
                    raise FetchError(url, f"deadline of {limits.deadline:g}s exceeded") from None
                if isinstance(e, http.client.LineTooLong):
                    raise FetchError(url, f"malformed response: {_describe(e)}") from None
                raise _Retry(f"connection failed: {_describe(e)}") from None
            except (OSError, http.client.HTTPException, ValueError) as e:
                if dog.fired:
                    raise FetchError(url, f"deadline of {limits.deadline:g}s exceeded") from None
                raise FetchError(url, f"network error: {_describe(e)}") from None
    finally:
        conn.close()


def is_public_address(address: str) -> bool:
    """Whether an IP address is on the public internet (not loopback, private, link-local, …)."""
    import ipaddress

    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def host_is_public(url: str) -> bool:
    """Whether every address ``url``'s host resolves to is public (False when it does not resolve)."""
    host = urlsplit(url).hostname
    if not host:
        return False
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return False
    return bool(infos) and all(is_public_address(info[4][0]) for info in infos)


def _describe(e: BaseException) -> str:
    if isinstance(e, socket.gaierror):
        return "host not found"
    text = getattr(e, "strerror", None) or str(e) or type(e).__name__
    return " ".join(str(text).split())


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _read_body(url: str, resp, sock: socket.socket, headers: dict, limits: FetchLimits, deadline_at: float) -> bytes:
    cap = limits.max_bytes
    length = headers.get("content-length", "").strip()
    if length.isdigit() and int(length) > cap:
        raise FetchError(url, f"response of {int(length):,} bytes exceeds the {cap:,}-byte cap")
    encoding = headers.get("content-encoding", "identity").strip().lower()
    decoder = _Decoder(encoding, url) if encoding not in ("", "identity") else None
    out = bytearray()
    downloaded = 0
    while True:
        left = deadline_at - time.monotonic()
        if left <= 0:
            raise FetchError(url, f"deadline of {limits.deadline:g}s exceeded")
        sock.settimeout(min(limits.read_timeout, left))
        chunk = resp.read1(_CHUNK)
        if not chunk:
            break
        downloaded += len(chunk)
        if downloaded > cap:
            raise FetchError(url, f"download exceeds the {cap:,}-byte cap")
        out += decoder.feed(chunk, cap + 1 - len(out)) if decoder else chunk
        if len(out) > cap:
            raise FetchError(url, f"body exceeds the {cap:,}-byte cap after decompression ({encoding})")
    if decoder:
        out += decoder.flush()
        if len(out) > cap:
            raise FetchError(url, f"body exceeds the {cap:,}-byte cap after decompression ({encoding})")
    return bytes(out)


class _Decoder:
    """Streaming gzip/deflate decoding that never produces more than it is allowed to."""

    def __init__(self, encoding: str, url: str):
        if encoding in ("gzip", "x-gzip"):
            self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._d = None  # zlib-wrapped or raw: decided on the first bytes
        else:
            raise FetchError(url, f"unsupported Content-Encoding {encoding!r}")
        self.url = url
        self.encoding = encoding

    def feed(self, chunk: bytes, allowed: int) -> bytes:
        """Decompress ``chunk``, producing at most ``allowed`` (≥ 1) bytes; the caller treats
        reaching ``allowed`` as going over its cap."""
        if self._d is None:
            # RFC 9110 deflate is zlib-wrapped; some servers send raw deflate. Sniff the header.
            zlib_header = len(chunk) >= 2 and (chunk[0] & 0x0F) == 8 and ((chunk[0] << 8) | chunk[1]) % 31 == 0
            self._d = zlib.decompressobj(zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS)
        allowed = max(1, allowed)  # max_length=0 would mean "unlimited"
        try:
            out = self._d.decompress(chunk, allowed)
            while self._d.unconsumed_tail and len(out) < allowed:
                out += self._d.decompress(self._d.unconsumed_tail, allowed - len(out))
            return out
        except zlib.error as e:
            raise FetchError(self.url, f"corrupt {self.encoding} body: {e}") from None

    def flush(self) -> bytes:
        try:
            return self._d.flush() if self._d is not None else b""
        except zlib.error as e:
            raise FetchError(self.url, f"corrupt {self.encoding} body: {e}") from None
