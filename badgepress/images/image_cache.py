"""Drawn pictures (badges, preview cards) kept between builds, by a digest of what draws them.

Drawing one costs ~80 ms, mostly PNG compression, and a site draws one badge per credential
without an image plus a card per credential, stack and site: seconds per build, for pictures
that rarely change. The key covers the drawing's inputs and the drawing code itself (this
package's art modules and fonts, Pillow's and CairoSVG's versions), so any change draws again
and a cached picture is always the one a fresh drawing would give. Each is kept sealed
(`cachefile`: its SHA-256 beside it) and must be a PNG: a damaged one (a full disk, a flipped
bit) is drawn again, never published.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from ..files import cachefile
from ..files.atomic import write_atomically

FOLDER = Path(".badgepress-cache") / "images"
# What draws: a change to any of these must not serve an old picture.
_ART = tuple(
    f"images/{name}.py"
    for name in (
        "badge_art",
        "badges",
        "cards",
        "favicon",
        "palettes",
        "raster",
        "typeset",
        "variants",
    )
)
_PNG = b"\x89PNG\r\n\x1a\n"
SUFFIX = ".png.data"  # a sealed PNG


@functools.cache
def _drawing_code() -> bytes:
    from importlib.metadata import PackageNotFoundError, version  # ~17 ms: only when drawing

    here = Path(__file__).parent.parent  # the package: images/ and fonts/
    digest = hashlib.sha256()
    for path in [*(here / name for name in _ART), *sorted((here / "fonts").iterdir())]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for package in ("pillow", "cairosvg"):
        try:
            digest.update(f"{package}={version(package)}".encode())
        except PackageNotFoundError:
            digest.update(f"{package}=none".encode())
    return digest.digest()


class ImageCache:
    """PNG bytes by drawing inputs, in `folder` (None: draw every time, keep nothing).

    `writable`: keep what is drawn; `readable`: use what was kept (a clean build draws all)."""

    def __init__(self, folder: Path | None, *, writable: bool = True, readable: bool = True):
        self.folder = folder
        self.writable = writable
        self.readable = readable
        self.used: set[str] = set()  # file names this build asked for, for prune()

    def png(self, kind: str, inputs: object, draw: Callable[[], bytes]) -> bytes:
        """The picture `draw()` makes from `inputs` (whose repr must name all of them)."""
        key = hashlib.sha256(_drawing_code() + repr((kind, inputs)).encode()).hexdigest()
        name = f"{kind}-{key}{SUFFIX}"
        self.used.add(name)
        if self.folder is None:
            return draw()
        path = self.folder / name
        if self.readable:
            kept = _load(path)
            if kept is not None:
                return kept
        data = draw()
        if self.writable:
            _store(path, data)
        return data

    def prune(self) -> None:
        """Forget pictures this build did not ask for (call only after a build that drew all),
        and whatever else is in the folder (older formats, files left by a killed build)."""
        if self.folder is None or not self.writable or not self.folder.is_dir():
            return
        for entry in os.scandir(self.folder):
            if entry.name not in self.used:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _load(path: Path) -> bytes | None:
    """The kept PNG at `path`, or None: none kept, or damaged."""
    try:
        data = bytes(cachefile.only_record(cachefile.read(path)))
    except (OSError, ValueError):
        return None
    return data if data.startswith(_PNG) else None


def _store(path: Path, data: bytes) -> None:
    # A cache is a convenience: a read-only checkout still builds, it only draws again next time.
    with contextlib.suppress(OSError):
        write_atomically(path, cachefile.seal(data))
