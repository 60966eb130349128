"""One headless Debian Chromium per test session, driven by Playwright (no browser download).

Missing Chromium or Playwright is a failure, not a skip: `bash scripts/setup-browser.sh` installs both.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.verify.site import served_site

CHROMIUM = Path("/usr/bin/chromium")
# A name that is not localhost: pages served under it over plain http are not a secure context,
# so crypto.subtle is missing there, as on a site previewed on a LAN host.
INSECURE_HOST = "badges.test"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless; the flags make it run as root in containers and CI."""
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: run bash scripts/setup-browser.sh"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                f"--host-resolver-rules=MAP {INSECURE_HOST} 127.0.0.1",
            ],
            headless=True,
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page; any JavaScript error on it fails the test."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The three-badge site (valid, revoked, expired) served at its own base URL."""
    with served_site(tmp_path_factory.mktemp("browser")) as served:
        yield served
