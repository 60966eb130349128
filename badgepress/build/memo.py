"""Assertion files as the last build read them, kept in the incremental state: a file whose
stat (and, for an undated one, the date git gives it) is unchanged is not read again."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import NamedTuple

from ..content.load import AssertionFile


class Reading(NamedTuple):
    """An assertion file as last read (`AssertionMemo.files`); kept in the incremental state as
    the array msgspec makes of it (`state_codec`)."""

    stamp: tuple[int, int, bool]  # (mtime_ns, size, plaintext_recipients) when it was read
    dates: tuple[datetime.datetime | None, datetime.datetime | None] | None  # AssertionMemo.dates
    file: AssertionFile


class AssertionMemo:
    """Readings of assertion files by path and stat (mtime, size): unchanged files are not re-read."""

    def __init__(self) -> None:
        self.files: dict[str, Reading] = {}
        self.fresh: set[str] = set()  # assertion ids read again by the latest build
        # Paths whose entry the latest build added, changed or dropped.
        self.changed: set[str] = set()
        self.racy_after = 0  # files modified since then (ns) may change unseen: never trusted
        # (mtime_ns, size) of every file under assertions/ by path, from the incremental
        # fingerprint (racy files' mtime -1); None: the loader looks at the folder itself.
        self.listing: dict[str, tuple[int, int]] | None = None
        # What else the fingerprint's look at assertions/ found (assertion_tree: path, message).
        self.problems: list[tuple[str, str]] = []
        # When the latest build read every file again: its entries by bucket, as encoded by the
        # loader's shards (`incremental.reading_parts`), for the state to keep as they are.
        self.parts: dict[int, list[bytes]] | None = None

    def __getstate__(self) -> dict:
        return {"files": self.files}

    def __setstate__(self, state: dict) -> None:
        self.__init__()
        self.files = state["files"]

    @staticmethod
    def dates(file: AssertionFile, added: datetime.datetime | None, now: datetime.datetime):
        """What a reading depends on besides the file: for an assertion without `issued_on`,
        the time git added it, else (not committed yet) the build's time; nothing for others."""
        if not file.dated_by_git:
            return None
        return (added, None) if added is not None else (None, now)

    def lookup(
        self, rel: str, stamp: tuple, added: Mapping, now: datetime.datetime
    ) -> AssertionFile | None:
        """The earlier reading of `rel` if its stamp, and the dates it was read with (`added`:
        path → time git added it), are unchanged."""
        entry = self.files.get(rel)
        if entry is None or entry.stamp != stamp:
            return None
        file = entry.file
        if file.dated_by_git and entry.dates != self.dates(file, added.get(rel), now):
            return None
        return file

    def update(self, present: list[str], read: Mapping[str, Reading]):
        """The files now are `present`; the entries (path → Reading) `read` again
        replace their readings, the others' stay. `changed` names the paths read again or gone."""
        gone = self.files.keys() - set(present)
        for rel in gone:
            del self.files[rel]
        self.files.update(read)
        self.changed = gone | read.keys()
