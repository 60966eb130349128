"""Smaller copies of a PNG badge, for pages that show it at a fraction of its size.

A 600 px badge shown at 112 CSS px costs a phone four times the bytes it needs (Lighthouse's
"properly size images"). Resizing alone makes a larger file than the original (an RGBA image
loses the original's palette), so the copy is quantized back to 256 colours; the input is made
RGBA first, because Pillow resizes a palette image with NEAREST (jagged edges).
"""

from __future__ import annotations

import hashlib
import io

from ..model import Credential
from .image_cache import ImageCache


def badge_variant(credential: Credential, width: int, images: ImageCache | None = None) -> bytes:
    """The credential's PNG badge `width` px wide (height in proportion), as PNG bytes; drawn
    once per badge image and width (`images`: the build's cache)."""
    data = credential.image.data
    digest = hashlib.sha256(data).hexdigest()
    return (images or ImageCache(None)).png(
        "badge-variant", (digest, width), lambda: shrink_png(data, width)
    )


def shrink_png(data: bytes, width: int) -> bytes:
    """PNG bytes of `data` (a PNG) resized to `width` px wide; the same bytes every time."""
    from PIL import Image  # Pillow: only for a site with PNG badges to shrink

    with Image.open(io.BytesIO(data)) as original:
        rgba = original.convert("RGBA")
    height = max(1, round(rgba.height * width / rgba.width))
    small = rgba.resize((width, height), Image.Resampling.LANCZOS)
    palette = small.quantize(256, method=Image.Quantize.FASTOCTREE)
    out = io.BytesIO()
    palette.save(out, "PNG", optimize=True)
    return out.getvalue()
