"""Badge colours: the curated palettes, colours derived from an author's, WCAG contrast."""

from __future__ import annotations

import colorsys
from dataclasses import dataclass


@dataclass(frozen=True)
class Palette:
    """The colours of one badge: the shape's body, its rim, a tint, and the emblem and ribbon."""

    base: str
    dark: str
    light: str
    accent: str


# Curated families, each with white text above 4.5:1 contrast on `base` (WCAG AA).
PALETTES = {
    "teal": Palette("#0f766e", "#134e4a", "#ccfbf1", "#fbbf24"),
    "indigo": Palette("#4338ca", "#312e81", "#e0e7ff", "#fcd34d"),
    "plum": Palette("#86198f", "#581c87", "#fae8ff", "#fde68a"),
    "crimson": Palette("#be123c", "#881337", "#ffe4e6", "#fde68a"),
    "forest": Palette("#166534", "#14532d", "#dcfce7", "#facc15"),
    "navy": Palette("#1e3a8a", "#172554", "#dbeafe", "#f59e0b"),
    "copper": Palette("#9a3412", "#7c2d12", "#ffedd5", "#fde68a"),
    "slate": Palette("#334155", "#0f172a", "#e2e8f0", "#38bdf8"),
}


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c * 255))):02x}" for c in rgb)


def _luminance(colour: str) -> float:
    """WCAG 2.x relative luminance."""

    def channel(c: int) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def ink_on(colour: str) -> str:
    """White or near-black, whichever reads better on `colour`."""
    return "#ffffff" if contrast("#ffffff", colour) >= contrast("#111827", colour) else "#111827"


def shift(colour: str, hue: float = 0.0, lightness: float = 1.0) -> str:
    h, light, s = colorsys.rgb_to_hls(*(c / 255 for c in _rgb(colour)))
    return _hex(colorsys.hls_to_rgb((h + hue) % 1.0, max(0.0, min(1.0, light * lightness)), s))


def palette_from(base: str, accent: str | None = None) -> Palette:
    """A palette derived from an author's colour (and accent), e.g. `badges: {color: "#1d4ed8"}`."""
    h, light, s = colorsys.rgb_to_hls(*(c / 255 for c in _rgb(base)))
    dark = _hex(colorsys.hls_to_rgb(h, light * 0.68, s))
    light = _hex(colorsys.hls_to_rgb(h, 0.93, min(s, 0.8)))
    return Palette(base.lower(), dark, light, (accent or "#fbbf24").lower())


def sibling_palette(palette: Palette, index: int, count: int) -> Palette:
    """The palette of the `index`th of `count` credentials in a stack: the family, varied.

    Hue moves a few degrees and the body darkens step by step, so a stack reads as one family
    of distinct badges, in learning order.
    """
    if count <= 1:
        return palette
    position = index / (count - 1)  # 0 for the first step, 1 for the last
    hue = (position - 0.5) * 0.07
    lightness = 1.14 - 0.28 * position
    base = shift(palette.base, hue, lightness)
    if contrast(ink_on(palette.base), base) < 4.5:  # never trade away the name's legibility
        base = shift(palette.base, hue)
    return Palette(
        base, shift(palette.dark, hue, lightness), shift(palette.light, hue), palette.accent
    )
