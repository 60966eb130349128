"""Markdown to HTML: site authors' text as written, earners' text sanitised.

The dialect is CommonMark with GitHub's extensions (tables, footnotes, strikethrough, autolinks,
task lists) and smart punctuation, rendered by cmark-gfm, GitHub's own renderer: what a pull
request's preview shows is what the site shows. cmark-gfm works in time linear in its input
(its test suite holds pathological cases), so a megabyte of hostile Markdown takes a fraction
of a second; Python-Markdown, used before, took minutes on 100,000 list items.
"""

from __future__ import annotations

import re

from markupsafe import Markup

# GitHub's extensions but `tagfilter`: authors may embed any HTML (they commit to the
# repository); earners' HTML is sanitised by nh3 below, which is stricter than tagfilter.
EXTENSIONS = ("table", "strikethrough", "autolink", "tasklist")

# Earner-supplied text (narratives, evidence) reaches public pages: allow only inert formatting.
_EARNER_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h3", "h4", "h5", "h6", "hr", "i",
    "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr",
    "ul",
}  # fmt: skip
_EARNER_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}

# Text that Markdown turns into one plain paragraph: lines of letters, digits, spaces and
# , . ; : ? ! ( ) /, each starting with a letter or digit, with no list number ("1." or "1)"),
# no ellipsis, no trailing space and no double space. Most earner notes are like this, and the
# result is known without running Markdown (tests/unit/test_markup.py checks it is the same).
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9,.;:?!()/ ]*(?:\n[A-Za-z0-9][A-Za-z0-9,.;:?!()/ ]*)*")
_NOT_PLAIN = re.compile(r"(?m)^\d+[.)]|\.\s*\.| $| {2}")


def markdown_html(text: str) -> str:
    """Markdown → HTML with the site's dialect (raw HTML kept: the callers decide about it)."""
    import cmarkgfm  # imported on first use: most builds of one badge never need it
    from cmarkgfm.cmark import Options

    options = Options.CMARK_OPT_SMART | Options.CMARK_OPT_FOOTNOTES | Options.CMARK_OPT_UNSAFE
    return cmarkgfm.markdown_to_html_with_extensions(text, options=options, extensions=EXTENSIONS)


class MarkdownRenderer:
    """Markdown for the templates: `author` for the site's own text, `earner` for earners'."""

    def author(self, text: str | None) -> Markup:
        """Markdown written by the site's authors (trusted: they commit to the repository)."""
        if not text:
            return Markup("")
        return Markup(markdown_html(text).rstrip("\n"))

    def earner(self, text: str | None) -> Markup:
        """Markdown from earners or facilitators' notes about them: sanitised, links made inert."""
        if not text:
            return Markup("")
        if _PLAIN.fullmatch(text) and not _NOT_PLAIN.search(text):
            return Markup(f"<p>{text}</p>")
        return Markup(sanitise(markdown_html(text).rstrip("\n")))


def sanitise(html: str) -> str:
    """Earner HTML with only inert formatting left (nh3, the Ammonia sanitiser)."""
    import nh3

    return nh3.clean(
        html,
        tags=_EARNER_TAGS,
        attributes=_EARNER_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer ugc",
    )
