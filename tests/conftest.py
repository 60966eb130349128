"""Fixtures shared by every test module."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support import REPO, build_site, serve_directory


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite golden files (expected trees and messages) from the current output; review the diff",
    )


@pytest.fixture(scope="session", autouse=True)
def _user_cache_folder(tmp_path_factory):
    """Compiled templates go to a folder of the test session's, not the user's ~/.cache
    (template_cache): builds in tests, and their subprocesses, never see what another run kept."""
    saved = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))
    yield
    if saved is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = saved


@pytest.fixture(scope="session")
def example_site(tmp_path_factory):
    """This repository's example site, built once per test session (read-only for tests)."""
    output = tmp_path_factory.mktemp("example") / "site"
    build_site(REPO, output)
    return output


# Real browsers (tests/browser, tests/a11y): one Playwright per session, since its sync API
# cannot run twice at once in a thread. Missing Chromium or Playwright is a failure, not a skip:
# `bash scripts/setup-browser.sh` installs both.
CHROMIUM = Path(
    "/usr/bin/chromium"
)  # Debian's package; Playwright's browser download is never used
# A name that is not localhost: pages served under it over plain http are not a secure context,
# so crypto.subtle is missing there, as on a site previewed on a LAN host.
INSECURE_HOST = "badges.test"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless; the flags make it run as root in containers and CI."""
    from playwright.sync_api import sync_playwright  # only browser tests need it

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


@pytest.fixture(scope="session")
def example_url(example_site):
    """The example site, served over HTTP (fetch() of catalog.json needs http, not file:)."""
    with serve_directory(example_site) as url:
        yield url


@pytest.fixture
def page(browser):
    """A fresh page (own context: no state shared between tests) that fails on script errors."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"
