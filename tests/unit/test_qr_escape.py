"""qr.py escapes as xml.sax.saxutils does, without importing it (it imports urllib.request)."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from hypothesis import example, given
from hypothesis import strategies as st

from badgepress.render import qr

TRICKY = st.text(alphabet=st.sampled_from("a &<>\"'\n\r\t;#é"), max_size=12) | st.text()


@given(TRICKY)
@example("both \" and ' quotes")
@example('only "double"')
@example("only 'single'")
def test_text_and_attributes_are_escaped_as_saxutils_escapes_them(text):
    assert qr.escape(text) == escape(text)
    assert qr.quoteattr(text) == quoteattr(text)
