"""Drawn badges: size, mode, budget, determinism, and text that always fits inside the shape."""

from __future__ import annotations

import io
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image as PILImage
from PIL import ImageDraw

from badgepress.images.badge_art import SHAPES, BadgeSpec, draw_badge, layout, ribbon_box, text_area
from badgepress.images.palettes import PALETTES, contrast, ink_on, palette_from, sibling_palette
from badgepress.images.typeset import font

NAMES = [
    "Science",
    "Exploring Restorative Practices",
    "Building a Positive Classroom Community with Affective Language",
    "Diseño empático del aula",
    "Ψηφιακή παιδαγωγική",
    "Цифровая грамотность учителя",
    "Supercalifragilisticexpialidociousnessfulnessitudeship",
    "Leading Professional Learning Communities for Equity, Inclusion, Belonging and Student "
    "Voice Across an Entire School District and Its Partner Organizations in Three States",
]


def _spec(name: str, shape: str = "circle", **kw) -> BadgeSpec:
    kw.setdefault("label", "Restorative Practices")
    kw.setdefault("footer", "Example Education Association")
    return BadgeSpec(name, shape=shape, **kw)


def _corners(box):
    left, top, right, bottom = box
    return [(left, top), (right - 1, top), (left, bottom - 1), (right - 1, bottom - 1)]


def _assert_fits(spec: BadgeSpec) -> None:
    area = text_area(spec.shape)
    placed = layout(spec)
    assert placed.name_lines, spec.name
    for line in [*placed.name_lines, *([placed.footer] if placed.footer else [])]:
        for x, y in _corners(line.box):
            assert area.getpixel((int(x), int(y))) > 0, (spec.shape, spec.name, line)
    left, top, right, bottom = ribbon_box(spec.shape)
    label = placed.label.box
    assert left <= label[0] and label[2] <= right and top <= label[1] and label[3] <= bottom


@pytest.mark.parametrize("shape", SHAPES)
def test_drawn_badge_is_a_600_pixel_palette_png_under_40_kb(shape):
    data = draw_badge(_spec(NAMES[2], shape, emblem="2"))
    assert len(data) < 40 * 1024
    with PILImage.open(io.BytesIO(data)) as img:
        assert img.format == "PNG"
        assert img.size == (600, 600)
        assert img.mode == "P"  # quantised to a palette
        rgba = img.convert("RGBA")
    alpha = rgba.getchannel("A").histogram()
    assert alpha[255] > 0.5 * 600 * 600  # a solid shape fills most of the square: not blank
    assert len(rgba.getcolors(1 << 16)) > 8  # text and rim, not a flat disc
    assert rgba.getpixel((0, 0))[3] == 0  # transparent corners around the shape


def test_same_spec_draws_the_same_bytes():
    spec = _spec("Diseño empático del aula", "rosette", emblem="3")
    assert draw_badge(spec) == draw_badge(spec)


def test_different_names_draw_different_badges():
    assert draw_badge(_spec("Restorative Circles")) != draw_badge(_spec("Restorative Conferencing"))


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", NAMES)
def test_name_footer_and_label_fit_inside_the_shape(shape, name):
    _assert_fits(_spec(name, shape))


def test_long_names_shrink_and_wrap_short_names_stay_large():
    short = layout(_spec("Science"))
    long = layout(_spec(NAMES[2]))
    assert len(short.name_lines) == 1 and len(long.name_lines) >= 3
    assert short.name_lines[0].size > long.name_lines[0].size


def test_a_name_too_long_for_the_badge_ends_with_an_ellipsis():
    lines = layout(_spec(" ".join(["Professional"] * 40))).name_lines
    assert lines[-1].text.endswith("…")


def test_a_word_wider_than_the_badge_is_hyphenated():
    lines = [line.text for line in layout(_spec(NAMES[6])).name_lines]
    assert len(lines) > 1 and lines[0].endswith("-")
    assert "".join(line.rstrip("-") for line in lines) == NAMES[6]


@pytest.mark.parametrize("text", ["Diseño empático", "Ελληνικά παιδαγωγική", "Кириллица ёЁ"])
def test_the_vendored_font_has_the_glyphs_no_tofu(text):
    notdef = _glyph("\ue000")  # a private-use code point: the font draws its .notdef box
    for ch in text.replace(" ", ""):
        assert _glyph(ch) != notdef, ch


def _glyph(ch: str) -> bytes:
    img = PILImage.new("L", (120, 120))
    ImageDraw.Draw(img).text((20, 20), ch, font=font(60), fill=255)
    return img.tobytes()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(
    name=st.text(
        alphabet=st.characters(
            min_codepoint=0x20,
            max_codepoint=0x4FF,  # Latin, Greek, Cyrillic: what Noto Sans covers
            categories=("Lu", "Ll", "Nd", "Zs", "Pd", "Po"),
        ),
        min_size=1,
        max_size=160,
    ).filter(str.strip),
    shape=st.sampled_from(SHAPES),
)
def test_any_name_fits_inside_every_shape(name, shape):
    _assert_fits(_spec(name, shape))


@pytest.mark.parametrize("name", list(PALETTES))
def test_every_palette_and_its_siblings_keep_the_name_legible(name):
    for index in range(5):
        palette = sibling_palette(PALETTES[name], index, 5)
        assert contrast(ink_on(palette.base), palette.base) >= 4.5, (name, index)


def test_siblings_in_a_stack_differ_but_share_the_family():
    family = [sibling_palette(PALETTES["teal"], i, 5) for i in range(5)]
    assert len({p.base for p in family}) == 5
    assert {p.accent for p in family} == {PALETTES["teal"].accent}


def test_an_authors_light_colour_gets_dark_text():
    palette = palette_from("#fde68a", "#1e3a8a")
    assert ink_on(palette.base) == "#111827"
    assert palette.accent == "#1e3a8a"


def test_drawing_a_badge_takes_well_under_a_second():
    started = time.perf_counter()
    draw_badge(_spec(NAMES[2], "shield", emblem="4"))
    assert time.perf_counter() - started < 1.0
