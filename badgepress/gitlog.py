"""What git knows about the site repository: commit times and when files were added.

Every function degrades to 'unknown' (None / empty) outside a repository or without git,
so a site still builds from a plain folder or a shallow clone.
"""

from __future__ import annotations

import contextlib
import datetime
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


class _Git:
    """One git command, started at once; `output()` waits for it: its standard output, or None
    (no git, not a repository, a failure, or no answer within a minute)."""

    def __init__(self, root: Path, *args: str) -> None:
        self._process = None
        if shutil.which("git") is None:
            return
        with contextlib.suppress(OSError):
            self._process = subprocess.Popen(
                ["git", "-C", str(root), *args],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )

    def output(self) -> str | None:
        if self._process is None:
            return None
        try:
            out, _err = self._process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.communicate()
            return None
        return out if self._process.returncode == 0 else None


def _git(root: Path, *args: str) -> str | None:
    return _Git(root, *args).output()


def _parse_time(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text.strip()).astimezone(datetime.timezone.utc)


def head_commit(root: Path) -> tuple[str, datetime.datetime] | None:
    """(sha, commit time) of HEAD, or None outside a repository."""
    out = _git(root, "log", "-1", "--format=%H %cI")
    if not out or not out.strip():
        return None
    sha, when = out.split(" ", 1)
    return sha, _parse_time(when)


def init_repository(root: Path) -> bool:
    """`git init` a new site folder unless it already sits in a repository; False without git."""
    if repository(root) is not None:
        return False
    return _git(root, "init", "--quiet") is not None


@dataclass(frozen=True)
class Repository:
    """Where the site sits in git: the path prefix of its folder and whether history is cut."""

    prefix: str  # the site folder relative to the repository's top ('' at the top), with '/'
    shallow: bool


def repository(root: Path) -> Repository | None:
    """The repository holding `root`, or None outside git (one git call)."""
    out = _git(root, "rev-parse", "--show-prefix", "--is-shallow-repository")
    if out is None:
        return None
    lines = out.split("\n")
    return Repository(lines[0].strip(), len(lines) > 1 and lines[1].strip() == "true")


@dataclass(frozen=True)
class Deleted:
    """A file deleted in history: its path (relative to the site) and the deleting commit."""

    path: str
    commit: str
    time: datetime.datetime


def deleted_files(root: Path, folder: str) -> list[Deleted]:
    """Files under `folder` deleted in history (and not there now), the latest deletion each.

    Renames are not deletions: git's rename detection reports a moved file as R, not D.
    """
    return [d for d in history(root, folder).deleted if not (root / d.path).exists()]


@dataclass(frozen=True)
class History:
    """What git's history says of the files under a folder: when each was first added, and the
    latest deletion of each deleted one (newest first; the file may be back)."""

    added: dict[str, datetime.datetime]
    deleted: list[Deleted]


def history(root: Path, folder: str) -> History:
    """When each file under `folder` was first added (path relative to root, POSIX → the
    earliest commit's time) and the deletions of `deleted_files`, from one walk of the history
    (one `git log`: on a long history, each walk is the expensive part)."""
    return HistoryWalk(root, folder).result()


class HistoryWalk:
    """`history`, walked by git in the background while the caller goes on: a build starts it
    first and takes the result when it reads the assertion files."""

    def __init__(self, root: Path, folder: str) -> None:
        self._git = _Git(
            root,
            "log",
            "--diff-filter=AD",
            "--format=%x00%H %cI",
            "--name-status",
            "--relative",
            "--",
            folder,
        )

    def result(self) -> History:
        return _parse_history(self._git.output())


def _parse_history(out: str | None) -> History:
    added: dict[str, datetime.datetime] = {}
    deleted: dict[str, Deleted] = {}
    for entry in (out or "").split("\0")[1:]:
        lines = entry.strip().splitlines()
        if not lines:
            continue
        sha, when = lines[0].split(" ", 1)
        time = _parse_time(when)
        for line in lines[1:]:
            status, _tab, path = line.partition("\t")
            path = path.strip()
            if not path:
                continue
            if status == "A":
                added[path] = time  # log runs newest first: the last seen is the earliest
            elif status == "D" and path not in deleted:  # the latest deletion wins
                deleted[path] = Deleted(path, sha, time)
    return History(added, list(deleted.values()))


def file_contents(root: Path, specs: list[str]) -> dict[str, bytes]:
    """`<rev>:<path>` → the blob's bytes, for every spec git has, in one `git cat-file --batch`."""
    if not specs or shutil.which("git") is None:
        return {}
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "cat-file", "--batch"],
            input="".join(spec + "\n" for spec in specs).encode("utf-8"),
            capture_output=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return {}
    if result.returncode != 0:
        return {}
    data, offset, found = result.stdout, 0, {}
    for spec in specs:
        end = data.find(b"\n", offset)
        if end < 0:
            break
        header = data[offset:end].split()
        offset = end + 1
        if len(header) == 3 and header[1] == b"blob" and header[2].isdigit():
            size = int(header[2])
            found[spec] = data[offset : offset + size]
            offset += size + 1  # the blob is followed by a newline
        elif len(header) == 3 and header[2].isdigit():  # a tree or commit: skip its bytes
            offset += int(header[2]) + 1
    return found
