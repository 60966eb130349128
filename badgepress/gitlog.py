"""What git knows about the site repository: commit times and when files were added.

Every function degrades to 'unknown' (None / empty) outside a repository or without git,
so a site still builds from a plain folder or a shallow clone.
"""

from __future__ import annotations

import datetime
import shutil
import subprocess
from pathlib import Path


def _git(root: Path, *args: str) -> str | None:
    if shutil.which("git") is None:
        return None
    try:
        result = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def _parse_time(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text.strip()).astimezone(datetime.timezone.utc)


def head_commit(root: Path) -> tuple[str, datetime.datetime] | None:
    """(sha, commit time) of HEAD, or None outside a repository."""
    out = _git(root, "log", "-1", "--format=%H %cI")
    if not out or not out.strip():
        return None
    sha, when = out.split(" ", 1)
    return sha, _parse_time(when)


def added_times(root: Path, folder: str) -> dict[str, datetime.datetime]:
    """Path (relative to root, POSIX) → time of the earliest commit that added it, under `folder`."""
    top = _git(root, "rev-parse", "--show-prefix")
    out = _git(
        root,
        "log",
        "--diff-filter=A",
        "--format=%x00%cI",
        "--name-only",
        "--relative",
        "--",
        folder,
    )
    if top is None or not out:
        return {}
    added: dict[str, datetime.datetime] = {}
    for entry in out.split("\0")[1:]:
        lines = entry.strip().splitlines()
        if not lines:
            continue
        when = _parse_time(lines[0])
        for path in lines[1:]:
            if path.strip():
                added[path.strip()] = when  # log runs newest first: the last seen is the earliest
    return added
