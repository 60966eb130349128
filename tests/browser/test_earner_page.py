"""The earner page and the verify page as a reader sees them, in Chromium: the status seal with
and without JavaScript, revoked and expired badges, no email in any URL, one date format per
language, and controls a thumb can hit on a 390 px phone."""

from __future__ import annotations

import contextlib
import datetime
import json

import pytest

from tests.browser.layout_shifts import RECORD_SHIFTS, SHIFTS_SEEN
from tests.support import build_site, copy_example, serve_directory

VALID = "8vcxgcyxdmwy"  # public name Devon Price, no expiry
EXPIRING = "fegcey7te5he"  # public name Jane Doe, expires 2029-03-16
REVOKED = "huxycukru2y4"
EXPIRED = "34w3muptens9"  # expired 2025-06-30
NAMES = {REVOKED: "Riley Revoked", EXPIRED: "Ezra Expired"}
PHONE = {"width": 390, "height": 844}


def _with_public_names(source):
    """Revoked and expired badges whose earners made their names public: the page must still
    not say 'Earned by' for them."""
    for assertion, name in NAMES.items():
        path = source / "assertions" / "2026" / f"{assertion}.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace("recipient:\n", f"recipient:\n  name: {name}\n  public_name: true\n", 1),
            encoding="utf-8",
        )
    return source


@contextlib.contextmanager
def _served(workdir, language="en"):
    source = _with_public_names(copy_example(workdir / "repo"))
    site_yaml = source / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("language: en", f"language: {language}"))
    output = workdir / "site"
    output.mkdir()
    with serve_directory(output) as url:
        build_site(source, output, base_url=url + "/")
        yield url


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with _served(tmp_path_factory.mktemp("earner")) as url:
        yield url


def _no_js(browser, **options):
    return browser.new_context(java_script_enabled=False, **options)


def _linkedin_links(page) -> int:
    return page.locator("a[href^='https://www.linkedin.com']").count()


def _badge_is_grey(page) -> bool:
    return "grayscale(1)" in page.eval_on_selector(
        ".earner-hero .badge", "i => getComputedStyle(i).filter"
    )


def test_revoked_earner_page_is_grey_with_its_reason_and_no_linkedin(page, site):
    page.goto(f"{site}/assertions/{REVOKED}/")
    assert page.inner_text("#status .seal-label").strip().lower() == "revoked"
    banner = page.locator(".notice-revoked")
    assert banner.is_visible()
    assert "Issued in error: the scores recorded" in banner.inner_text()
    assert _badge_is_grey(page)
    assert _linkedin_links(page) == 0
    assert page.locator("[data-share], #embed-code").count() == 0
    body = page.inner_text("main")
    assert "Earned by" not in body
    assert f"Was awarded to {NAMES[REVOKED]}" in body


def test_expired_earner_page_has_no_linkedin_prompt_and_says_when_it_expired(page, site):
    page.goto(f"{site}/assertions/{EXPIRED}/")
    assert page.inner_text("#status .seal-label").strip().lower() == "expired"
    assert page.locator(".notice-expired").inner_text() == "This badge expired on June 30, 2025."
    assert _badge_is_grey(page)
    assert _linkedin_links(page) == 0
    assert "Earned by" not in page.inner_text("main")


def test_seal_shows_the_status_the_page_was_built_with_without_javascript(browser, site):
    context = _no_js(browser)
    page = context.new_page()
    for assertion, label in ((VALID, "Valid"), (REVOKED, "Revoked"), (EXPIRED, "Expired")):
        page.goto(f"{site}/assertions/{assertion}/")
        assert page.text_content("#status .seal-label") == label
        assert page.inner_text("#status .seal-note") == "Status when this page was published"
    assert _linkedin_links(page) == 0  # the expired one
    page.goto(f"{site}/assertions/{VALID}/")
    assert _linkedin_links(page) == 1 and not _badge_is_grey(page)
    context.close()


def test_seal_is_rechecked_against_the_live_revocation_list(page, site):
    """Revoked after the page was built: the issuer's revocations.json says so, the seal flips."""
    reason = "Revoked since: the portfolio was not the earner's own work"
    listed = {
        "type": "RevocationList",
        "revokedAssertions": [
            {"id": f"{site}/assertions/{VALID}.json", "revocationReason": reason}
        ],
    }
    page.route(
        "**/revocations.json",
        lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps(listed)
        ),
    )
    page.goto(f"{site}/assertions/{VALID}/")
    page.wait_for_function("document.querySelector('article.earned').dataset.status === 'revoked'")
    assert page.inner_text("#status .seal-label").lower() == "revoked"
    assert page.inner_text("#status .seal-note") == "Checked in your browser just now"
    assert page.locator("[data-banner='revoked']").is_visible()
    assert reason in page.inner_text("[data-banner='revoked']")
    assert _badge_is_grey(page)
    assert not page.locator("a[href^='https://www.linkedin.com']").is_visible()


def test_seal_says_it_was_checked_when_the_live_list_does_not_name_the_badge(page, site):
    page.goto(f"{site}/assertions/{VALID}/")
    page.wait_for_function("document.getElementById('status').classList.contains('is-live')")
    assert page.inner_text("#status .seal-label").lower() == "valid"
    assert not _badge_is_grey(page)


def test_a_valid_page_turns_expired_when_the_readers_clock_passes_its_expiry(page, site):
    page.clock.install(time=datetime.datetime(2029, 6, 1, tzinfo=datetime.timezone.utc))
    page.goto(f"{site}/assertions/{EXPIRING}/")
    page.wait_for_function("document.querySelector('article.earned').dataset.status === 'expired'")
    assert page.inner_text("#status .seal-label").lower() == "expired"
    assert page.locator("[data-banner='expired']").inner_text() == (
        "This badge expired on March 16, 2029."
    )
    assert not page.locator("a[href^='https://www.linkedin.com']").is_visible()


def test_verify_forms_never_put_the_email_in_a_url_without_javascript(browser, site):
    """GET forms put ?email=... in the address: in the host's logs and the browser's history."""
    context = _no_js(browser)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    email = "jane.leak@example.org"
    for path, button in (
        (f"/assertions/{VALID}/", "form[data-verify-in-place] button[type=submit]"),
        ("/verify/", "form[data-verify-page] button[type=submit]"),
    ):
        page.goto(site + path)
        page.fill("#verify-email", email)
        page.click(button)
        page.wait_for_timeout(300)
        assert page.url == site + path
    context.close()
    assert not [url for url in requested if "leak" in url or "email=" in url], requested


def test_verify_script_is_loaded_only_when_the_reader_verifies(page, site):
    scripts: list[str] = []
    page.on("request", lambda request: scripts.append(request.url.rsplit("/", 1)[-1]))
    page.goto(f"{site}/assertions/{VALID}/", wait_until="networkidle")
    assert "verify.js" not in scripts and "status.js" in scripts
    page.click("form[data-verify-in-place] button[type=submit]")
    page.wait_for_selector("#verify-result[data-verdict='valid']", timeout=15000)
    assert "verify.js" in scripts
    # English is verify.js's own: an English site has no check lines to fetch.
    assert not [name for name in scripts if name.startswith("verify-lines")], scripts


def test_a_result_image_that_does_not_load_is_not_left_as_a_broken_box(page, site):
    page.route("**/*.png", lambda route: route.fulfill(status=404, body=""))
    page.route("**/*.svg", lambda route: route.fulfill(status=404, body=""))
    page.goto(f"{site}/verify/?url={site}/assertions/{VALID}.json")
    page.wait_for_selector("#verify-result[data-verdict='valid']", timeout=15000)
    page.wait_for_function("!document.querySelector('#verify-result img')")


@pytest.fixture(scope="module")
def spanish_site(tmp_path_factory):
    with _served(tmp_path_factory.mktemp("earner-es"), "es") as url:
        yield url


def _verify_in_place(page, site, assertion, email=None):
    """The earner page's check lines once it verified in place, and verify()'s English ones."""
    page.goto(f"{site}/assertions/{assertion}/")
    page.fill("#verify-email", email or "")
    page.click("form[data-verify-in-place] button[type=submit]")
    page.wait_for_selector("#verify-result[data-verdict]:not([data-verdict=''])", timeout=15000)
    # Each line's text: its mark, "passed: " (for screen readers), then "name: message".
    items = page.locator("#verify-result .verdict-checks li").all_text_contents()
    shown = [item[2:].split(": ", 1)[1] for item in items]
    english = page.evaluate(
        "([url, email]) => window.badgepressVerify.verify({url}, email)",
        [f"{site}/assertions/{assertion}.json", email],
    )
    return shown, [f"{c['name']}: {c['message']}" for c in english["checks"]]


def test_a_spanish_earner_page_verifies_in_place_with_no_check_line_in_english(page, spanish_site):
    """The check lines come from the one file the build writes for the site's language,
    fetched from the site itself when the reader verifies; the page does not carry them."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    cases = [(VALID, None), (VALID, "someone@example.org"), (REVOKED, None), (EXPIRED, None)]
    lines_seen = 0
    for assertion, email in cases:
        shown, english = _verify_in_place(page, spanish_site, assertion, email)
        assert len(shown) == len(english) > 3, (assertion, shown)
        for line, original in zip(shown, english, strict=True):
            name, message = original.split(": ", 1)
            assert original not in line and name not in line.split(":")[0], (assertion, line)
            if len(message.split()) > 1 and not message.startswith("http"):
                assert message not in line, (assertion, line)
            lines_seen += 1
    assert lines_seen > 20
    assert all(url.startswith(spanish_site + "/") for url in requested), requested
    fetched = [url for url in requested if "verify-lines" in url]
    assert fetched == [f"{spanish_site}/assets/verify-lines.es.json"] * len(cases), fetched
    # The table stays out of the earner page: none of its lines is in the page's HTML.
    table = page.request.get(fetched[0]).json()
    html = page.request.get(f"{spanish_site}/assertions/{VALID}/").text()
    assert len(table["check_lines"]) > 70
    sentences = [line for line in table["check_lines"].values() if len(line.split()) > 3]
    assert len(sentences) > 50 and not [line for line in sentences if line in html]
    assert "check_lines" not in html and len(json.dumps(table, ensure_ascii=False)) > 6000


def test_an_earner_page_whose_check_lines_do_not_load_shows_them_in_english(page, spanish_site):
    page.route("**/verify-lines.*.json", lambda route: route.fulfill(status=404, body=""))
    shown, english = _verify_in_place(page, spanish_site, VALID)
    assert page.inner_text("#verify-result .verdict-label") == "Válida"
    assert shown == english


@pytest.mark.parametrize(
    ("language", "valid"), [("en", "Valid"), ("es", "Válida"), ("fr", "Valide")]
)
def test_dates_read_the_same_on_pages_and_in_verify_results(
    browser, tmp_path_factory, language, valid
):
    with _served(tmp_path_factory.mktemp(f"dates-{language}"), language) as url:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{url}/assertions/{EXPIRING}/")
        issued, expires = page.locator("article.earned time").all_inner_texts()[:2]
        page.click("form[data-verify-in-place] button[type=submit]")
        page.wait_for_selector("#verify-result[data-verdict='valid']", timeout=15000)
        assert page.inner_text("#verify-result .verdict-label") == valid
        result = page.inner_text("#verify-result .verdict")
        assert issued in result and expires in result, (issued, expires, result)
        page.goto(f"{url}/verify/?url={url}/assertions/{EXPIRING}.json")
        page.wait_for_selector("#verify-result[data-verdict='valid']", timeout=15000)
        result = page.inner_text("#verify-result .verdict")
        assert issued in result and expires in result, (issued, expires, result)
        context.close()


# Controls a thumb must hit: 44×44 CSS px (WCAG 2.5.5). Links inside a sentence are the
# inline exception (WCAG 2.5.8); the header and footer are the site layout's own test.
SMALL_TARGETS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('main :is(a[href], button, input, select, textarea, summary)')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') continue;
    const inline = el.tagName === 'A' && getComputedStyle(el).display === 'inline' && el.closest('p, li, dd, td');
    if (inline || el.type === 'hidden') continue;
    if (r.width < 44 || r.height < 44) out.push(el.outerHTML.slice(0, 80) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height));
  }
  return out;
}"""


def _open_every_details(page):
    page.evaluate("document.querySelectorAll('main details').forEach(d => d.open = true)")


@pytest.mark.parametrize(
    "path",
    [f"/assertions/{VALID}/", f"/assertions/{REVOKED}/", f"/assertions/{EXPIRED}/", "/verify/"],
)
def test_controls_are_at_least_44px_and_nothing_is_wider_than_a_390px_phone(browser, site, path):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(site + path, wait_until="networkidle")
    _open_every_details(page)
    assert page.evaluate(SMALL_TARGETS) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


def test_a_verify_result_with_a_long_address_fits_a_390px_phone(browser, site):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    missing = f"{site}/assertions/{'no-such-badge-' * 12}.json"
    page.goto(f"{site}/verify/")
    page.fill("#verify-url", missing)
    page.click("form[data-verify-page] button[type=submit]")
    page.wait_for_selector("#verify-result[data-verdict]:not([data-verdict=''])", timeout=15000)
    _open_every_details(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(SMALL_TARGETS) == []
    page.goto(f"{site}/verify/?url={site}/assertions/{VALID}.json")
    page.wait_for_selector("#verify-result[data-verdict='valid']", timeout=15000)
    _open_every_details(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(SMALL_TARGETS) == []
    context.close()


@pytest.mark.parametrize("width", [390, 412, 1280])
def test_the_earner_page_does_not_shift_when_its_scripts_arrive(browser, site, width):
    """share.js and status.js arrive late (500 ms): the row of actions and the seal keep their
    place (a Copy link button unhidden by the script used to push the row onto two lines)."""
    context = browser.new_context(viewport={"width": width, "height": 844})
    context.add_init_script(RECORD_SHIFTS)
    page = context.new_page()

    def late(route):
        page.wait_for_timeout(500)
        route.continue_()

    page.route("**/assets/*.js", late)
    page.goto(f"{site}/assertions/{VALID}/", wait_until="networkidle")
    page.wait_for_function("document.getElementById('status').classList.contains('is-live')")
    assert page.evaluate(SHIFTS_SEEN) == []
    context.close()
