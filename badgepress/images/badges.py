"""Which badge a credential gets drawn: its stack's shape and palette family, its name, its alt text."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import replace

from ..i18n import translations
from ..model import Credential, Image, SiteConfig, Stack
from .badge_shapes import SHAPES, SIZE, BadgeSpec
from .image_cache import ImageCache
from .palettes import PALETTES, palette_from, sibling_palette

# A credential without an image carries this until `draw_missing_badges` draws it.
TO_DRAW = Image(b"", "png", SIZE, SIZE, drawn=True)


def _pick(*values):
    return next((v for v in values if v is not None), None)


def _hash(key: str) -> int:
    return int(hashlib.sha256(key.encode()).hexdigest()[:12], 16)


def badge_spec(credential: Credential, stack: Stack | None, config: SiteConfig) -> BadgeSpec:
    """The drawing of a credential: the credential's settings, over its stack's, over the site's.

    `auto` choices hash the stack's slug (or a lone credential's), so they never change when
    other credentials or stacks are added.
    """
    styles = [s for s in (credential.badge, stack.badge if stack else None, config.badges) if s]
    key = stack.slug if stack else credential.slug
    shape = _pick(*(s.style for s in styles))
    if shape in (None, "auto"):
        shape = SHAPES[(_hash(key) // len(PALETTES)) % len(SHAPES)]
    colour = None
    for s in styles:  # the nearest setting wins, whether a palette name or a colour
        if s.color or s.palette:
            colour = s
            break
    if colour is not None and colour.color:
        palette = palette_from(colour.color, _pick(*(s.accent for s in styles)))
    else:
        name = colour.palette if colour else list(PALETTES)[_hash(key) % len(PALETTES)]
        palette = PALETTES[name]
        accent = _pick(*(s.accent for s in styles))
        if accent:
            palette = replace(palette, accent=accent)
    emblem = None
    order = (stack.drawing_order or stack.credentials) if stack is not None else ()
    if credential.slug in order:
        index = order.index(credential.slug)
        # Siblings share the family, hue-shifted; unless the author chose the credential's colour.
        if credential.badge is None or not (credential.badge.color or credential.badge.palette):
            palette = sibling_palette(palette, index, len(order))
        emblem = str(index + 1) if credential.slug != stack.capstone else None
    issuer = config.issuer
    show_logo = _pick(*(s.logo for s in styles))
    logo = None
    if issuer.image is not None and show_logo is not False:
        from .raster import svg_to_png  # Pillow and CairoSVG: only to draw

        logo = (
            issuer.image.data
            if issuer.image.format == "png"
            else svg_to_png(issuer.image.data, 256)  # None without the cairo library
        )
    return BadgeSpec(
        name=credential.name,
        label=stack.title if stack else issuer.name,
        footer=issuer.name if stack else None,
        shape=shape,
        palette=palette,
        emblem=emblem,
        logo=logo,
    )


def badge_alt(credential: Credential, stack: Stack | None, config: SiteConfig) -> str:
    """Alt text for a drawn badge, from what it shows, in the site's language."""
    _ = translations(config.language, config.locales).gettext
    values = {"name": credential.name, "issuer": config.issuer.name}
    if stack is not None and credential.slug == stack.capstone:
        return _(
            "Badge for “%(name)s”, the capstone of the %(stack)s stack, issued by %(issuer)s"
        ) % {
            **values,
            "stack": stack.title,
        }
    order = (stack.drawing_order or stack.credentials) if stack is not None else ()
    if credential.slug in order:
        return _(
            "Badge for “%(name)s”, step %(step)d of %(steps)d in the %(stack)s stack, issued by %(issuer)s"
        ) % {
            **values,
            "stack": stack.title,
            "step": order.index(credential.slug) + 1,
            "steps": len(order),
        }
    return _("Badge for “%(name)s”, issued by %(issuer)s") % values


def draw_missing_badges(
    credentials: Mapping[str, Credential],
    stacks: Mapping[str, Stack],
    config: SiteConfig,
    images: ImageCache | None = None,
) -> dict[str, Credential]:
    """Every credential with its badge drawn where it had none, and its alt text filled in."""
    images = images or ImageCache(None)
    drawn = {}
    for slug, credential in credentials.items():
        if credential.image is not TO_DRAW:
            drawn[slug] = credential
            continue
        from .badge_art import draw_badge  # Pillow: only for a site that has badges to draw

        stack = stacks.get(credential.stack) if credential.stack else None
        spec = badge_spec(credential, stack, config)
        data = images.png("badge", spec, lambda spec=spec: draw_badge(spec))
        drawn[slug] = replace(
            credential,
            image=Image(data, "png", SIZE, SIZE, drawn=True),
            image_alt=credential.image_alt or badge_alt(credential, stack, config),
        )
    return drawn
