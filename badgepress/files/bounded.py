"""Reading a whole file, or inflating compressed bytes, but never past a limit.

Files come from users: a content file, a roster, a badge to verify. A path may name /dev/zero
(no end), a named pipe nobody writes to (`open` would wait forever) or a file that grows while
read. Compressed data comes from strangers (a PNG's zTXt chunk, a gzip'd HTTP body, a status
list): a few kilobytes may inflate to gigabytes. No imports beyond the standard library: `verify`
uses this without loading the build.
"""

from __future__ import annotations

import os
import stat
import zlib

CHUNK = 1 << 16


class TooLarge(Exception):
    """More than `limit` bytes; `size` is the file's, or None when it has none (a device, a
    pipe) or grew past the limit while read."""

    def __init__(self, size: int | None, limit: int) -> None:
        super().__init__(size, limit)
        self.size = size
        self.limit = limit


def read_bounded(path: str | os.PathLike, limit: int) -> bytes:
    """The file's bytes; TooLarge past `limit` (read at most one chunk past it), OSError.

    A regular file larger than the limit is refused before any byte is read. os-level calls: a
    build reads tens of thousands of small files, and `Path.read_bytes` makes nine system calls
    for each (a file object's isatty, seek and size checks), this four.
    """
    # O_NONBLOCK: opening a FIFO that has no writer returns at once instead of waiting for one
    # (POSIX open(2)); reads from regular files ignore the flag.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        status = os.fstat(fd)
        regular = stat.S_ISREG(status.st_mode)
        size = status.st_size if regular else 0
        if size > limit:
            raise TooLarge(size, limit)
        if not regular:
            os.set_blocking(fd, True)  # a pipe or device: wait for its data as `cat` would
        data = os.read(fd, size + 1 if regular else CHUNK)
        # A regular file's short read is its end; more means it grew since `fstat`. Anything
        # else ends when it says so: read on to its end or past the limit.
        if not regular or len(data) > size:
            chunks, total = [data], len(data)
            while data and total <= limit:
                data = os.read(fd, CHUNK)
                chunks.append(data)
                total += len(data)
            if total > limit:
                raise TooLarge(None, limit)
            data = b"".join(chunks)
    finally:
        os.close(fd)
    return data


# zlib's wbits: a zlib stream (PNG zTXt/iTXt, HTTP "deflate"), a gzip file, raw deflate.
ZLIB, GZIP, RAW_DEFLATE = zlib.MAX_WBITS, 16 + zlib.MAX_WBITS, -zlib.MAX_WBITS


def inflate(data: bytes, limit: int, wbits: int = ZLIB) -> bytes:
    """`data` decompressed; TooLarge past `limit` bytes, ValueError when corrupt or cut short.

    Never holds more than `limit` + 1 inflated bytes: `decompress(data, max_length)` stops
    there and keeps the rest of the input unread. gzip data may hold several members (RFC 1952
    §2.2): each is inflated in turn, within the one limit.
    """
    out = bytearray()
    while True:
        stream = zlib.decompressobj(wbits)
        try:
            out += stream.decompress(data, limit + 1 - len(out))
        except zlib.error as exc:
            raise ValueError(f"corrupt compressed data ({exc})") from None
        if len(out) > limit:
            raise TooLarge(None, limit)
        if not stream.eof:
            raise ValueError("compressed data cut short")
        data = stream.unused_data
        if wbits != GZIP or not data:
            return bytes(out)
