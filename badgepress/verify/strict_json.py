"""JSON from strangers, parsed within limits: depth, number size, and no NaN or lone surrogates.

Python's json module accepts what RFC 8259 does not (NaN, Infinity) and has no limits of its
own: 100,000 nested brackets end in RecursionError, a 100,000-digit number in ValueError (or
quadratic time before Python 3.11), 1e400 becomes infinity. Open Badges documents are a few
levels deep and hold small numbers, so anything beyond the limits below is refused before it
reaches code that would choke on it. No imports beyond the standard library.
"""

from __future__ import annotations

import itertools
import json
import math
import re

MAX_DEPTH = 64  # nesting of arrays and objects; Open Badges documents need fewer than 10
MAX_NUMBER_CHARS = 100  # a number's text; a Unix time or a status list index needs 20
# Values in one document: 5 MB of `[[],[],...]` holds 1.6 million, and parsed takes 150 MB (300 MB
# as empty strings); a 5 MB revocation list of ordinary entries holds about 200,000.
MAX_VALUES = 250_000


class JSONRejected(ValueError):
    """Not JSON, or (`beyond_limits`) JSON beyond the limits. The message is a predicate for
    people: "is not JSON", "nests arrays and objects more than 64 levels deep", ..."""

    def __init__(self, message: str, beyond_limits: bool = True) -> None:
        super().__init__(message)
        self.beyond_limits = beyond_limits


# A JSON string (RFC 8259 §7), written so the regex engine never backtracks inside it.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
# Every byte but the four brackets, deleted to leave the document's bracket skeleton.
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
# +1 for an opening bracket, -1 for a closing one, indexed by the byte.
_DEPTH_STEP = [1 if b in b"[{" else -1 for b in range(256)]
# A \\uD800-\\uDFFF escape: the only way a JSON text (once decoded as UTF-8) yields a surrogate.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF][0-9a-fA-F]{2}")


def shape(data: bytes) -> tuple[int, int]:
    """(depth, values): how deeply `data`'s arrays and objects nest, and about how many values
    it holds (at least as many as it does), counted without parsing, strings skipped.

    Linear in the size of `data`, in C loops (regex, translate, count, accumulate): a 5 MB
    document of nothing but brackets is measured in a fraction of a second. Strings are counted
    first: re.sub holds every piece between its matches (1.6 million strings took 270 MB).
    """
    strings = (data.count(b'"') - data.count(b'\\"')) // 2
    if strings > MAX_VALUES:
        return 0, strings
    outside_strings = _STRING.sub(b"", data)
    values = 1 + sum(outside_strings.count(c) for c in (b",", b"[", b"{"))
    brackets = outside_strings.translate(None, _NOT_BRACKETS)
    depth = max(itertools.accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0)
    return depth, values


def loads(data: bytes | str, *, max_depth: int = MAX_DEPTH) -> object:
    """The JSON value in `data` (text, or UTF-8 bytes with a BOM allowed); JSONRejected when it
    is not JSON or breaks a limit."""
    if isinstance(data, str):
        text, data = data, data.encode("utf-8", "surrogatepass")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise JSONRejected("is not UTF-8 text", beyond_limits=False) from None
    depth, values = shape(data)
    if depth > max_depth:
        raise JSONRejected(f"nests arrays and objects more than {max_depth} levels deep")
    if values > MAX_VALUES:
        raise JSONRejected(f"holds more than {MAX_VALUES:,} values")
    try:
        value = json.loads(
            text, parse_int=_integer, parse_float=_decimal, parse_constant=_not_a_number
        )
    except json.JSONDecodeError:
        raise JSONRejected("is not JSON", beyond_limits=False) from None
    if _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(value):
        # RFC 8259 §8.2 leaves such strings' meaning unpredictable; I-JSON (RFC 7493) forbids
        # them. They cannot be printed or hashed as UTF-8.
        raise JSONRejected("holds a string with an unpaired UTF-16 surrogate")
    return value


def _integer(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise JSONRejected(f"holds a number longer than {MAX_NUMBER_CHARS} characters")
    return int(text)


def _decimal(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise JSONRejected(f"holds a number longer than {MAX_NUMBER_CHARS} characters")
    value = float(text)
    if not math.isfinite(value):
        raise JSONRejected(f"holds the number {text}, too large for any date or count")
    return value


def _not_a_number(name: str) -> float:
    raise JSONRejected(f"holds {name}, which is not a JSON number")


def _has_lone_surrogate(value: object) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def count_values(value: object) -> int:
    """How many JSON values `value` holds, itself included (objects, arrays and scalars)."""
    if isinstance(value, dict):
        return 1 + sum(count_values(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(count_values(v) for v in value)
    return 1
