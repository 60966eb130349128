import io
import time
import zlib
from xml.etree import ElementTree

import pytest
from PIL import Image

from badgepress.openbadges.baking import (
    NotABadge,
    bake_png,
    bake_svg,
    bake_svg_credential,
    unbake,
    unbake_png,
    unbake_svg_credential,
)

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


def _with_chunk(kind: bytes, payload: bytes) -> bytes:
    png = _png()
    chunk = (
        len(payload).to_bytes(4, "big")
        + kind
        + payload
        + zlib.crc32(kind + payload).to_bytes(4, "big")
    )
    return png[:33] + chunk + png[33:]


def test_a_compressed_chunk_is_inflated_no_further_than_the_limit():
    packed = zlib.compress(b"https://x.example/" + b"a" * 10_000)
    for png in (
        _with_chunk(b"zTXt", b"openbadges\0\0" + packed),
        _with_chunk(b"iTXt", b"openbadges\0\1\0\0\0" + packed),
    ):
        assert unbake_png(png).startswith("https://x.example/aaa")
        with pytest.raises(NotABadge, match="chunk inflates to more than 1,000 bytes"):
            unbake_png(png, limit=1000)


@pytest.mark.parametrize(
    ("image", "message"),
    [
        (
            _with_chunk(b"zTXt", b"openbadges\0\0garbage"),
            "the PNG's zTXt chunk holds corrupt compressed data (Error -3 while decompressing data: incorrect header check)",
        ),
        (
            _with_chunk(b"iTXt", b"openbadges\0\1\0\0\0" + zlib.compress(URL.encode())[:-4]),
            "the PNG's iTXt chunk holds compressed data cut short",
        ),
        (_with_chunk(b"iTXt", b"openbadges\0"), "the PNG's iTXt chunk is malformed"),
        (_with_chunk(b"iTXt", b"openbadges\0\0\0en"), "the PNG's iTXt chunk is malformed"),
        (
            _with_chunk(b"iTXt", b"openbadges\0\0\0\0\0caf\xe9"),
            "the PNG's iTXt chunk is not UTF-8 text",
        ),
        (
            b'<svg><openbadges:assertion verify="https://x.example/caf\xe9"/></svg>',
            "the SVG's openbadges:assertion element is not UTF-8 text",
        ),
    ],
    ids=["corrupt-ztxt", "cut-short-itxt", "empty-itxt", "short-itxt", "latin1-itxt", "latin1-svg"],
)
def test_unreadable_baked_data_is_not_a_badge(image, message):
    with pytest.raises(NotABadge) as caught:
        unbake(image)
    assert str(caught.value) == message


def test_a_baked_credential_that_is_not_utf8_is_not_a_badge():
    svg = b"<svg><openbadges:credential><![CDATA[{\xe9}]]></openbadges:credential></svg>"
    with pytest.raises(NotABadge, match="openbadges:credential element is not UTF-8 text"):
        unbake_svg_credential(svg)


@pytest.mark.parametrize(
    "svg",
    [
        b"<svg " + b"<openbadges:assertion " * 200_000,
        b"<svg " + b"<openbadges:assertion>" * 200_000,
        b"<svg><openbadges:credential>" + b"<![CDATA[" * 400_000,
        b"<svg>" + b"<openbadges:credential " * 200_000,
    ],
    ids=["unclosed-tags", "unclosed-elements", "unclosed-cdata", "unclosed-credential"],
)
def test_svg_elements_are_found_in_one_pass(svg):
    # A regex retried from each '<openbadges:...' and read to the end every time: 440 KB took a
    # minute, these 4-5 MB would take hours. A generous tripwire, not a benchmark.
    started = time.monotonic()
    with pytest.raises(NotABadge):
        unbake(svg)
    with pytest.raises(NotABadge):
        unbake_svg_credential(svg)
    assert time.monotonic() - started < 5


def test_the_baked_element_is_found_among_lookalikes():
    svg = (
        b'<svg><openbadges:assertionX verify="https://wrong.example/"/>'
        b'<openbadges:assertion\nverify="https://x.example/a.json">{}</openbadges:assertion></svg>'
    )
    assert unbake(svg) == "https://x.example/a.json"


_BAKERS = {
    "assertion": (bake_svg, "https://x.example/a.json", b"openbadges:assertion"),
    "credential": (bake_svg_credential, '{"id": "https://x.example/a"}', b"openbadges:credential"),
}
_ROOT = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"'


@pytest.mark.parametrize("kind", _BAKERS)
@pytest.mark.parametrize(
    "svg",
    [
        # Well-formed, so a badge under content/ passes images.check_image with it.
        _ROOT + b"><!-- " + b"<openbadges:assertion>" * 200_000 + b" --></svg>",
        _ROOT + b"><!-- " + b"<openbadges:credential>" * 200_000 + b" --></svg>",
        _ROOT + b"><!-- " + b"<openbadges:assertionX" * 200_000 + b" --></svg>",
        b"<!-- " + b"<svg " * 400_000 + b"-->" + _ROOT + b"/>",
    ],
    ids=["unclosed-assertions", "unclosed-credentials", "lookalikes", "roots-in-a-comment"],
)
def test_baking_an_svg_takes_one_pass(kind, svg):
    # The build's regexes retried from every '<openbadges:...' to the end of the file: 8,000 of
    # them took 5 s, these 200,000 would take hours. A generous tripwire, not a benchmark.
    bake, payload, _name = _BAKERS[kind]
    started = time.process_time()
    baked = bake(svg, payload)
    assert time.process_time() - started < 5
    assert ElementTree.fromstring(baked).find("{*}" + _name.split(b":")[1].decode()) is not None


@pytest.mark.parametrize("kind", _BAKERS)
@pytest.mark.parametrize(
    "svg",
    [
        _ROOT + b"/>",  # no content: the element needs a closing tag around it
        b"<?xml version='1.0'?>\n<!-- drawn as <svg> by hand --><?pi <svg?>\n" + _ROOT + b"/>",
        b'<svg:svg xmlns:svg="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><svg:rect/></svg:svg>',
    ],
    ids=["empty-root", "prolog-mentions-svg", "prefixed-root"],
)
def test_the_baked_element_is_the_roots_first_child(kind, svg):
    bake, payload, name = _BAKERS[kind]
    baked = bake(svg, payload)
    root = ElementTree.fromstring(baked)  # well-formed
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root[0].tag.endswith("}" + name.split(b":")[1].decode())
    assert bake(baked, payload) == baked  # baking again replaces it


@pytest.mark.parametrize("kind", _BAKERS)
def test_earlier_baked_elements_are_removed_whatever_their_form(kind):
    bake, payload, name = _BAKERS[kind]
    svg = (
        _ROOT + b"><" + name + b' verify="https://old.example/1"/>'
        b"<" + name + b">old</" + name + b"><rect/>"
        b"<" + name + b"\n/></svg>"
    )
    baked = bake(svg, payload)
    assert baked.count(b"<" + name) == 1
    assert b"old" not in baked and b"<rect/>" in baked


def test_an_svg_whose_root_is_not_svg_cannot_be_baked():
    with pytest.raises(NotABadge, match="not an SVG file"):
        bake_svg(b"<html><svg/></html>", URL)
