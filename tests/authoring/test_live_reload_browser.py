"""The authoring loop in a real Chromium: edit → the open page reloads; break → overlay; fix."""

from __future__ import annotations

import time
import urllib.request

from playwright.sync_api import expect

from badgepress.serve.livereload import OVERLAY_ID
from tests.authoring.support import CREDENTIAL, serving, starter_site

RELOAD_SECONDS = 5  # the "within a blink", with room for a loaded 2-core CI machine
OVERLAY = f"#{OVERLAY_ID}"
# No waiting for a page's event stream before an edit: a page carries the build id it was
# served with and the stream starts with the current status, so an early change still reloads.


def test_edit_reloads_the_page_errors_show_over_the_last_good_page_and_fixing_clears_them(
    tmp_path, page
):
    site = starter_site(tmp_path / "mysite")
    credential = site / CREDENTIAL
    original = credential.read_text()
    with serving(site) as served:
        page.goto(served.url + "credentials/formative-feedback/")
        heading = page.locator("h1")
        expect(heading).to_have_text("Giving Formative Feedback")
        page.evaluate("window.beforeReload = true")

        saved = time.monotonic()
        credential.write_text(
            original.replace("Giving Formative Feedback", "Giving Quick Feedback")
        )
        expect(heading).to_have_text("Giving Quick Feedback", timeout=RELOAD_SECONDS * 1000)
        reload_seconds = time.monotonic() - saved
        assert page.evaluate("window.beforeReload") is None, "the page was reloaded, not patched"
        print(f"save to reload: {reload_seconds:.2f}s")

        # Broken: the terminal and the page list the error; the page stays the last good one.
        credential.write_text(
            original.replace("Giving Formative Feedback", "Giving Quick Feedback").replace(
                "format: Self-paced", "format: <b>Hybrid</b>"
            )
        )
        overlay = page.locator(OVERLAY)
        expect(overlay).to_be_visible(timeout=RELOAD_SECONDS * 1000)
        expect(overlay).to_contain_text(
            f"{CREDENTIAL}:14: 'format': expected one of 'Online', 'In person', 'Blended',"
            " 'Self-paced', found text '<b>Hybrid</b>'"
        )
        assert overlay.locator("b").count() == 0, "error text is shown as text, never as markup"
        expect(heading).to_have_text("Giving Quick Feedback")
        served.wait_for_line(rf"^{CREDENTIAL}:14: 'format'")
        with urllib.request.urlopen(served.url + "credentials/formative-feedback/") as response:
            assert "Giving Quick Feedback" in response.read().decode()  # still served

        # A page opened while the build is broken shows the overlay too.
        second = page.context.new_page()
        second.goto(served.url)
        expect(second.locator(OVERLAY)).to_contain_text("found text '<b>Hybrid</b>'")
        second.close()

        # Fixed: a new build, the page reloads without the overlay.
        page.evaluate("window.beforeReload = true")
        credential.write_text(original.replace("Giving Formative Feedback", "Giving Good Feedback"))
        expect(heading).to_have_text("Giving Good Feedback", timeout=RELOAD_SECONDS * 1000)
        expect(overlay).to_have_count(0)
        assert page.evaluate("window.beforeReload") is None
        status, output = served.stop()
    assert status == 0
    assert "Traceback" not in output


def test_every_open_tab_reloads_and_a_restarted_server_reloads_them_too(tmp_path, browser):
    site = starter_site(tmp_path / "mysite")
    context = browser.new_context()
    try:
        with serving(site) as served:
            tabs = [context.new_page() for _ in range(3)]
            for tab, path in zip(tabs, ["", "stacks/getting-started/", "about/"], strict=True):
                tab.goto(served.url + path)
                tab.evaluate("window.beforeReload = true")
            (site / "content" / "site.yaml").write_text(
                (site / "content" / "site.yaml")
                .read_text()
                .replace("title: My Micro-credentials", "title: Our Badges")
            )
            for tab in tabs:
                expect(tab.locator(".site-title")).to_have_text(
                    "Our Badges", timeout=RELOAD_SECONDS * 1000
                )
                assert tab.evaluate("window.beforeReload") is None
                tab.evaluate("window.beforeReload = true")
            port = served.url.rsplit(":", 1)[1].strip("/")
            assert served.stop()[0] == 0
        # Restarted on the same port (a new session): the open tabs reconnect and reload.
        with serving(site, "--port", port) as again:
            assert again.url == served.url
            for tab in tabs:
                tab.wait_for_function(
                    "() => window.beforeReload === undefined", timeout=RELOAD_SECONDS * 1000
                )
    finally:
        context.close()
