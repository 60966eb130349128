"""The serve HTTP handler on 127.0.0.1: injection at serve time, 404 page, events, placeholder."""

from __future__ import annotations

import contextlib
import functools
import threading
import urllib.error
import urllib.request

import pytest

from badgepress.serve.livereload import EVENTS_PATH, SCRIPT, SCRIPT_PATH, StatusBoard
from badgepress.serve.server import LiveReloadHandler, _Server

PAGE = b"<!doctype html><html><body><h1>Home</h1></body></html>\n"


@pytest.fixture
def served(tmp_path):
    """The handler serving `tmp_path` with a board that has one good build."""
    (tmp_path / "index.html").write_bytes(PAGE)
    (tmp_path / "404.html").write_bytes(b"<html><body>Not here</body></html>")
    (tmp_path / "about").mkdir()
    (tmp_path / "about" / "index.html").write_bytes(PAGE)
    (tmp_path / "issuer.json").write_bytes(b'{"type": "Issuer"}\n')
    board = StatusBoard("t")
    board.built()
    handler = functools.partial(LiveReloadHandler, directory=str(tmp_path), board=board)
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", board, tmp_path
    finally:
        board.close()
        server.shutdown()
        server.server_close()


def get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        with contextlib.closing(error):
            return error.code, error.headers, error.read()


def test_html_is_sent_with_the_script_and_left_unchanged_on_disk(served):
    url, _board, root = served
    status, headers, body = get(url + "/")
    assert status == 200
    assert body == PAGE.replace(
        b"</body>", f'<script src="{SCRIPT_PATH}" data-build="t-1"></script></body>'.encode()
    )
    assert headers["Cache-Control"] == "no-store"
    assert (root / "index.html").read_bytes() == PAGE


def test_folder_without_slash_redirects_and_its_index_is_injected(served):
    url, _board, _root = served
    status, _headers, body = get(url + "/about")  # urllib follows the redirect to /about/
    assert status == 200
    assert b'data-build="t-1"' in body


def test_json_is_sent_as_built(served):
    url, _board, _root = served
    status, headers, body = get(url + "/issuer.json")
    assert (status, body) == (200, b'{"type": "Issuer"}\n')
    assert headers["Content-Type"] == "application/json"


def test_missing_page_is_the_sites_404_with_the_script(served):
    url, _board, _root = served
    status, _headers, body = get(url + "/credentials/nope/")
    assert status == 404
    assert body.startswith(b"<html><body>Not here<script ")


def test_script_is_served(served):
    url, _board, _root = served
    status, headers, body = get(url + SCRIPT_PATH)
    assert (status, body) == (200, SCRIPT)
    assert headers["Content-Type"].startswith("text/javascript")


def test_before_the_first_good_build_a_placeholder_carries_the_script(tmp_path):
    board = StatusBoard("t")
    board.failed(["content/site.yaml:2: 'title': expected text"])
    handler = functools.partial(LiveReloadHandler, directory=str(tmp_path), board=board)
    server = _Server(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        status, _headers, body = get(f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()
    assert status == 503
    assert b"has not built yet" in body
    assert b'data-build=""' in body


def test_event_stream_sends_the_status_then_each_change(served):
    url, board, _root = served
    with urllib.request.urlopen(url + EVENTS_PATH, timeout=5) as stream:
        assert stream.headers["Content-Type"] == "text/event-stream"
        assert stream.readline() == b"retry: 500\n"
        assert stream.readline() == b"\n"
        assert stream.readline() == b'data: {"build": "t-1", "errors": []}\n'
        assert stream.readline() == b"\n"
        board.failed(["content/a.md:3: <bad>"])
        assert stream.readline() == b'data: {"build": "t-1", "errors": ["content/a.md:3: <bad>"]}\n'
        assert stream.readline() == b"\n"
        board.built()
        assert stream.readline() == b'data: {"build": "t-2", "errors": []}\n'


def _raw_status(url: str, target: bytes) -> int:
    """The status a raw request line for `target` gets (no client library to tidy it up)."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as connection:
        connection.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        reply = b""
        while chunk := connection.recv(65536):
            reply += chunk
    return int(reply.split(b" ", 2)[1])


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (b"/%00", 400),
        (b"/a%00b.html", 400),
        (b"/%01", 400),
        (b"/%ff%fe", 400),  # percent-encoding that is not UTF-8
        (b"//[", 404),  # an unclosed IPv6 host, were it parsed as one
        (b"/" + b"a" * 5000, 400),
        (b"/" + b"a/" * 1000, 404),  # a path of 2,000 characters the file system cannot hold
        (b"/" + b"b" * 300 + b".html", 404),  # a name longer than a file system allows
        (b"/../../../../etc/passwd", 404),
        (b"/%2e%2e/%2e%2e/etc/passwd", 404),
        (b"/%", 404),
        (b"/%zz", 404),
    ],
)
def test_odd_paths_get_400_or_404_never_a_traceback(served, capfd, target, expected):
    url, _board, _root = served
    assert _raw_status(url, target) == expected
    assert _raw_status(url, b"/") == 200  # still serving
    assert "Traceback" not in capfd.readouterr().err
