"""sitemap.xml, feed.xml, robots.txt and JSON-LD of the example site, parsed and checked."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree as ET

from badgepress.render.discovery import script_json

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://badges.example.org/"


def _index(example_site) -> dict:
    return json.loads((example_site / "catalog.json").read_text())


def test_sitemap_lists_catalog_stacks_credentials_and_pages_but_no_earner_page(example_site):
    root = ET.parse(example_site / "sitemap.xml").getroot()
    locs = [url.findtext(f"{SM}loc") for url in root.iter(f"{SM}url")]
    assert locs[0] == BASE
    assert f"{BASE}stacks/restorative-practices/" in locs
    for credential in _index(example_site)["credentials"]:
        assert credential["url"] in locs
    assert f"{BASE}how-to-apply/" in locs and f"{BASE}about/" in locs
    assert f"{BASE}credentials/empathy-centered-classroom-design/es/" in locs
    assert not [loc for loc in locs if "/assertions/" in loc]
    assert len(locs) == len(set(locs))
    # Every listed page exists in the built site.
    for loc in locs:
        path = loc.removeprefix(BASE)
        assert (
            example_site / (path + "index.html" if path.endswith("/") or not path else path)
        ).is_file(), loc


def test_sitemap_links_language_alternates_both_ways(example_site):
    root = ET.parse(example_site / "sitemap.xml").getroot()
    alternates = {
        url.findtext(f"{SM}loc"): {
            link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")
        }
        for url in root.iter(f"{SM}url")
    }
    english = f"{BASE}credentials/empathy-centered-classroom-design/"
    spanish = english + "es/"
    assert alternates[english] == alternates[spanish] == {"en": english, "es": spanish}


def test_sitemap_lastmod_is_the_credentials_updated_date(example_site):
    root = ET.parse(example_site / "sitemap.xml").getroot()
    lastmod = {
        url.findtext(f"{SM}loc"): url.findtext(f"{SM}lastmod") for url in root.iter(f"{SM}url")
    }
    assert lastmod[f"{BASE}credentials/restorative-circles/"] == "2020-07-23"


def test_feed_is_atom_with_dated_credentials_newest_first_and_no_build_time(example_site):
    feed = ET.parse(example_site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == BASE
    entries = feed.findall(f"{ATOM}entry")
    dated = [
        c
        for c in _index(example_site)["credentials"]
        if c["slug"] != "empathy-centered-classroom-design"
    ]
    assert {e.findtext(f"{ATOM}id") for e in entries} == {c["url"] for c in dated}
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", u) for u in updated)
    # The feed's date is the newest entry's, never the time of the build (2026 in tests).
    assert feed.findtext(f"{ATOM}updated") == max(updated)
    for entry in entries:  # RFC 4287: title, id, updated, and an author via feed or entry
        assert entry.findtext(f"{ATOM}title") and entry.find(f"{ATOM}link").get("href")
    self_link = [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link[0].get("href") == f"{BASE}feed.xml"


def test_robots_allows_everything_and_points_to_the_sitemap(example_site):
    lines = (example_site / "robots.txt").read_text().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow:" in lines  # empty: nothing disallowed
    assert f"Sitemap: {BASE}sitemap.xml" in lines


def test_earner_pages_opt_out_of_search_engines(example_site):
    for page in (example_site / "assertions").glob("*/index.html"):
        assert '<meta name="robots" content="noindex">' in page.read_text()


def _json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">\s*(.*?)\s*</script>', html, re.S)
    assert match, "no JSON-LD"
    return json.loads(match.group(1))


def test_credential_page_describes_itself_as_schema_org_credential(example_site):
    html = (example_site / "credentials" / "restorative-circles" / "index.html").read_text()
    data = _json_ld(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "EducationalOccupationalCredential"
    assert data["url"] == f"{BASE}credentials/restorative-circles/"
    assert data["timeRequired"] == "PT15H"
    assert data["educationalLevel"][0] == "Elementary School"
    assert {o["category"]: o["price"] for o in data["offers"]} == {"members": 0, "non-members": 125}
    assert data["competencyRequired"][0] == "Circle plan"
    spanish = _json_ld(
        (
            example_site / "credentials" / "empathy-centered-classroom-design" / "es" / "index.html"
        ).read_text()
    )
    assert spanish["inLanguage"] == "es"
    assert spanish["name"] == "Diseño del aula centrado en la empatía"


def test_json_ld_cannot_close_its_script_element():
    text = script_json({"name": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": "</script><script>alert(1)</script> & <!--"}
