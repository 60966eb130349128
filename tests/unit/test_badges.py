"""Which badge a credential gets: stack families, overrides, logo, alt text, the size warning."""

from __future__ import annotations

import io

from PIL import Image as PILImage

from badgepress.images.badge_art import SHAPES
from badgepress.images.badges import TO_DRAW, badge_alt, badge_spec, draw_missing_badges
from badgepress.images.palettes import PALETTES
from badgepress.model import BadgeStyle, Credential, Image, Issuer, SiteConfig, Stack


def _png(size=120) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGBA", (size, size), "#ff0000").save(buffer, "PNG")
    return buffer.getvalue()


def _config(badges: BadgeStyle | None = None, logo: Image | None = None) -> SiteConfig:
    return SiteConfig(
        "Badges",
        "https://badges.example.org/",
        "en",
        Issuer(
            "Example Education Association", "https://example.org/", "b@example.org", image=logo
        ),
        badges=badges or BadgeStyle(),
    )


def _credential(slug, stack=None, badge=None, image=TO_DRAW, alt="") -> Credential:
    return Credential(
        slug, slug.replace("-", " ").title(), "Summary.", "", image, alt, f"{slug}.md",
        stack=stack, badge=badge,
    )  # fmt: skip


def _stack(slugs, badge=None, capstone=None) -> Stack:
    return Stack("pathway", "Pathway", "Summary.", "", "index.md", tuple(slugs), badge=badge,
                 capstone=capstone)  # fmt: skip


def test_credentials_of_a_stack_share_its_shape_but_not_their_colours():
    stack = _stack(["one", "two", "three"])
    specs = [badge_spec(_credential(s, "pathway"), stack, _config()) for s in stack.credentials]
    assert len({s.shape for s in specs}) == 1
    assert len({s.palette.base for s in specs}) == 3
    assert [s.emblem for s in specs] == ["1", "2", "3"]
    assert {s.label for s in specs} == {"Pathway"}
    assert {s.footer for s in specs} == {"Example Education Association"}


def test_a_credential_outside_a_stack_gets_its_own_look_and_the_issuer_on_the_ribbon():
    spec = badge_spec(_credential("lone"), None, _config())
    assert spec.shape in SHAPES and spec.emblem is None
    assert spec.label == "Example Education Association" and spec.footer is None


def test_the_credentials_setting_beats_the_stacks_which_beats_the_sites():
    config = _config(BadgeStyle(style="circle", palette="navy"))
    stack = _stack(["one", "two"], badge=BadgeStyle(style="hexagon"))
    plain = badge_spec(_credential("one", "pathway"), stack, config)
    assert plain.shape == "hexagon"  # the stack's
    custom = _credential("two", "pathway", BadgeStyle(style="shield", color="#1d4ed8"))
    spec = badge_spec(custom, stack, config)
    assert spec.shape == "shield" and spec.palette.base == "#1d4ed8"
    lone = badge_spec(_credential("lone"), None, config)
    assert lone.shape == "circle" and lone.palette == PALETTES["navy"]


def test_the_capstone_shows_a_star_not_a_step_number():
    stack = _stack(["one", "final"], capstone="final")
    assert badge_spec(_credential("final", "pathway"), stack, _config()).emblem is None


def test_the_issuers_png_logo_goes_in_the_emblem_unless_switched_off():
    logo = Image(_png(), "png", 120, 120)
    assert badge_spec(_credential("lone"), None, _config(logo=logo)).logo == logo.data
    off = _config(BadgeStyle(logo=False), logo=logo)
    assert badge_spec(_credential("lone"), None, off).logo is None
    svg = Image(
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        b'<rect width="10" height="10" fill="#ff0000"/></svg>',
        "svg", 10, 10,
    )  # fmt: skip
    rendered = badge_spec(_credential("lone"), None, _config(logo=svg)).logo
    with PILImage.open(io.BytesIO(rendered)) as img:  # an SVG logo is rendered (CairoSVG)
        assert img.size == (256, 256) and img.convert("RGB").getpixel((128, 128)) == (255, 0, 0)


def test_alt_text_describes_the_badge_unless_the_author_wrote_one():
    stack = _stack(["one", "two"])
    drawn = draw_missing_badges(
        {
            "one": _credential("one", "pathway"),
            "two": _credential("two", "pathway", alt="Two hands on a green badge"),
        },
        {"pathway": stack},
        _config(),
    )
    assert drawn["one"].image_alt == (
        "Badge for “One”, step 1 of 2 in the Pathway stack, issued by Example Education Association"
    )
    assert drawn["two"].image_alt == "Two hands on a green badge"
    assert drawn["one"].image.drawn and drawn["one"].image.data.startswith(b"\x89PNG")
    assert badge_alt(_credential("lone"), None, _config()).endswith(
        "issued by Example Education Association"
    )


def test_supplied_images_are_not_redrawn():
    supplied = Image(_png(), "png", 120, 120)
    drawn = draw_missing_badges({"a": _credential("a", image=supplied)}, {}, _config())
    assert drawn["a"].image is supplied


def test_alt_text_follows_the_site_language():
    config = _config()
    spanish = SiteConfig(config.title, config.base_url, "es", config.issuer)
    stack = _stack(["one", "final"], capstone="final")
    assert badge_alt(_credential("one", "pathway"), stack, spanish) == (
        "Insignia de «One», paso 1 de 2 de la serie Pathway, emitida por Example Education Association"
    )
    assert badge_alt(_credential("final", "pathway"), stack, spanish).startswith(
        "Insignia de «Final», culminación de la serie Pathway"
    )
