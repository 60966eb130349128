"""Baking and unbaking badge images without re-encoding pixels.

PNG: an iTXt chunk with keyword 'openbadges' right after IHDR (OB 2.0 Baking Specification).
SVG: an <openbadges:assertion verify="URL"> element in the root svg element.
"""

from __future__ import annotations

import re
import struct
import zlib
from html import escape, unescape

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEYWORD = b"openbadges"
SVG_NAMESPACE = "http://openbadges.org"


class NotABadge(ValueError):
    """The bytes are not a PNG/SVG, or carry no Open Badges data."""


def _chunks(data: bytes):
    """(offset, type, payload, end) for every chunk; raises NotABadge on a broken PNG."""
    if not data.startswith(PNG_SIGNATURE):
        raise NotABadge("not a PNG file")
    offset = len(PNG_SIGNATURE)
    while offset < len(data):
        if offset + 8 > len(data):
            raise NotABadge("truncated PNG chunk")
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        end = offset + 12 + length
        if end > len(data):
            raise NotABadge("truncated PNG chunk")
        yield offset, kind, data[offset + 8 : offset + 8 + length], end
        offset = end
        if kind == b"IEND":
            return


def _chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload))
    )


def _is_badge_chunk(kind: bytes, payload: bytes, keyword: bytes) -> bool:
    return kind in (b"iTXt", b"tEXt", b"zTXt") and payload.split(b"\0", 1)[0] == keyword


def bake_png(png: bytes, url: str, keyword: bytes = KEYWORD) -> bytes:
    """The PNG with an iTXt chunk `keyword` = url after IHDR, replacing any earlier one."""
    # iTXt: keyword, NUL, compression flag 0, method 0, empty language tag NUL, empty translated keyword NUL, text
    chunk = _chunk(b"iTXt", keyword + b"\0\0\0\0\0" + url.encode("utf-8"))
    parts, inserted = [PNG_SIGNATURE], False
    for offset, kind, payload, end in _chunks(png):
        if _is_badge_chunk(kind, payload, keyword):
            continue
        parts.append(png[offset:end])
        if kind == b"IHDR" and not inserted:
            parts.append(chunk)
            inserted = True
    if not inserted:
        raise NotABadge("PNG has no IHDR chunk")
    return b"".join(parts)


def unbake_png(png: bytes, keyword: bytes = KEYWORD) -> str:
    """The text baked under `keyword` (an assertion URL or JSON); NotABadge when absent."""
    for _, kind, payload, _ in _chunks(png):
        if not _is_badge_chunk(kind, payload, keyword):
            continue
        rest = payload[len(keyword) + 1 :]
        if kind == b"tEXt":
            return rest.decode("latin-1")
        if kind == b"zTXt":
            return zlib.decompress(rest[1:]).decode("latin-1")
        compressed, _method = rest[0], rest[1]
        rest = rest[2:].split(b"\0", 2)[2]  # skip language tag and translated keyword
        return (zlib.decompress(rest) if compressed else rest).decode("utf-8")
    raise NotABadge(f"PNG carries no '{keyword.decode()}' chunk")


_SVG_ROOT = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE)
_SVG_BAKED = re.compile(
    rb"<openbadges:assertion\b[^>]*?(?:/>|>.*?</openbadges:assertion>)", re.DOTALL
)
_VERIFY_ATTR = re.compile(rb"""\bverify\s*=\s*("([^"]*)"|'([^']*)')""")


def bake_svg(svg: bytes, url: str) -> bytes:
    """The SVG with <openbadges:assertion verify="url"/> as the root's first child."""
    svg = _SVG_BAKED.sub(b"", svg)
    root = _SVG_ROOT.search(svg)
    if not root:
        raise NotABadge("not an SVG file")
    tag = root.group(0)
    if b"xmlns:openbadges" not in tag:
        closing = -2 if tag.endswith(b"/>") else -1
        tag = tag[:closing] + f' xmlns:openbadges="{SVG_NAMESPACE}"'.encode() + tag[closing:]
    element = f'<openbadges:assertion verify="{escape(url, quote=True)}"/>'.encode()
    return svg[: root.start()] + tag + element + svg[root.end() :]


def unbake_svg(svg: bytes) -> str:
    """The assertion URL baked into an SVG; NotABadge when absent."""
    element = _SVG_BAKED.search(svg)
    attr = _VERIFY_ATTR.search(element.group(0)) if element else None
    if not attr:
        raise NotABadge("SVG carries no openbadges:assertion element")
    return unescape((attr.group(2) or attr.group(3) or b"").decode("utf-8"))


SVG_NAMESPACE_V3 = "https://purl.imsglobal.org/ob/v3p0"
_SVG_CREDENTIAL = re.compile(
    rb"<openbadges:credential\b[^>]*?(?:/>|>.*?</openbadges:credential>)", re.DOTALL
)


def bake_svg_credential(svg: bytes, credential_json: str) -> bytes:
    """OB 3.0 §5.3.2: the SVG carrying <openbadges:credential><![CDATA[json]]></openbadges:credential>."""
    svg = _SVG_CREDENTIAL.sub(b"", svg)
    root = _SVG_ROOT.search(svg)
    if not root:
        raise NotABadge("not an SVG file")
    tag = root.group(0)
    if b"xmlns:openbadges" not in tag:
        closing = -2 if tag.endswith(b"/>") else -1
        tag = tag[:closing] + f' xmlns:openbadges="{SVG_NAMESPACE_V3}"'.encode() + tag[closing:]
    # "]]>" can only occur inside JSON strings, where "\u003e" means the same character.
    text = credential_json.replace("]]>", "]]\\u003e")
    element = f"<openbadges:credential><![CDATA[{text}]]></openbadges:credential>".encode()
    return svg[: root.start()] + tag + element + svg[root.end() :]


def unbake_svg_credential(svg: bytes) -> str:
    """The credential JSON baked into an SVG by bake_svg_credential; NotABadge when absent."""
    element = _SVG_CREDENTIAL.search(svg)
    match = element and re.search(rb"<!\[CDATA\[(.*?)\]\]>", element.group(0), re.DOTALL)
    if not match:
        raise NotABadge("SVG carries no openbadges:credential element")
    return match.group(1).decode("utf-8")


def bake(image: bytes, fmt: str, url: str) -> bytes:
    """Bake an image of format 'png' or 'svg'."""
    return bake_png(image, url) if fmt == "png" else bake_svg(image, url)


def unbake(image: bytes) -> str:
    """Whatever a baked PNG or SVG carries."""
    if image.startswith(PNG_SIGNATURE):
        return unbake_png(image)
    if _SVG_ROOT.search(image[:4096] if b"<svg" in image[:4096] else image):
        return unbake_svg(image)
    raise NotABadge("not a PNG or SVG image")
