"""catalog.json: what the browser filters and searches, from a pure function of the catalog."""

from __future__ import annotations

import json

from badgepress.render.catalog_index import merge_orders


def test_index_lists_every_credential_with_its_facets_and_requirements(example_site):
    index = json.loads((example_site / "catalog.json").read_text())
    slugs = [c["slug"] for c in index["credentials"]]
    pages = sorted(p.parent.name for p in (example_site / "credentials").glob("*/index.html"))
    assert sorted(slugs) == pages
    circles = next(c for c in index["credentials"] if c["slug"] == "restorative-circles")
    assert circles["format"] == "Blended" and circles["hours"] == 15
    assert circles["fee"] == {"members": 0, "non_members": 125, "currency": "USD"}
    assert circles["requirements"][0]["title"] == "Circle plan"
    assert circles["stack"] == "restorative-practices" and circles["step"] == 3


def test_index_keeps_stacks_in_learning_order(example_site):
    index = json.loads((example_site / "catalog.json").read_text())
    (stack,) = index["stacks"]
    assert stack["credentials"][0] == "exploring-restorative-practices"
    assert stack["credentials"][-1] == "implementing-restorative-practices"


def test_facets_keep_grade_bands_youngest_first(example_site):
    facets = json.loads((example_site / "catalog.json").read_text())["facets"]
    assert facets["grades"] == [
        "Early Childhood", "Elementary School", "Middle School", "High School", "Higher Education",
    ]  # fmt: skip
    assert facets["formats"] == ["Blended", "Self-paced"]
    assert facets["hours"] == [15]


def test_merge_orders_respects_every_list():
    assert merge_orders([("B", "C"), ("A", "B"), ("C", "D")]) == ["A", "B", "C", "D"]
    assert merge_orders([]) == []


def test_home_page_lists_every_credential_without_javascript(example_site):
    html = (example_site / "index.html").read_text()
    index = json.loads((example_site / "catalog.json").read_text())
    for credential in index["credentials"]:
        assert f'data-slug="{credential["slug"]}"' in html
    assert '<form class="finder" id="finder" role="search"' in html and " hidden" in html
    assert '<script src="assets/catalog.js" defer>' in html
