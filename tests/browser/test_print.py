"""Criteria pages print cleanly: requirements beside their rubric, no screen furniture."""

from __future__ import annotations


def test_printed_criteria_show_requirements_beside_rubric_without_navigation(page, example_url):
    page.goto(f"{example_url}/credentials/restorative-circles/")
    page.emulate_media(media="print")

    for hidden in (".site-header nav", ".site-footer", ".breadcrumb", ".skip-link"):
        assert page.is_hidden(hidden), f"{hidden} is printed"
    first = page.locator(".requirement").first
    what = first.locator(".requirement-what").bounding_box()
    rubric = first.locator(".rubric").bounding_box()
    assert rubric["x"] >= what["x"] + what["width"] - 1  # side by side, not stacked
    assert abs(rubric["y"] - what["y"]) < 20
    # An empty box to tick by hand, drawn with a border so it survives printing.
    box = first.locator("input.ready")
    assert box.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"
    # Links print their address.
    after = page.evaluate(
        "getComputedStyle(document.querySelector('main a[href^=\"http\"]'), '::after').content"
    )
    assert "(https://" in after, after

    pdf = page.pdf(format="Letter")
    assert pdf.startswith(b"%PDF")


def test_screen_view_keeps_navigation(page, example_url):
    page.goto(f"{example_url}/credentials/restorative-circles/")
    assert page.is_visible(".site-header nav")
