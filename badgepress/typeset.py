"""Setting text for badges and cards: the vendored font, wrapping to widths, ellipsis."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from pathlib import Path

from PIL import ImageFont

FONTS = Path(__file__).parent / "fonts"  # Noto Sans, SIL Open Font License (fonts/OFL.txt)


@functools.lru_cache(maxsize=256)
def font(size: int, bold: bool = True) -> ImageFont.FreeTypeFont:
    """The vendored Noto Sans at `size` pixels (covers Latin, Greek and Cyrillic)."""
    name = "NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def clean(text: str) -> str:
    # NFC composes 'n' + combining tilde into 'ñ', which the font draws as one glyph.
    return " ".join(unicodedata.normalize("NFC", text).split())


def wrap(
    words: list[str], widths: list[float], measure: Callable[[str], float]
) -> list[str] | None:
    """Greedy wrap into lines of at most widths[i]; words too long for a line are split; None if it overflows."""
    lines: list[str] = []
    queue = list(words)
    current = ""
    while queue:
        if len(lines) >= len(widths):
            return None
        limit = widths[len(lines)]
        word = queue[0]
        candidate = f"{current} {word}" if current else word
        if measure(candidate) <= limit:
            current = candidate
            queue.pop(0)
        elif current:
            lines.append(current)
            current = ""
        else:  # one word wider than the line: split it, with a hyphen
            cut = len(word) - 1
            while cut > 1 and measure(word[:cut] + "-") > limit:
                cut -= 1
            if cut <= 1:
                return None
            lines.append(word[:cut] + "-")
            queue[0] = word[cut:]
    if current:
        lines.append(current)
    return lines if len(lines) <= len(widths) else None


def ellipsize(text: str, limit: float, measure: Callable[[str], float]) -> str:
    if measure(text) <= limit:
        return text
    while text and measure(text.rstrip(" -") + "…") > limit:
        text = text[:-1]
    return text.rstrip(" -") + "…"
