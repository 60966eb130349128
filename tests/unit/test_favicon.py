"""The site's icon: one drawing written as favicon.svg, favicon.ico and apple-touch-icon.png."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops, ImageStat

from badgepress.images import favicon
from badgepress.images.raster import svg_to_png
from tests.support import build_site
from tests.unit.test_render import _site


def _difference(a: Image.Image, b: Image.Image) -> float:
    """Mean difference of two RGBA images seen on white, over the three channels, 0-255 (the
    colour of a fully transparent pixel is nobody's business)."""

    def on_white(image: Image.Image) -> Image.Image:
        ground = Image.new("RGBA", image.size, "#ffffff")
        return Image.alpha_composite(ground, image.convert("RGBA")).convert("RGB")

    return sum(ImageStat.Stat(ImageChops.difference(on_white(a), on_white(b))).mean) / 3


def _rendered_svg(side: int) -> Image.Image:
    png = svg_to_png(favicon.favicon_svg(), side)
    assert png is not None, "CairoSVG cannot render here (bash scripts/setup-cairo.sh)"
    return Image.open(io.BytesIO(png)).convert("RGBA")


@pytest.mark.parametrize("side", [32, 144])
def test_the_pixels_are_the_svg_drawing(side):
    """The ICO and home-screen icon are the SVG's picture, not a look-alike: rendered by cairo
    from favicon.svg and drawn by Pillow, they differ only at anti-aliased edges."""
    drawn = favicon.draw_icon(side)
    assert _difference(drawn, _rendered_svg(side)) < 1.5
    # The measure sees a real difference: the drawing moved by half a grid unit.
    moved = favicon.draw_icon(side * 2).transform(
        (side * 2, side * 2), Image.Transform.AFFINE, (1, 0, side / 32, 0, 1, 0)
    )
    assert _difference(moved.resize((side, side)), _rendered_svg(side)) > 5


def test_the_ico_is_a_32_pixel_icon_of_the_same_drawing():
    with Image.open(io.BytesIO(favicon.favicon_ico())) as ico:
        assert ico.format == "ICO"
        assert ico.info["sizes"] == {(32, 32)}
        assert _difference(ico.convert("RGBA"), _rendered_svg(32)) < 1.5


def test_the_home_screen_icon_is_opaque_180_pixels_with_the_disc_inside():
    """iOS fills transparency with black and rounds the corners: white ground, disc inset."""
    with Image.open(io.BytesIO(favicon.apple_touch_icon())) as icon:
        assert icon.size == (180, 180)
        assert icon.mode == "RGB"
        rgb = icon.convert("RGB")
    assert rgb.getpixel((2, 2)) == (255, 255, 255)  # a corner iOS may round off: ground only
    assert rgb.getpixel((90, 30)) == (0x0B, 0x6E, 0x66)  # the disc, inside the inset


def test_the_icons_are_the_same_bytes_every_time():
    assert favicon.favicon_ico() == favicon.favicon_ico()
    assert favicon.apple_touch_icon() == favicon.apple_touch_icon()
    assert favicon.favicon_svg() == favicon.favicon_svg()


def test_a_build_writes_the_three_icons_and_a_rebuild_the_same_bytes(tmp_path):
    repo = _site(tmp_path / "repo")
    first, second = tmp_path / "one", tmp_path / "two"
    build_site(repo, first)
    build_site(repo, second)
    for name in ("favicon.ico", "apple-touch-icon.png", "assets/favicon.svg"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert (first / "assets/favicon.svg").read_bytes() == favicon.favicon_svg()
    assert (first / "favicon.ico").read_bytes() == favicon.favicon_ico()
    assert (first / "apple-touch-icon.png").read_bytes() == favicon.apple_touch_icon()
