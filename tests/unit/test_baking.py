import io
import zlib

import pytest
from PIL import Image

from badgepress.baking import NotABadge, bake_png, bake_svg, unbake, unbake_png

URL = "https://badges.example.org/assertions/abc.json"


def _png(size=(120, 120)):
    buffer = io.BytesIO()
    Image.new("RGBA", size, (11, 110, 102, 255)).save(buffer, "PNG")
    return buffer.getvalue()


def test_baked_png_carries_the_url_after_ihdr():
    baked = bake_png(_png(), URL)
    assert unbake(baked) == URL
    # The chunk sits right after IHDR: signature (8) + IHDR chunk (25) then our iTXt.
    assert baked[33 + 4 : 33 + 8] == b"iTXt"


def test_baking_never_reencodes_pixels():
    original = _png()
    baked = bake_png(original, URL)
    assert len(baked) == len(original) + 12 + len(b"openbadges\0\0\0\0\0") + len(URL)
    assert baked.replace(baked[33 : 33 + 12 + 15 + len(URL)], b"") == original
    assert Image.open(io.BytesIO(baked)).tobytes() == Image.open(io.BytesIO(original)).tobytes()


def test_rebaking_replaces_the_earlier_assertion():
    twice = bake_png(bake_png(_png(), "https://old.example/a.json"), URL)
    assert unbake(twice) == URL
    assert twice.count(b"openbadges") == 1


def test_unbake_reads_compressed_itxt_and_text_chunks():
    png = _png()
    for payload, kind in (
        (b"openbadges\0\x01\0\0\0" + zlib.compress(URL.encode()), b"iTXt"),
        (b"openbadges\0" + URL.encode(), b"tEXt"),
    ):
        chunk = (
            len(payload).to_bytes(4, "big")
            + kind
            + payload
            + zlib.crc32(kind + payload).to_bytes(4, "big")
        )
        assert unbake_png(png[:33] + chunk + png[33:]) == URL


def test_unbaked_png_is_not_a_badge():
    with pytest.raises(NotABadge, match="carries no 'openbadges' chunk"):
        unbake(_png())


def test_truncated_png_is_not_a_badge():
    with pytest.raises(NotABadge):
        unbake(bake_png(_png(), URL)[:40])


def test_svg_is_baked_with_the_namespaced_element():
    svg = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect/></svg>'
    baked = bake_svg(svg, URL + "?a=1&b=2")
    assert b'xmlns:openbadges="http://openbadges.org"' in baked
    assert b'<openbadges:assertion verify="' + URL.encode() + b'?a=1&amp;b=2"/>' in baked
    assert unbake(baked) == URL + "?a=1&b=2"
    assert unbake(bake_svg(baked, URL)) == URL
    assert baked.count(b"openbadges:assertion") == 1


def test_text_is_not_a_badge():
    with pytest.raises(NotABadge, match="not a PNG or SVG"):
        unbake(b"hello")
