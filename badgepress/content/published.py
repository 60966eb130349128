"""Which badges the deploy branch published: its commits replayed, oldest first. Pure, no I/O.

What counts as publishing is the first-parent history of HEAD: the commits of the branch that
is deployed, each read as the change it made to the one before (a merge as the change it made
to the branch merged into). A badge added and removed inside a branch that was never merged, or
squashed away, never reached the deployed site; one the branch ever added did, and its URL
answers for good (see `permanence`).

Everything is kept as plain dicts of strings and numbers, so that a walk of history can be
kept between builds (`gitlog.HistoryWalk`, in its cache file), read back in milliseconds, and
extended by newer commits without walking again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .project import assertion_file_id

# One commit of the chain: (sha, time in seconds since the epoch, changes), a change being
# ("A", path), ("D", path) or ("R", old path, new path), paths relative to the site.
Event = tuple[str, int, list[tuple[str, ...]]]


@dataclass(frozen=True)
class Withdrawal:
    """The commit that removed an id's last file: its `path` then, the `commit` and its time."""

    path: str
    commit: str
    time: int


@dataclass
class Published:
    """Every id the chain ever added under assertions/, replayed commit by commit.

    `order`: id → the number of the commit (counting only commits that changed assertion
    files) that first added it. Later commits get later numbers, so the order of ids already
    published never changes, whatever is added or removed after them. `files`: id → its
    files at the last commit replayed, joined by newlines (usually one; absent when none).
    `withdrawn`: id → (path, commit, time) of the latest commit after which no file had the
    id (the id may have come back since: a restore, or an attempt to reuse it).
    `commits`: how many commits were replayed; `last`: the sha of the latest.
    """

    order: dict[str, int] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    withdrawn: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    commits: int = 0
    last: str = ""

    def replay(self, events: Iterable[Event]) -> Published:
        """These commits, oldest first, on top of what is replayed already (changes `self`)."""
        for sha, time, changes in events:
            self.commits += 1
            self.last = sha
            self._commit(sha, time, changes)
        return self

    def _commit(self, sha: str, time: int, changes: list[tuple[str, ...]]) -> None:
        removed: dict[str, str] = {}  # id → the path this commit removed (the last, by name)
        for change in changes:
            if change[0] == "A":
                self._add(change[1])
            elif change[0] == "D":
                self._remove(change[1], removed)
            elif assertion_file_id(change[1]) == assertion_file_id(change[2]):
                # Moved: the same badge in another folder.
                self._remove(change[1], None)
                self._add(change[2])
            else:  # git paired two names by their text: one badge gone, another issued
                self._remove(change[1], removed)
                self._add(change[2])
        for assertion_id, path in removed.items():
            # No file has the id after this commit. (A deletion of a file never seen added, in
            # a history cut by a graft, say, counts too: that badge was published all the same.)
            if assertion_id not in self.files:
                self.withdrawn[assertion_id] = (path, sha, time)

    def _add(self, path: str) -> None:
        assertion_id = assertion_file_id(path)
        self.order.setdefault(assertion_id, self.commits)
        paths = self.paths(assertion_id)
        if path not in paths:
            self.files[assertion_id] = "\n".join(sorted([*paths, path]))

    def _remove(self, path: str, removed: dict[str, str] | None) -> None:
        assertion_id = assertion_file_id(path)
        self.order.setdefault(assertion_id, self.commits)
        paths = [p for p in self.paths(assertion_id) if p != path]
        if paths:
            self.files[assertion_id] = "\n".join(paths)
        else:
            self.files.pop(assertion_id, None)
        if removed is not None:
            removed[assertion_id] = max(path, removed.get(assertion_id, path))

    def paths(self, assertion_id: str) -> list[str]:
        """The files that had this id at the last commit replayed ([] when withdrawn)."""
        found = self.files.get(assertion_id)
        return found.split("\n") if found else []

    def withdrawal(self, assertion_id: str) -> Withdrawal | None:
        """The latest commit that removed this id's last file, if one did."""
        found = self.withdrawn.get(assertion_id)
        return Withdrawal(*found) if found is not None else None

    def added_by_last(self, assertion_id: str) -> bool:
        """Whether the latest commit replayed first added this id."""
        return self.order.get(assertion_id) == self.commits
