"""Reading user-named files whole, within a limit, without waiting on a FIFO; inflating within a
limit (bounded)."""

from __future__ import annotations

import gzip
import os
import tracemalloc
import zlib

import pytest

from badgepress.files.bounded import GZIP, RAW_DEFLATE, ZLIB, TooLarge, inflate, read_bounded
from tests.support import fifo_nobody_writes_to


def test_a_file_of_exactly_the_limit_is_read_and_a_larger_one_refused_with_its_size(tmp_path):
    path = tmp_path / "limit.bin"
    path.write_bytes(bytes(range(256)) * 4)
    assert read_bounded(path, 1024) == bytes(range(256)) * 4
    with pytest.raises(TooLarge) as caught:
        read_bounded(path, 1023)
    assert (caught.value.size, caught.value.limit) == (1024, 1023)


def test_a_device_without_end_is_refused_once_past_the_limit():
    with pytest.raises(TooLarge) as caught:
        read_bounded("/dev/zero", 100_000)
    assert caught.value.size is None  # it has no size to report


def test_a_pipe_is_read_to_its_end(tmp_path):
    read_end, write_end = os.pipe()
    os.write(write_end, b"email,credential\n")
    os.close(write_end)
    try:
        assert read_bounded(f"/dev/fd/{read_end}", 1000) == b"email,credential\n"
    finally:
        os.close(read_end)


def test_a_fifo_nobody_writes_to_reads_as_empty_instead_of_waiting(tmp_path):
    with fifo_nobody_writes_to(tmp_path / "roster.csv") as fifo:
        assert read_bounded(fifo, 1000) == b""


def _zeros(size: int, wbits: int = ZLIB) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    return b"".join([packer.compress(bytes(1 << 20)) for _ in range(size >> 20)] + [packer.flush()])


def test_inflation_stops_at_the_limit_and_never_holds_more():
    bomb = _zeros(256 << 20)  # 256 MiB of zeros in about 250 KB
    tracemalloc.start()
    try:
        with pytest.raises(TooLarge) as caught:
            inflate(bomb, 10_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.limit == 10_000
    assert peak < 1 << 20  # the limit and some bookkeeping, not 256 MiB


def test_inflation_of_exactly_the_limit_succeeds():
    assert inflate(zlib.compress(b"x" * 1000), 1000) == b"x" * 1000


def test_gzip_members_are_inflated_in_turn_within_one_limit():
    data = gzip.compress(b"a" * 600) + gzip.compress(b"b" * 600)
    assert inflate(data, 1200, GZIP) == b"a" * 600 + b"b" * 600
    with pytest.raises(TooLarge):
        inflate(data, 1000, GZIP)


def test_raw_deflate_is_read_with_its_wbits():
    packer = zlib.compressobj(6, zlib.DEFLATED, RAW_DEFLATE)
    assert inflate(packer.compress(b"hello") + packer.flush(), 100, RAW_DEFLATE) == b"hello"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"garbage",
            "corrupt compressed data (Error -3 while decompressing data: incorrect header check)",
        ),
        (zlib.compress(b"x" * 100)[:-5], "compressed data cut short"),
        (b"", "compressed data cut short"),
    ],
)
def test_corrupt_or_cut_short_data_is_a_value_error(data, message):
    with pytest.raises(ValueError) as caught:
        inflate(data, 1000)
    assert str(caught.value) == message
