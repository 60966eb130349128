"""What git knows about the site repository: commit times and when files were added.

Every function degrades to 'unknown' (None / empty) outside a repository or without git,
so a site still builds from a plain folder or a shallow clone.
"""

from __future__ import annotations

import contextlib
import datetime
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import msgspec

from . import cachefile, gitdir
from .atomic import write_atomically
from .project import assertion_file_id


class _Git:
    """One git command, started at once; `output()` waits for it: its standard output, or None
    (no git, not a repository, a failure, or no answer within a minute)."""

    def __init__(self, root: Path, *args: str) -> None:
        self._process = None
        self.error = ""  # what a failed command printed
        if shutil.which("git") is None:
            return
        with contextlib.suppress(OSError):
            self._process = subprocess.Popen(
                ["git", "-C", str(root), *args],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )

    def output(self) -> str | None:
        if self._process is None:
            return None
        try:
            out, err = self._process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.communicate()
            return None
        if self._process.returncode != 0:
            self.error = err
            return None
        return out


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


def has_uncommitted_changes(root: Path) -> bool:
    """Whether tracked files differ from HEAD (untracked files do not count); False without git."""
    out = _git(root, "status", "--porcelain", "--untracked-files=no")
    return bool(out and out.strip())


def init_repository(root: Path, branch: str) -> bool:
    """`git init` a new site folder unless it already sits in a repository; False without git.

    Its first branch is `branch` whatever git's own default (`init.defaultBranch`, often
    still master). `symbolic-ref` rather than `init -b`: git before 2.28 has no -b."""
    if repository(root) is not None:
        return False
    if _git(root, "init", "--quiet") is None:
        return False
    _git(root, "symbolic-ref", "HEAD", f"refs/heads/{branch}")
    return True


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

    added: Mapping[str, datetime.datetime]
    deleted: list[Deleted]


def history(root: Path, folder: str) -> History:
    """When each file under `folder` was first added (path relative to root, POSIX → the
    earliest commit's time; a file moved keeps the time of the file it was) and the deletions
    of `deleted_files`, from one walk of the history (one `git log`: on a long history, each
    walk is the expensive part)."""
    return HistoryWalk(root, folder).result()


@dataclass(frozen=True)
class Walked:
    """What one walk of `git log` found, in a form two walks can be joined in: a walk of the
    commits since an earlier walk's HEAD, then that walk, gives what one walk of them all gives.

    Times are seconds since the epoch (git's %ct). `added`: path → the earliest time of its A
    entries (a merge adds again what its branch added); `renames`: (from, to), newest first;
    `deleted`: (path, commit, time) of the first D entry seen of each path (the latest).
    """

    added: dict[str, int]
    renames: list[tuple[str, str]]
    deleted: list[tuple[str, str, int]]

    def then(self, older: Walked) -> Walked:
        """This walk, of the commits since `older`'s HEAD, followed by `older`'s."""
        newer = {path for path, _commit, _time in self.deleted}
        added = dict(older.added)
        for path, time in self.added.items():
            added[path] = min(time, added.get(path, time))
        return Walked(
            added,
            self.renames + older.renames,
            self.deleted + [d for d in older.deleted if d[0] not in newer],
        )

    def history(self) -> History:
        added = dict(self.added)
        # A moved file keeps its first name's time: `issued_on` defaults to the commit that
        # added the file (content-format.md), and moving it into a folder does not issue it.
        for old, new in reversed(self.renames):  # oldest first, so that chains resolve
            before = added.get(old)
            if before is not None and (new not in added or before < added[new]):
                added[new] = before
        deleted = [Deleted(path, sha, _utc(time)) for path, sha, time in self.deleted]
        return History(Times(added), deleted)


def _utc(seconds: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)


class Times(Mapping):
    """path → datetime (UTC), from seconds since the epoch, made when asked for: a build looks
    up the few files without `issued_on`, not the 10,000 others."""

    def __init__(self, seconds: dict[str, int]):
        self._seconds = seconds

    def __getitem__(self, path: str) -> datetime.datetime:
        return _utc(self._seconds[path])

    def __iter__(self) -> Iterator[str]:
        return iter(self._seconds)

    def __len__(self) -> int:
        return len(self._seconds)


# A merge is read as the change it made to its first parent, the branch merged into
# (--diff-merges=first-parent), and every side of it is walked (--full-history). By default git
# shows no change for a merge and, when a merge leaves a folder as one parent had it, follows
# only that parent: a badge issued on the branch merged into, then dropped by the merge (a
# conflict resolved by taking the other side), would show neither its addition nor its
# deletion, and its published URL would stop answering.
_MERGES = ("--full-history", "--diff-merges=first-parent")


class _Log:
    """`git log` of the files under a folder, started at once; `output()` as `_Git`'s.

    git before 2.31 has no --diff-merges: it is then run again without, and merges are read
    as git shows them by default (a badge a merge dropped is not seen)."""

    def __init__(self, root: Path, revisions: str, folder: str) -> None:
        self._root, self._revisions, self._folder = root, revisions, folder
        self._git = self._start(_MERGES)

    def _start(self, merges: tuple[str, ...]) -> _Git:
        # -M: moves are renames (R), not a deletion and an addition, whatever diff.renames says.
        return _Git(
            self._root,
            "log",
            "-M",
            *merges,
            "--diff-filter=ADR",
            "--format=%x00%H %ct",
            "--name-status",
            "--relative",
            self._revisions,
            "--",
            self._folder,
        )

    def output(self) -> str | None:
        out = self._git.output()
        if out is None and "--diff-merges" in self._git.error:
            out = self._start(()).output()
        return out


def _parse_log(out: str) -> Walked:
    added: dict[str, int] = {}
    renames: list[tuple[str, str]] = []
    deleted: dict[str, tuple[str, str, int]] = {}
    for entry in out.split("\0")[1:]:
        lines = entry.strip().splitlines()
        if not lines:
            continue
        sha, when = lines[0].split(" ", 1)
        time = int(when)
        for line in lines[1:]:
            status, _tab, path = line.partition("\t")
            path = path.strip()
            if not path:
                continue
            if status == "A":
                # The earliest: a badge issued on a branch is also added by the merge.
                added[path] = min(time, added.get(path, time))
            elif status == "D" and path not in deleted:  # the latest deletion wins
                deleted[path] = (path, sha, time)
            elif status.startswith("R"):  # R<similarity>, then the old and the new path
                old, _tab, new = path.partition("\t")
                if assertion_file_id(old) == assertion_file_id(new):  # moved: the same badge
                    renames.append((old, new))
                elif new:  # similar text under another name: one badge gone, another issued
                    added[new] = time
                    if old not in deleted:
                        deleted[old] = (old, sha, time)
    return Walked(added, renames, list(deleted.values()))


class HistoryWalk:
    """`history`, walked by git in the background while the caller goes on: a build starts it
    first and takes the result when it reads the assertion files.

    With a `cache` file, what the walk found is kept for the commit it walked from. At that
    commit again (every build between two commits: the editing loop) git is not run at all;
    after new commits on top of it (no merge among them), git walks only those. Anything else
    (another branch, an amended or rebased commit, a merge, a shallow clone, grafts or `git
    replace` objects, a HEAD that cannot be read from .git) walks the whole history, as
    without a cache. A walk's cost
    grows with the history: ~1.3 s at 10,000 commits of one badge each, per build.
    """

    def __init__(self, root: Path, folder: str, cache: Path | None = None) -> None:
        self._root, self._folder = root, folder
        self._cache = cache  # where this walk is kept for the next
        self._head: str | None = None  # the commit walked from (None: HEAD, and nothing kept)
        self._key: tuple[str, str] = (folder, "")  # what a kept walk must be of: folder, prefix
        self._base: str | None = None  # the commit the kept walk is of
        self._kept: Walked | None = None
        self._since: tuple[_Log, _Git] | None = None  # log and rev-list of base..head
        self._git: _Log | None = None  # the whole walk
        # Without git, nothing is known of history (as in a clean build), kept or not.
        usable = cache is not None and shutil.which("git") is not None
        repository = gitdir.find(root) if usable else None
        # Grafts and replacement objects change history under the same HEAD: walk it whole.
        if (
            repository is not None
            and not repository.shallow
            and not gitdir.history_rewrites(repository)
        ):
            self._head = gitdir.head(repository)
        if self._head is None:
            self._git = _Log(root, "HEAD", folder)
            return
        self._key = (folder, root.resolve().relative_to(repository.top).as_posix())
        kept = _load(cache, self._key)
        if kept is None:
            self._git = _Log(root, self._head, folder)
            return
        self._base, self._kept = kept
        if self._base != self._head:
            revisions = f"{self._base}..{self._head}"
            self._since = (
                _Log(root, revisions, folder),
                _Git(root, "rev-list", "--parents", revisions),
            )

    def result(self) -> History:
        return self._walk().history()

    def _walk(self) -> Walked:
        if self._head is None:
            return _parse_log(self._git.output() or "")
        if self._base == self._head:
            return self._kept  # walked from this very commit: no git at all
        walked = None
        if self._since is not None:
            log, parents = (git.output() for git in self._since)
            if log is not None and _linear(parents, self._base, self._head):
                walked = _parse_log(log).then(self._kept)
            else:  # not on top of the kept walk's commit: walk it all
                self._git = _Log(self._root, self._head, self._folder)
        if walked is None:
            out = self._git.output()
            if out is None:
                return _parse_log("")  # git failed: nothing known, nothing kept
            walked = _parse_log(out)
        if self._cache is not None:
            _store(self._cache, self._key, self._head, walked)
        return walked


def _linear(parents: str | None, base: str, head: str) -> bool:
    """Whether `git rev-list --parents base..head` lists a chain of single-parent commits from
    `head` down to a child of `base`: then a walk from `head` is that chain, then `base`'s walk."""
    if not parents:
        return False
    expected = head
    for line in parents.splitlines():
        commit = line.split()
        if len(commit) != 2 or commit[0] != expected:
            return False
        expected = commit[1]
    return expected == base


_CACHE_FORMAT = 2  # 2: merges read as their change to the first parent


class _Kept(msgspec.Struct, array_like=True, forbid_unknown_fields=True):
    """A walk kept in `HistoryWalk`'s cache file (sealed MessagePack: `cachefile`)."""

    format: int
    key: tuple[str, str]  # the folder walked, the site's folder in its repository
    head: str  # the commit walked from
    added: dict[str, int]
    renames: list[tuple[str, str]]
    deleted: list[tuple[str, str, int]]


def _load(path: Path, key: tuple) -> tuple[str, Walked] | None:
    """(the commit walked from, the walk) kept in `path` for `key`, or None."""
    try:
        payload = cachefile.only_record(cachefile.read(path))
        kept = msgspec.msgpack.decode(payload, type=_Kept)
    except (OSError, ValueError, msgspec.DecodeError, RecursionError):  # none yet, or damaged
        return None
    if kept.format != _CACHE_FORMAT or kept.key != key:
        return None
    return kept.head, Walked(kept.added, kept.renames, kept.deleted)


def _store(path: Path, key: tuple, head: str, walked: Walked) -> None:
    kept = _Kept(_CACHE_FORMAT, key, head, walked.added, walked.renames, walked.deleted)
    # A cache is a convenience: a read-only checkout still builds, it only walks again.
    with contextlib.suppress(OSError):
        write_atomically(path, cachefile.seal(msgspec.msgpack.encode(kept)))


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
