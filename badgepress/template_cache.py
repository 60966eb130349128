"""Compiled templates kept between builds: in the user's own cache folder, never in the site's.

Compiling the theme's templates takes ~0.1 s, which every rebuild would pay again (a one-badge
rebuild takes ~0.3 s). Jinja keeps a compiled template as marshal'd Python code, and loading it
runs that code. So compiled templates are kept where only this user writes:
`$XDG_CACHE_HOME/badgepress/templates` (~/.cache/…; %LOCALAPPDATA% on Windows, ~/Library/Caches
on macOS), never in the site's `.badgepress-cache/`, which a repository may ship or a CI cache
restore from elsewhere. A folder that another user owns or may write is not used. Each entry
is sealed (`cachefile`: a damaged one is compiled again), and Jinja compares each one's
checksum of its template's source, so an edited template is compiled again.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Mapping
from pathlib import Path

import jinja2

from . import cachefile
from .atomic import write_atomically


def user_cache_folder(environ: Mapping[str, str] | None = None) -> Path | None:
    """This user's folder for badgepress's compiled templates (created, private), or None when
    there is no usable one (no home, a read-only one, one another user could write)."""
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
    return folder


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

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        # A cache is a convenience: a read-only home or a full disk only costs compiling again.
        with contextlib.suppress(OSError):
            write_atomically(self._path(bucket), cachefile.seal(bucket.bytecode_to_string()))
