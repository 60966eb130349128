"""WCAG 2.2 AA: axe-core, injected into headless Chromium, finds no serious or critical violation.

axe-core is the npm package pinned in tests/a11y/package-lock.json (scripts/setup-a11y.sh).
Every page kind of the example site is checked, with the catalog's filters both idle and in use.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support import REPO

BASE_URL = "https://badges.example.org/"  # content/site.yaml of the example

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
EXAMPLE_ASSERTIONS = sorted((REPO / "assertions").rglob("*.yaml"))
REVOKED = next(p.stem for p in EXAMPLE_ASSERTIONS if "revoked: true" in p.read_text())
VALID = next(p.stem for p in EXAMPLE_ASSERTIONS if "revoked: true" not in p.read_text())
EXPIRED = next(p.stem for p in EXAMPLE_ASSERTIONS if "expires: 2025-" in p.read_text())

PAGE_KINDS = {
    "home": "/",
    "home-filtered": "/?grade=Elementary+School&format=Blended&q=circle",
    "home-no-match": "/?q=nothing+matches+this",
    "stack": "/stacks/restorative-practices/",
    "credential": "/credentials/restorative-circles/",
    "credential-translation": "/credentials/empathy-centered-classroom-design/es/",
    "assertion": f"/assertions/{VALID}/",
    "assertion-revoked": f"/assertions/{REVOKED}/",
    "assertion-expired": f"/assertions/{EXPIRED}/",
    "page": "/how-to-apply/",
    "verify": "/verify/",
    "404": "/404.html",
}


def run_axe(page) -> list[dict]:
    """axe-core's violations on the loaded page, WCAG A/AA rules up to 2.2."""
    assert AXE.is_file(), "axe-core is missing: run scripts/setup-a11y.sh"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return result["violations"]


def describe(violations: list[dict]) -> str:
    return json.dumps(
        [
            {
                "rule": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"][:5]],
            }
            for v in violations
        ],
        indent=2,
    )


def serve_base_url_locally(page, site: Path) -> None:
    """404.html links to the site's real address (it is served at any depth); answer from disk."""

    def fulfill(route):
        path = route.request.url.removeprefix(BASE_URL).split("?")[0]
        target = site / (path + "index.html" if path.endswith("/") or not path else path)
        route.fulfill(path=str(target)) if target.is_file() else route.fulfill(status=404)

    page.route(BASE_URL + "**", fulfill)


@pytest.mark.parametrize("kind", sorted(PAGE_KINDS))
def test_page_kind_has_no_serious_or_critical_axe_violation(kind, page, example_url, example_site):
    serve_base_url_locally(page, example_site)
    page.goto(example_url + PAGE_KINDS[kind])
    # Every page is checked styled: contrast and target sizes depend on the stylesheet.
    assert page.evaluate("getComputedStyle(document.body).marginTop") == "0px"
    if kind.startswith("home"):
        page.wait_for_selector(
            "#finder[data-ready]"
        )  # check the enhanced page, not only the plain list
    violations = run_axe(page)
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], describe(serious)


def test_axe_catches_a_real_violation(page):
    """The harness is live: an image without alt text and low-contrast text are reported."""
    page.set_content(
        '<!doctype html><html lang="en"><head><title>t</title></head><body><main>'
        '<img src="data:image/png;base64,iVBORw0KGgo=">'
        '<p style="color:#bbb;background:#fff">faint</p></main></body></html>'
    )
    rules = {v["id"] for v in run_axe(page)}
    assert {"image-alt", "color-contrast"} <= rules


@pytest.fixture(scope="module")
def spanish_url(tmp_path_factory):
    """The example site with `language: es`, served."""
    from tests.support import build_site, copy_example, serve_directory

    source = copy_example(tmp_path_factory.mktemp("es") / "repo")
    site_yaml = source / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("language: en", "language: es"))
    build_site(source, source.parent / "site")
    with serve_directory(source.parent / "site") as url:
        yield url


@pytest.mark.parametrize("kind", ["home-filtered", "credential", "assertion-revoked"])
def test_spanish_pages_have_no_serious_or_critical_axe_violation(kind, page, spanish_url):
    page.goto(spanish_url + PAGE_KINDS[kind])
    assert page.get_attribute("html", "lang") == "es"
    serious = [v for v in run_axe(page) if v["impact"] in ("serious", "critical")]
    assert serious == [], describe(serious)
