import io

import pytest
from PIL import Image as PILImage

from badgepress.images import BadImage, CheckedImages, check_image


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
