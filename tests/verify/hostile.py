"""Hostile input: PNG chunks and compression bombs, and a hostile HTTP server on 127.0.0.1, where
each path answers as an attacker's server would.

Raw sockets, not http.server: the answers break HTTP on purpose (malformed status lines, endless
headers, drips, bombs). Every answer ends by itself within LIFETIME seconds, or as soon as the
client hangs up, so code that waits for the end (the bug these tests catch) fails instead of
hanging the suite.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import socket
import socketserver
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterator

LIFETIME = 30.0  # seconds any one answer may last
GIB = 1 << 30


def _zeros_compressed(size: int, wbits: int) -> bytes:
    """`size` zero bytes, compressed (a bomb: 1 GiB is about 1 MB), made a MiB at a time."""
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    block = bytes(1 << 20)
    parts = [packer.compress(block) for _ in range(size >> 20)]
    parts.append(packer.flush())
    return b"".join(parts)


_CACHE: dict[str, bytes] = {}


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    """A PNG chunk: length, type, payload and CRC, whatever the payload holds."""
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload))
    )


def png_with(kind: bytes, payload: bytes) -> bytes:
    """A 1×1 PNG carrying one extra chunk after IHDR."""
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(kind, payload)
        + png_chunk(b"IDAT", zlib.compress(b"\0\0"))
        + png_chunk(b"IEND", b"")
    )


def gzip_bomb() -> bytes:
    """1 GiB of zeros as a gzip member (about 1 MB); built once per test session."""
    if "gzip" not in _CACHE:
        _CACHE["gzip"] = _zeros_compressed(GIB, 16 + zlib.MAX_WBITS)
    return _CACHE["gzip"]


def zlib_bomb() -> bytes:
    """1 GiB of zeros as a zlib stream (PNG zTXt/iTXt, HTTP deflate); built once per session."""
    if "zlib" not in _CACHE:
        _CACHE["zlib"] = _zeros_compressed(GIB, zlib.MAX_WBITS)
    return _CACHE["zlib"]


class _Answer:
    """Writes to the client; every write fails once the client has gone or LIFETIME passed."""

    def __init__(self, sock: socket.socket, stop: threading.Event) -> None:
        self.sock, self.stop = sock, stop
        self.end = time.monotonic() + LIFETIME

    def send(self, data: bytes) -> None:
        if self.stop.is_set() or time.monotonic() > self.end:
            raise ConnectionAbortedError
        self.sock.sendall(data)

    def head(self, status: str, *headers: str) -> None:
        # Access-Control-Allow-Origin: the browser's verify page may read the answer too.
        lines = [f"HTTP/1.1 {status}", "Access-Control-Allow-Origin: *", *headers]
        self.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def drip(self, data: bytes, every: float) -> None:
        for byte in data:
            self.send(bytes([byte]))
            self.stop.wait(every)

    def forever(self, data: bytes) -> None:
        while True:
            self.send(data)


def _json(answer: _Answer, body: bytes, *headers: str) -> None:
    answer.head(
        "200 OK", "Content-Type: application/json", f"Content-Length: {len(body)}", *headers
    )
    answer.send(body)


def _slowly(answer: _Answer, document: dict) -> None:
    """A JSON document after SLOW seconds: fine alone, too slow three times in a row."""
    answer.stop.wait(SLOW)
    _json(answer, json.dumps(document).encode())


SLOW = 1.2


def _slow_chain(answer: _Answer, path: str, base: str) -> None:
    """An assertion, its badge class and issuer, each answered after SLOW seconds."""
    issuer = {"id": f"{base}/slow-issuer", "type": "Issuer", "name": "Slow", "url": base}
    issuer["email"] = "slow@example.org"
    badge = {
        "id": f"{base}/slow-badge",
        "type": "BadgeClass",
        "name": "Slow",
        "issuer": issuer["id"],
    }
    badge.update(description="Slow", image=f"{base}/i.png", criteria=f"{base}/c")
    assertion = {"id": f"{base}/slow-assertion", "type": "Assertion", "badge": badge["id"]}
    assertion.update(
        recipient={"type": "email", "identity": "x@example.org", "hashed": False},
        verification={"type": "hosted"},
        issuedOn="2024-01-01",
    )
    documents = {"/slow-assertion": assertion, "/slow-badge": badge, "/slow-issuer": issuer}
    _slowly(answer, documents[path])


# path -> what the server does, given the request's path and the server's base URL
SCENARIOS: dict[str, Callable[[_Answer, str, str], None]] = {
    "/slow-assertion": _slow_chain,
    "/slow-badge": _slow_chain,
    "/slow-issuer": _slow_chain,
    # Time: a byte at a time, or nothing at all.
    "/drip-body": lambda a, p, b: (
        a.head("200 OK", "Content-Type: application/json", "Content-Length: 100000"),
        a.drip(b"{" + b" " * 99999, 0.5),
    ),
    "/drip-headers": lambda a, p, b: (
        a.send(b"HTTP/1.1 200 OK\r\n"),
        a.drip(b"X-Slow: " + b"a" * 10000, 0.5),
    ),
    "/drip-status": lambda a, p, b: a.drip(b"HTTP/1.1 200 OK\r\n\r\n{}", 1.0),
    "/silent": lambda a, p, b: a.stop.wait(LIFETIME),
    # Broken HTTP.
    "/bad-status": lambda a, p, b: a.send(b"HTTP/1.1 abc OK\r\n\r\n{}"),
    "/not-http": lambda a, p, b: a.send(b'{"id": "x"}\n'),
    "/status-999999": lambda a, p, b: a.send(b"HTTP/1.1 999999 Big\r\n\r\n{}"),
    "/long-status": lambda a, p, b: a.send(b"HTTP/1.1 200 " + b"O" * 100_000 + b"\r\n\r\n"),
    "/long-header": lambda a, p, b: a.head("200 OK", "X-Long: " + "a" * 100_000),
    "/many-headers": lambda a, p, b: a.head("200 OK", *(f"X-{i}: {i}" for i in range(1000))),
    "/huge-headers": lambda a, p, b: a.head(
        "200 OK", *(f"X-{i}: {'a' * 60_000}" for i in range(99))
    ),
    "/continue-forever": lambda a, p, b: a.forever(b"HTTP/1.1 100 Continue\r\n\r\n"),
    "/cut-short": lambda a, p, b: (
        a.head("200 OK", "Content-Length: 1000"),
        a.send(b'{"id": '),
    ),
    # Redirects.
    "/redirect-loop": lambda a, p, b: a.head("302 Found", f"Location: {p}", "Content-Length: 0"),
    "/redirect-file": lambda a, p, b: a.head("302 Found", "Location: file:///etc/passwd"),
    "/redirect-data": lambda a, p, b: a.head("302 Found", "Location: data:application/json,{}"),
    "/redirect-ipv6": lambda a, p, b: a.head("302 Found", "Location: http://[::1/x.json"),
    "/redirect-link-local": lambda a, p, b: a.head(
        "302 Found", "Location: http://169.254.169.254/latest/meta-data/"
    ),
    # Size: bodies that are, or inflate to, far more than any badge.
    "/huge-length": lambda a, p, b: (
        a.head("200 OK", "Content-Length: 1000000000000"),
        a.forever(bytes(1 << 16)),
    ),
    "/endless-body": lambda a, p, b: (
        a.head("200 OK", "Connection: close"),
        a.forever(b"[" * 65536),
    ),
    "/gzip-bomb": lambda a, p, b: _json(a, gzip_bomb(), "Content-Encoding: gzip"),
    "/deflate-bomb": lambda a, p, b: _json(a, zlib_bomb(), "Content-Encoding: deflate"),
    "/gzip-corrupt": lambda a, p, b: _json(
        a, b"\x1f\x8b\x08\0\0\0\0\0\0\x03" + b"\xff" * 20, "Content-Encoding: gzip"
    ),
    "/brotli": lambda a, p, b: _json(a, b"\x0b\x02\x80{}\x03", "Content-Encoding: br"),
    "/gzip-json": lambda a, p, b: _json(
        a, gzip.compress(b'{"type": "Assertion"}'), "Content-Encoding: gzip"
    ),
    "/html-json": lambda a, p, b: (
        a.head("200 OK", "Content-Type: text/html", "Content-Length: 21"),
        a.send(b'{"type": "Assertion"}'),
    ),
    # Chunked transfer coding abused.
    "/chunked-huge-size": lambda a, p, b: (
        a.head("200 OK", "Transfer-Encoding: chunked"),
        a.send(b"ffffffffffffffffffffffff\r\n"),
        a.forever(b"[" * 65536),
    ),
    "/chunked-bad-size": lambda a, p, b: (
        a.head("200 OK", "Transfer-Encoding: chunked"),
        a.send(b"zz\r\n{}\r\n0\r\n\r\n"),
    ),
    "/chunked-endless": lambda a, p, b: (
        a.head("200 OK", "Transfer-Encoding: chunked"),
        a.forever(b"1\r\n[\r\n" * 10000),
    ),
    "/chunked-endless-trailers": lambda a, p, b: (
        a.head("200 OK", "Transfer-Encoding: chunked"),
        a.send(b"2\r\n{}\r\n0\r\n"),
        a.forever(b"X-Trailer: aaaaaaaaaaaaaaaaaaaaaaaa\r\n" * 1000),
    ),
    # JSON beyond the limits.
    "/deep-json": lambda a, p, b: _json(a, b"[" * 100_000 + b"]" * 100_000),
    "/long-number": lambda a, p, b: _json(a, b'{"id": 1' + b"0" * 100_000 + b"}"),
}


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.settimeout(LIFETIME)
        head = b""
        with contextlib.suppress(OSError):
            while b"\r\n\r\n" not in head and len(head) < 65536:
                data = sock.recv(4096)
                if not data:
                    return
                head += data
        parts = head.split(b" ", 2)
        path = parts[1].decode("latin-1") if len(parts) > 2 else "/"
        self.server.requests.append(head)
        scenario = SCENARIOS.get(path.split("?", 1)[0])
        answer = _Answer(sock, self.server.stop)
        with contextlib.suppress(OSError):  # the client hung up, or the answer's time is up
            if scenario is None:
                answer.head("404 Not Found", "Content-Length: 0")
            else:
                scenario(answer, path, f"http://127.0.0.1:{self.server.server_address[1]}")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextlib.contextmanager
def hostile_server() -> Iterator[tuple[str, list[bytes]]]:
    """('http://127.0.0.1:PORT', the request heads received) while the server runs."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.stop = threading.Event()
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.requests
    finally:
        server.stop.set()
        server.shutdown()
        server.server_close()
