"""What a drawn badge can be: its size, its shapes and the spec of one drawing.

Pure data, without Pillow: site settings are checked, and a credential marked to be drawn,
without loading the drawing code (`badge_art`, which draws a spec).
"""

from __future__ import annotations

from dataclasses import dataclass

from .palettes import PALETTES, Palette

SIZE = 600
SHAPES = ("circle", "hexagon", "shield", "rosette")
STYLES = ("auto", *SHAPES)


@dataclass(frozen=True)
class BadgeSpec:
    """What a drawn badge shows: the name, the ribbon label, a footer line, shape and colours."""

    name: str
    label: str  # on the ribbon: the stack's title, or the issuer's name
    footer: str | None = None  # under the ribbon: the issuer, for a stack's credential
    shape: str = "circle"
    palette: Palette = PALETTES["teal"]
    emblem: str | None = None  # a step number in the stack; None draws a star
    logo: bytes | None = None  # the issuer's PNG logo, shown in the emblem instead
