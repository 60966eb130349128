"""SVG badges and logos as pixels, for the images Pillow draws (cards, a logo on a drawn badge).

CairoSVG renders them; in its safe mode it loads nothing but data: URLs, so a badge cannot make
the build fetch anything. Without the cairo library the callers fall back (see cards.py).
"""

from __future__ import annotations

import functools
import io

from PIL import Image as PILImage


@functools.lru_cache(maxsize=64)
def svg_to_png(data: bytes, side: int) -> bytes | None:
    """A square SVG as `side`×`side` PNG bytes, or None when it cannot be rendered here."""
    try:
        import cairosvg  # loads libcairo2: a missing system library is an OSError
    except (ImportError, OSError):
        return None
    try:
        return cairosvg.svg2png(
            bytestring=data, output_width=side, output_height=side, unsafe=False
        )
    except Exception:  # checked SVG that cairo still cannot draw: the caller falls back
        return None


def picture(data: bytes, fmt: str, side: int = 600) -> PILImage.Image | None:
    """A PNG or SVG as an RGBA image (SVG rendered at `side`), or None."""
    if fmt == "svg":
        png = svg_to_png(data, side)
        if png is None:
            return None
        data = png
    with PILImage.open(io.BytesIO(data)) as img:
        return img.convert("RGBA")
