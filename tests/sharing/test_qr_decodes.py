"""The earner pages' QR codes scan: a real decoder (Debian's zbarimg) reads back each page's URL."""

from __future__ import annotations

import random
import re
import shutil
import subprocess

import cairosvg
import pytest

from badgepress.render.sharing import qr_svg

ZBARIMG = shutil.which("zbarimg")
ID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # the one `badgepress issue` draws ids from


@pytest.fixture(scope="module")
def decode(tmp_path_factory):
    # A missing decoder is a failure, not a skip: bash scripts/setup-zbar.sh installs it.
    assert ZBARIMG, "zbarimg is missing: run bash scripts/setup-zbar.sh"
    folder = tmp_path_factory.mktemp("qr")

    def read(svg: str) -> list[str]:
        png = folder / "code.png"
        png.write_bytes(cairosvg.svg2png(bytestring=svg.encode(), output_width=264))
        result = subprocess.run(
            [ZBARIMG, "--quiet", "--raw", str(png)], capture_output=True, text=True, timeout=30
        )
        return result.stdout.splitlines()

    return read


def test_every_example_earner_page_qr_code_reads_back_its_own_url(example_site, decode):
    pages = sorted((example_site / "assertions").glob("*/index.html"))
    assert pages
    for page in pages:
        html = page.read_text()
        match = re.search(r'<svg role="img"[^>]*class="qr-code".*?</svg>', html, re.S)
        if match is None:  # revoked badges have no share section
            assert "Share this badge" not in html
            continue
        url = f"https://badges.example.org/assertions/{page.parent.name}/"
        assert decode(match.group(0)) == [url], page


def test_codes_with_the_fixed_mask_scan_for_many_ids(decode):
    rng = random.Random(18004)
    for _ in range(40):
        identifier = "".join(rng.choice(ID_ALPHABET) for _ in range(12))
        url = f"https://badges.example.org/badges/assertions/{identifier}/"
        assert decode(str(qr_svg(url, "QR code"))) == [url]


def test_a_damaged_code_does_not_read(decode):
    # The decoder really decodes: a code with its finder patterns painted over reads as nothing.
    svg = str(qr_svg("https://badges.example.org/assertions/x/", "QR code"))
    damaged = svg.replace("</svg>", '<rect x="0" y="0" width="80" height="80" fill="#fff"/></svg>')
    assert decode(damaged) == []
