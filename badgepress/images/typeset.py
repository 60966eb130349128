"""Setting text for badges and cards: the vendored font, wrapping to widths, ellipsis."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from pathlib import Path

from PIL import ImageFont

FONTS = Path(__file__).parent.parent / "fonts"  # Noto Sans, SIL Open Font License (fonts/OFL.txt)


@functools.lru_cache(maxsize=256)
def font(size: int, bold: bool = True) -> ImageFont.FreeTypeFont:
    """The vendored Noto Sans at `size` pixels (covers Latin, Greek and Cyrillic)."""
    name = "NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def clean(text: str) -> str:
    # NFC composes 'n' + combining tilde into 'ñ', which the font draws as one glyph.
    return " ".join(unicodedata.normalize("NFC", text).split())


BREAKS = "-/–"  # a line may end after these inside a word ("Empathy-" / "Centered")


def wrap(
    words: list[str],
    widths: list[float],
    measure: Callable[[str], float],
    split_words: bool = True,
) -> list[str] | None:
    """Greedy wrap into lines of at most widths[i]; None if the words do not fit.

    A word too wide for a line breaks after a hyphen or slash in it, else (with `split_words`)
    anywhere, with a hyphen added.
    """
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
            continue
        following = widths[len(lines) + 1] if len(lines) + 1 < len(widths) else limit
        if current and measure(word) <= following:
            lines.append(current)  # the whole word fits on the next line: keep it whole
            current = ""
            continue
        head = _break_at_hyphen(word, current, limit, measure)
        if head:
            lines.append(f"{current} {head}" if current else head)
            current = ""
            queue[0] = word[len(head) :]
        elif current:
            lines.append(current)
            current = ""
        elif split_words:  # one word wider than the line: split it, with a hyphen
            cut = len(word) - 1
            while cut > 1 and measure(word[:cut] + "-") > limit:
                cut -= 1
            if cut <= 1:
                return None
            lines.append(word[:cut] + "-")
            queue[0] = word[cut:]
        else:
            return None
    if current:
        lines.append(current)
    return lines if len(lines) <= len(widths) else None


def _break_at_hyphen(word: str, current: str, limit: float, measure) -> str:
    """The longest start of `word` ending at a hyphen that still fits after `current`."""
    for end in range(len(word) - 1, 0, -1):
        if word[end - 1] in BREAKS:
            head = word[:end]
            if measure(f"{current} {head}" if current else head) <= limit:
                return head
    return ""


def ellipsize(text: str, limit: float, measure: Callable[[str], float]) -> str:
    if measure(text) <= limit:
        return text
    while text and measure(text.rstrip(" -") + "…") > limit:
        text = text[:-1]
    return text.rstrip(" -") + "…"
