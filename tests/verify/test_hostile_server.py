"""`badgepress verify` against a hostile server on 127.0.0.1: a verdict for every answer, in time.

Each case runs the real command (in-process) and checks the verdict, the reason and the time it
took. Deadline cases use a short --timeout and a generous margin (MARGIN): they hold on a loaded
2-core machine, and still fail at once without the shared deadline (a drip lasts LIFETIME).
"""

from __future__ import annotations

import json
import time

import pytest

from badgepress.cli import main
from tests.verify.hostile import LIFETIME, hostile_server

SHORT = 2.0  # --timeout for the cases about time
MARGIN = 8.0  # seconds of slack on top of it: far below LIFETIME (30 s), far above a 2 s run
LONG = 20.0  # --timeout for the other cases: they must end on their own limit, not the deadline


@pytest.fixture(scope="module")
def hostile():
    with hostile_server() as (url, requests):
        yield url, requests


def run(capsys, url: str, timeout: float) -> tuple[int, dict, float]:
    started = time.monotonic()
    status = main(["verify", url, "--json", "--timeout", str(timeout)])
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, json.loads(out), elapsed


@pytest.mark.parametrize("path", ["/drip-body", "/drip-headers", "/drip-status", "/silent"])
def test_a_server_that_drips_or_stalls_is_given_up_at_the_deadline(hostile, capsys, path):
    url, _ = hostile
    status, report, elapsed = run(capsys, url + path, SHORT)
    assert (status, report["verdict"]) == (2, "unreachable")
    assert report["reason"] == f"no complete answer from {url}{path} within 2 s"
    assert elapsed < SHORT + MARGIN < LIFETIME


def test_one_deadline_covers_every_document_of_a_badge(hostile, capsys):
    # Assertion, badge class and issuer each answer after 1.2 s: each alone is within 2 s, the
    # three together are not. A timeout per request would let all three through.
    url, _ = hostile
    status, report, elapsed = run(capsys, url + "/slow-assertion", SHORT)
    assert (status, report["verdict"]) == (2, "unreachable")
    assert report["reason"] == f"no complete answer from {url}/slow-badge within 2 s"
    assert elapsed < SHORT + MARGIN


# path -> (verdict, a part of the reason); the URL asked for is the badge itself, so a document
# that is too large or a URL that can never be fetched makes it "Not a badge".
ANSWERS = {
    "/bad-status": ("unreachable", "did not answer in HTTP: a malformed status line 'HTTP/1.1 abc"),
    "/not-http": ("unreachable", "did not answer in HTTP: a malformed status line"),
    "/status-999999": ("unreachable", "did not answer in HTTP: a malformed status line"),
    "/long-status": ("unreachable", "got more than 65536 bytes when reading status line"),
    "/long-header": ("unreachable", "got more than 65536 bytes when reading header line"),
    "/many-headers": ("unreachable", "got more than 100 headers"),
    "/huge-headers": ("not_a_badge", "sent more than 5,262,144 bytes"),
    "/continue-forever": ("not_a_badge", "sent more than 5,262,144 bytes"),
    "/cut-short": ("unreachable", "did not answer in HTTP: the answer ended early"),
    "/redirect-loop": ("unreachable", "/redirect-loop redirects more than 5 times"),
    "/redirect-file": ("not_a_badge", "redirects to 'file:///etc/passwd', not an http(s) URL"),
    "/redirect-data": ("not_a_badge", "redirects to 'data:application/json,{}', not an http(s)"),
    "/redirect-ipv6": ("not_a_badge", "redirects to 'http://[::1/x.json', not a valid URL"),
    "/redirect-link-local": ("unsupported", "not fetched: 169.254.169.254 is a link-local"),
    "/huge-length": ("not_a_badge", "is larger than 5,000,000 bytes, more than any badge"),
    "/endless-body": ("not_a_badge", "is larger than 5,000,000 bytes, more than any badge"),
    "/gzip-bomb": ("not_a_badge", "inflates to more than 5,000,000 bytes, more than any badge"),
    "/deflate-bomb": ("not_a_badge", "inflates to more than 5,000,000 bytes, more than any badge"),
    "/gzip-corrupt": ("unreachable", "is sent gzip-compressed: corrupt compressed data"),
    "/brotli": ("unreachable", "is sent in Content-Encoding 'br', which is not read here"),
    "/chunked-huge-size": ("not_a_badge", "is larger than 5,000,000 bytes"),
    "/chunked-bad-size": ("unreachable", "did not answer in HTTP: the answer ended early"),
    "/chunked-endless": ("not_a_badge", "sent more than 5,262,144 bytes"),
    "/chunked-endless-trailers": ("not_a_badge", "sent more than 5,262,144 bytes"),
    "/deep-json": ("not_a_badge", "nests arrays and objects more than 64 levels deep"),
    "/long-number": ("not_a_badge", "holds a number longer than 100 characters"),
    # Read as what it is, whatever the Content-Encoding or Content-Type says it is.
    "/gzip-json": ("invalid", "lacks id, recipient, badge, verification, issuedOn"),
    "/html-json": ("invalid", "lacks id, recipient, badge, verification, issuedOn"),
}


@pytest.mark.parametrize("path", ANSWERS)
def test_every_hostile_answer_gets_a_verdict(hostile, capsys, path):
    url, _ = hostile
    status, report, elapsed = run(capsys, url + path, LONG)
    verdict, reason = ANSWERS[path]
    assert report["verdict"] == verdict, report["reason"]
    assert status == {"not_a_badge": 1, "invalid": 1}.get(verdict, 2)
    assert reason in report["reason"]
    assert elapsed < LONG  # each ends on its own limit (size, count), not on the deadline


def test_requests_ask_for_compression_and_close(hostile, capsys):
    url, requests = hostile
    run(capsys, url + "/gzip-json", LONG)
    head = requests[-1].decode("latin-1")
    assert head.startswith("GET /gzip-json HTTP/1.1\r\n")
    assert "\r\nAccept-Encoding: gzip, deflate\r\n" in head
    assert "\r\nConnection: close\r\n" in head
