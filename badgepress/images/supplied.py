"""Badge images: checking supplied PNG and SVG files (drawn badges: badge_art)."""

from __future__ import annotations

import hashlib
import io
import math
import re
import struct
import xml.etree.ElementTree as ElementTree

from ..errors import bounded
from ..model import Image

MIN_SIDE, MAX_SIDE = 90, 4096  # OB recommends at least 90×90; beyond 4096 is a mistake
MAX_IMAGE_BYTES = 2 << 20
SVG_NS = "{http://www.w3.org/2000/svg}"


class BadImage(ValueError):
    """The file is not the image its name says, or not usable as a badge."""


def check_image(data: bytes, fmt: str) -> Image:
    """Validate a supplied badge or logo file and describe it; BadImage says what is wrong."""
    if len(data) > MAX_IMAGE_BYTES:
        raise BadImage(f"image is {len(data):,} bytes; expected at most {MAX_IMAGE_BYTES:,}")
    width, height = _png_size(data) if fmt == "png" else _svg_size(data)
    if width != height:
        raise BadImage(f"expected a square image, found {width}×{height}")
    if fmt == "png" and not MIN_SIDE <= width <= MAX_SIDE:
        raise BadImage(f"expected a side between {MIN_SIDE} and {MAX_SIDE} pixels, found {width}")
    return Image(data, fmt, width, height)


class CheckedImages:
    """Images that passed `check_image`, by format and digest of their bytes, kept between
    builds: checking a PNG decodes it in full (~1.5 ms for a badge, 50 badges a site), for
    files that rarely change. Only passes are kept; a bad image is checked, and reported, again.
    """

    def __init__(self, known: dict | None = None):
        self.known: dict[tuple[str, bytes], tuple[int, int]] = dict(known or {})
        self.used: dict[tuple[str, bytes], tuple[int, int]] = {}  # this build's: what to keep

    def check(self, data: bytes, fmt: str) -> Image:
        """`check_image(data, fmt)`, answered from an earlier check of the same PNG bytes.

        An SVG is always checked again (it is cheap, and its check keeps scripts out of the
        site: a verdict read from the cache, which is not authenticated, must not)."""
        if fmt != "png":
            return check_image(data, fmt)
        key = (fmt, hashlib.blake2b(data, digest_size=16).digest())
        size = self.known.get(key)
        if size is None:
            image = check_image(data, fmt)
            size = (image.width, image.height)
        else:
            image = Image(data, fmt, *size)
        self.used[key] = size
        return image


def _png_size(data: bytes) -> tuple[int, int]:
    if not data.startswith(b"\x89PNG\r\n\x1a\n") or data[12:16] != b"IHDR":
        raise BadImage(f"expected a PNG image, found {_sniff(data)}")
    width, height = struct.unpack(">II", data[16:24])
    try:  # decode fully once so a truncated or corrupt file fails here, not in a browser
        from PIL import Image as PILImage

        with PILImage.open(io.BytesIO(data)) as img:
            img.load()
    except Exception as exc:
        raise BadImage(f"PNG image is damaged ({bounded(exc)})") from None
    return width, height


# Matched against a stripped value: `\s*(px)?\s*$` after a run of spaces tried every way of
# sharing them between the two `\s*` (a width of 100,000 spaces took minutes).
_LENGTH = re.compile(r"([0-9.]+)\s*(?:px)?")


def _side(text: str) -> int | None:
    """A side length in whole user units, or None if `text` is no finite positive number
    (SVG 1.1 §7.7: a negative or zero viewBox width or height disables it; 1e999 is infinite)."""
    try:
        value = float(text)
    except ValueError:
        return None
    return round(value) if math.isfinite(value) and value > 0 else None


def _svg_size(data: bytes) -> tuple[int, int]:
    head = data[:1024].lstrip()
    if not (head.startswith(b"<") and b"<svg" in data[:4096]):
        raise BadImage(f"expected an SVG image, found {_sniff(data)}")
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise BadImage("SVG must not declare a DOCTYPE or entities")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise BadImage(f"SVG is not well-formed XML ({bounded(exc)})") from None
    if root.tag not in (f"{SVG_NS}svg", "svg"):
        raise BadImage(f"expected an <svg> root element, found <{root.tag}>")
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1]
        if local in ("script", "foreignObject") or any(
            a.lower().startswith("on") for a in element.attrib
        ):
            raise BadImage("SVG badges must not contain scripts or event handlers")
    box = root.get("viewBox", "").replace(",", " ").split()
    sides = [_side(text) for text in box[2:]] if len(box) == 4 else [None]
    if None not in sides:
        return sides[0], sides[1]
    lengths = [_LENGTH.fullmatch(root.get(name, "").strip()) for name in ("width", "height")]
    sides = [_side(length[1]) if length else None for length in lengths]
    if None not in sides:
        return sides[0], sides[1]
    raise BadImage("SVG needs a viewBox (or width and height) to show it is square")


def _sniff(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "a PNG image"
    if data[:3] == b"\xff\xd8\xff":
        return "a JPEG image"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "a GIF image"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "a WebP image"
    if b"<svg" in data[:4096]:
        return "an SVG image"
    if not data:
        return "an empty file"
    return "something else"
