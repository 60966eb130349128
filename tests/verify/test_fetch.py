"""The fetcher refuses what a stranger's badge could abuse: endless redirects, huge bodies, file: URLs,
addresses where no badge lives. tests/verify/test_hostile_server.py has the hostile answers."""

from __future__ import annotations

import http.server
import threading

import pytest

from badgepress.verify.address_policy import FORBIDDEN, PRIVATE, PUBLIC, AddressPolicy, classify
from badgepress.verify.fetch import MAX_FETCHES, Fetcher, FetchError, fetch


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


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://[::1/a.json", "not a valid URL: 'http://[::1/a.json' (Invalid IPv6 URL)"),
        (
            "http://x.example:99999/",
            "not a valid URL: 'http://x.example:99999/' (Port out of range 0-65535)",
        ),
        ("http:///a.json", "not a valid URL: 'http:///a.json' (no host)"),
        (
            f"http://{'a' * 64}.example/",
            f"not a valid URL: 'http://{'a' * 64}.example/' (not a valid host name)",
        ),
        (["http://x.example/"], "not a URL: ['http://x.example/']"),
    ],
)
def test_a_malformed_url_is_a_malformed_url_not_a_crash(url, message):
    with pytest.raises(FetchError) as caught:
        Fetcher()(url)
    assert (caught.value.kind, caught.value.message) == ("malformed", message)


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://[fe80::1]/",
        "http://0.0.0.0:80/",  # Linux connects it to the local machine
        "http://[::ffff:169.254.169.254]/",  # the same, written as IPv6
        "http://224.0.0.1/",
    ],
)
def test_link_local_multicast_and_unspecified_addresses_are_never_connected_to(url):
    with pytest.raises(FetchError) as caught:
        fetch(url, timeout=60)
    assert caught.value.kind == "refused"
    assert caught.value.message.startswith("not fetched: ")
    assert "where no badge is published" in caught.value.message


def test_public_only_refuses_loopback(site):
    fetcher = Fetcher(policy=AddressPolicy(public_only=True))
    with pytest.raises(FetchError) as caught:
        fetcher(site.assertion_url("jane-valid"))
    assert caught.value.kind == "refused"
    assert caught.value.message == (
        "not fetched: 127.0.0.1 is a private or loopback address (--public-only)"
    )


def test_after_a_public_address_private_ones_are_refused(site):
    # 127.0.0.1 stands for a public address here; 127.0.0.2 for one in the verifier's network.
    def classify(address):
        return PUBLIC if address == "127.0.0.1" else PRIVATE

    fetcher = Fetcher(policy=AddressPolicy(classify=classify))
    fetcher(site.assertion_url("jane-valid"))
    with pytest.raises(FetchError) as caught:
        fetcher(site.assertion_url("jane-valid").replace("127.0.0.1", "127.0.0.2"))
    assert caught.value.message == (
        "not fetched: 127.0.0.2 is a private or loopback address,"
        " named by a document from the public internet"
    )


def test_one_run_fetches_a_bounded_number_of_documents(site):
    fetcher = Fetcher()
    for _ in range(MAX_FETCHES):
        fetcher(site.assertion_url("jane-valid"))
    with pytest.raises(FetchError) as caught:
        fetcher(site.assertion_url("jane-valid"))
    assert caught.value.kind == "refused"


def test_address_classes():
    assert classify("93.184.216.34") == PUBLIC
    assert classify("2606:2800:220:1:248:1893:25c8:1946") == PUBLIC
    for private in ("127.0.0.1", "10.1.2.3", "192.168.1.1", "::1", "fd00::1", "100.64.0.1"):
        assert classify(private) == PRIVATE, private
    for forbidden in ("169.254.169.254", "fe80::1%eth0", "0.0.0.0", "::", "240.0.0.1"):
        assert classify(forbidden) == FORBIDDEN, forbidden
    assert classify("::ffff:10.0.0.1") == PRIVATE
