"""JSON bytes exactly as `json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False)` + "\n".

Every issued badge publishes indented JSON (its hosted assertion, and with signing its 3.0
credential). The standard library writes indented JSON with its pure-Python encoder (the C one
only does compact output), about a third of a millisecond per assertion; this writer of the
same bytes keeps the C string escaper and drops the generators. It handles what our documents
hold (dicts with string keys, lists, strings, integers, booleans, null) and hands anything else
to `json.dumps`, so its output is always the standard one.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # C-accelerated when available


class _Unusual(Exception):
    """A value this writer leaves to json.dumps (floats, non-string keys, other types)."""


def pretty_json(value: object, *, sort_keys: bool = True) -> bytes:
    """Deterministic JSON bytes: sorted keys, two-space indent, non-ASCII kept, final newline.

    `sort_keys=False` keeps each object's own key order (Open Badges 3.0 documents put
    `@context`, `id` and `type` first: `ob3.linked_data_order`)."""
    parts: list[str] = []
    try:
        _write(value, parts, "\n", sorted if sort_keys else list)
    except _Unusual:
        text = json.dumps(value, sort_keys=sort_keys, indent=2, ensure_ascii=False)
        return (text + "\n").encode()
    parts.append("\n")
    return "".join(parts).encode()


def _write(value: object, out: list[str], newline: str, order) -> None:
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif value is None:
        out.append("null")
    elif type(value) is int:
        out.append(int.__repr__(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        if not all(type(key) is str for key in value):
            raise _Unusual  # json.dumps converts other keys to strings first
        inner = newline + "  "
        separator = "{" + inner
        for key in order(value):
            out.append(separator)
            out.append(encode_basestring(key))
            out.append(": ")
            _write(value[key], out, inner, order)
            separator = "," + inner
        out.append(newline + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            out.append(separator)
            _write(item, out, inner, order)
            separator = "," + inner
        out.append(newline + "]")
    else:
        raise _Unusual
