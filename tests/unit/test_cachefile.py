"""Cache files are sealed records of checked data: any other bytes are refused, never obeyed."""

from __future__ import annotations

import contextlib
import datetime
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from badgepress.build.memo import Reading
from badgepress.build.state_codec import (
    decode_outputs,
    decode_readings,
    encode_outputs,
    encode_readings,
)
from badgepress.content.load import AssertionFile
from badgepress.errors import SourceError
from badgepress.files.cachefile import Damaged, only_record, records, seal
from badgepress.model import Assertion, Evidence, FrozenMap, Recipient

NOW = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.timezone.utc)


def _reading(extra) -> dict:
    assertion = Assertion(
        "abc",
        "cred",
        Recipient("sha256$" + "0" * 64, "salt", "Ana", True),
        NOW,
        "assertions/abc.yaml",
        evidence=(Evidence(url="https://example.org/w", name="Work"),),
        extra=extra,
    )
    file = AssertionFile(
        "abc", "assertions/abc.yaml", assertion, warnings=(SourceError("a.yaml", 3, "w"),)
    )
    return {"assertions/abc.yaml": Reading((1, 2, False), (None, NOW), file)}


def test_readings_come_back_equal_with_their_free_form_data_of_the_same_types():
    extra = FrozenMap(
        {
            "level": 3,
            "big": 10**30,
            "ratio": 0.5,
            "tags": ("a", ("b", 1)),
            "when": datetime.date(2024, 1, 2),
            "at": datetime.datetime(2024, 1, 2, 3, 4, tzinfo=datetime.timezone.utc),
            "nested": FrozenMap({"x": None, "set": frozenset({1, 2})}),
            "proxy": MappingProxyType({"y": 1}),
            "raw": b"\x00\x01",
        }
    )
    for value in ({}, extra):
        original = _reading(value)
        (back,) = decode_readings(encode_readings(original))
        assert back == original
        got = back["assertions/abc.yaml"][2].assertion.extra
        assert type(got) is type(value)
        if value:
            assert type(got["tags"][1]) is tuple and type(got["nested"]) is FrozenMap
            assert type(got["proxy"]) is MappingProxyType
            assert type(got["when"]) is datetime.date and got["big"] == 10**30


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.binary(max_size=2048))
def test_any_bytes_are_refused_as_damage_or_read_as_records(data):
    with contextlib.suppress(Damaged):
        list(records(data))


_VALID = encode_readings(_reading({})) + encode_outputs(
    {"abc": ("a.json",)}, {"a.json": (b"\x01" * 16, 10, 5)}
)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.data())
def test_mutated_state_files_are_refused_with_value_error_only(data):
    """Flipped, cut or inserted bytes, with or without a digest that matches: a reader raises
    ValueError (ignored: the build redoes that work) and nothing else."""
    payload = bytearray(_VALID)
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(payload) - 1))
        kind = data.draw(st.sampled_from(["flip", "cut", "insert"]))
        if kind == "flip":
            payload[at] ^= data.draw(st.integers(1, 255))
        elif kind == "cut":
            del payload[at : at + data.draw(st.integers(1, 64))]
        else:
            payload[at:at] = data.draw(st.binary(min_size=1, max_size=16))
    resealed = data.draw(st.booleans())  # as a deliberate writer would: the digest matches
    mutated = bytes(payload)
    if resealed:
        inner = bytes(payload[28:])  # past the first record's header
        mutated = seal(inner)
    for decode in (decode_readings, decode_outputs):
        with contextlib.suppress(ValueError):
            list(decode(mutated))


def test_one_record_is_exactly_one():
    assert bytes(only_record(seal(b"x"))) == b"x"
    with pytest.raises(Damaged):
        only_record(seal(b"x") + seal(b"y"))
    with pytest.raises(Damaged):
        only_record(seal(b"x")[:-1])
