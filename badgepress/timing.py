"""Seconds spent per build stage, for `badgepress build --timings` and the benchmark."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

# The stages the benchmark reports, in pipeline order.
STAGES = ("yaml", "model", "render", "json", "bake", "sign", "write")


class Timings(dict):
    """Stage name → seconds; worker processes send theirs back to be added in."""

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time a block and add it to `name`."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self[name] = self.get(name, 0.0) + time.perf_counter() - started

    def add(self, other: dict[str, float]) -> None:
        """Add another process's timings."""
        for name, seconds in other.items():
            self[name] = self.get(name, 0.0) + seconds

    def summary(self) -> str:
        """'yaml 0.41s, model 0.20s, ...' in pipeline order (each worker's seconds added up)."""
        names = [n for n in STAGES if n in self] + sorted(set(self) - set(STAGES))
        return ", ".join(f"{name} {self[name]:.2f}s" for name in names)
