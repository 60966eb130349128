"""Email addresses in an assertion's text: the earner's own is refused, another is flagged.

Everything in an assertion file but its recipient's identity is published (the hosted JSON, the
earner's page, the baked image). The earner's address is known only as `recipient.identity`, a
salted hash, so every address-like word of every text is hashed with the assertion's salt and
compared with it: that finds the earner's own address with no plaintext anywhere. Words are read
as written, percent-decoded (a URL's `jane%40example.org`) and HTML-unescaped (Markdown's
`jane&#64;example.org`). Pure: no I/O.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from urllib.parse import unquote

from ..openbadges.ob2 import hash_email

# The local part as addresses are written in practice (RFC 5322 allows more: '=', '/', '?'...,
# which would swallow the URL around `?owner=jane@example.org`).
_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_DOMAIN = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# Never published: the hash, its salt, and the plaintext it is made from.
_SECRETS = frozenset({"recipient.identity", "recipient.salt", "recipient.email"})


def addresses(text: str) -> set[str]:
    """The address-like words in `text`, lowercased, in each form it may be published in."""
    if "@" not in text and "%40" not in text.upper() and "&" not in text:
        return set()
    found = set()
    for form in {text, unquote(text), html.unescape(text)}:
        found.update(address.lower() for address in _address_words(form))
    return found


def _address_words(text: str) -> Iterator[str]:
    """What `[A-Za-z0-9._%+-]+@<domain>` finds, left to right, in one pass from each '@'.

    As a regex the search tried every position of a long run of local-part characters and read
    the run to its end each time: a narrative of 20,000 letters and an '@' took 0.25 s, a
    megabyte of them hours. Here each '@' looks back over its own run only, up to where the
    previous address ended (runs between two '@' are disjoint)."""
    done = 0  # where the previous address ended: the next cannot start before it
    at = text.find("@")
    while at != -1:
        start = at
        while start > done and text[start - 1] in _LOCAL:
            start -= 1
        domain = _DOMAIN.match(text, at + 1) if start < at else None
        if domain:
            yield text[start : domain.end()]
            done = domain.end()
        at = text.find("@", max(at + 1, done))


def texts(value: object, field: str = "", line: int = 0) -> Iterator[tuple[str, int, str]]:
    """(field, line, text) of every string in a YAML value (mappings and lists carry lines)."""
    if isinstance(value, dict):
        lines = getattr(value, "lines", None) or {}
        for key, item in value.items():
            name = f"{field}.{key}" if field else str(key)
            if name not in _SECRETS:
                yield from texts(item, name, lines.get(key, line))
    elif isinstance(value, list):
        lines = getattr(value, "lines", None) or []
        for index, item in enumerate(value):
            yield from texts(
                item, f"{field}[{index + 1}]", lines[index] if index < len(lines) else line
            )
    elif isinstance(value, str):
        yield field, line, value


def _marked(value: object) -> bool:
    """Whether any text in a YAML value could hold an address: a quick look that spares the
    scan of nearly every badge (14 µs a file against 2)."""
    if isinstance(value, str):
        return "@" in value or "%" in value or "&" in value
    if isinstance(value, dict):
        return any(_marked(item) for item in value.values())
    if isinstance(value, list):
        return any(_marked(item) for item in value)
    return False


def addresses_in(data: dict, identity: str, salt: str) -> tuple[list, list]:
    """([(field, line)] holding the earner's own address, [(field, line)] holding others)."""
    own, other = [], []
    if not _marked(data):
        return own, other
    for field, line, text in texts(data):
        found = addresses(text)
        mine = {address for address in found if hash_email(address, salt) == identity}
        if mine:
            own.append((field, line))
        if found - mine:
            other.append((field, line))
    return own, other
