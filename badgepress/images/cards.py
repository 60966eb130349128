"""Preview cards: the 1200×630 Open Graph images that link unfurls (LinkedIn, Slack, Teams) show.

One card per credential (shared by all its assertion pages, so the cost is per credential),
one per stack and one for the site. SVG badges are rendered with CairoSVG (raster.py); on a
machine without the cairo library a card shows the badge badgepress would have drawn instead.
"""

from __future__ import annotations

import functools
import hashlib

from PIL import Image as PILImage
from PIL import ImageDraw

from ..i18n import translations
from ..model import Catalog, Credential, Stack
from .badge_art import BadgeSpec, encode_png, render_badge
from .badges import badge_spec
from .image_cache import ImageCache
from .palettes import PALETTES, Palette, ink_on
from .raster import picture, svg_to_png
from .typeset import ellipsize, font, wrap

WIDTH, HEIGHT = 1200, 630
INK, MUTED, PAPER = "#0f172a", "#475569", "#ffffff"


def badge_picture(catalog: Catalog, credential: Credential) -> PILImage.Image:
    """The credential's badge as an RGBA image; where SVG cannot be rendered, its drawn stand-in."""
    image = picture(credential.image.data, credential.image.format)
    if image is not None:
        return image
    return _stand_in(badge_spec(credential, catalog.stack_of(credential), catalog.config))


@functools.lru_cache(maxsize=32)
def _stand_in(spec: BadgeSpec) -> PILImage.Image:
    # Drawn once per build, not once for each card the badge appears on (callers only read it).
    return render_badge(spec)


def _palette(catalog: Catalog, credential: Credential) -> Palette:
    return badge_spec(credential, catalog.stack_of(credential), catalog.config).palette


def credential_card(
    catalog: Catalog, credential: Credential, images: ImageCache | None = None
) -> bytes:
    """A credential's card: its badge, its name, who issues it."""
    stack = catalog.stack_of(credential)
    kicker = stack.title if stack else catalog.config.title
    _ = translations(catalog.config.language, catalog.config.locales).gettext
    return _cached_card(
        images,
        catalog,
        kicker,
        credential.name,
        _("Issued by %(issuer)s") % {"issuer": catalog.config.issuer.name},
        [credential],
        _palette(catalog, credential),
        _("Verifiable Open Badge") % {},  # every interface string is a %-format
    )


def stack_card(catalog: Catalog, stack: Stack, images: ImageCache | None = None) -> bytes:
    """A stack's card: its title and a row of its badges."""
    credentials = catalog.credentials_of(stack)
    count = len(credentials)
    ngettext = translations(catalog.config.language, catalog.config.locales).ngettext
    subtitle = ngettext(
        "%(count)d micro-credential · %(issuer)s", "%(count)d micro-credentials · %(issuer)s", count
    ) % {"count": count, "issuer": catalog.config.issuer.name}
    return _cached_card(
        images,
        catalog,
        catalog.config.title,
        stack.title,
        subtitle,
        credentials[:5],
        _palette(catalog, credentials[0]) if credentials else _default(),
    )


def site_card(catalog: Catalog, images: ImageCache | None = None) -> bytes:
    """The site's card, for the catalog and every other page."""
    credentials = catalog.credentials
    return _cached_card(
        images,
        catalog,
        catalog.config.issuer.name,
        catalog.config.title,
        catalog.config.description
        or translations(catalog.config.language, catalog.config.locales).gettext(
            "Micro-credentials and verifiable Open Badges"
        )
        % {},
        credentials[:5],
        _palette(catalog, credentials[0]) if credentials else _default(),
    )


def _cached_card(
    images: ImageCache | None,
    catalog: Catalog,
    kicker: str,
    title: str,
    subtitle: str,
    credentials: list[Credential],
    palette: Palette,
    pill: str | None = None,
) -> bytes:
    """`_card`, drawn only when its words, colours or badges differ from a cached one."""
    inputs = (kicker, title, subtitle, [_badge_key(catalog, c) for c in credentials], palette, pill)
    return (images or ImageCache(None)).png(
        "card",
        inputs,
        lambda: _card(
            kicker, title, subtitle, [badge_picture(catalog, c) for c in credentials], palette, pill
        ),
    )


def _badge_key(catalog: Catalog, credential: Credential) -> tuple:
    """What a badge on a card looks like: its bytes; for SVG, also whether cairo renders it here
    (else the card shows the drawn stand-in, which the credential's badge spec determines)."""
    image = credential.image
    digest = hashlib.sha256(image.data).hexdigest()
    if image.format != "svg":
        return digest, image.format
    rendered = svg_to_png(image.data, 600) is not None
    stand_in = (
        None if rendered else badge_spec(credential, catalog.stack_of(credential), catalog.config)
    )
    return digest, image.format, stand_in


def _default() -> Palette:
    return PALETTES["teal"]


def _fit(text: str, width: int, max_lines: int, sizes: range) -> tuple[int, list[str]]:
    words = text.split() or ["?"]
    for split_words, size in [(s, z) for s in (False, True) for z in sizes]:
        lines = wrap(words, [width] * max_lines, font(size).getlength, split_words)
        if lines is not None:
            return size, lines
    size = sizes[-1]
    lines = wrap(words, [width] * 50, font(size).getlength) or [text]
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and font(size).getlength(last + "…") > width:
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last.rstrip() + "…"]
    return size, lines


def _card(
    kicker: str,
    title: str,
    subtitle: str,
    badges: list[PILImage.Image],
    palette: Palette,
    pill: str | None = None,
) -> bytes:
    img = PILImage.new("RGBA", (WIDTH, HEIGHT), PAPER)
    d = ImageDraw.Draw(img)
    d.rectangle((0, HEIGHT - 18, WIDTH, HEIGHT), fill=palette.base)
    if len(badges) == 1:
        # The badge large on a tinted panel, the text beside it.
        d.rectangle((0, 0, 520, HEIGHT - 18), fill=palette.light)
        badge = badges[0].resize((420, 420), PILImage.Resampling.LANCZOS)
        img.alpha_composite(badge, (50, (HEIGHT - 18 - 420) // 2))
        left, text_width, top, bottom = 580, 560, 70, 560
    else:
        # A row of badges under the text.
        d.rectangle((0, 320, WIDTH, HEIGHT - 18), fill=palette.light)
        side = 220
        count = max(1, len(badges))
        gap = 24
        start = (WIDTH - count * side - (count - 1) * gap) // 2
        for index, picture in enumerate(badges):
            small = picture.resize((side, side), PILImage.Resampling.LANCZOS)
            img.alpha_composite(small, (start + index * (side + gap), 346))
        left, text_width, top, bottom = 80, 1040, 50, 300
    d = ImageDraw.Draw(img)
    y = top
    kicker_font = font(26)
    d.text(
        (left, y),
        ellipsize(kicker.upper(), text_width, kicker_font.getlength),
        font=kicker_font,
        fill=palette.base,
    )
    y += 52
    max_lines = 4 if len(badges) == 1 else 2
    size, lines = _fit(title, text_width, max_lines, range(64, 33, -4))
    for line in lines:
        d.text((left, y), line, font=font(size), fill=INK)
        y += round(size * 1.2)
    y += 16
    sub_font = font(28, bold=False)
    if y + 36 <= bottom:
        d.text(
            (left, y),
            ellipsize(subtitle, text_width, sub_font.getlength),
            font=sub_font,
            fill=MUTED,
        )
    if pill:
        # A pill that says what the link leads to.
        pill_font = font(24)
        w = pill_font.getlength(pill)
        x0, y0 = left, HEIGHT - 18 - 40 - 48
        d.rounded_rectangle((x0, y0, x0 + w + 48, y0 + 48), radius=24, fill=palette.base)
        d.text((x0 + 24, y0 + 24), pill, font=pill_font, fill=ink_on(palette.base), anchor="lm")
    # One card per credential, never baked: zlib's default effort, ten times faster than 9.
    return encode_png(img.convert("RGB"), 128, effort=6)
