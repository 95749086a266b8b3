"""A real HTTP server on 127.0.0.1 for the feed tests: fixture feeds and article pages, plus slow,
failing and hostile endpoints. It runs in a thread of the test process; the CLI under test runs in
a subprocess and talks to it over TCP like any feed reader would.

Routes (``/<name>`` serves ``FeedServer.files[name]``; the rest are behaviours):

================================ ===============================================================
``/flaky/N/<name>``              answers 503 (``Retry-After: 0``) N times, then serves ``<name>``
``/ratelimited/<name>``          429 with ``Retry-After: 1`` once, then serves ``<name>``
``/retry-after-hour``            503 with ``Retry-After: 3600`` (must fail fast: beyond the deadline)
``/always-500``                  500, every time
``/slow-headers``                sleeps 30 s before answering
``/slowpage/<name>``             sleeps 1 s, then serves ``<name>``; ``peak_slowpages`` is the
                                 most such requests the server had in progress at once
``/drip``                        sends headers, then one byte every 0.2 s, forever
``/gzip-bomb``                   a small gzip body that inflates to 64 MB
``/huge``                        claims ``Content-Length`` of 1 GB
``/endless``                     streams chunked data forever
``/redirect-loop``               redirects to itself
``/redirect/<name>``             302 to ``/<name>``
``/missing``                     404
``/secret``                      must never be requested (an XXE target); hits are counted
================================ ===============================================================

Every request is logged in ``FeedServer.log`` as ``(path, headers)``. Feeds support ETag and
``If-None-Match``.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FeedServer:
    def __init__(self, port: int = 0):
        self.files: dict[str, tuple[bytes, str]] = {}
        self.log: list[tuple[str, dict]] = []
        self.counters: dict[str, int] = {}
        self.slowpages_in_progress = 0
        self.peak_slowpages = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        handler = _make_handler(self)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"

    def add(self, name: str, body: bytes | str, content_type: str = "application/rss+xml; charset=utf-8") -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        with self._lock:
            self.files[name] = (data, content_type)
        return self.url(name)

    def hits(self, prefix: str) -> int:
        with self._lock:
            return sum(1 for p, _ in self.log if p.startswith(prefix))

    def start(self) -> FeedServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def count(self, key: str) -> int:
        with self._lock:
            self.counters[key] = self.counters.get(key, 0) + 1
            return self.counters[key]


_BOMB = None


def _bomb() -> bytes:
    global _BOMB
    if _BOMB is None:
        _BOMB = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)
    return _BOMB


def _make_handler(server: FeedServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # keep pytest output clean
            pass

        def do_GET(self):  # noqa: C901 - one branch per behaviour reads best
            path = self.path.split("?")[0]
            with server._lock:
                server.log.append((path, {k.lower(): v for k, v in self.headers.items()}))
            try:
                self._route(path)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _send(self, status: int, body: bytes = b"", headers: dict | None = None, content_type="text/plain"):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def _serve(self, name: str):
            with server._lock:
                entry = server.files.get(name)
            if entry is None:
                return self._send(404, b"not found")
            body, ctype = entry
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.send_header("Connection", "close")
                self.end_headers()
                return
            headers = {"ETag": etag}
            if "gzip" in (self.headers.get("Accept-Encoding") or "") and name.endswith(".gz.xml"):
                body = gzip.compress(body)
                headers["Content-Encoding"] = "gzip"
            self._send(200, body, headers, ctype)

        def _route(self, path: str):
            parts = path.strip("/").split("/")
            head = parts[0]
            if head == "flaky" and len(parts) >= 3:
                n = int(parts[1])
                key = "/".join(parts)
                if server.count(key) <= n:
                    return self._send(503, b"busy", {"Retry-After": "0"})
                return self._serve("/".join(parts[2:]))
            if head == "ratelimited" and len(parts) >= 2:
                if server.count(path) <= 1:
                    return self._send(429, b"slow down", {"Retry-After": "1"})
                return self._serve("/".join(parts[1:]))
            if head == "slowpage" and len(parts) >= 2:
                with server._lock:
                    server.slowpages_in_progress += 1
                    server.peak_slowpages = max(server.peak_slowpages, server.slowpages_in_progress)
                try:
                    server._stop.wait(1.0)
                finally:
                    with server._lock:
                        server.slowpages_in_progress -= 1
                return self._serve("/".join(parts[1:]))
            if head == "retry-after-hour":
                return self._send(503, b"maintenance", {"Retry-After": "3600"})
            if head == "always-500":
                return self._send(500, b"boom")
            if head == "slow-headers":
                server._stop.wait(30)
                return self._send(200, b"late")
            if head == "drip":
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Connection", "close")
                self.end_headers()
                while not server._stop.is_set():
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.2)
                return
            if head == "gzip-bomb":
                return self._send(200, _bomb(), {"Content-Encoding": "gzip"}, "application/rss+xml")
            if head == "huge":
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(1024**3))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(b"<rss>" + b" " * 65536)
                return
            if head == "endless":
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Transfer-Encoding", "chunked")
                self.send_header("Connection", "close")
                self.end_headers()
                chunk = b" " * 65536
                while not server._stop.is_set():
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                return
            if head == "redirect-loop":
                return self._send(302, b"", {"Location": "/redirect-loop"})
            if head == "redirect" and len(parts) >= 2:
                return self._send(302, b"", {"Location": "/" + "/".join(parts[1:])})
            if head == "secret":
                return self._send(200, b"TOP SECRET")
            return self._serve(path.lstrip("/"))

    return Handler
