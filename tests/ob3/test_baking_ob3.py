"""Open Badges 3.0 baking: the signed credential itself inside the PNG or SVG."""

from __future__ import annotations

import io
import json

from PIL import Image

from badgepress.openbadges.baking import (
    bake_png,
    bake_svg_credential,
    unbake_png,
    unbake_svg_credential,
)

CREDENTIAL = {"id": "https://x.org/a.credential.json", "narrative": "tricky ]]> <b>&amp; é"}
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4"/></svg>'


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 128, 128)).save(out, "PNG")
    return out.getvalue()


def test_svg_carries_the_credential_in_cdata_even_with_a_cdata_terminator_inside():
    text = json.dumps(CREDENTIAL, ensure_ascii=False)
    baked = bake_svg_credential(SVG, text)
    assert b'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in baked
    assert baked.count(b"]]>") == 1  # only the CDATA's own end
    assert json.loads(unbake_svg_credential(baked)) == CREDENTIAL
    # Baking again replaces the element rather than adding a second one.
    assert bake_svg_credential(baked, text) == baked


def test_png_3_0_chunk_lives_next_to_the_2_0_one():
    text = json.dumps(CREDENTIAL, ensure_ascii=False)
    both = bake_png(bake_png(_png(), "https://x.org/a.json"), text, keyword=b"openbadgecredential")
    assert unbake_png(both) == "https://x.org/a.json"
    assert json.loads(unbake_png(both, keyword=b"openbadgecredential")) == CREDENTIAL
    with Image.open(io.BytesIO(both)) as image:
        image.load()
        assert image.size == (4, 4)
