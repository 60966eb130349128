"""Smaller copies of PNG badges (`srcset`): one set per credential, smaller, kept in the cache."""

from __future__ import annotations

import io
import re
from urllib.parse import urljoin

import pytest
from PIL import Image

from badgepress.images import variants
from badgepress.images.image_cache import FOLDER
from badgepress.openbadges.ob2 import hash_email
from badgepress.urls import Urls
from tests.support import build_site, copy_example

WIDTH = Urls.BADGE_VARIANT_WIDTHS[0]


def _site(root, badges: int):
    """Two credentials with drawn (600 px PNG) badges and `badges` assertions of each."""
    (root / "content" / "credentials").mkdir(parents=True)
    (root / "assertions").mkdir()
    (root / "content" / "site.yaml").write_text(
        "title: T\nbase_url: https://badges.example.org/\n"
        "issuer: {name: Org, url: 'https://example.org/', email: b@example.org}\n"
    )
    for slug in ("one", "two"):
        (root / "content" / "credentials" / f"{slug}.md").write_text(
            f"---\nname: Credential {slug}\nsummary: S\n---\nDo it.\n"
        )
        for n in range(badges):
            identity = hash_email(f"e{n}@example.com", "salt")
            (root / "assertions" / f"{slug}{n}.yaml").write_text(
                f"credential: {slug}\nissued_on: 2026-01-01\n"
                f"recipient:\n  identity: '{identity}'\n  salt: salt\n"
            )
    return root


def _files(folder) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_variants_are_written_once_per_credential_not_per_badge(tmp_path, monkeypatch):
    source = _site(tmp_path / "repo", badges=10)
    build_site(source, tmp_path / "with")
    monkeypatch.setattr(Urls, "BADGE_VARIANT_WIDTHS", ())
    build_site(source, tmp_path / "without")
    added = _files(tmp_path / "with") - _files(tmp_path / "without")
    assert added == {f"credentials/{slug}/badge-{WIDTH}.png" for slug in ("one", "two")}


def test_a_variant_is_smaller_than_its_badge_and_as_wide_as_its_name_says(example_site):
    found = sorted(example_site.glob(f"credentials/*/badge-{WIDTH}.png"))
    assert len(found) == 5  # the example's five PNG badges; its SVG badge has none
    for variant in found:
        original = variant.with_name("badge.png")
        assert variant.stat().st_size < original.stat().st_size / 1.5
        with Image.open(variant) as small, Image.open(original) as big:
            assert small.size == (WIDTH, round(big.height * WIDTH / big.width))


def test_an_svg_badge_has_no_variant_and_no_srcset(example_site):
    folder = example_site / "credentials" / "empathy-centered-classroom-design"
    assert [p.name for p in folder.glob("badge*")] == ["badge.svg"]
    home = (example_site / "index.html").read_text()
    [card] = re.findall(r'<img class="card-badge" src="[^"]*badge\.svg"[^>]*>', home)
    assert "srcset" not in card


@pytest.mark.parametrize(
    "page", ["index.html", "stacks/restorative-practices/index.html"], ids=["home", "stack"]
)
def test_cards_offer_the_variant_in_srcset_with_their_display_size(example_site, page):
    html = (example_site / page).read_text()
    cards = re.findall(r'<img class="card-badge"[^>]*badge\.png"[^>]*>', html)
    assert cards
    for card in cards:
        srcset = re.search(r'srcset="([^"]*)"', card).group(1)
        assert re.search(r'sizes="112px"', card)
        candidates = [item.split() for item in srcset.split(", ")]
        assert [w for _, w in candidates] == [f"{WIDTH}w", "600w"]
        for url, _ in candidates:  # each candidate is a file of the site, relative to the page
            assert (example_site / urljoin(page, url)).is_file()


def test_the_criteria_page_badge_offers_the_variant(example_site):
    html = (example_site / "credentials/restorative-circles/index.html").read_text()
    [hero] = re.findall(r'<img class="badge"[^>]*>', html)
    folder = "../../credentials/restorative-circles/"
    assert f'srcset="{folder}badge-{WIDTH}.png {WIDTH}w, {folder}badge.png 600w"' in hero
    assert 'sizes="200px"' in hero


def test_variants_are_the_same_bytes_every_time_and_kept_by_the_image_cache(tmp_path, monkeypatch):
    source = copy_example(tmp_path / "repo")
    build_site(source, tmp_path / "cold")
    assert any(p.name.startswith("badge-variant-") for p in (source / FOLDER).iterdir())

    def never(data, width):
        raise AssertionError("a kept variant was drawn again")

    shrink = variants.shrink_png
    monkeypatch.setattr(variants, "shrink_png", never)
    build_site(source, tmp_path / "warm")
    for path in (tmp_path / "cold").glob(f"credentials/*/badge-{WIDTH}.png"):
        warm = tmp_path / "warm" / path.relative_to(tmp_path / "cold")
        assert warm.read_bytes() == path.read_bytes()
    data = (tmp_path / "cold/credentials/restorative-circles/badge.png").read_bytes()
    assert shrink(data, WIDTH) == shrink(data, WIDTH) != data
    assert Image.open(io.BytesIO(shrink(data, 100))).size == (100, 100)
