"""The fetcher refuses what a stranger's badge could abuse: endless redirects, huge bodies, file: URLs."""

from __future__ import annotations

import http.server
import threading

import pytest

from badgepress.fetch import FetchError, fetch


class _Loop(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(302)
        self.send_header("Location", self.path + "x")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_redirect_loops_are_cut_off():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Loop)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(FetchError) as caught:
            fetch(f"http://127.0.0.1:{server.server_address[1]}/a")
    finally:
        server.shutdown()
        server.server_close()
    assert caught.value.status == 302 and not caught.value.gone


def test_bodies_over_the_size_limit_are_refused(site):
    with pytest.raises(FetchError, match="larger than 100 bytes"):
        fetch(site.assertion_url("jane-valid"), max_bytes=100)


def test_only_http_urls_are_fetched():
    with pytest.raises(FetchError, match="not an http"):
        fetch("file:///etc/passwd")


def test_a_404_is_the_issuer_saying_no(site):
    with pytest.raises(FetchError) as caught:
        fetch(site.url + "/missing.json")
    assert caught.value.gone
