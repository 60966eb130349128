"""badgepress.render.qr draws exactly what segno drew: segno, a maintained ISO/IEC 18004 encoder, is the
oracle, so the earner pages' QR codes (and the golden tree) do not change with the encoder."""

from __future__ import annotations

import html
import random
import re

import pytest
import segno
from hypothesis import example, given, settings
from hypothesis import strategies as st

from badgepress.render import qr
from badgepress.render.sharing import QR_MASK, qr_svg

URL_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-._~/?#[]@!$&'()*+,;=%"
ID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # the one `badgepress issue` draws ids from


def segno_svg(
    data: str, label: str, *, error="m", mask=QR_MASK, scale=4, border=2, svgclass="qr-code"
):
    """What sharing.qr_svg wrote with segno (before role="img"), the oracle."""
    code = segno.make(data, error=error, micro=False, mask=mask)
    return code.svg_inline(
        scale=scale, border=border, svgclass=svgclass, lineclass=None, title=label, light="#fff"
    )


def old_qr_svg(url: str, label: str) -> str:
    """sharing.qr_svg as it was, segno and all."""
    return segno_svg(url, label).replace("<svg ", '<svg role="img" ', 1)


def test_every_example_earner_page_carries_the_code_segno_draws(example_site):
    pages = sorted((example_site / "assertions").glob("*/index.html"))
    compared = 0
    for page in pages:
        match = re.search(r'<svg role="img"[^>]*class="qr-code".*?</svg>', page.read_text(), re.S)
        if match is None:  # revoked badges have no share section
            continue
        url = f"https://badges.example.org/assertions/{page.parent.name}/"
        label = html.unescape(re.search(r"<title>(.*?)</title>", match.group(0)).group(1))
        assert match.group(0) == old_qr_svg(url, label), page
        compared += 1
    assert compared >= 3


def test_thousands_of_urls_of_every_length_up_to_300_match_segno():
    # Lengths 1..300 give versions 1-11 at level M (and the error level raised on many), with
    # version information blocks from version 7 on.
    rng = random.Random(18004)
    versions = set()
    for n in range(3000):
        length = 1 + n % 300
        url = "".join(rng.choice(URL_CHARS) for _ in range(length))
        assert qr_svg(url, "QR code") == old_qr_svg(url, "QR code"), url
        if n < 300:
            versions.add(segno.make(url, error="m", micro=False, mask=QR_MASK).version)
    assert versions >= set(range(1, 12))


def test_assertion_urls_with_fresh_ids_match_segno():
    rng = random.Random(7)
    for _ in range(500):
        identifier = "".join(rng.choice(ID_ALPHABET) for _ in range(12))
        url = f"https://badges.example.org/assertions/{identifier}/"
        assert qr_svg(url, "QR code") == old_qr_svg(url, "QR code")


@pytest.mark.parametrize(
    "data",
    [
        "",
        "0",
        "12",
        "123",
        "01234567890123456789",  # numeric mode, groups of 3 and a final 2
        "3141592653589793238462643383279502884197" * 7,  # numeric, version 7+
        "HELLO WORLD",  # alphanumeric mode, odd length
        "HTTPS://BADGES.EXAMPLE.ORG/ASSERTIONS/3F9A0C1D2E4B/",  # alphanumeric, even length
        "A $%*+-./:" * 30,  # every alphanumeric symbol, version 7+
        "café crème",  # ISO-8859-1 bytes
        "https://badges.example.org/assertions/3f9a0c1d2e4b/?name=Zoë",
        "€",  # neither Latin-1 nor Shift JIS: UTF-8
        "https://example.org/✓/日本語/€",  # UTF-8
        "https://example.org/Привет",  # Shift JIS bytes (segno's second choice), byte mode
        "Привет",  # all double-byte Shift JIS: kanji mode
        "漢字テスト",  # kanji mode
        "\x81@",  # Latin-1 bytes that happen to be a Shift JIS character: kanji mode too
        "ﾃｽﾄ",  # half-width katakana: single-byte Shift JIS, byte mode
        "🙂" * 40,
    ],
)
def test_every_mode_and_text_encoding_matches_segno(data):
    assert qr_svg(data, "QR code") == old_qr_svg(data, "QR code")


@pytest.mark.parametrize(
    "label", ["", "QR code <of> this badge", 'Tom & Jerry\'s "badge" > all', "<&\">'", "Код QR"]
)
def test_labels_are_escaped_as_segno_escapes_them(label):
    url = "https://badges.example.org/assertions/k7f3q9x2mb4d/"
    assert qr_svg(url, label) == old_qr_svg(url, label)


@pytest.mark.parametrize("level", qr.LEVELS)
def test_every_version_at_every_level_matches_segno(level):
    # The longest lowercase text each version holds at `level`: every block structure, every
    # alignment pattern layout and every version information block is drawn once.
    rng = random.Random(level)
    for version in range(1, 41):
        count_bits = 8 if version < 10 else 16
        length = (qr._capacity(version, level) - 4 - count_bits) // 8
        data = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(length))
        code = segno.make(data, error=level, micro=False, mask=QR_MASK)
        assert (code.version, code.error) == (version, level)
        assert qr.svg_inline(data, "x", error=level) == segno_svg(data, "x", error=level), version


def test_data_that_fills_a_version_exactly_matches_segno():
    # No room for a terminator: segno's stream then ends with an extra 0 codeword, cut off.
    checked = 0
    for version in range(1, 41):
        count_bits = 10 if version < 10 else 12 if version < 27 else 14
        for level in qr.LEVELS:
            free = qr._capacity(version, level) - 4 - count_bits
            digits, rest = divmod(free, 10)
            length = digits * 3 + {0: 0, 4: 1, 7: 2}.get(rest, -1)
            if length <= 0 or version > 12:
                continue
            data = "9" * length
            code = segno.make(data, error=level, micro=False, mask=QR_MASK)
            assert (code.version, code.error) == (version, level)
            assert qr.svg_inline(data, "x", error=level) == segno_svg(data, "x", error=level)
            checked += 1
    assert checked >= 3


@pytest.mark.parametrize("mask", range(8))
@pytest.mark.parametrize("level", qr.LEVELS)
def test_every_mask_and_level_matches_segno(mask, level):
    for data in ("https://badges.example.org/assertions/3f9a0c1d2e4b/", "x" * 200, "HELLO 42"):
        assert qr.svg_inline(data, "QR", error=level, mask=mask) == segno_svg(
            data, "QR", error=level, mask=mask
        )


@pytest.mark.parametrize(
    ("scale", "border", "css_class"),
    [(1, 0, "qr"), (1, 4, "a b"), (3, 1, 'say "hi"'), (10, 2, "q")],
)
def test_other_sizes_borders_and_classes_match_segno(scale, border, css_class):
    data = "https://badges.example.org/assertions/3f9a0c1d2e4b/"
    ours = qr.svg_inline(data, "QR", scale=scale, border=border, css_class=css_class)
    assert ours == segno_svg(data, "QR", scale=scale, border=border, svgclass=css_class)


@settings(max_examples=300, deadline=None)
@given(url=st.text(alphabet=URL_CHARS, max_size=300), label=st.text(max_size=40))
@example(url="https://badges.example.org/assertions/3f9a0c1d2e4b/", label="<&\">'")
def test_any_url_and_label_match_segno(url, label):
    assert qr_svg(url, label) == old_qr_svg(url, label)


@settings(max_examples=300, deadline=None)
@given(data=st.text(max_size=120))
@example(data="日本")
def test_any_text_matches_segno(data):
    # Any Unicode: digits, upper case, Latin-1, Shift JIS (kanji or byte mode), UTF-8.
    assert qr_svg(data, "QR code") == old_qr_svg(data, "QR code")


def test_data_too_long_for_version_40_is_a_value_error_naming_the_limit():
    # Version 40 at level M holds 2331 bytes; segno refuses the 2332nd with a ValueError too.
    assert qr_svg("a" * 2331, "QR") == old_qr_svg("a" * 2331, "QR")
    with pytest.raises(ValueError, match="Data too large"):
        segno.make("a" * 2332, error="m", micro=False, mask=QR_MASK)
    with pytest.raises(ValueError, match=r"data too long for a QR code: .* version 40 at level M"):
        qr_svg("a" * 2332, "QR")


def test_bad_parameters_are_value_errors():
    for kwargs in ({"error": "X"}, {"mask": 8}, {"scale": 0}, {"border": -1}, {"scale": 1.5}):
        with pytest.raises(ValueError):
            qr.svg_inline("x", "QR", **kwargs)
