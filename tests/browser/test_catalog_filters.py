"""The catalog's filters and search in a real browser, on the example site."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support import build_site, copy_example, serve_directory


def visible_slugs(page) -> list[str]:
    return page.eval_on_selector_all(
        "li[data-slug]",
        "items => items.filter(i => i.offsetParent !== null).map(i => i.dataset.slug)",
    )


def open_catalog(page, url: str, query: str = "") -> None:
    page.goto(f"{url}/{query}")
    page.wait_for_selector("#finder[data-ready]", state="attached")


def index(example_site) -> list[dict]:
    return json.loads((example_site / "catalog.json").read_text())["credentials"]


def test_blended_elementary_credentials_of_at_most_15_hours_in_two_clicks(
    page, example_url, example_site
):
    open_catalog(page, example_url)
    page.get_by_label("Blended", exact=True).click()
    page.get_by_label("Elementary School", exact=True).click()

    expected = [
        c["slug"]
        for c in index(example_site)
        if c["format"] == "Blended" and "Elementary School" in c["grades"] and c["hours"] <= 15
    ]
    assert len(expected) == 5  # the five Restorative Practices credentials
    assert sorted(visible_slugs(page)) == sorted(expected)
    assert not page.is_visible("text=Empathy-Centered Classroom Design")
    assert page.inner_text("#finder-count") == "5 of 6 credentials"
    # Stacks keep their learning order while filtered.
    assert visible_slugs(page)[:2] == ["exploring-restorative-practices", "affective-language"]
    # The hours filter agrees: nothing blended and elementary takes more than 15 hours.
    page.select_option("#finder-hours-max", "15")
    assert sorted(visible_slugs(page)) == sorted(expected)


def test_filtered_view_is_in_the_address_and_survives_a_reload(page, example_url):
    open_catalog(page, example_url)
    page.get_by_label("School Leader", exact=True).click()
    page.get_by_label("Free for non-members", exact=True).check()
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"role": ["School Leader"], "fee": ["free-non-members"]}

    page.reload()
    page.wait_for_selector("#finder[data-ready]", state="attached")
    assert page.get_by_label("School Leader", exact=True).is_checked()
    assert visible_slugs(page) == ["empathy-centered-classroom-design"]
    # The stack that has no match is hidden as a whole.
    assert not page.is_visible("section[data-stack='restorative-practices']")


def test_a_shared_link_opens_the_same_filtered_view(page, example_url):
    open_catalog(page, example_url, "?format=Self-paced&q=empathy")
    assert page.input_value("#finder-q") == "empathy"
    assert page.get_by_label("Self-paced", exact=True).is_checked()
    assert visible_slugs(page) == ["empathy-centered-classroom-design"]


def test_search_covers_names_summaries_and_requirements(page, example_url, example_site):
    open_catalog(page, example_url)
    # "talking piece" appears only in requirement text, not in any name.
    page.fill("#finder-q", "talking piece")
    expected = [
        c["slug"]
        for c in index(example_site)
        if any(
            "talking piece" in (r["title"] + " " + r["description"]).lower()
            for r in c["requirements"]
        )
    ]
    assert expected and all("talking" not in c["name"].lower() for c in index(example_site))
    assert sorted(visible_slugs(page)) == sorted(expected)

    page.fill("#finder-q", "CONFERENCING")  # case-insensitive, name match
    assert visible_slugs(page) == ["restorative-conferencing"]

    page.fill("#finder-q", "no such words anywhere")
    assert visible_slugs(page) == []
    assert page.is_visible("#finder-none")
    assert page.inner_text("#finder-count") == "0 of 6 credentials"


def test_fee_filters_distinguish_members_from_non_members(page, example_url, example_site):
    open_catalog(page, example_url)
    page.get_by_label("Free for members", exact=True).check()
    assert len(visible_slugs(page)) == len(index(example_site))  # members pay nothing for any
    page.get_by_label("Free for non-members", exact=True).check()
    assert visible_slugs(page) == ["empathy-centered-classroom-design"]
    page.get_by_label("Any fee", exact=True).check()
    assert len(visible_slugs(page)) == 6


def test_clear_filters_restores_the_full_list_and_a_clean_address(page, example_url):
    open_catalog(page, example_url, "?topic=Student+Voice")
    assert visible_slugs(page) == ["empathy-centered-classroom-design"]
    page.get_by_role("button", name="Clear filters").click()
    page.wait_for_function("document.querySelectorAll('li[data-slug]:not([hidden])').length === 6")
    assert urlsplit(page.url).query == ""
    assert page.inner_text("#finder-count") == "All 6 credentials"


def test_without_javascript_the_full_list_is_the_catalog(browser, example_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{example_url}/?format=Blended")
    # Controls that cannot work are not shown; the panel says why and lists everything.
    assert page.is_hidden("#finder-q")
    assert page.is_visible("text=Search and filters need JavaScript")  # the sidebar is open
    assert len(visible_slugs(page)) == 6
    assert page.inner_text("#finder-count") == "6 credentials"
    context.close()


def test_keyboard_only_filtering(page, example_url):
    """Tab reaches every control, Space toggles a checkbox, arrows move a radio group, Enter resets."""
    open_catalog(page, example_url)
    page.keyboard.press("Tab")  # skip link first: keyboard users can jump the header
    assert page.evaluate("document.activeElement.className") == "skip-link"

    def tab_to(selector: str, limit: int = 60) -> None:
        for _ in range(limit):
            if page.evaluate("(s) => document.activeElement.matches(s)", selector):
                return
            page.keyboard.press("Tab")
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("#finder-q")
    page.keyboard.type("restorative")
    tab_to("input[value='Early Childhood']")
    page.keyboard.press("Space")
    assert sorted(visible_slugs(page)) == [
        "affective-language",
        "exploring-restorative-practices",
        "implementing-restorative-practices",
    ]
    # The focused control shows a visible focus indicator (WCAG 2.4.7).
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")

    tab_to("input[name='fee'][value='']")
    page.keyboard.press("ArrowDown")  # radio groups move with arrows
    assert page.get_by_label("Free for members", exact=True).is_checked()

    tab_to("button[type='reset']")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('li[data-slug]:not([hidden])').length === 6")
    assert page.input_value("#finder-q") == ""


def test_result_count_is_announced_politely(page, example_url):
    open_catalog(page, example_url)
    count = page.locator("#finder-count")
    assert count.get_attribute("role") == "status"
    assert count.get_attribute("aria-live") == "polite"
    page.get_by_label("Higher Education", exact=True).click()
    assert re.fullmatch(r"\d+ of 6 credentials", count.inner_text())


def test_spanish_site_filters_with_spanish_interface(browser, tmp_path):
    source = copy_example(tmp_path / "repo")
    site_yaml = source / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("language: en", "language: es"))
    build_site(source, tmp_path / "site")
    context = browser.new_context()
    page = context.new_page()
    with serve_directory(tmp_path / "site") as url:
        open_catalog(page, url)
        assert page.get_attribute("html", "lang") == "es"
        # The credential with a Spanish translation (<slug>.es.md) is listed in Spanish.
        assert page.is_visible("text=Diseño del aula centrado en la empatía")
        page.get_by_label("Semipresencial", exact=True).click()
        assert page.inner_text("#finder-count") == "5 de 6 credenciales"
        page.get_by_role("button", name="Quitar los filtros").click()
        page.wait_for_function(
            "document.getElementById('finder-count').textContent === 'Las 6 credenciales'"
        )
    context.close()


@pytest.mark.parametrize("width", [320])
def test_filters_fit_a_narrow_screen_without_sideways_scrolling(browser, example_url, width):
    """WCAG 1.4.10 Reflow: usable at 320 CSS pixels wide."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    open_catalog(page, example_url)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


def test_hours_range_leaves_out_credentials_without_hours(page, example_url, example_site):
    open_catalog(page, example_url)
    page.select_option("#finder-hours-min", "15")
    with_hours = sorted(
        c["slug"] for c in index(example_site) if c["hours"] is not None and c["hours"] >= 15
    )
    assert sorted(visible_slugs(page)) == with_hours
    assert "empathy-centered-classroom-design" not in with_hours  # it states no hours
    assert parse_qs(urlsplit(page.url).query) == {"hours_min": ["15"]}
