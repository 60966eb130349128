"""Which file changes trigger a rebuild, the debouncer, and the watchdog watcher on real files."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from badgepress.content.project import Project
from badgepress.serve.watch import (
    Debouncer,
    SourceWatcher,
    changes_between,
    is_editor_noise,
    source_change,
)

ROOT = Path("/site")


@pytest.mark.parametrize(
    "name",
    [
        ".formative-feedback.md.swp",
        "formative-feedback.md~",
        "4913",
        "#site.yaml#",
        ".#site.yaml",
        "index.md___jb_tmp___",
        ".goutputstream-X1Y2Z3",
        "x.yaml.tmp",
        "sedwSeJvS",
    ],
)
def test_editor_temporary_files_are_noise(name):
    assert is_editor_noise(name)


@pytest.mark.parametrize(
    "name", ["formative-feedback.md", "site.yaml", "_macros.html", "a.png", "sediment.md"]
)
def test_source_files_are_not_noise(name):
    assert not is_editor_noise(name)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/site/content/site.yaml", "content/site.yaml"),
        ("/site/content/credentials/s/c.md", "content/credentials/s/c.md"),
        ("/site/assertions/2026/abc.yaml", "assertions/2026/abc.yaml"),
        ("/site/templates/base.html", "templates/base.html"),
        ("/site/templates", "templates"),
        ("/site/site/index.html", None),
        ("/site/.badgepress-cache/serve/x", None),
        ("/site/.git/index", None),
        ("/site/README.md", None),
        ("/elsewhere/content/site.yaml", None),
        ("/site/content/credentials/.c.md.swp", None),
        ("/site/content/.hidden/c.md", None),
        # Under assertions/ no folder is skipped: a badge filed away there is still a badge.
        ("/site/assertions/.old/abc.yaml", "assertions/.old/abc.yaml"),
        ("/site/assertions/_archive/abc.yaml", "assertions/_archive/abc.yaml"),
        ("/site/assertions/.old/.abc.yaml.swp", None),
    ],
)
def test_only_changes_under_source_folders_count(path, expected):
    assert source_change(ROOT, path) == expected


class Recorder:
    def __init__(self, seconds: float = 0.0):
        self.calls: list[list[str]] = []
        self.seconds = seconds
        self.done = threading.Event()
        self.started = threading.Event()

    def __call__(self, changes):
        self.started.set()
        time.sleep(self.seconds)
        self.calls.append(changes)
        self.done.set()


def test_changes_between_snapshots_are_added_removed_changed_and_racy_files_not_noise():
    before = {
        "content": {"content/site.yaml": [10, 5], "content/a.md": [10, 7], "content/b.md": [-1, 3]},
        "assertions": {"assertions/gone.yaml": [10, 9]},
    }
    after = {
        "content": {
            "content/site.yaml": [10, 5],  # unchanged
            "content/a.md": [12, 7],  # saved again
            "content/b.md": [10, 3],  # modified in the clock tick of the first look: unsure
            "content/.a.md.swp": [12, 1],  # an editor's swap file
        },
        "templates": {"templates/base.html": [12, 4]},  # a folder that did not exist
    }
    assert changes_between(before, after) == [
        "content/a.md",
        "content/b.md",
        "assertions/gone.yaml",
        "templates/base.html",
    ]
    assert changes_between(after, after) == []


def test_burst_of_events_is_one_rebuild_with_every_change():
    recorder = Recorder()
    debouncer = Debouncer(recorder, quiet=0.3)
    try:
        for i in range(20):
            debouncer.poke(f"content/{i % 3}.md")
        assert recorder.done.wait(5)
        time.sleep(0.3)
        assert recorder.calls == [["content/0.md", "content/1.md", "content/2.md"]]
    finally:
        debouncer.stop(5)


def test_rebuild_waits_for_the_events_to_pause():
    recorder = Recorder()
    debouncer = Debouncer(recorder, quiet=0.4, patience=10)
    try:
        started = time.monotonic()
        debouncer.poke("a")
        time.sleep(0.1)
        debouncer.poke("b")  # restarts the quiet period
        assert recorder.done.wait(5)
        assert time.monotonic() - started >= 0.5
        assert recorder.calls == [["a", "b"]]
    finally:
        debouncer.stop(5)


def test_endless_events_still_rebuild_after_patience():
    recorder = Recorder()
    debouncer = Debouncer(recorder, quiet=0.2, patience=0.4)
    try:
        deadline = time.monotonic() + 5.0
        while time.monotonic() < deadline and not recorder.calls:
            debouncer.poke("a")
            time.sleep(0.05)
        assert recorder.calls, "no rebuild while events never paused"
    finally:
        debouncer.stop(5)


def test_events_during_a_rebuild_cause_exactly_one_more():
    recorder = Recorder(seconds=0.3)
    debouncer = Debouncer(recorder, quiet=0.05)
    try:
        debouncer.poke("first")
        assert recorder.started.wait(5)  # the first rebuild is running now
        for _ in range(5):
            debouncer.poke("during")
        deadline = time.monotonic() + 5
        while len(recorder.calls) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # room for a wrong third run
        assert recorder.calls == [["first"], ["during"]]
    finally:
        debouncer.stop(5)


def test_stopped_debouncer_runs_nothing():
    recorder = Recorder()
    debouncer = Debouncer(recorder, quiet=0.05)
    debouncer.stop(5)
    debouncer.poke("a")
    time.sleep(0.2)
    assert recorder.calls == []


class Pokes:
    """A Debouncer stand-in that records what the watcher reports (no timing involved)."""

    def __init__(self):
        self.changes: list[str] = []
        self.event = threading.Event()

    def poke(self, change):
        self.changes.append(change)
        self.event.set()

    def wait_for(self, change: str, timeout: float = 5) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if change in self.changes:
                return True
            time.sleep(0.02)
        return False


@pytest.fixture
def watched(tmp_path):
    (tmp_path / "content" / "credentials").mkdir(parents=True)
    (tmp_path / "assertions").mkdir()
    (tmp_path / "site").mkdir()
    pokes = Pokes()
    watcher = SourceWatcher(Project(tmp_path), pokes)
    watcher.start()
    try:
        yield tmp_path, pokes
    finally:
        watcher.stop()


def test_saving_a_credential_is_reported(watched):
    root, pokes = watched
    (root / "content" / "credentials" / "c.md").write_text("x")
    assert pokes.wait_for("content/credentials/c.md")


def test_atomic_save_by_rename_is_reported_as_the_real_file(watched):
    root, pokes = watched
    temporary = root / "assertions" / ".abc.yaml.tmp123"
    temporary.write_text("credential: c\n")
    temporary.rename(root / "assertions" / "abc.yaml")
    assert pokes.wait_for("assertions/abc.yaml")
    assert not any(".tmp" in change for change in pokes.changes)


def test_output_folder_and_swap_files_are_ignored(watched):
    root, pokes = watched
    (root / "site" / "index.html").write_text("built")
    (root / "content" / ".c.md.swp").write_text("swap")
    (root / "content" / "c.md~").write_text("backup")
    (root / "README.md").write_text("readme")
    time.sleep(0.5)
    assert pokes.changes == []


def test_templates_folder_made_after_the_start_is_watched(watched):
    root, pokes = watched
    (root / "templates").mkdir()
    assert pokes.wait_for("templates")  # reported after its watch is scheduled
    (root / "templates" / "base.html").write_text("{{ site.title }}")
    assert pokes.wait_for("templates/base.html")


def test_polling_fallback_reports_a_saved_assertion(tmp_path):
    # serve falls back to polling when the system refuses inotify watches.
    from watchdog.observers.polling import PollingObserver

    (tmp_path / "assertions").mkdir()
    pokes = Pokes()
    watcher = SourceWatcher(Project(tmp_path), pokes, PollingObserver)
    watcher.start()
    try:
        (tmp_path / "assertions" / "abc.yaml").write_text("credential: c\n")
        assert pokes.wait_for("assertions/abc.yaml")
    finally:
        watcher.stop()
