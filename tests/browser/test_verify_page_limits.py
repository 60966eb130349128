"""The verify page meets hostile badges and servers as `badgepress verify` does: one deadline,
capped bodies and inflation, and the same verdict on documents beyond any calendar or type."""

from __future__ import annotations

import datetime
import json
import time

import pytest

from badgepress.verify.verifier import verify as verify_in_python
from tests.verify.hostile import hostile_server, png_with, zlib_bomb

RESULT = "#verify-result"


@pytest.fixture(scope="module")
def hostile():
    with hostile_server() as (url, _):
        yield url


def in_browser(page, site, url, timeout_ms=None):
    page.goto(f"{site.url}/verify/")
    return page.evaluate(
        "([url, t]) => window.badgepressVerify.verify({url}, null, undefined, t)", [url, timeout_ms]
    )


def test_a_server_dripping_its_body_is_given_up_at_the_deadline(page, site, hostile):
    # Before, the timer stopped once headers came: the page waited for the whole drip.
    started = time.monotonic()
    report = in_browser(page, site, f"{hostile}/drip-body", 2000)
    assert time.monotonic() - started < 12
    assert report["verdict"]["code"] == "unreachable"
    assert report["verdict"]["reason"] == f"no complete answer from {hostile}/drip-body within 2 s"


def test_a_body_larger_than_any_badge_is_not_a_badge(page, site, hostile):
    # Chromium inflates the gzip body itself; the page stops reading past 5 MB.
    report = in_browser(page, site, f"{hostile}/gzip-bomb")
    assert report["verdict"]["code"] == "not_a_badge"
    assert report["verdict"]["reason"] == (
        f"{hostile}/gzip-bomb is larger than 5,000,000 bytes, more than any badge"
    )


def test_a_png_whose_itxt_inflates_to_a_gibibyte_is_not_a_badge(page, site, tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(png_with(b"iTXt", b"openbadges\0\1\0\0\0" + zlib_bomb()))
    page.goto(f"{site.url}/verify/")
    page.set_input_files("#verify-file", str(path))
    page.click("button[type=submit]")
    page.wait_for_selector(f"{RESULT}[data-verdict]:not([data-verdict=''])", timeout=30000)
    assert page.inner_text(f"{RESULT} .verdict-label") == "Not a badge"
    assert page.inner_text(f"{RESULT} .verdict-reason") == (
        "the PNG's iTXt chunk inflates to more than 5,000,000 bytes"
    )


def test_page_and_command_line_agree_on_hostile_documents(page, site):
    """Values of the wrong type or beyond any calendar: the same checks and verdict in both."""
    page.goto(f"{site.url}/verify/")
    now = datetime.datetime.now(datetime.timezone.utc)
    original = json.loads((site.root / "assertions" / "jane-valid.json").read_text())
    variants = {
        "issued-1e300": {"issuedOn": 1e300},
        "expires-minus-1e300": {"expires": -1e300},
        "id-list": {"id": [original["id"]]},
        "id-number": {"id": 7},
    }
    targets = []
    for name, change in variants.items():
        (site.root / f"{name}.json").write_text(json.dumps({**original, **change}))
        targets.append(f"{site.url}/{name}.json")
    for url in targets:
        python = verify_in_python(url, None, now).as_json()
        browser = page.evaluate("([url]) => window.badgepressVerify.verify({url}, null)", [url])
        strip = [{k: c[k] for k in ("name", "status", "message")} for c in browser["checks"]]
        assert (browser["verdict"]["code"], strip) == (python["verdict"], python["checks"]), url
