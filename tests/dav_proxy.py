"""A proxy in front of the real Radicale that behaves as other servers and networks do: a server without the
REPORT method (no sync-collection, no multiget), one that answers a write without an ETag, a connection dropped,
a 503, an answer that never comes, and another client's write slipped in just before one of ours. Everything
else is passed through unchanged, and each request is recorded (method, path, condition headers), so a test can
count exactly what a sync sent.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

_HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "host"})


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    if_match: str | None
    if_none_match: str | None


@dataclass
class Faults:
    """What the proxy does to requests. ``fail_at``: (method, n) -> the n-th request of that method since the
    last ``seen.clear()`` (from 1) gets that failure ("503", "drop" or "hang"); ``before``: (method, n) -> called
    before that request is passed on (another client's write, made just before ours)."""

    refuse: set[str] = field(default_factory=set)
    strip_etag: bool = False
    fail_at: dict[tuple[str, int], str] = field(default_factory=dict)
    before: dict[tuple[str, int], Callable[[], None]] = field(default_factory=dict)
    hang_seconds: float = 5.0


@dataclass
class Proxy:
    upstream: str
    url_of: Callable[[str], str]  # a Radicale URL -> the same URL through the proxy
    faults: Faults
    seen: list[Seen]

    def count(self, method: str) -> int:
        return sum(1 for request in self.seen if request.method == method)


def _handler(upstream: str, faults: Faults, seen: list[Seen], lock: threading.Lock) -> type[BaseHTTPRequestHandler]:
    target = urlsplit(upstream)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet: the test reads ``seen``
            pass

        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            method = self.command
            with lock:  # counted from the last ``seen.clear()``: a test arms a fault for the run it starts next
                seen.append(Seen(method, self.path, self.headers.get("If-Match"), self.headers.get("If-None-Match")))
                number = sum(1 for request in seen if request.method == method)
            if method in faults.refuse:
                self._answer(501, {"Content-Type": "text/plain"}, b"not implemented here\n")
                return
            failure = faults.fail_at.get((method, number))
            if failure == "drop":
                self.close_connection = True
                return
            if failure == "hang":
                time.sleep(faults.hang_seconds)
                self.close_connection = True
                return
            if failure == "503":
                self._answer(503, {"Content-Type": "text/plain", "Retry-After": "120"}, b"busy\n")
                return
            if (hook := faults.before.get((method, number))) is not None:
                hook()
            status, headers, answer = self._forward(method, body)
            if faults.strip_etag and method == "PUT":
                headers = {k: v for k, v in headers.items() if k.lower() != "etag"}
            self._answer(status, headers, answer)

        def _forward(self, method: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
            connection = http.client.HTTPConnection(target.hostname or "127.0.0.1", target.port, timeout=30)
            try:
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
                connection.request(method, self.path, body=body or None, headers=headers)
                response = connection.getresponse()
                answer = response.read()
                kept = {k: v for k, v in response.getheaders() if k.lower() not in _HOP_BY_HOP | {"content-length"}}
                return response.status, kept, answer
            finally:
                connection.close()

        def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_PUT = do_DELETE = do_PROPFIND = do_REPORT = do_OPTIONS = do_MKCALENDAR = do_HEAD = _any

    return Handler


@contextmanager
def dav_proxy(upstream: str, faults: Faults | None = None) -> Iterator[Proxy]:
    """A proxy on a free port of 127.0.0.1 to the server at ``upstream`` (``http://host:port/``)."""
    faults = faults or Faults()
    seen: list[Seen] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(upstream, faults, seen, threading.Lock()))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        yield Proxy(upstream, lambda url: base + url.removeprefix(upstream), faults, seen)
    finally:
        server.shutdown()
        server.server_close()
