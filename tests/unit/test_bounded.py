"""Reading user-named files whole, within a limit, without waiting on a FIFO (bounded)."""

from __future__ import annotations

import os

import pytest

from badgepress.bounded import TooLarge, read_bounded
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
