import io
import time

import pytest
from PIL import Image as PILImage

from badgepress.images.supplied import BadImage, CheckedImages, check_image


def _png(size, mode="RGBA"):
    buffer = io.BytesIO()
    PILImage.new(mode, size, "teal").save(buffer, "PNG")
    return buffer.getvalue()


def test_square_png_is_accepted_with_its_size():
    image = check_image(_png((300, 300)), "png")
    assert (image.format, image.width, image.height, image.media_type) == (
        "png",
        300,
        300,
        "image/png",
    )


@pytest.mark.parametrize(
    ("data", "fmt", "message"),
    [
        (b"\xff\xd8\xff\xe0JFIF", "png", "expected a PNG image, found a JPEG image"),
        (b"GIF89a....", "svg", "expected an SVG image, found a GIF image"),
        (b"", "png", "expected a PNG image, found an empty file"),
        (_png((300, 200)), "png", "expected a square image, found 300×200"),
        (_png((40, 40)), "png", "expected a side between 90 and 4096 pixels, found 40"),
        (_png((300, 300))[:60], "png", "PNG image is damaged"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 300"/>',
            "svg",
            "expected a square image, found 600×300",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>x</script></svg>',
            "svg",
            "must not contain scripts",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="x()"/>',
            "svg",
            "must not contain scripts",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "b">]><svg/>',
            "svg",
            "must not declare a DOCTYPE",
        ),
        (b"<svg><unclosed></svg>", "svg", "not well-formed XML"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "svg", "needs a viewBox"),
    ],
)
def test_bad_images_say_what_is_wrong(data, fmt, message):
    with pytest.raises(BadImage, match=message):
        check_image(data, fmt)


def test_square_svg_by_width_and_height():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="600px" height="600"/>'
    assert check_image(svg, "svg").width == 600


@pytest.mark.parametrize(
    "sizes",
    [
        'viewBox="0 0 1e999 1e999"',  # infinite: round() raised OverflowError
        'viewBox="0 0 nan nan"',
        'viewBox="0 0 -5 -5"',
        'width="1..2" height="1..2"',  # matched [0-9.]+, then float() raised ValueError
        'width="0" height="0"',
    ],
)
def test_an_svg_whose_sides_are_not_finite_positive_numbers_is_refused_with_a_reason(sizes):
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" {sizes}/>'.encode()
    with pytest.raises(BadImage, match="needs a viewBox"):
        check_image(svg, "svg")


def test_a_viewbox_that_is_not_usable_falls_back_to_width_and_height():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 inf inf" width=" 96 px " height="96"/>'
    assert (check_image(svg, "svg").width, check_image(svg, "svg").height) == (96, 96)


def test_an_svg_width_of_many_spaces_is_read_in_linear_time():
    # `^\s*([0-9.]+)\s*(px)?\s*$` shared a run of spaces between its two `\s*` every way it
    # could: 8,000 spaces took 0.2 s, these 1,000,000 would take hours. A generous tripwire.
    spaces = " " * 1_000_000
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="1{spaces}x" height="1"/>'.encode()
    started = time.process_time()
    with pytest.raises(BadImage, match="needs a viewBox"):
        check_image(svg, "svg")
    assert time.process_time() - started < 5


def test_a_check_remembered_from_an_earlier_build_describes_the_image_as_a_fresh_check_does():
    data = _png((300, 300))
    earlier = CheckedImages()
    fresh = earlier.check(data, "png")
    assert CheckedImages(earlier.used).check(data, "png") == fresh
    # Other bytes are checked on their own, and a bad image is never remembered as good.
    damaged = data[:60]
    with pytest.raises(BadImage, match="damaged"):
        earlier.check(damaged, "png")
    assert len(earlier.used) == 1
    with pytest.raises(BadImage, match="damaged"):
        CheckedImages(earlier.used).check(damaged, "png")


def test_an_svg_is_checked_again_whatever_the_cache_says():
    """A verdict read from the cache (not authenticated) must not let a script in."""
    import hashlib

    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><script>x()</script></svg>'
    )
    forged = {("svg", hashlib.blake2b(svg, digest_size=16).digest()): (100, 100)}
    with pytest.raises(BadImage, match="scripts"):
        CheckedImages(forged).check(svg, "svg")
