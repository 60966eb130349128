"""The incremental state's parts as data: MessagePack, checked against fixed types as it is read.

msgspec decodes each part into exactly the types declared here (for the readings of assertion
files, the model's own dataclasses), checking every field as it goes, in C: nothing in a file
can make it build anything else or run code, and a part of the wrong shape is refused whole
(`ValueError`), so the build does that work again. It reads 10,000 readings in about half the
time pickle took. Every part is sealed (`cachefile`): damage is refused before decoding.

The one field of free-form data, an assertion's `extra:` (any YAML value: mappings, sequences,
dates, bytes...), is kept as a tagged tree (`_tagged`), so that it comes back with exactly the
types it had (a tuple as a tuple, a date as a date) and nothing else.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Annotated, Any

import msgspec

from ..files.cachefile import only_record, records, seal
from ..model import Assertion, FrozenMap
from ..render.template_deps import TemplateUse
from .memo import Reading
from .state import KeptTemplateUse

Digest = Annotated[bytes, msgspec.Meta(min_length=16, max_length=16)]  # write.digest_of
Count = Annotated[int, msgspec.Meta(ge=0)]
Record = tuple[Digest, Count, int]  # write.Written: (digest, size, mtime_ns)


class OutputPart(msgspec.Struct, array_like=True, forbid_unknown_fields=True):
    """Some assertions' output paths (assertion id → its paths) and their records."""

    units: dict[str, tuple[str, ...]]
    records: dict[str, Record]


class Head(msgspec.Struct, array_like=True, forbid_unknown_fields=True):
    """state.BuildState without the readings and outputs (in buckets of their own)."""

    format: int
    context: str
    ids: frozenset[str]
    unit_files: Count
    site_records: dict[str, Record]
    catalog_paths: frozenset[str]
    images: list[tuple[str, Digest, Count, Count]]  # images.CheckedImages: fmt, digest, size
    now: datetime.datetime | None
    withdrawn: dict[str, Assertion]
    credentials: dict[str, str]
    catalog_context: str
    template_use: tuple[str, TemplateUse | None]  # state.KeptTemplateUse
    positions: dict[str, Count]


_ENCODER = msgspec.msgpack.Encoder()


@functools.cache
def _decoder(kind: str) -> msgspec.msgpack.Decoder:
    types = {
        "readings": dict[str, Reading],
        "outputs": OutputPart,
        "head": Head,
    }
    return msgspec.msgpack.Decoder(types[kind])


# Readings --------------------------------------------------------------------------------------


def encode_readings(bucket: Mapping[str, Reading]) -> bytes:
    """One sealed part of readings (path → load.AssertionMemo entry)."""
    plain = {}
    for rel, entry in bucket.items():
        file = entry.file
        if file.assertion is not None and _has_extra(file.assertion):
            entry = entry._replace(
                file=dataclasses.replace(file, assertion=_with_tagged(file.assertion))
            )
        plain[rel] = entry
    return seal(_ENCODER.encode(plain))


def decode_readings(data: bytes) -> Iterable[dict[str, Reading]]:
    """The parts of readings a bucket's file holds (ValueError when damaged)."""
    decoder = _decoder("readings")
    for payload in records(data):
        part = _decoded(decoder, payload)
        for entry in part.values():
            assertion = entry.file.assertion
            if assertion is not None and assertion.extra:
                _restore_extra(assertion)
        yield part


# Outputs ---------------------------------------------------------------------------------------


def encode_outputs(units: Mapping[str, tuple[str, ...]], records_: Mapping[str, tuple]) -> bytes:
    """One sealed part of outputs: assertion id → its paths, and their records."""
    return seal(_ENCODER.encode(OutputPart(dict(units), dict(records_))))


def decode_outputs(data: bytes) -> Iterable[OutputPart]:
    """The parts of outputs a bucket's file holds (ValueError when damaged)."""
    decoder = _decoder("outputs")
    for payload in records(data):
        yield _decoded(decoder, payload)


# The head --------------------------------------------------------------------------------------


def encode_head(fields: dict) -> bytes:
    """The sealed head: `fields` are the Head's, with `images` as CheckedImages.known."""
    values = dict(fields)
    values["images"] = [(fmt, digest, *size) for (fmt, digest), size in fields["images"].items()]
    values["withdrawn"] = {
        key: _with_tagged(a) if _has_extra(a) else a for key, a in fields["withdrawn"].items()
    }
    return seal(_ENCODER.encode(Head(**values)))


def decode_head(data: bytes) -> dict:
    """The head's fields, as `encode_head` was given them (ValueError when damaged)."""
    head = _decoded(_decoder("head"), only_record(data))
    values = {field: getattr(head, field) for field in head.__struct_fields__}
    values["template_use"] = KeptTemplateUse(*head.template_use)
    values["images"] = {
        (fmt, digest): (width, height) for fmt, digest, width, height in head.images
    }
    for assertion in head.withdrawn.values():
        _restore_extra(assertion)
    return values


def _decoded(decoder: msgspec.msgpack.Decoder, payload):
    try:
        return decoder.decode(payload)
    except (msgspec.DecodeError, RecursionError) as problem:  # ValidationError is a DecodeError
        raise ValueError(f"a part of the state does not decode: {problem}") from None


# An assertion's `extra:` -----------------------------------------------------------------------

_EXTRA = "\x00"  # the one key of an encoded `extra`: no YAML key is a NUL alone
MAX_DEPTH = 64  # nesting of `extra:` values kept; deeper ones make the state unsaveable


class Unsaveable(ValueError):
    """A value the state's format does not hold: the build's state is not kept."""


def _has_extra(assertion: Assertion) -> bool:
    extra = assertion.extra
    return not (type(extra) is dict and not extra)


def _with_tagged(assertion: Assertion) -> Assertion:
    return dataclasses.replace(assertion, extra={_EXTRA: _tagged(assertion.extra, 0)})


def _restore_extra(assertion: Assertion) -> None:
    extra = assertion.extra
    if not extra:
        return
    if len(extra) != 1 or _EXTRA not in extra:
        raise ValueError("an assertion's extra data is not in the state's form")
    # A fresh object from the decoder, not yet seen by anyone: it may still be completed.
    object.__setattr__(assertion, "extra", _untagged(extra[_EXTRA], 0))


_INT64 = range(-(1 << 63), 1 << 64)  # MessagePack's integers; larger ones travel as text
_SEQUENCES: dict[type, str] = {tuple: "t", list: "l", set: "s", frozenset: "f"}
_MAPPINGS: dict[type, str] = {FrozenMap: "F", MappingProxyType: "m", dict: "d"}
_FROM_SEQUENCE = {"t": tuple, "l": list, "s": set, "f": frozenset}
_FROM_MAPPING = {
    "F": lambda items: FrozenMap(dict(items)),
    "m": lambda items: MappingProxyType(dict(items)),
    "d": dict,
}


def _tagged(value: Any, depth: int) -> Any:
    """A YAML value (schema.plain's: str, int, float, bool, None, bytes, dates, and containers
    of them) as MessagePack data: scalars as they are, anything else [tag, contents]."""
    if depth > MAX_DEPTH:
        raise Unsaveable("extra data nested too deeply")
    kind = type(value)
    if value is None or kind in (str, bool, float):
        return value
    if kind is int:
        return value if value in _INT64 else ["i", str(value)]
    if kind in _SEQUENCES:
        items = sorted(value, key=repr) if kind in (set, frozenset) else value
        return [_SEQUENCES[kind], [_tagged(item, depth + 1) for item in items]]
    if kind in _MAPPINGS:
        return [
            _MAPPINGS[kind],
            [[_tagged(k, depth + 1), _tagged(v, depth + 1)] for k, v in value.items()],
        ]
    if kind is datetime.datetime:
        return ["T", value.isoformat()]
    if kind is datetime.date:
        return ["D", value.isoformat()]
    if kind is bytes:
        return ["b", value]
    raise Unsaveable(f"extra data of type {kind.__name__}")


def _untagged(tree: Any, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise ValueError("extra data nested too deeply")
    if tree is None or type(tree) in (str, bool, float, int):
        return tree
    if type(tree) is not list or len(tree) != 2 or type(tree[0]) is not str:
        raise ValueError("extra data of an unknown form")
    tag, contents = tree
    if tag in _FROM_SEQUENCE and type(contents) is list:
        return _FROM_SEQUENCE[tag](_untagged(item, depth + 1) for item in contents)
    if tag in _FROM_MAPPING and type(contents) is list:
        pairs = []
        for pair in contents:
            if type(pair) is not list or len(pair) != 2:
                raise ValueError("extra data of an unknown form")
            pairs.append((_untagged(pair[0], depth + 1), _untagged(pair[1], depth + 1)))
        return _FROM_MAPPING[tag](pairs)
    if tag == "i" and type(contents) is str and len(contents) <= 4300:  # Python's int() limit
        return int(contents)
    if tag == "T" and type(contents) is str:
        return datetime.datetime.fromisoformat(contents)
    if tag == "D" and type(contents) is str:
        return datetime.date.fromisoformat(contents)
    if tag == "b" and type(contents) is bytes:
        return contents
    raise ValueError("extra data of an unknown form")
