"""Shared test helpers: building sites and serving them on 127.0.0.1."""

from __future__ import annotations

import contextlib
import datetime
import functools
import gzip
import http.server
import os
import shutil
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from badgepress.content.project import Project
from badgepress.model import SourceCommit
from badgepress.pipeline import BuildReport, build

REPO = Path(__file__).resolve().parents[1]
# Builds in tests use a fixed reference time so statuses (valid/expired) never depend on the day.
BUILD_TIME = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.timezone.utc)
# ... and a fixed source commit, so the golden tree does not change with every commit of this
# repository (tests/issuing/test_ledger.py builds real repositories without it).
TEST_COMMIT = SourceCommit("c0ffee" + "0" * 34, BUILD_TIME)


def fresh_python(code: str, path: Path | None = None) -> str:
    """What `code` prints when run by a new interpreter (e.g. to see what it imported);
    `path`: a folder put first on its module search path."""
    env = None
    if path is not None:
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(path), os.environ.get("PYTHONPATH")])),
        }
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    ).stdout


def build_site(
    source: Path,
    output: Path | None,
    *,
    base_url: str | None = None,
    now=BUILD_TIME,
    commit=TEST_COMMIT,
) -> BuildReport:
    """Build `source` into `output` through the real pipeline."""
    return build(Project(source), output, now, base_url=base_url, commit=commit)


def copy_example(target: Path) -> Path:
    """A writable copy of this repository's example content (content/, assertions/, templates/)."""
    for name in ("content", "assertions", "templates"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, target / name)
    return target


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".json": "application/json",
        ".png": "image/png",
        ".svg": "image/svg+xml",
        ".js": "text/javascript",
    }

    def log_message(self, format, *args):
        pass

    def end_headers(self):
        # Open Badges documents are meant to be fetched cross-origin by verifiers.
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()


@contextlib.contextmanager
def _serving(handler) -> Iterator[str]:
    """Run an HTTP server with `handler` on 127.0.0.1 (a free port) for the duration of the
    context; yields 'http://127.0.0.1:PORT'."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def serve_directory(directory: Path) -> contextlib.AbstractContextManager[str]:
    """Serve `directory` on 127.0.0.1 (a free port) for the duration; yields 'http://127.0.0.1:PORT'."""
    return _serving(functools.partial(_QuietHandler, directory=str(directory)))


@contextlib.contextmanager
def fifo_nobody_writes_to(path: Path, patience: float = 10.0) -> Iterator[Path]:
    """A named pipe at `path` that no process writes to. Code that waits in `open` for a writer
    is let go after `patience` seconds by one that opens and closes it, and the test fails;
    a hang in the code under test does not hang the suite."""
    os.mkfifo(path)
    waited = threading.Event()

    def let_go() -> None:
        with contextlib.suppress(OSError):  # ENXIO: no reader waits, nothing to let go
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
            waited.set()

    timer = threading.Timer(patience, let_go)
    timer.start()
    try:
        yield path
    finally:
        timer.cancel()
    assert not waited.is_set(), f"{path}: waited in open() for a writer"


class _HostLikeHandler(http.server.BaseHTTPRequestHandler):
    """What a static host (GitHub Pages, Netlify, S3 websites) answers: a fixed Content-Type
    table with charsets, HTML revalidated and every other file cached for a year, gzip for text
    when asked, a folder without its slash redirected, and any missing path, at any depth,
    answered 404 with the site's own /404.html."""

    root: Path
    TYPES: ClassVar[dict[str, str]] = {
        ".html": "text/html; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".js": "text/javascript; charset=utf-8",
        ".json": "application/json",
        ".jsonld": "application/ld+json",
        ".xml": "application/xml",
        ".txt": "text/plain; charset=utf-8",
        ".svg": "image/svg+xml",
        ".png": "image/png",
        ".webp": "image/webp",
        ".ico": "image/x-icon",
        ".pdf": "application/pdf",
        ".webmanifest": "application/manifest+json",
    }
    COMPRESSED: ClassVar[set[str]] = {
        ".html", ".css", ".js", ".json", ".jsonld", ".xml", ".txt", ".svg", ".webmanifest"
    }  # fmt: skip

    def log_message(self, format, *args):
        pass

    def do_HEAD(self):
        self._respond(send_body=False)

    def do_GET(self):
        self._respond(send_body=True)

    def _respond(self, send_body: bool) -> None:
        path = urllib.parse.unquote(self.path.split("?", 1)[0].split("#", 1)[0])
        target = (self.root / path.lstrip("/")).resolve()
        if target.is_dir() and target.is_relative_to(self.root):
            if not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            target = target / "index.html"
        status = 200
        if not target.is_relative_to(self.root) or not target.is_file():
            status, target = 404, self.root / "404.html"
        body = self.file_bytes(target) if target.is_file() else b"Not found"
        self.send_response(status)
        self.send_header("Content-Type", self.TYPES.get(target.suffix, "application/octet-stream"))
        html = target.suffix == ".html"
        self.send_header("Cache-Control", "no-cache" if html else "public, max-age=31536000")
        self.send_header("Access-Control-Allow-Origin", "*")
        if target.suffix in self.COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, 6, mtime=0)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.send_body(body, target)

    def file_bytes(self, target: Path) -> bytes:
        """What the host answers for `target`, an existing file (a test's host may change it)."""
        return target.read_bytes()

    def send_body(self, body: bytes, target: Path) -> None:
        """Send the response's body (a test's host may send it in pieces)."""
        self.wfile.write(body)


def serve_like_a_host(directory: Path) -> contextlib.AbstractContextManager[str]:
    """Serve a built site on 127.0.0.1 (a free port) as a static host would (_HostLikeHandler):
    headers, compression and 404s are judged as on a real host, e.g. by Lighthouse. Yields
    'http://127.0.0.1:PORT' and stops with the context."""
    return _serving(type("Handler", (_HostLikeHandler,), {"root": directory.resolve()}))
