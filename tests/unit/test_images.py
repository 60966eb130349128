import io

import pytest
from PIL import Image as PILImage

from badgepress.images import BadImage, check_image


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
