"""Mapping a pure function over shards of a sequence: the one interface the build's speed-ups
share. An executor knows nothing of what is read, rendered or written; `parallel` gives the
serial one (small sites, platforms without fork) or one of forked worker processes."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Protocol, TypeVar

Shard = tuple[int, int]  # (start, end) of a slice of the sequence the function reads
R = TypeVar("R")
S = TypeVar("S")


def as_is(result):
    return result


class Executor(Protocol):
    workers: int  # processes that run the shards

    def map(
        self,
        function: Callable[[Shard], R],
        shards: Sequence[Shard],
        receive: Callable[[R], S] = as_is,
    ) -> Iterator[S]:
        """`receive(function(shard))` for each shard, in order. The work starts now where there
        are workers, and only as the results are taken where there are none, so the caller can
        do its own work in between. `receive` runs as each result arrives (in a helper thread
        with workers): it may decode results while the workers go on."""
        ...


class SerialExecutor:
    """Every shard in this process, one after the other, as the results are taken."""

    workers = 1

    def map(
        self,
        function: Callable[[Shard], R],
        shards: Sequence[Shard],
        receive: Callable[[R], S] = as_is,
    ) -> Iterator[S]:
        return (receive(function(shard)) for shard in shards)
