"""Markdown to HTML: site authors' text as written, earners' text sanitised."""

from __future__ import annotations

import re

from markupsafe import Markup

_EXTENSIONS = ["extra", "sane_lists", "smarty"]

# Earner-supplied text (narratives, evidence) reaches public pages: allow only inert formatting.
_EARNER_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h3", "h4", "h5", "h6", "hr", "i", "li",
    "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
_EARNER_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}

# Text that Markdown (with extra, sane_lists, smarty) turns into one plain paragraph: lines of
# letters, digits, spaces and , . ; : ? ! ( ) /, each starting with a letter or digit, with no
# list number ("1."), no ellipsis and no trailing space. Most earner notes are like this, and
# the result is known without running Markdown (tests/unit/test_markup.py checks it is the same).
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9,.;:?!()/ ]*(?:\n[A-Za-z0-9][A-Za-z0-9,.;:?!()/ ]*)*")
_NOT_PLAIN = re.compile(r"(?m)^\d+\.|\.\s*\.| $| {2}")


class MarkdownRenderer:
    """Reuses one Markdown converter (building one costs far more than converting a paragraph).

    It is built, and Markdown and nh3 imported (some 40 ms), on first use: a build that renders
    one earner page whose notes are plain text (see `_PLAIN`) never needs them.
    """

    def __init__(self) -> None:
        self._converter = None

    @property
    def _md(self):
        if self._converter is None:
            import markdown

            self._converter = markdown.Markdown(extensions=_EXTENSIONS, output_format="html")
        return self._converter

    def author(self, text: str | None) -> Markup:
        """Markdown written by the site's authors (trusted: they commit to the repository)."""
        if not text:
            return Markup("")
        html = self._md.reset().convert(text)
        return Markup(html)

    def earner(self, text: str | None) -> Markup:
        """Markdown from earners or facilitators' notes about them: sanitised, links made inert."""
        if not text:
            return Markup("")
        if _PLAIN.fullmatch(text) and not _NOT_PLAIN.search(text):
            return Markup(f"<p>{text}</p>")
        html = self._md.reset().convert(text)
        import nh3

        clean = nh3.clean(
            html,
            tags=_EARNER_TAGS,
            attributes=_EARNER_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="nofollow noopener noreferrer ugc",
        )
        return Markup(clean)
