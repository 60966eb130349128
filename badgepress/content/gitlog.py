"""What git knows about the site repository: commit times and when files were added.

Every function degrades to 'unknown' (None / empty) outside a repository or without git, so
a site still builds from a plain folder; a walk of history that git could not make says so
(History.error), and what to do then is `permanence`'s decision.
"""

from __future__ import annotations

import contextlib
import datetime
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from ..files import cachefile
from ..files.atomic import write_atomically
from . import gitdir
from .assertion_tree import is_assertion_file
from .project import assertion_file_id
from .published import Event, Published


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
    """A badge withdrawn in history: its last file (relative to the site) and the commit that
    removed it."""

    path: str
    commit: str
    time: datetime.datetime


def deleted_files(root: Path, folder: str) -> list[Deleted]:
    """The badges withdrawn in the history of `folder` whose file is not there now, newest first.

    A file moved to another folder is not withdrawn: git's rename detection reports a move as R,
    and a badge is its id (its file's name), whatever folder holds it.
    """
    return [d for d in history(root, folder).deleted if not (root / d.path).exists()]


@dataclass(frozen=True)
class History:
    """What git's history says of the assertion files under a folder.

    `added`: when each id was first added anywhere in history (the time of the earliest commit;
    a moved file keeps it), looked up by id or by a file's path. `published`: what the
    first-parent chain of HEAD published, replayed (published.Published). `error`: why git
    could not walk the history; then nothing is known, and a build must not guess.
    """

    added: Mapping[str, datetime.datetime]
    published: Published = field(default_factory=Published)
    error: str = ""

    @property
    def deleted(self) -> list[Deleted]:
        """The badges withdrawn now (no file of HEAD has their id), newest first."""
        found = []
        for assertion_id in self.published.withdrawn:
            withdrawal = self.published.withdrawal(assertion_id)
            if withdrawal is not None and not self.published.paths(assertion_id):
                found.append(Deleted(withdrawal.path, withdrawal.commit, _utc(withdrawal.time)))
        found.sort(key=lambda d: (d.time, d.path), reverse=True)
        return found


def history(root: Path, folder: str) -> History:
    """What git's history says of the assertion files under `folder` (see History), from one
    walk of the history (one `git log`: on a long history, each walk is the expensive part)."""
    return HistoryWalk(root, folder).result()


@dataclass(frozen=True)
class Walked:
    """What one walk of history found, in a form the next walk extends: a walk of the commits
    since an earlier walk's HEAD replays them on top of that walk (`_walked`).

    `added`: id → the earliest time (git's %ct, seconds since the epoch) of its files' additions
    in any commit (a merge adds again what its branch added); `published`: the chain replayed.
    """

    added: dict[str, int]
    published: Published
    error: str = ""

    def history(self) -> History:
        return History(Times(self.added), self.published, self.error)


def _walked(parsed: tuple[dict[str, int], list[Event]], older: Walked | None = None) -> Walked:
    """A walk's parsed log (`_parse_log`), on top of the `older` walk it continues, if any."""
    added, events = parsed
    if older is None:
        return Walked(added, Published().replay(events))
    joined = dict(older.added)
    for assertion_id, time in added.items():
        joined[assertion_id] = min(time, joined.get(assertion_id, time))
    return Walked(joined, older.published.replay(events))


def _utc(seconds: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)


class Times(Mapping):
    """id → datetime (UTC), from seconds since the epoch, made when asked for: a build looks
    up the few files without `issued_on`, not the 10,000 others. A file's path may stand for
    its id (`times.get("assertions/2026/k7f3q9x2mb4d.yaml")`): a badge is dated by its id, so a
    file moved, even before the move is committed, keeps its date."""

    def __init__(self, seconds: dict[str, int]):
        self._seconds = seconds

    def __getitem__(self, key: str) -> datetime.datetime:
        return _utc(self._seconds[assertion_file_id(key)])

    def __iter__(self) -> Iterator[str]:
        return iter(self._seconds)

    def __len__(self) -> int:
        return len(self._seconds)


# A merge is read as the change it made to its first parent, the branch merged into
# (--diff-merges=first-parent), and every side of it is walked (--full-history). By default git
# shows no change for a merge and, when a merge leaves a folder as one parent had it, follows
# only that parent: a badge issued on the branch merged into, then dropped by the merge (a
# conflict resolved by taking the other side), would show neither its addition nor its
# deletion, and its published URL would stop answering. Which commits are the chain (the
# first-parent history of HEAD: what was deployed) comes from `git rev-list --first-parent`.
_MERGES = ("--full-history", "--diff-merges=first-parent")


class _Log:
    """`git log` of the files under a folder, and which of its commits are the first-parent
    chain of `chain_of`, started at once; `walk()` parses them (None when git failed). With
    `chain_of` None, every commit walked is on the chain (commits on top of a kept walk).

    git before 2.31 has no --diff-merges: the walk is then run again without, which shows no
    change for a merge, for the dates; and the chain is walked on its own (--first-parent -m:
    each of its merges as the change it made to the first parent)."""

    def __init__(self, root: Path, revisions: str, folder: str, chain_of: str | None) -> None:
        self._root, self._revisions, self._folder = root, revisions, folder
        self._git = self._start(_MERGES)
        self._chain = (
            _Git(root, "rev-list", "--first-parent", chain_of) if chain_of is not None else None
        )
        self.error = ""

    def _start(self, options: tuple[str, ...]) -> _Git:
        # -M: moves are renames (R), not a deletion and an addition, whatever diff.renames says.
        # core.quotePath off: a folder named 'año' is listed as it is, not as "a\303\261o".
        return _Git(
            self._root,
            "-c",
            "core.quotePath=false",
            "log",
            "-M",
            *options,
            "--diff-filter=ADR",
            "--format=%x00%H %ct",
            "--name-status",
            "--relative",
            self._revisions,
            "--",
            self._folder,
        )

    def walk(self) -> tuple[dict[str, int], list[Event]] | None:
        out = self._git.output()
        if out is None and "--diff-merges" in self._git.error:
            old_git = self._start(("--full-history",))
            first_parent = self._start(("--first-parent", "-m")) if self._chain else None
            if self._chain is not None:
                self._chain.output()  # not needed: the chain is walked on its own
            out = old_git.output()
            if out is None:
                return self._failed(old_git)
            if first_parent is None:
                return _parse_log(out, None)
            chain = first_parent.output()
            if chain is None:
                return self._failed(first_parent)
            return _parse_log(out, None)[0], _parse_log(chain, None)[1]
        if out is None:
            return self._failed(self._git)
        chain = None
        if self._chain is not None:
            listed = self._chain.output()
            if listed is None:
                return self._failed(self._chain)
            chain = {sha: index for index, sha in enumerate(listed.split())}
        return _parse_log(out, chain)

    def _failed(self, git: _Git) -> None:
        self.error = git.error.strip()
        return None


def _parse_log(out: str, chain: dict[str, int] | None) -> tuple[dict[str, int], list[Event]]:
    """(id → the earliest time it was added, the chain's commits oldest first) of a walk;
    `chain`: sha → its place in the first-parent chain (0: HEAD), or None when every commit
    walked is on it (and git listed them newest first)."""
    added: dict[str, int] = {}
    events: list[Event] = []

    def add(path: str, time: int, changes: list) -> None:
        changes.append(("A", path))
        # The earliest: a badge issued on a branch is also added by the merge.
        assertion_id = assertion_file_id(path)
        added[assertion_id] = min(time, added.get(assertion_id, time))

    for entry in out.split("\0")[1:]:
        lines = entry.strip().splitlines()
        if not lines:
            continue
        sha, when = lines[0].split(" ", 1)
        time = int(when)
        changes: list[tuple[str, ...]] = []
        for line in lines[1:]:
            status, _tab, path = line.partition("\t")
            if not path.strip():
                continue
            if status.startswith("R"):  # R<similarity>, then the old and the new path
                old, _tab, new = path.partition("\t")
                old, new = _unquote(old), _unquote(new)
                if not (is_assertion_file(old) and is_assertion_file(new)):
                    if is_assertion_file(old):
                        changes.append(("D", old))
                    if is_assertion_file(new):
                        add(new, time, changes)
                elif assertion_file_id(old) == assertion_file_id(new):  # moved: the same badge
                    changes.append(("R", old, new))
                else:  # similar text under another name: one badge gone, another issued
                    changes.append(("D", old))
                    add(new, time, changes)
            elif not is_assertion_file(path := _unquote(path)):
                continue
            elif status == "A":
                add(path, time, changes)
            elif status == "D":
                changes.append(("D", path))
        if changes and (chain is None or sha in chain):
            events.append((sha, time, changes))
    if chain is None:
        events.reverse()
    else:
        events.sort(key=lambda event: chain[event[0]], reverse=True)
    return added, events


_C_ESCAPES = {ord(k): ord(v) for k, v in zip('abtnvfr"\\', '\a\b\t\n\v\f\r"\\', strict=True)}


def _unquote(path: str) -> str:
    """A path as git lists it, unquoted: with core.quotePath off, git still quotes a name
    holding a double quote, a backslash or a control character, C-style ("a\\tb")."""
    path = path.strip("\n")
    if not (len(path) > 1 and path.startswith('"') and path.endswith('"')):
        return path
    raw = bytearray()
    text = path[1:-1].encode("utf-8")
    index = 0
    escapes = _C_ESCAPES
    while index < len(text):
        byte = text[index]
        if byte == ord("\\") and index + 1 < len(text):
            following = text[index + 1]
            if following in escapes:
                raw.append(escapes[following])
                index += 2
                continue
            digits = text[index + 1 : index + 4]
            if len(digits) == 3 and all(ord("0") <= d <= ord("7") for d in digits):
                raw.append(int(digits, 8))
                index += 4
                continue
        raw.append(byte)
        index += 1
    return raw.decode("utf-8", errors="replace")


class HistoryWalk:
    """`history`, walked by git in the background while the caller goes on: a build starts it
    first and takes the result when it reads the assertion files.

    With a `cache` file, what the walk found is kept for the commit it walked from. At that
    commit again (every build between two commits: the editing loop) git is not run at all;
    after new commits on top of it (no merge among them), git walks only those. Anything else
    (another branch, an amended or rebased commit, a merge, a shallow clone, grafts or `git
    replace` objects, a HEAD that cannot be read from .git) walks the whole history, as
    without a cache. A walk's cost grows with the history: ~1.3 s at 10,000 commits of one
    badge each, per build.
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
            self._git = _Log(root, "HEAD", folder, "HEAD")
            return
        self._key = (folder, root.resolve().relative_to(repository.top).as_posix())
        kept = _load(cache, self._key)
        if kept is None:
            self._git = _Log(root, self._head, folder, self._head)
            return
        self._base, self._kept = kept
        if self._base != self._head:
            revisions = f"{self._base}..{self._head}"
            self._since = (
                _Log(root, revisions, folder, None),
                _Git(root, "rev-list", "--parents", revisions),
            )

    def result(self) -> History:
        return self._walk().history()

    def _walk(self) -> Walked:
        if self._head is None:
            return self._whole()
        if self._base == self._head:
            return self._kept  # walked from this very commit: no git at all
        walked = None
        if self._since is not None:
            log, parents = self._since
            parsed, listed = log.walk(), parents.output()
            if parsed is not None and _linear(listed, self._base, self._head):
                walked = _walked(parsed, self._kept)
            else:  # not on top of the kept walk's commit: walk it all
                self._git = _Log(self._root, self._head, self._folder, self._head)
        if walked is None:
            walked = self._whole()
            if walked.error:
                return walked  # nothing kept
        if self._cache is not None:
            _store(self._cache, self._key, self._head, walked)
        return walked

    def _whole(self) -> Walked:
        parsed = self._git.walk()
        if parsed is not None:
            return _walked(parsed)
        # A repository without a commit yet has no history, and that is no failure.
        unborn = _Git(self._root, "rev-parse", "--verify", "--quiet", "HEAD")
        if unborn.output() is None and not unborn.error.strip():
            return _walked(({}, []))
        return Walked({}, Published(), self._git.error or "git did not answer")


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


# 3: dated by id; what the first-parent chain published (published.Published)
_CACHE_FORMAT = 3


class _Kept(msgspec.Struct, array_like=True, forbid_unknown_fields=True):
    """A walk kept in `HistoryWalk`'s cache file (sealed MessagePack: `cachefile`): the dates,
    and what the first-parent chain published, as `published.Published` holds it."""

    format: int
    key: tuple[str, str]  # the folder walked, the site's folder in its repository
    head: str  # the commit walked from
    added: dict[str, int]
    order: dict[str, int]
    files: dict[str, str]
    withdrawn: dict[str, tuple[str, str, int]]
    commits: int
    last: str


def _load(path: Path, key: tuple) -> tuple[str, Walked] | None:
    """(the commit walked from, the walk) kept in `path` for `key`, or None."""
    try:
        payload = cachefile.only_record(cachefile.read(path))
        kept = msgspec.msgpack.decode(payload, type=_Kept)
    except (OSError, ValueError, msgspec.DecodeError, RecursionError):  # none yet, or damaged
        return None
    if kept.format != _CACHE_FORMAT or kept.key != key:
        return None
    published = Published(kept.order, kept.files, kept.withdrawn, kept.commits, kept.last)
    return kept.head, Walked(kept.added, published)


def _store(path: Path, key: tuple, head: str, walked: Walked) -> None:
    published = walked.published
    kept = _Kept(
        _CACHE_FORMAT,
        key,
        head,
        walked.added,
        published.order,
        published.files,
        published.withdrawn,
        published.commits,
        published.last,
    )
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
