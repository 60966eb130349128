"""The site's icon, one drawing in three files: `favicon.svg` (what browsers show in a tab),
`favicon.ico` (what older browsers, feed readers and crawlers ask for at the host's root) and a
180×180 `apple-touch-icon.png` (what iOS and Android put on a home screen).

The mark is a check in a teal disc, drawn here from one set of numbers (on a 32-unit grid) as
SVG text and as pixels, so the three files cannot drift apart. Pillow draws without
anti-aliasing, so the pixels are drawn on a large canvas and averaged down. A home-screen icon
has no transparency (iOS fills it with black): it sits on white, inset, as iOS rounds its
corners. Nothing here reads the site or the clock, so every build writes the same bytes.
"""

from __future__ import annotations

import io

GRID = 32  # the SVG's viewBox, in which the numbers below are given
DISC = (16, 16, 15)  # centre x, centre y, radius
DISC_FILL = "#0b6e66"  # the theme's accent (style.css --accent)
CHECK = ((9.5, 16.5), (14, 21), (22.5, 11.5))  # the stroke's points, left to right
CHECK_WIDTH = 3.2
CHECK_STROKE = "#fff"

ICO_SIDE = 32  # one frame: browsers that read SVG use favicon.svg (base.html's `icon` block)
TOUCH_SIDE = 180  # Apple's size for the iPhone's home screen, scaled by every other device
TOUCH_INSET = 18  # px of white around the disc on the home-screen icon
_CANVAS = 1024  # px at least: drawn this large, a 32 px icon's edges are averaged from 32×32


def favicon_svg() -> bytes:
    """The icon as SVG: the text of `assets/favicon.svg`."""
    cx, cy, r = DISC
    (x0, y0), (x1, y1), (x2, y2) = CHECK
    path = f"M{_numbers(x0, y0)}l{_numbers(x1 - x0, y1 - y0, x2 - x1, y2 - y1)}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {GRID} {GRID}">'
        f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{DISC_FILL}"/>'
        f'<path d="{path}" fill="none" stroke="{CHECK_STROKE}" stroke-width="{CHECK_WIDTH}"'
        ' stroke-linecap="round" stroke-linejoin="round"/></svg>\n'
    ).encode()


def favicon_ico() -> bytes:
    """The icon as a 32×32 ICO (a PNG inside, as every browser since IE 11 reads)."""
    out = io.BytesIO()
    draw_icon(ICO_SIDE).save(out, "ICO", sizes=[(ICO_SIDE, ICO_SIDE)])
    return out.getvalue()


def apple_touch_icon() -> bytes:
    """The icon as a 180×180 opaque PNG for home screens."""
    from PIL import Image

    icon = draw_icon(TOUCH_SIDE - 2 * TOUCH_INSET)
    square = Image.new("RGBA", (TOUCH_SIDE, TOUCH_SIDE), "#ffffff")
    square.alpha_composite(icon, (TOUCH_INSET, TOUCH_INSET))
    out = io.BytesIO()
    square.convert("RGB").save(out, "PNG", optimize=True)
    return out.getvalue()


def draw_icon(side: int):
    """The mark as a `side`×`side` RGBA Pillow image on a transparent ground."""
    from PIL import Image, ImageDraw  # Pillow: only when a build writes the icons

    big = side * max(1, -(-_CANVAS // side))  # a whole multiple of `side`
    scale = big / GRID
    canvas = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(canvas)
    cx, cy, r = DISC
    draw.ellipse(((cx - r) * scale, (cy - r) * scale, (cx + r) * scale, (cy + r) * scale),
                 fill=DISC_FILL)  # fmt: skip
    points = [(x * scale, y * scale) for x, y in CHECK]
    width = CHECK_WIDTH * scale
    draw.line(points, fill=CHECK_STROKE, width=round(width), joint="curve")
    for x, y in (points[0], points[-1]):  # round caps (stroke-linecap="round")
        draw.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2),
                     fill=CHECK_STROKE)  # fmt: skip
    # A box filter averages each pixel's area, as cairo and browsers render the SVG (LANCZOS
    # would sharpen the edges into a faint ring the SVG does not have).
    return canvas.resize((side, side), Image.Resampling.BOX)


def _numbers(*values: float) -> str:
    """Path numbers as SVG writes them: '4.5 4.5 8.5-9.5' (a minus sign separates on its own)."""
    text = ""
    for value in values:
        number = f"{value:g}"
        text += number if not text or number.startswith("-") else " " + number
    return text
