"""Watching a site's sources for `badgepress serve`: which changes count, and debounced rebuilds."""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path, PurePath

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from ..content.project import Project

# The folders whose files are inputs of a build (content/site.yaml lives in content/).
WATCHED_FOLDERS = ("content", "assertions", "templates", "locales")

# Files editors write beside the one being saved: vim swap files and its write test (4913),
# emacs lock and autosave files, backups, JetBrains safe-write files, partial downloads.
_NOISE_SUFFIXES = (
    "~",
    ".swp",
    ".swo",
    ".swx",
    ".swpx",
    ".tmp",
    ".bak",
    ".part",
    ".crdownload",
    "___jb_tmp___",
    "___jb_old___",
)


# `sed -i` writes its result to sedXXXXXX beside the file, then renames it over the file.
_SED_TEMPORARY = re.compile(r"sed[A-Za-z0-9]{6}")


def is_editor_noise(name: str) -> bool:
    """True for temporary and swap file names; dot-files are never sources either."""
    return (
        name.startswith(".")
        or (name.startswith("#") and name.endswith("#"))
        or name.endswith(_NOISE_SUFFIXES)
        or name == "4913"
        or _SED_TEMPORARY.fullmatch(name) is not None
    )


def source_change(root: Path, path: str) -> str | None:
    """`path` relative to the site root when a change there can change the site, else None."""
    try:
        relative = PurePath(path).relative_to(root)
    except ValueError:
        return None
    parts = relative.parts
    if not parts or parts[0] not in WATCHED_FOLDERS:
        return None
    if parts[0] == "assertions":
        # Every assertion file counts, whatever folder it is in (`.old/` too: nothing under
        # assertions/ is skipped), and so does anything else there: the build reports it.
        name = parts[-1]
        if is_editor_noise(name) and not name.endswith((".yaml", ".yml")):
            return None
        return relative.as_posix()
    if any(is_editor_noise(part) for part in parts[1:]):
        return None
    return relative.as_posix()


def changes_between(before: dict, after: dict) -> list[str]:
    """The source files that differ between two snapshots of `inputs.input_stats`, or
    that may have changed unseen (modified in the clock tick of the first one), by path."""
    changes = []
    for folder in WATCHED_FOLDERS:
        old, new = before.get(folder, {}), after.get(folder, {})
        for rel in sorted(old.keys() | new.keys()):
            stamp = old.get(rel)
            differs = stamp is None or stamp != new.get(rel) or stamp[0] == -1
            if differs and not any(is_editor_noise(part) for part in rel.split("/")[1:]):
                changes.append(rel)
    return changes


class Debouncer:
    """Runs `action(changes)` once events pause for `quiet` seconds (at most `patience` after the
    first); events that arrive during a run cause exactly one more run."""

    def __init__(
        self,
        action: Callable[[list[str]], None],
        quiet: float = 0.1,
        patience: float = 1.0,
    ):
        self._action = action
        self._quiet = quiet
        self._patience = patience
        self._changes: set[str] = set()
        self._first = self._last = 0.0
        self._stopped = False
        self._wake = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="badgepress-rebuild", daemon=True)
        self._thread.start()

    def poke(self, change: str) -> None:
        """Something changed: run the action soon."""
        with self._wake:
            now = time.monotonic()
            if not self._changes:
                self._first = now
            self._last = now
            self._changes.add(change)
            self._wake.notify()

    def _due(self) -> float:
        return min(self._last + self._quiet, self._first + self._patience)

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._stopped and (not self._changes or time.monotonic() < self._due()):
                    self._wake.wait(
                        None if not self._changes else max(0.0, self._due() - time.monotonic())
                    )
                if self._stopped:
                    return
                changes = sorted(self._changes)
                self._changes.clear()
            self._action(changes)

    def stop(self, timeout: float) -> None:
        """No more runs; wait up to `timeout` seconds for one in progress."""
        with self._wake:
            self._stopped = True
            self._wake.notify()
        self._thread.join(timeout)


class _SourceEvents(FileSystemEventHandler):
    """Turns watchdog events into Debouncer pokes; schedules folders created after the start."""

    def __init__(self, watcher: SourceWatcher):
        self._watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or (
            event.is_directory and event.event_type == "modified"
        ):
            return  # reads and directory mtime updates change no source
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if not path:
                continue
            path = path.decode() if isinstance(path, bytes) else path
            if Path(path).parent == self._watcher.root and Path(path).name in WATCHED_FOLDERS:
                self._watcher.watch_folders(Path(path).name)
            change = source_change(self._watcher.root, path)
            if change is not None:
                self._watcher.debouncer.poke(change)


class SourceWatcher:
    """watchdog on content/, assertions/, templates/, locales/ (recursive) and the site root (not)."""

    def __init__(self, project: Project, debouncer: Debouncer, observer_class=Observer):
        # Not the whole tree: the output folder, .git and node_modules would cost inotify
        # watches (one per folder) and wake rebuilds for files the build writes itself.
        self.root = project.root
        self.debouncer = debouncer
        self._handler = _SourceEvents(self)
        self._observer = observer_class()
        self._watches: dict[str, object] = {}
        self._lock = threading.Lock()
        self._observer.schedule(self._handler, str(self.root), recursive=False)
        self.watch_folders()

    def watch_folders(self, *names: str) -> None:
        """Watch these source folders (default: all) if they exist now, anew if made again."""
        with self._lock:
            for name in names or WATCHED_FOLDERS:
                folder = self.root / name
                watch = self._watches.pop(name, None)
                if watch is not None:
                    with contextlib.suppress(KeyError):  # its folder was deleted: watch gone
                        self._observer.unschedule(watch)
                if folder.is_dir():
                    self._watches[name] = self._observer.schedule(
                        self._handler, str(folder), recursive=True
                    )

    def start(self) -> None:
        """Start watching; OSError when the system refuses (e.g. out of inotify watches)."""
        self._observer.start()

    def stop(self) -> None:
        self._observer.stop()
        self._observer.join(5)
