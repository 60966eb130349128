"""Every badge of this repository's example site, dropped on its /verify/ page in Chromium."""

from __future__ import annotations

import datetime

import pytest

from tests.verify.site import EXAMPLE_RECIPIENTS, served_example

LABELS = {"valid": "Valid", "revoked": "Revoked", "expired": "Expired"}


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    with served_example(tmp_path_factory.mktemp("example")) as served:
        yield served


def test_every_example_badge_image_gets_its_verdict(page, example):
    site, catalog = example
    now = datetime.datetime.now(datetime.timezone.utc)
    page.goto(f"{site.url}/verify/")
    for assertion in catalog.assertions:
        image = catalog.credential_of(assertion).image.format
        page.set_input_files(
            "#verify-file", str(site.root / "assertions" / f"{assertion.id}.{image}")
        )
        page.click("button[type=submit]")
        expected = assertion.status(now)
        page.wait_for_selector(f"#verify-result[data-verdict='{expected}']", timeout=15000)
        assert page.inner_text("#verify-result .verdict-label") == LABELS[expected], assertion.id
        if expected == "revoked":
            reason = page.inner_text("#verify-result .verdict-reason")
            assert reason == f"Reason: {assertion.revocation_reason}"


def test_earner_page_button_with_the_earners_email_is_valid(page, example):
    site, _ = example
    name = "8vcxgcyxdmwy"
    email = EXAMPLE_RECIPIENTS[name]
    page.goto(f"{site.url}/assertions/{name}/")
    page.fill("#verify-email", email)
    page.get_by_role("button", name="Verify this badge").click()
    page.wait_for_selector("#verify-result[data-verdict='valid']", timeout=15000)
    assert page.inner_text("#verify-result .verdict-label") == "Valid"
