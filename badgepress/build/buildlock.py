"""One build at a time per site: a lock in the site's .badgepress-cache/, for `build` and `serve`.

Builds of one site share its cache (the incremental state of each output folder, the kept walk
of git's history, drawn pictures, signatures), and two builds into one folder would interleave
their files. So a build that writes takes the site's lock first, and one that finds it taken
says so and waits for it. The lock is the operating system's (flock on POSIX, LockFileEx on
Windows, through filelock): a build that dies, even by kill -9, releases it with its process,
so there is never a stale lock to remove by hand.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

from .state import CACHE_FOLDER

LOCK_FILE = f"{CACHE_FOLDER}/build.lock"
WAIT_SECONDS = 600.0  # a build of 10,000 badges takes ~10 s: ten minutes is something stuck


class SiteLocked(Exception):
    """Another build of the site held its lock for longer than we waited."""


@contextlib.contextmanager
def site_lock(
    root: Path,
    waiting: Callable[[str], None] = lambda message: None,
    timeout: float = WAIT_SECONDS,
) -> Iterator[None]:
    """Hold the build lock of the site at `root`; `waiting(message)` is told once if another
    build holds it (then it is waited for, up to `timeout` seconds: SiteLocked).

    A site whose cache folder cannot be written (a read-only checkout) has nothing to guard:
    its builds keep no state and run unlocked."""
    import filelock  # ~10 ms: only builds that do work take the lock (a no-op one only reads)

    path = root / LOCK_FILE
    lock = filelock.FileLock(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            lock.acquire(timeout=0)
        except filelock.Timeout:
            waiting(f"waiting for another build of this site to finish (it holds {path})")
            try:
                lock.acquire(timeout=timeout)
            except filelock.Timeout:
                raise SiteLocked(
                    f"another build of this site has held {path} for {timeout:.0f} s; "
                    "stop it, or wait for it and build again"
                ) from None
    except OSError:
        yield  # the cache folder cannot be written: nothing is kept, nothing to guard
        return
    try:
        yield
    finally:
        lock.release()
