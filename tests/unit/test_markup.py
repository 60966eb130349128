"""Earner Markdown: the plain-paragraph shortcut gives exactly what Markdown and nh3 give."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from badgepress.content.markup import MarkdownRenderer, markdown_html, sanitise

RENDERER = MarkdownRenderer()


def _reference(text: str) -> str:
    return sanitise(markdown_html(text).rstrip("\n"))


# Mostly the characters the shortcut accepts, plus some it must refuse.
TEXT = st.text(alphabet="aZ09 ,.;:?!()/\n-*_'\"#>1.", min_size=1, max_size=40)
# Only the characters the shortcut accepts: most examples take it, some edge cases must not.
PLAIN = st.text(alphabet="aZ09 ,.;:?!()/\n", min_size=1, max_size=40)


@settings(max_examples=600, deadline=None)
@given(TEXT)
def test_every_earner_text_renders_as_markdown_would(text):
    assert str(RENDERER.earner(text)) == _reference(text)


@settings(max_examples=600, deadline=None)
@given(PLAIN)
def test_plain_looking_text_renders_as_markdown_would(text):
    assert str(RENDERER.earner(text)) == _reference(text)


def test_typical_notes_and_the_ones_markdown_must_handle():
    for text in [
        "A lesson plan for group 7 and a short video of it in use.",
        "Observed in class on 3 May: strong circles\nand follow up.",
        "1. first\n2. second",
        "Wait... what",
        "Line with two trailing spaces  \nnext",
        "A *bold* claim",
        "Term\n: definition",
        "1) first\n2) second",
        "Heading\n===",
    ]:
        assert str(RENDERER.earner(text)) == _reference(text), text
