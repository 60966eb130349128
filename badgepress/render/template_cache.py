"""Compiled templates kept between builds: in the user's own cache folder, never in the site's.

Compiling the theme's templates takes ~0.1 s, which every rebuild would pay again (a one-badge
rebuild takes ~0.3 s). Jinja keeps a compiled template as marshal'd Python code, and loading it
runs that code. So compiled templates are kept where only this user writes:
`$XDG_CACHE_HOME/badgepress/templates` (~/.cache/…; %LOCALAPPDATA% on Windows, ~/Library/Caches
on macOS), never in the site's `.badgepress-cache/`, which a repository may ship or a CI cache
restore from elsewhere. A folder that another user owns or may write is not used. Each entry
is sealed (`cachefile`: a damaged one is compiled again), and Jinja compares each one's
checksum of its template's source, so an edited template is compiled again.

The folder is kept bounded (`prune`): an entry is named by the generator's version, the
interface translation and the template's path, so upgrades, edited catalogs and sites built from
other folders leave entries no build reads again. Using an entry refreshes its time; entries
unused for `MAX_AGE` go, and beyond `MAX_ENTRIES` the least recently used do, once a day.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import jinja2

from ..files import cachefile
from ..files.atomic import write_atomically

DAY = 24 * 3600
MAX_AGE = 30 * DAY  # seconds since an entry was last used
MAX_ENTRIES = 2000  # a site's theme and templates make ~50 per language: dozens of sites fit
_PRUNED = ".pruned"  # its time says when the folder was last pruned


def user_cache_folder(environ: Mapping[str, str] | None = None) -> Path | None:
    """This user's folder for badgepress's compiled templates (created, private, pruned once a
    day), or None when there is no usable one (no home, a read-only one, one another user could
    write)."""
    environ = os.environ if environ is None else environ
    try:
        if sys.platform == "win32":
            base = Path(environ["LOCALAPPDATA"])
        elif sys.platform == "darwin":
            base = Path.home() / "Library" / "Caches"
        else:
            xdg = environ.get("XDG_CACHE_HOME", "")
            base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"
        folder = base / "badgepress" / "templates"
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if sys.platform != "win32":
            info = os.stat(folder, follow_symlinks=False)
            if (
                not stat.S_ISDIR(info.st_mode)
                or info.st_uid != os.getuid()
                or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
            ):
                return None
    except (KeyError, RuntimeError, OSError):  # no home, an unwritable one
        return None
    prune(folder, time.time())
    return folder


def prune(folder: Path, now: float) -> int:
    """Remove the entries of `folder` (and temporary files of killed writes) unused for MAX_AGE,
    then the least recently used beyond MAX_ENTRIES; at most once a day (a second build in a
    day only stats one file). Returns how many were removed. Another build may be pruning or
    loading at the same time: an entry gone under it is compiled again."""
    marker = folder / _PRUNED
    with contextlib.suppress(OSError):
        if now - marker.stat().st_mtime < DAY:
            return 0
    entries = []
    with contextlib.suppress(OSError), os.scandir(folder) as listing:
        for entry in listing:
            if entry.name.endswith((".cache", ".tmp")) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    entries.append((entry.stat(follow_symlinks=False).st_mtime, entry.path))
    entries.sort(reverse=True)  # the most recently used first
    removed = 0
    for index, (used, path) in enumerate(entries):
        if index >= MAX_ENTRIES or now - used > MAX_AGE:
            with contextlib.suppress(OSError):
                os.unlink(path)
                removed += 1
    with contextlib.suppress(OSError):
        marker.touch()
        os.utime(marker, (now, now))
    return removed


class SealedBytecodeCache(jinja2.BytecodeCache):
    """Jinja's file bytecode cache, each file sealed: `pattern % key` names a template's file."""

    def __init__(self, folder: Path, pattern: str):
        self.folder = folder
        self.pattern = pattern

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / (self.pattern % bucket.key)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            payload = cachefile.only_record(cachefile.read(self._path(bucket)))
        except (OSError, ValueError):  # none yet, or damaged: compiled again
            return
        # Jinja checks its magic header and the template source's checksum.
        bucket.bytecode_from_string(bytes(payload))
        _mark_used(self._path(bucket))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        # A cache is a convenience: a read-only home or a full disk only costs compiling again.
        with contextlib.suppress(OSError):
            write_atomically(self._path(bucket), cachefile.seal(bucket.bytecode_to_string()))


def _mark_used(path: Path) -> None:
    """Refresh an entry's time when it is a day old, so `prune` keeps what builds still read
    (loading alone changes no time a filesystem mounted noatime keeps)."""
    with contextlib.suppress(OSError):
        if time.time() - path.stat().st_mtime > DAY:
            os.utime(path)
