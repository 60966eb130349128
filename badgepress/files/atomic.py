"""Writing one file so that readers (git, a build, an editor) never see half of it."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomically(target: Path, data: bytes, mode: int = 0o666) -> None:
    """Write `data` to a temporary file beside `target`, then rename it over `target`.

    `mode` is filtered by the umask, as for any new file (0o600: only the owner may read).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        if temporary.exists():
            temporary.unlink()  # left by a crashed run with the same process id
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    finally:
        if temporary.exists():
            temporary.unlink()
