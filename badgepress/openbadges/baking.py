"""Baking and unbaking badge images without re-encoding pixels.

PNG: an iTXt chunk with keyword 'openbadges' right after IHDR (OB 2.0 Baking Specification).
SVG: an <openbadges:assertion verify="URL"> element in the root svg element.
"""

from __future__ import annotations

import re
import struct
import zlib
from html import escape, unescape

from ..files.bounded import TooLarge, inflate

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEYWORD = b"openbadges"
SVG_NAMESPACE = "http://openbadges.org"
# What a badge image may carry: a URL, an assertion, or a signed 3.0 credential (a few KB).
MAX_BAKED_BYTES = 5_000_000


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


def unbake_png(png: bytes, keyword: bytes = KEYWORD, limit: int = MAX_BAKED_BYTES) -> str:
    """The text baked under `keyword` (an assertion URL or JSON); NotABadge when absent or
    unreadable. A compressed chunk is inflated to at most `limit` bytes (a zTXt/iTXt chunk of a
    few kilobytes may inflate to gigabytes)."""
    for _, kind, payload, _ in _chunks(png):
        if not _is_badge_chunk(kind, payload, keyword):
            continue
        rest = payload[len(keyword) + 1 :]
        if kind == b"tEXt":
            return rest.decode("latin-1")
        if kind == b"zTXt":  # compression method byte, then a zlib stream of Latin-1 text
            return _inflated(rest[1:], kind, limit).decode("latin-1")
        # iTXt: compression flag, method, language tag NUL, translated keyword NUL, UTF-8 text
        parts = rest[2:].split(b"\0", 2)
        if len(rest) < 2 or len(parts) < 3:
            raise NotABadge("the PNG's iTXt chunk is malformed")
        text = _inflated(parts[2], kind, limit) if rest[0] else parts[2]
        try:
            return text.decode("utf-8")
        except UnicodeDecodeError:
            raise NotABadge("the PNG's iTXt chunk is not UTF-8 text") from None
    raise NotABadge(f"PNG carries no '{keyword.decode()}' chunk")


def _inflated(data: bytes, kind: bytes, limit: int) -> bytes:
    try:
        return inflate(data, limit)
    except TooLarge:
        message = f"the PNG's {kind.decode()} chunk inflates to more than {limit:,} bytes"
        raise NotABadge(message) from None
    except ValueError as exc:
        raise NotABadge(f"the PNG's {kind.decode()} chunk holds {exc}") from None


_VERIFY_ATTR = re.compile(rb"""\bverify\s*=\s*("([^"]*)"|'([^']*)')""")


def bake_svg(svg: bytes, url: str) -> bytes:
    """The SVG with <openbadges:assertion verify="url"/> as the root's first child."""
    element = f'<openbadges:assertion verify="{escape(url, quote=True)}"/>'.encode()
    return _baked_svg(svg, b"openbadges:assertion", SVG_NAMESPACE, element)


def _baked_svg(svg: bytes, name: bytes, namespace: str, element: bytes) -> bytes:
    """`svg` without any earlier `name` element, with `element` as its root's first child and
    the `openbadges` prefix declared. Linear in the size of `svg`, as a build reads badges from
    strangers' pull requests (the regexes used before took minutes on a crafted 440 KB file)."""
    svg = _without_elements(svg, name)
    root = _root_start_tag(svg)
    if root is None:
        raise NotABadge("not an SVG file")
    start, end = root
    tag = svg[start:end]
    empty = tag.endswith(b"/>")
    opening = tag[:-2] if empty else tag[:-1]
    if b"xmlns:openbadges" not in tag:
        opening += f' xmlns:openbadges="{namespace}"'.encode()
    # <svg .../> has no content yet: it gets a closing tag around the element
    closing = b"</" + _TAG_NAME.match(tag, 1)[0] + b">" if empty else b""
    return svg[:start] + opening + b">" + element + closing + svg[end:]


_TAG_NAME = re.compile(rb"[^\s/>]+")


def _root_start_tag(svg: bytes) -> tuple[int, int] | None:
    """Where the root element's start tag begins and ends, if the root is an `svg` element
    (any prefix): the first tag after the prolog's comments and processing instructions, which
    may mention `<svg` themselves. One pass."""
    at = svg.find(b"<")
    while at != -1 and svg.startswith((b"<!--", b"<?"), at):
        opener, closer = (b"<!--", b"-->") if svg.startswith(b"<!--", at) else (b"<?", b"?>")
        at = svg.find(closer, at + len(opener))
        if at == -1:
            return None
        at = svg.find(b"<", at + len(closer))
    end = svg.find(b">", at) if at != -1 else -1
    name = _TAG_NAME.match(svg, at + 1, end) if end != -1 else None
    if name is None or name[0].rsplit(b":", 1)[-1] != b"svg":
        return None
    return at, end + 1


def _without_elements(svg: bytes, name: bytes) -> bytes:
    """`svg` without its `<name .../>` and `<name ...>...</name>` elements (each up to the
    first closing tag after it), found in one pass with the scanner that unbaking uses."""
    closing = b"</" + name + b">"
    kept, copied, search, closable = [], 0, 0, True
    while (tag := _start_tag(svg, name, search)) is not None:
        start, end = tag
        stop = end if svg[end - 2 : end] == b"/>" else -1
        if stop == -1 and closable:
            stop = svg.find(closing, end)
            closable = stop != -1  # if not here, no later start tag has a closing tag either
            stop = stop + len(closing) if closable else -1
        if stop == -1:  # an element that never closes: left as it is
            search = end
            continue
        kept.append(svg[copied:start])
        copied = search = stop
    kept.append(svg[copied:])
    return b"".join(kept)


def unbake_svg(svg: bytes) -> str:
    """The assertion URL baked into an SVG; NotABadge when absent."""
    tag = _start_tag(svg, b"openbadges:assertion")
    attr = _VERIFY_ATTR.search(svg[tag[0] : tag[1]]) if tag else None
    if not attr:
        raise NotABadge("SVG carries no openbadges:assertion element")
    return unescape(_utf8(attr.group(2) or attr.group(3) or b"", "openbadges:assertion"))


def _start_tag(svg: bytes, name: bytes, start: int = 0) -> tuple[int, int] | None:
    """Where the first start tag `<name ...>` in `svg` from `start` begins and ends, found in
    one pass.

    Not a regex: `<name\\b[^>]*>` retries from every occurrence of `<name` and, with no `>`
    after them, reads to the end each time (a 500 KB SVG took a minute). For the same reason
    the `>` is looked for only once a tag's name is known to end (`<nameX` × 100,000 before a
    single `>` would read to it 100,000 times).
    """
    start = svg.find(b"<" + name, start)
    while start != -1:
        after = start + 1 + len(name)
        if after == len(svg) or svg[after : after + 1] in b" \t\r\n/>":
            end = svg.find(b">", after)
            return None if end == -1 else (start, end + 1)
        start = svg.find(b"<" + name, after)
    return None


def _utf8(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise NotABadge(f"the SVG's {where} element is not UTF-8 text") from None


SVG_NAMESPACE_V3 = "https://purl.imsglobal.org/ob/v3p0"


def bake_svg_credential(svg: bytes, credential_json: str) -> bytes:
    """OB 3.0 §5.3.2: the SVG carrying <openbadges:credential><![CDATA[json]]></openbadges:credential>."""
    # "]]>" can only occur inside JSON strings, where "\u003e" means the same character.
    text = credential_json.replace("]]>", "]]\\u003e")
    element = f"<openbadges:credential><![CDATA[{text}]]></openbadges:credential>".encode()
    return _baked_svg(svg, b"openbadges:credential", SVG_NAMESPACE_V3, element)


def unbake_svg_credential(svg: bytes) -> str:
    """The credential JSON baked into an SVG by bake_svg_credential; NotABadge when absent."""
    name = b"openbadges:credential"
    tag = _start_tag(svg, name)
    if tag is None or svg[tag[1] - 2 : tag[1]] == b"/>":
        raise NotABadge("SVG carries no openbadges:credential element")
    content_start = tag[1]
    content_end = svg.find(b"</" + name + b">", content_start)
    content = svg[content_start:content_end] if content_end != -1 else b""
    cdata_start = content.find(b"<![CDATA[")
    cdata_end = content.find(b"]]>", cdata_start + 9)
    if cdata_start == -1 or cdata_end == -1:
        raise NotABadge("SVG carries no openbadges:credential element")
    return _utf8(content[cdata_start + 9 : cdata_end], "openbadges:credential")


def bake(image: bytes, fmt: str, url: str) -> bytes:
    """Bake an image of format 'png' or 'svg'."""
    return bake_png(image, url) if fmt == "png" else bake_svg(image, url)


_SVG_TAG = re.compile(rb"<svg[\s>]", re.IGNORECASE)


def is_svg(data: bytes) -> bool:
    """Text with an <svg> element near the start (as verify.js's isSvg decides)."""
    return bool(_SVG_TAG.search(data[:4096]))


def unbake(image: bytes) -> str:
    """Whatever a baked PNG or SVG carries."""
    if image.startswith(PNG_SIGNATURE):
        return unbake_png(image)
    if is_svg(image):
        return unbake_svg(image)
    raise NotABadge("not a PNG or SVG image")
