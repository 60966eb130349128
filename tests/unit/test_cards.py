"""Preview cards: 1200×630 PNGs, stable bytes, one per credential and stack and for the site."""

from __future__ import annotations

import io

import pytest
from PIL import Image as PILImage

from badgepress.content.project import Project
from badgepress.content.validate import load_catalog
from badgepress.images.cards import badge_picture, credential_card, site_card, stack_card
from tests.support import BUILD_TIME, REPO


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(Project(REPO), BUILD_TIME)


def _size(data: bytes):
    with PILImage.open(io.BytesIO(data)) as img:
        return img.format, img.size, len(img.convert("RGB").getcolors(1 << 16))


def test_every_card_is_a_1200_by_630_png_with_content(catalog):
    cards = [credential_card(catalog, c) for c in catalog.credentials]
    cards += [stack_card(catalog, s) for s in catalog.stacks] + [site_card(catalog)]
    for data in cards:
        fmt, size, colours = _size(data)
        assert (fmt, size) == ("PNG", (1200, 630)) and colours > 16
        assert len(data) < 100 * 1024


def test_a_card_is_the_same_bytes_every_time(catalog):
    credential = catalog.credentials[0]
    assert credential_card(catalog, credential) == credential_card(catalog, credential)


def test_an_svg_badge_is_rendered_on_its_card(catalog):
    svg = next(c for c in catalog.credentials if c.image.format == "svg")
    assert _size(credential_card(catalog, svg))[1] == (1200, 630)
    picture = badge_picture(catalog, svg)
    assert picture.size == (600, 600)
    # The example's SVG is an orange hexagon: its rim is orange, unlike any drawn palette.
    red, _, blue, alpha = picture.getpixel((300, 560))
    assert alpha == 255 and red > 150 and blue < 80


def test_without_cairo_an_svg_badge_gets_its_drawn_stand_in(catalog, monkeypatch):
    import badgepress.images.cards

    monkeypatch.setattr(badgepress.images.cards, "picture", lambda data, fmt: None)
    svg = next(c for c in catalog.credentials if c.image.format == "svg")
    assert badge_picture(catalog, svg).size == (600, 600)
