"""JSON from strangers: parsed within depth, number and value limits, or refused with a reason."""

from __future__ import annotations

import json
import time
import tracemalloc

import pytest
from hypothesis import given
from hypothesis import strategies as st

from badgepress.verify.strict_json import MAX_DEPTH, JSONRejected, count_values, loads, shape


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"[" * 100_000, "nests arrays and objects more than 64 levels deep"),
        (b"[" * 65 + b"]" * 65, "nests arrays and objects more than 64 levels deep"),
        (b'{"a": 1' + b"0" * 100_000 + b"}", "holds a number longer than 100 characters"),
        (b"0." + b"1" * 100, "holds a number longer than 100 characters"),
        (b"1e400", "holds the number 1e400, too large for any date or count"),
        (b'{"issuedOn": NaN}', "holds NaN, which is not a JSON number"),
        (b"[-Infinity]", "holds -Infinity, which is not a JSON number"),
        (b'"\\ud800"', "holds a string with an unpaired UTF-16 surrogate"),
        (b'{"\\udfff": 1}', "holds a string with an unpaired UTF-16 surrogate"),
        (b"[" + b"[]," * 300_000 + b"[]]", "holds more than 250,000 values"),
        (b"[" + b'"",' * 300_000 + b'""]', "holds more than 250,000 values"),
    ],
)
def test_json_beyond_the_limits_is_refused_with_its_reason(data, reason):
    with pytest.raises(JSONRejected) as caught:
        loads(data)
    assert (str(caught.value), caught.value.beyond_limits) == (reason, True)


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"{", "is not JSON"), (b"\xff{}", "is not UTF-8 text"), (b"", "is not JSON")],
)
def test_what_is_not_json_says_so(data, reason):
    with pytest.raises(JSONRejected) as caught:
        loads(data)
    assert (str(caught.value), caught.value.beyond_limits) == (reason, False)


def test_json_within_the_limits_is_parsed_as_json_does():
    text = (
        '{"a": ' + "[" * (MAX_DEPTH - 1) + "1" + "]" * (MAX_DEPTH - 1) + ', "n": 1' + "0" * 99 + ","
        ' "s": "[[[[{{{{\\"]]]", "e": "\\ud83d\\ude00", "f": -1.5e300}'
    )
    assert loads(text.encode()) == json.loads(text)
    assert loads("\ufeff[1]".encode()) == [1]  # a byte order mark is allowed
    assert loads('{"a": "é"}') == {"a": "é"}  # text as well as bytes


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers(-(10**50), 10**50) | st.text(max_size=10),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
        max_leaves=30,
    )
)
def test_shape_counts_at_least_every_value_and_the_exact_depth(value):
    data = json.dumps(value).encode()
    depth, values = shape(data)
    assert values >= count_values(value)
    assert depth == _depth(value)
    assert loads(data) == value


def _depth(value) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


def test_five_megabytes_of_brackets_are_measured_quickly():
    started = time.monotonic()
    with pytest.raises(JSONRejected):
        loads(b"[" * 5_000_000)
    assert time.monotonic() - started < 10  # about 0.2 s; a generous tripwire


def test_a_million_strings_are_counted_before_any_regex_holds_them():
    data = b"[" + b'"",' * 1_600_000 + b'""]'
    tracemalloc.start()
    try:
        with pytest.raises(JSONRejected):
            loads(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 30_000_000  # re.sub over them held 270 MB
