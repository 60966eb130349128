"""The files of .badgepress-cache/: sealed, so that damage is seen, and read back as data only.

What a build keeps for the next one (the incremental state, the walk of git's history, drawn
pictures) is written as *records*: a header (4 magic bytes, the payload's length, the first 16
bytes of its SHA-256) followed by the payload. A file may hold several records one after the
other. A record whose magic, length or digest does not match — a truncated file, a flipped
bit, a file of another version, anything else that was not written whole by this code — raises
`Damaged`; its reader ignores the file and the build does that work again.

Payloads are plain data: JSON, or MessagePack decoded by msgspec against fixed types
(`state_codec`). Never pickle or marshal: their readers run code (pickle) or may crash the
interpreter (marshal) on crafted input, and a cache can be restored from somewhere else (a CI
cache) or left damaged by a full disk.

The digest detects damage, not forgery: it is no secret. What a deliberate writer of the cache
can do is bounded by what the readers accept (data of the expected types, never code);
docs/security.md says what that leaves.
"""

from __future__ import annotations

import hashlib
import os
import stat
import struct
from collections.abc import Iterator
from pathlib import Path

MAGIC = b"BPc\x01"
_HEADER = struct.Struct(">4sQ16s")  # magic, payload length, SHA-256 of the payload (16 bytes)
# No cache file is larger (the state of a 10,000-badge site is ~9 MB in 129 files): a bigger
# one is not ours, and is not read into memory.
MAX_FILE_BYTES = 1 << 30


class Damaged(ValueError):
    """A cache file that is not whole, not ours, or not of this version."""


def _digest(payload) -> bytes:
    return hashlib.sha256(payload).digest()[:16]


def seal(payload: bytes) -> bytes:
    """`payload` as one record."""
    return _HEADER.pack(MAGIC, len(payload), _digest(payload)) + payload


def records(data: bytes) -> Iterator[memoryview]:
    """The payloads of the records `data` holds, in order; Damaged at the first bad one."""
    view = memoryview(data)
    offset, end = 0, len(data)
    while offset < end:
        if end - offset < _HEADER.size:
            raise Damaged("a record's header is cut short")
        magic, length, digest = _HEADER.unpack_from(view, offset)
        start = offset + _HEADER.size
        if magic != MAGIC or length > end - start:
            raise Damaged("not a record of this version, or cut short")
        payload = view[start : start + length]
        if _digest(payload) != digest:
            raise Damaged("a record's bytes do not match its digest")
        yield payload
        offset = start + length


def only_record(data: bytes) -> memoryview:
    """The payload of `data`, which must hold exactly one record."""
    found = list(records(data))
    if len(found) != 1:
        raise Damaged(f"expected one record, found {len(found)}")
    return found[0]


def read(path: Path | str) -> bytes:
    """A cache file's bytes (OSError when missing; Damaged when it is not a regular file, or
    too large to be ours). Opened without waiting: a named pipe put in its place is refused,
    not waited on for a writer that never comes."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with open(fd, "rb") as stream:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Damaged("not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            raise Damaged(f"{info.st_size:,} bytes")
        return stream.read(MAX_FILE_BYTES + 1)
