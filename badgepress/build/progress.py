"""The progress bar of long builds: on a terminal only, after a second, never in CI or --quiet."""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

SHOW_AFTER = 1.0  # seconds: quick builds print their one summary line and nothing else


def wanted(stream: TextIO, quiet: bool, environ=os.environ) -> bool:
    """A bar is drawn only for a person watching a terminal."""
    if quiet or environ.get("CI", "").lower() in ("1", "true", "yes"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


class BuildProgress:
    """Receives (done, total) from the pipeline; draws a rich bar once the build is slow."""

    def __init__(self, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.stream = sys.stderr if stream is None else stream
        self.enabled = wanted(self.stream, quiet)
        self.started = time.monotonic()
        self.done = 0
        self._bar = None
        self._task = None

    def update(self, done: int, total: int) -> None:
        """`done` more assertions out of `total` were rendered."""
        self.done += done
        if not self.enabled:
            return
        if self._bar is None:
            if time.monotonic() - self.started < SHOW_AFTER or self.done >= total:
                return
            from rich.console import Console  # imported only when a bar is drawn
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

            self._bar = Progress(
                "rendering badges",
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(file=self.stream),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("render", total=total)
        self._bar.update(self._task, completed=self.done, total=total)

    def stop(self) -> None:
        """Remove the bar (it is transient: the summary line replaces it)."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
