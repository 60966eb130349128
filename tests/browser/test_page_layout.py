"""The page frame on a phone and on a wide screen, in Chromium: tap targets, no sideways
scrolling, the menu, the catalog's first screen and its stillness, and the 404 page at depth."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from tests.browser.layout_shifts import RECORD_SHIFTS, SHIFTS_SEEN
from tests.support import REPO, serve_like_a_host

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 800}
ACCENT = "rgb(11, 110, 102)"  # --accent, the header's background

# One page of each kind this layout owns (earner and verify pages have their own tests).
PAGE_KINDS = {
    "home": "/",
    "stack": "/stacks/restorative-practices/",
    "criteria": "/credentials/restorative-circles/",
    "criteria-es": "/credentials/empathy-centered-classroom-design/es/",
    "page": "/how-to-apply/",
    "404": "/404.html",
}

# WCAG 2.5.5 (AAA) asks 44 × 44 CSS px of every target; links inside a line of text are the
# standard's inline exception. A checkbox or radio is hit through its label: the label counts.
SMALL_TARGETS = """() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const small = [];
  for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary')) {
    if (el.type === 'hidden') continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || el.closest('[hidden]')) continue;
    if (el.tagName === 'A' && style.display === 'inline'
        && el.closest('p, li, dd, td, th, h1, h2, h3, h4, .breadcrumb')) continue;
    const target = (el.type === 'checkbox' || el.type === 'radio') ? (el.labels[0] || el) : el;
    const box = target.getBoundingClientRect();
    if (!box.width && !box.height) continue;  // not rendered (a closed panel, display: none)
    if (box.width < 44 || box.height < 44) {
      small.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className ? '.' + el.className : ''} `
        + `"${(el.textContent || el.value || '').trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return small;
}"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("kind", sorted(PAGE_KINDS))
def test_no_control_is_smaller_than_44px_on_a_phone(phone, example_url, kind):
    phone.goto(example_url + PAGE_KINDS[kind])
    assert phone.evaluate(SMALL_TARGETS) == []


@pytest.mark.parametrize("kind", sorted({**PAGE_KINDS, "earner": "/assertions/8vcxgcyxdmwy/"}))
def test_no_page_is_wider_than_a_phone(phone, example_url, kind):
    phone.goto(example_url + PAGE_KINDS.get(kind, "/assertions/8vcxgcyxdmwy/"))
    phone.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_verify_result_naming_a_long_address_fits_a_phone(phone, example_url):
    """A failure's reason names the address it fetched: one long word with no hyphen or space
    to break at (the verdict overflowed a phone by 171 px before it could wrap anywhere)."""
    missing = example_url + "/assertions/" + "nosuchbadge" * 12 + ".json"
    phone.goto(f"{example_url}/verify/?url={missing}")
    phone.wait_for_selector("#verify-result[data-verdict]")
    assert "nosuchbadge" * 12 in phone.locator("#verify-result").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["phone", "wide"])
def test_the_catalog_does_not_move_when_its_script_arrives(browser, example_url, viewport):
    """The filter form used to be hidden until catalog.json arrived, then pushed the list down
    (cumulative layout shift 0.6 on a phone: Lighthouse performance 78)."""
    context = browser.new_context(viewport=viewport)
    context.add_init_script(RECORD_SHIFTS)
    page = context.new_page()

    def slowly(route):
        time.sleep(0.5)
        route.continue_()

    page.route("**/catalog.json", slowly)
    page.goto(example_url + "/")
    page.wait_for_selector("#finder[data-ready]", state="attached")
    page.wait_for_timeout(300)
    assert page.evaluate(SHIFTS_SEEN) == []
    context.close()


def test_the_first_credential_is_on_a_phones_first_screen(phone, example_url):
    phone.goto(example_url + "/")
    badge = phone.locator(".card-badge").first.bounding_box()
    assert badge["y"] + badge["height"] <= PHONE["height"]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_menu_folds_on_a_phone_and_opens_without_javascript(browser, example_url, javascript):
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(example_url + "/")
    verify_link = page.locator(".site-header nav >> text=Verify a badge")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 64  # one row: the title (two lines at most) and the button
    assert not verify_link.is_visible()
    page.get_by_text("Menu").click()
    assert verify_link.is_visible()
    verify_link.click()
    page.wait_for_url("**/verify/")
    context.close()


def test_the_menu_is_a_row_of_links_on_a_wide_screen(browser, example_url):
    context = browser.new_context(viewport=WIDE, java_script_enabled=False)
    page = context.new_page()
    page.goto(example_url + "/")
    assert page.locator(".site-menu > summary").is_hidden()
    links = page.locator(".site-header nav a")
    assert links.count() >= 2 and all(links.nth(i).is_visible() for i in range(links.count()))
    tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
    assert len(tops) == 1
    context.close()


def test_a_hyphenated_site_title_never_breaks_at_its_hyphen(phone, example_url):
    phone.goto(example_url + "/stacks/restorative-practices/")
    word = phone.locator(".site-title .nowrap").first
    assert word.inner_text() == "Micro-credentials"
    assert len(word.evaluate("w => Array.from(w.getClientRects())")) == 1  # one line box


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_404_page_at_any_depth_is_styled_and_loads_nothing_from_elsewhere(
    browser, example_site, javascript
):
    """Hosts serve 404.html for any missing path: its links are absolute (to the production
    host), so its styles and icon must be in the page itself."""
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on(
        "console",
        # The page's own 404 status is logged as an error too; anything else is a failure.
        lambda message: (
            message.type == "error"
            and "/no-such-page" not in message.location.get("url", "")
            and errors.append(message.text)
        ),
    )
    with serve_like_a_host(example_site) as url:
        response = page.goto(url + "/a/b/c/no-such-page")
        page.wait_for_load_state("networkidle")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
        == ACCENT
    )
    assert page.evaluate("getComputedStyle(document.body).marginTop") == "0px"
    elsewhere = [r for r in requests if not r.startswith((url, "data:"))]
    assert elsewhere == [] and errors == []
    assert page.evaluate(SMALL_TARGETS) == []
    context.close()


def _stack_order(stack_index: Path) -> tuple[list[str], dict[str, dict]]:
    """The example stack's order and each credential's front matter, read from content/."""
    front = yaml.safe_load(stack_index.read_text().split("---\n")[1])
    credentials = {
        slug: yaml.safe_load((stack_index.parent / f"{slug}.md").read_text().split("---\n")[1])
        for slug in front["order"]
    }
    return front["order"], credentials


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["phone", "wide"])
def test_the_stack_page_shows_its_steps_as_a_path_in_order_with_their_hours(
    browser, example_url, viewport
):
    """Four paragraphs and a grid of cards used to be the stack page: the steps now run down a
    numbered path (without JavaScript), each with its hours, format and what to earn first."""
    order, fronts = _stack_order(REPO / "content/credentials/restorative-practices/index.md")
    context = browser.new_context(viewport=viewport, java_script_enabled=False)
    page = context.new_page()
    page.goto(example_url + "/stacks/restorative-practices/")
    steps = page.locator("ol.path > li.path-step")
    assert steps.count() == len(order)
    tops = []
    for index, slug in enumerate(order):
        step = steps.nth(index)
        assert step.get_attribute("data-slug") == slug
        marker = step.locator(".path-marker")
        assert marker.inner_text() == str(index + 1) and marker.is_visible()
        assert step.locator(".card-title").inner_text() == fronts[slug]["name"]
        facts = step.locator(".facts").inner_text()
        assert f"About {fronts[slug]['hours']} hours" in facts and fronts[slug]["format"] in facts
        needs = step.locator(".path-needs a")
        assert [needs.nth(i).get_attribute("href") for i in range(needs.count())] == [
            f"#step-{order.index(slug) + 1}" for slug in fronts[slug].get("prerequisites", [])
        ]
        # A path: each step below the one before, its marker at the left of its card.
        box, card = marker.bounding_box(), step.locator(".card").bounding_box()
        assert box["x"] + box["width"] <= card["x"]
        tops.append(box["y"])
    assert tops == sorted(tops) and len(set(tops)) == len(tops)
    total = sum(front["hours"] for front in fronts.values())
    assert page.locator(".path-summary").inner_text() == (
        f"{len(order)} steps · about {total} hours in all"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    context.close()


@pytest.mark.parametrize("scale", [1, 2])
def test_cards_load_the_small_badge_on_a_phone(browser, example_url, scale):
    """A card shows its badge at 112 CSS px: a 1x or 2x phone loads the 240 px copy, not the
    600 px original (Lighthouse: properly size images)."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=scale)
    page = context.new_page()
    page.goto(example_url + "/")
    badge = page.locator(".card-badge[srcset]").first
    badge.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.currentSrc", arg=badge.element_handle())
    assert badge.evaluate("img => img.currentSrc").endswith("/badge-240.png")
    context.close()


def test_active_filters_show_as_chips_that_remove_themselves(browser, example_url):
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    page.goto(example_url + "/?q=circles&format=Blended")
    page.wait_for_selector("#finder[data-ready]", state="attached")
    chips = page.locator("#finder-chips .chip")
    assert chips.count() == 2
    assert [chips.nth(i).get_attribute("aria-label") for i in range(2)] == [
        "Remove filter: \u201ccircles\u201d",
        "Remove filter: Blended",
    ]
    assert all(chips.nth(i).bounding_box()["height"] >= 44 for i in range(2))
    chips.nth(1).click()  # Blended
    assert not page.locator('#finder input[name="format"][value="Blended"]').is_checked()
    assert chips.count() == 1 and page.evaluate("document.activeElement.className") == "chip"
    assert page.evaluate("location.search") == "?q=circles"
    chips.first.press("Enter")
    assert page.locator("#finder-chips").is_hidden()
    assert page.locator("#finder-count").inner_text() == "All 6 credentials"
    assert page.evaluate("document.activeElement.id") == "finder-count"
    assert page.evaluate("location.search") == ""
    context.close()


def test_the_menu_folds_on_escape_and_gives_the_focus_back(phone, example_url):
    phone.goto(example_url + "/")
    phone.get_by_text("Menu").click()
    verify_link = phone.locator(".site-header nav >> text=Verify a badge")
    assert verify_link.is_visible()
    verify_link.focus()
    phone.keyboard.press("Escape")
    assert not verify_link.is_visible()
    assert phone.evaluate("document.activeElement.closest('.site-menu > summary') !== null")
