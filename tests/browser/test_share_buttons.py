"""The earner page's copy buttons (assets/share.js) in Chromium, on a site served from 127.0.0.1."""

from __future__ import annotations

import pytest

from tests.verify.site import served_example

CONSENTED = "3vctppvnp5jq"


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    with served_example(tmp_path_factory.mktemp("share")) as served:
        yield served


@pytest.fixture
def clipboard_page(browser, example):
    """A page allowed to read the clipboard (http://127.0.0.1 is a secure context)."""
    site, _ = example
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site.url}/assertions/{CONSENTED}/")
    page.click("details.share-more > summary")  # the copy fields are details, shown on demand
    yield page
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def test_copy_buttons_appear_only_with_javascript(browser, example):
    site, _ = example
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site.url}/assertions/{CONSENTED}/")
    assert page.locator("button[data-copy]").count() == 6  # five fields and "Copy link"
    assert not page.locator("button[data-copy]").first.is_visible()
    context.close()


def test_copy_puts_the_credential_id_on_the_clipboard_and_says_so(clipboard_page, example):
    page = clipboard_page
    button = page.locator("button[data-copy='copy-id']")
    assert button.is_visible()
    button.click()
    page.wait_for_function("document.getElementById('copy-status').textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == CONSENTED
    assert button.inner_text() == "Copied"


def test_copy_the_embed_snippet_gives_the_html_itself(clipboard_page, example):
    site, _ = example
    page = clipboard_page
    page.locator("button[data-copy='embed-code']").click()
    page.wait_for_function("document.getElementById('copy-status').textContent === 'Copied'")
    html = page.evaluate("navigator.clipboard.readText()")
    assert html.startswith(f'<a href="{site.url}/assertions/{CONSENTED}/"')
    assert "<img src=" in html and "Verified by Example Education Association" in html
