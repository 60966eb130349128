"""Link previews and share tools on the built example site: meta tags, cards, LinkedIn, noindex."""

from __future__ import annotations

import html.parser
import io
import random
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image as PILImage

from tests.support import build_site, copy_example

BASE = "https://badges.example.org/"
CONSENTED, UNCONSENTED, REVOKED = "3vctppvnp5jq", "uyhvmjgq5m3b", "huxycukru2y4"


class _Head(html.parser.HTMLParser):
    """Meta tags (by property or name), links by id, and every textarea's text."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.anchors: list[dict] = []
        self.ids: set[str] = set()
        self.textareas: list[str] = []
        self._in_textarea = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "meta" and "content" in attrs:
            key = attrs.get("property") or attrs.get("name")
            self.meta.setdefault(key, []).append(attrs["content"])
        elif tag == "a":
            self.anchors.append(attrs)
        elif tag == "textarea":
            self._in_textarea = True
            self.textareas.append("")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._in_textarea = False

    def handle_data(self, data):
        if self._in_textarea:
            self.textareas[-1] += data


def _parse(path: Path) -> _Head:
    head = _Head()
    head.feed(path.read_text(encoding="utf-8"))
    return head


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_has_a_complete_link_preview(example_site):
    pages = _pages(example_site)
    assert len(pages) > 20
    for page in pages:
        meta = _parse(page).meta
        for key in ("og:title", "og:description", "og:url", "og:image", "og:site_name",
                    "twitter:title", "twitter:description", "twitter:image"):  # fmt: skip
            assert meta.get(key) and meta[key][0].strip(), (page, key)
        assert meta["twitter:card"] == ["summary_large_image"], page
        assert meta["og:title"] == meta["twitter:title"]
        assert meta["og:description"] == meta["description"], page
        image = meta["og:image"][0]
        assert image.startswith(BASE) and meta["twitter:image"] == [image]
        card = example_site / image[len(BASE) :]
        with PILImage.open(card) as img:
            assert (img.format, img.size) == ("PNG", (1200, 630)), page
        assert (meta["og:image:width"], meta["og:image:height"]) == (["1200"], ["630"])


def test_og_url_is_the_canonical_address(example_site):
    meta = _parse(example_site / "credentials" / "restorative-circles" / "index.html").meta
    assert meta["og:url"] == [f"{BASE}credentials/restorative-circles/"]
    assert meta["og:image"] == [f"{BASE}credentials/restorative-circles/card.png"]


def test_assertion_pages_share_their_credentials_card_so_cards_cost_per_credential(example_site):
    cards = sorted(p.relative_to(example_site).as_posix() for p in example_site.rglob("card.png"))
    credentials = sorted((example_site / "credentials").glob("*.json"))
    stacks = sorted((example_site / "stacks").iterdir())
    assert len(cards) == len(credentials) + len(stacks) + 1
    assert not any(c.startswith("assertions/") for c in cards)
    meta = _parse(example_site / "assertions" / CONSENTED / "index.html").meta
    assert meta["og:image"] == [f"{BASE}credentials/empathy-centered-classroom-design/card.png"]


def test_the_preview_names_the_earner_only_with_consent(example_site):
    named = _parse(example_site / "assertions" / CONSENTED / "index.html").meta
    assert "Lena Okafor" in named["og:title"][0] and "Lena Okafor" in named["og:description"][0]
    unnamed_page = example_site / "assertions" / UNCONSENTED / "index.html"
    assert "Priya" not in unnamed_page.read_text(encoding="utf-8")
    unnamed = _parse(unnamed_page).meta
    assert "earned" not in unnamed["og:description"][0]


def test_earner_pages_are_noindex_by_default_and_criteria_pages_are_not(example_site):
    for page in (example_site / "assertions").glob("*/index.html"):
        assert _parse(page).meta.get("robots") == ["noindex"], page
    for page in (example_site / "credentials").glob("*/index.html"):
        assert "robots" not in _parse(page).meta


def test_the_linkedin_link_on_the_page_fills_in_the_badge(example_site):
    page = _parse(example_site / "assertions" / CONSENTED / "index.html")
    link = next(
        a["href"] for a in page.anchors if a.get("href", "").startswith("https://www.linkedin")
    )
    parts = urlsplit(link)
    assert parts.path == "/profile/add"
    query = {k: v[0] for k, v in parse_qs(parts.query, strict_parsing=True).items()}
    assert query["startTask"] == "CERTIFICATION_NAME"
    assert query["name"] == "Empathy-Centered Classroom Design"
    assert query["organizationName"] == "Example Education Association"
    assert (query["issueYear"], query["issueMonth"]) == ("2025", "8")
    assert query["certUrl"] == f"{BASE}assertions/{CONSENTED}/"
    assert query["certId"] == CONSENTED
    assert {"copy-name", "copy-organization", "copy-id", "copy-url", "embed-code"} <= page.ids


def test_the_embed_snippet_and_downloads_are_on_the_earner_page(example_site):
    page = _parse(example_site / "assertions" / CONSENTED / "index.html")
    (snippet,) = page.textareas
    assert snippet.startswith(f'<a href="{BASE}assertions/{CONSENTED}/"')
    assert f'src="{BASE}assertions/{CONSENTED}.svg"' in snippet
    downloads = {a["href"] for a in page.anchors if "download" in a}
    assert downloads == {f"../../assertions/{CONSENTED}.svg", f"../../assertions/{CONSENTED}.json"}
    text = (example_site / "assertions" / CONSENTED / "index.html").read_text(encoding="utf-8")
    assert '<svg role="img"' in text and 'class="qr-code"' in text


def test_a_revoked_badge_offers_nothing_to_share(example_site):
    page = _parse(example_site / "assertions" / REVOKED / "index.html")
    assert not any(a.get("href", "").startswith("https://www.linkedin") for a in page.anchors)
    assert "embed-code" not in page.ids


@pytest.fixture
def example_copy(tmp_path):
    return copy_example(tmp_path / "repo")


def test_noindex_can_be_switched_off_in_site_yaml(example_copy, tmp_path):
    site_yaml = example_copy / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "\nsharing:\n  noindex: false\n")
    build_site(example_copy, tmp_path / "site")
    page = tmp_path / "site" / "assertions" / CONSENTED / "index.html"
    assert "robots" not in _parse(page).meta


def test_an_earners_name_is_escaped_in_titles_and_previews(example_copy, tmp_path):
    assertion = example_copy / "assertions" / "2026" / f"{CONSENTED}.yaml"
    hostile = '<script>alert("x")</script> Ann'
    assertion.write_text(assertion.read_text().replace("Lena Okafor", hostile))
    build_site(example_copy, tmp_path / "site")
    text = (tmp_path / "site" / "assertions" / CONSENTED / "index.html").read_text()
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Ann" in text
    assert (
        _parse(tmp_path / "site" / "assertions" / CONSENTED / "index.html")
        .meta["og:title"][0]
        .startswith("Empathy-Centered Classroom Design · " + hostile)
    )


def test_a_supplied_badge_over_100_kb_is_a_warning_not_an_error(example_copy, tmp_path):
    badge = (
        example_copy
        / "content"
        / "credentials"
        / "restorative-practices"
        / "restorative-circles.png"
    )
    noise = random.Random(7).randbytes(400 * 400 * 3)
    buffer = io.BytesIO()
    PILImage.frombytes("RGB", (400, 400), noise).save(buffer, "PNG")
    assert len(buffer.getvalue()) > 100 * 1024
    badge.write_bytes(buffer.getvalue())
    report = build_site(example_copy, tmp_path / "site")
    messages = [str(w) for w in report.warnings if "badge image is" in w.message]
    assert messages == [
        f"content/credentials/restorative-practices/restorative-circles.md:7: badge image is "
        f"{len(buffer.getvalue()):,} bytes; expected at most 102,400 (every issued badge bakes a "
        "copy: optimise it, e.g. with pngquant or svgo)"
    ]
    assert (tmp_path / "site" / "credentials" / "restorative-circles" / "badge.png").is_file()


def test_the_example_sites_drawn_badges_are_distinct_and_within_budget(example_site):
    drawn = {}
    for slug in ("exploring-restorative-practices", "affective-language",
                 "restorative-conferencing", "implementing-restorative-practices"):  # fmt: skip
        data = (example_site / "credentials" / slug / "badge.png").read_bytes()
        assert len(data) < 40 * 1024, slug
        with PILImage.open(io.BytesIO(data)) as img:
            assert img.size == (600, 600)
        drawn[slug] = data
    assert len(set(drawn.values())) == len(drawn)
