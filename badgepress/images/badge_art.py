"""Drawn badges: a 600×600 PNG per credential without an image, in its stack's shape and palette.

Pure: a `BadgeSpec` in, PNG bytes out. Everything is drawn at twice the size and scaled down
(anti-aliasing), then quantised to a small palette so every baked copy stays under 40 KB.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image as PILImage
from PIL import ImageDraw

from .badge_shapes import SHAPES, SIZE, STYLES, BadgeSpec  # noqa: F401 (re-exported)
from .palettes import Palette, contrast, ink_on, shift
from .typeset import clean, ellipsize, font, wrap

SCALE = 2  # supersampling factor
COLOURS = 64  # palette size after quantisation: smooth edges, small files


@dataclass(frozen=True)
class TextBox:
    """Where one line of text was set, in badge pixels (for tests: inside the shape?)."""

    text: str
    box: tuple[float, float, float, float]
    size: float
    y: float  # the line's vertical centre, where it is drawn (anchor "mm")


@dataclass(frozen=True)
class Layout:
    """The placed text of a badge: the name's lines (with their font size), the label, the footer."""

    name_lines: tuple[TextBox, ...]
    label: TextBox
    footer: TextBox | None


# --- shapes (at the supersampled size) -----------------------------------------------------


def _regular(cx: float, cy: float, radius: float, sides: int, rotation: float) -> list:
    return [
        (
            cx + radius * math.cos(rotation + 2 * math.pi * i / sides),
            cy + radius * math.sin(rotation + 2 * math.pi * i / sides),
        )
        for i in range(sides)
    ]


def _shield(scale: float, c: float) -> list:
    """A heater shield: a top edge bowed upwards, straight sides, curving to a point."""
    half, top, shoulder, bottom = 500 * scale, c - 560 * scale, c + 60 * scale, c + 580 * scale
    right = []
    for i in range(13):  # the top edge, centre to corner
        x = c + half * i / 12
        right.append((x, top + 56 * scale * (i / 12) ** 2))
    right.append((c + half, shoulder))
    for i in range(1, 25):  # a quadratic curve down to the point
        t = i / 24
        x = (1 - t) ** 2 * (c + half) + 2 * (1 - t) * t * (c + half) + t**2 * c
        y = (1 - t) ** 2 * shoulder + 2 * (1 - t) * t * (shoulder + 330 * scale) + t**2 * bottom
        right.append((x, y))
    left = [(2 * c - x, y) for x, y in reversed(right[1:-1])]
    return right + left


def _rosette(c: float, radius: float, bumps: int, depth: float) -> list:
    steps = bumps * 12
    return [
        (
            c
            + (radius + depth * math.cos(bumps * 2 * math.pi * i / steps))
            * math.cos(2 * math.pi * i / steps),
            c
            + (radius + depth * math.cos(bumps * 2 * math.pi * i / steps))
            * math.sin(2 * math.pi * i / steps),
        )
        for i in range(steps)
    ]


def _outline(shape: str, inset: float) -> Callable[[ImageDraw.ImageDraw, str], None]:
    """A function drawing `shape` shrunk by `inset` (supersampled pixels) in a colour."""
    c = SIZE * SCALE / 2
    if shape == "circle":
        r = 590 - inset
        return lambda d, fill: d.ellipse((c - r, c - r, c + r, c + r), fill=fill)
    if shape == "hexagon":
        points = _regular(c, c, 600 - inset * 1.1547, 6, -math.pi / 2)
        return lambda d, fill: d.polygon(points, fill=fill)
    if shape == "shield":
        points = _shield(1 - inset / 560, c)
        return lambda d, fill: d.polygon(points, fill=fill)
    points = _rosette(c, 560 - inset, 24, 22)
    return lambda d, fill: d.polygon(points, fill=fill)


# Vertical positions (supersampled) of the emblem, the name block, the ribbon and the footer.
_GEOMETRY = {
    "circle": {"emblem": 250, "name": (365, 775), "ribbon": 850, "footer": 985},
    "hexagon": {"emblem": 240, "name": (350, 750), "ribbon": 825, "footer": 945},
    "rosette": {"emblem": 255, "name": (370, 770), "ribbon": 845, "footer": 975},
    "shield": {"emblem": 210, "name": (320, 705), "ribbon": 780, "footer": 905},
}
_PAD = 56  # space kept between text and the shape's inner edge (supersampled)


def _spans(mask: PILImage.Image) -> list[tuple[int, int] | None]:
    """The inner shape's horizontal extent on every row."""
    width, height = mask.size
    rows = []
    data = mask.tobytes()
    for y in range(height):
        row = data[y * width : (y + 1) * width]
        left = next((x for x, v in enumerate(row) if v > 128), None)
        if left is None:
            rows.append(None)
            continue
        right = width - next(x for x, v in enumerate(reversed(row)) if v > 128)
        rows.append((left, right))
    return rows


@functools.lru_cache(maxsize=8)
def _inner(shape: str) -> tuple[PILImage.Image, tuple]:
    mask = PILImage.new("L", (SIZE * SCALE, SIZE * SCALE), 0)
    _outline(shape, 62)(ImageDraw.Draw(mask), 255)
    return mask, tuple(_spans(mask))


def text_area(shape: str) -> PILImage.Image:
    """The inside of the shape's rim at badge size (an 'L' mask): where text may be set."""
    return _inner(shape)[0].resize((SIZE, SIZE), PILImage.Resampling.NEAREST)


def ribbon_box(shape: str) -> tuple[float, float, float, float]:
    """The ribbon's face at badge size, where the label is set."""
    y = _GEOMETRY[shape]["ribbon"]
    return _half((104, y - 52, SIZE * SCALE - 104, y + 52))


def _available(spans: tuple, top: float, bottom: float) -> float:
    """Width free for text between rows top and bottom: the narrowest row, less padding."""
    rows = spans[max(0, int(top)) : min(len(spans), math.ceil(bottom) + 1)]
    if not rows or any(r is None for r in rows):
        return 0
    return min(r[1] - r[0] for r in rows) - 2 * _PAD


def _line_height(size: int) -> float:
    return size * 1.16


def _fit_name(name: str, spans: tuple, top: float, bottom: float) -> tuple[int, list[str]]:
    """The largest size and the most balanced line breaks that fit the name in the shape."""
    words = name.split() or ["?"]
    centre = (top + bottom) / 2
    # Smaller type before broken words: a word is split mid-word only if nothing else fits.
    for split_words, size in [(s, z) for s in (False, True) for z in range(120, 43, -4)]:
        measure = font(size).getlength
        for count in range(1, 6):
            height = _line_height(size) * count
            if height > bottom - top:
                break
            first = centre - height / 2
            widths = [
                _available(
                    spans, first + i * _line_height(size), first + (i + 1) * _line_height(size)
                )
                for i in range(count)
            ]
            lines = wrap(words, widths, measure, split_words)
            if lines is None or len(lines) != count:
                continue
            return size, _balance(words, widths, measure, lines)
    # Too long even at the smallest size: as many lines as fit, the last one shortened.
    size = 44
    measure = font(size).getlength
    count = int((bottom - top) // _line_height(size))
    first = centre - _line_height(size) * count / 2
    widths = [
        _available(spans, first + i * _line_height(size), first + (i + 1) * _line_height(size))
        for i in range(count)
    ]
    every = wrap(words, widths + [min(widths)] * (2 * len(name) + 2), measure) or ["…"]
    lines = every[:count]
    if len(every) > count:
        last = lines[-1].rstrip("-")
        while last and measure(last + "…") > widths[len(lines) - 1]:
            last = last[:-1]
        lines[-1] = last.rstrip(" -,;:") + "…"
    return size, lines


def _balance(words, widths, measure, lines) -> list[str]:
    """Narrow every line by one factor while the words still fit in as many lines, unsplit."""
    low, high, best = 0.5, 1.0, lines
    splits = sum(line.endswith("-") for line in lines)
    for _ in range(8):
        middle = (low + high) / 2
        trial = wrap(words, [w * middle for w in widths], measure)
        if (
            trial is not None
            and len(trial) == len(lines)
            and sum(line.endswith("-") for line in trial) <= splits
        ):
            best, high = trial, middle
        else:
            low = middle
    return best


def layout(spec: BadgeSpec) -> Layout:
    """Where the name, the ribbon label and the footer go, sized to fit the shape."""
    geometry = _GEOMETRY[spec.shape]
    _, spans = _inner(spec.shape)
    top, bottom = geometry["name"]
    size, lines = _fit_name(clean(spec.name), spans, top, bottom)
    c = SIZE * SCALE / 2
    height = _line_height(size) * len(lines)
    first = (top + bottom) / 2 - height / 2
    boxes = []
    for index, line in enumerate(lines):
        y = first + _line_height(size) * (index + 0.5)
        left, upper, right, lower = font(size).getbbox(line, anchor="mm")
        boxes.append(
            TextBox(
                line, _half((c + left, y + upper, c + right, y + lower)), size / SCALE, y / SCALE
            )
        )
    label = _label_box(clean(spec.label).upper(), geometry["ribbon"])
    footer = None
    if spec.footer:
        y = geometry["footer"]
        size = 34
        limit = _available(spans, y - 22, y + 22)
        text = clean(spec.footer)
        while size > 26 and font(size, bold=False).getlength(text) > limit:
            size -= 2
        text = ellipsize(text, limit, font(size, bold=False).getlength)
        left, upper, right, lower = font(size, bold=False).getbbox(text, anchor="mm")
        footer = TextBox(
            text, _half((c + left, y + upper, c + right, y + lower)), size / SCALE, y / SCALE
        )
    return Layout(tuple(boxes), label, footer)


def _half(box):
    return tuple(v / SCALE for v in box)


_RIBBON_TEXT = 820  # widest label on the ribbon (supersampled)
_TRACKING = 0.08  # letter spacing of the ribbon label, in ems


def _tracked_width(text: str, size: int) -> float:
    f = font(size)
    return sum(f.getlength(ch) for ch in text) + _TRACKING * size * max(0, len(text) - 1)


def _label_box(text: str, y: float) -> TextBox:
    size = 44
    while size > 28 and _tracked_width(text, size) > _RIBBON_TEXT:
        size -= 2
    text = ellipsize(text, _RIBBON_TEXT, lambda t: _tracked_width(t, size))
    width = _tracked_width(text, size)
    c = SIZE * SCALE / 2
    _, upper, _, lower = font(size).getbbox("HÉg", anchor="mm")
    return TextBox(
        text, _half((c - width / 2, y + upper, c + width / 2, y + lower)), size / SCALE, y / SCALE
    )


# --- drawing -------------------------------------------------------------------------------


def draw_badge(spec: BadgeSpec) -> bytes:
    """The badge as optimised, palette-quantised PNG bytes; the same spec gives the same bytes."""
    return encode_png(render_badge(spec), COLOURS)


def render_badge(spec: BadgeSpec) -> PILImage.Image:
    """The badge as a 600×600 RGBA image."""
    big = SIZE * SCALE
    c = big / 2
    p = spec.palette
    img = PILImage.new("RGBA", (big, big), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    _outline(spec.shape, 0)(d, p.dark)
    _outline(spec.shape, 26)(d, p.base)
    _outline(spec.shape, 44)(d, p.light)
    _outline(spec.shape, 52)(d, p.base)
    # A faint inner disc behind the name gives depth without busy patterns.
    glow = shift(p.base, lightness=1.08)
    _outline(spec.shape, 120)(d, glow)
    _outline(spec.shape, 132)(d, p.base)

    geometry = _GEOMETRY[spec.shape]
    lay = layout(spec)
    ink = ink_on(p.base)
    for line in lay.name_lines:
        d.text(
            (c, line.y * SCALE),
            line.text,
            font=font(round(line.size * SCALE)),
            fill=ink,
            anchor="mm",
        )

    _emblem(img, d, spec, geometry["emblem"])
    _ribbon(d, p, geometry["ribbon"])
    label = lay.label
    _draw_tracked(d, c, geometry["ribbon"], label.text, round(label.size * SCALE), ink_on(p.accent))
    if lay.footer:
        d.text(
            (c, geometry["footer"]),
            lay.footer.text,
            font=font(round(lay.footer.size * SCALE), bold=False),
            fill=p.light if contrast(p.light, p.base) >= 4.5 else ink,
            anchor="mm",
        )
    return _downscale(img)


def _emblem(img: PILImage.Image, d: ImageDraw.ImageDraw, spec: BadgeSpec, y: float) -> None:
    p, c, r = spec.palette, SIZE * SCALE / 2, 78
    logo = _logo(spec.logo, int(r * 1.5)) if spec.logo else None
    d.ellipse((c - r - 10, y - r - 10, c + r + 10, y + r + 10), fill=p.dark)
    d.ellipse((c - r, y - r, c + r, y + r), fill="#ffffff" if logo else p.accent)
    if logo is not None:
        img.alpha_composite(logo, (int(c - logo.width / 2), int(y - logo.height / 2)))
    elif spec.emblem:
        d.text((c, y + 4), spec.emblem, font=font(96), fill=ink_on(p.accent), anchor="mm")
    else:
        d.polygon(_star(c, y, 52, 22), fill=ink_on(p.accent))
    # Two small stars flank the emblem: the classic seal look.
    for side in (-1, 1):
        d.polygon(_star(c + side * 150, y + 30, 20, 8), fill=p.accent)


def _star(cx: float, cy: float, outer: float, inner: float) -> list:
    return [
        (
            cx + (outer if i % 2 == 0 else inner) * math.cos(-math.pi / 2 + math.pi * i / 5),
            cy + (outer if i % 2 == 0 else inner) * math.sin(-math.pi / 2 + math.pi * i / 5),
        )
        for i in range(10)
    ]


def _logo(data: bytes, side: int) -> PILImage.Image | None:
    try:
        with PILImage.open(io.BytesIO(data)) as logo:
            logo = logo.convert("RGBA")
            logo.thumbnail((side, side), PILImage.Resampling.LANCZOS)
            return logo
    except Exception:  # a logo Pillow cannot read is left out rather than failing the build
        return None


def _ribbon(d: ImageDraw.ImageDraw, p: Palette, y: float) -> None:
    """A banner across the badge with folded, notched tails."""
    big = SIZE * SCALE
    half = 52
    tail = shift(p.accent, lightness=0.78)
    fold = shift(p.accent, lightness=0.55)
    for side in (-1, 1):
        outer = big / 2 + side * (big / 2 - 8)
        inner = big / 2 + side * (big / 2 - 120)
        d.polygon(
            [
                (inner, y - half + 26),
                (outer, y - half + 26),
                (outer - side * 46, y + 26),
                (outer, y + half + 26),
                (inner, y + half + 26),
            ],
            fill=tail,
        )
        d.polygon(
            [(inner, y + half), (inner + side * -44, y + half), (inner, y + half + 26)],
            fill=fold,
        )
    d.rectangle((104, y - half, big - 104, y + half), fill=p.accent)  # = ribbon_box()


def _draw_tracked(d, cx: float, y: float, text: str, size: int, fill: str) -> None:
    f = font(size)
    x = cx - _tracked_width(text, size) / 2
    for ch in text:
        d.text((x, y), ch, font=f, fill=fill, anchor="lm")
        x += f.getlength(ch) + _TRACKING * size


def _downscale(img: PILImage.Image) -> PILImage.Image:
    # Premultiplied alpha, so transparent edges do not darken when averaged.
    small = img.convert("RGBa").resize(
        (img.width // SCALE, img.height // SCALE), PILImage.Resampling.LANCZOS
    )
    return small.convert("RGBA")


def encode_png(img: PILImage.Image, colours: int, effort: int = 9) -> bytes:
    """Quantise to `colours` (keeping alpha) and save a PNG with no metadata at zlib `effort`."""
    quantised = img.quantize(
        colours, method=PILImage.Quantize.FASTOCTREE, dither=PILImage.Dither.NONE
    )
    if img.mode == "RGBA":
        # The octree averages alpha with the anti-aliased edge: snap nearly opaque entries back
        # to opaque, so the badge's body is solid on any background.
        entries = quantised.getpalette("RGBA") or []
        for alpha in range(3, len(entries), 4):
            if entries[alpha] >= 240:
                entries[alpha] = 255
        quantised.putpalette(entries, "RGBA")
    buffer = io.BytesIO()
    quantised.save(buffer, "PNG", compress_level=effort)
    return buffer.getvalue()
