"""The per-user folder of compiled templates stays bounded: unused entries go, used ones stay."""

from __future__ import annotations

import os
import time
from pathlib import Path

from badgepress.render import template_cache
from badgepress.render.pages import make_environment
from badgepress.render.template_cache import DAY, MAX_AGE, prune, user_cache_folder

NOW = 1_800_000_000.0


def _entry(folder: Path, name: str, age: float) -> Path:
    path = folder / name
    path.write_bytes(b"compiled")
    os.utime(path, (NOW - age, NOW - age))
    return path


def test_entries_unused_for_a_month_go_and_everything_else_stays(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    old = _entry(folder, "__jinja2_output0_en-1_abc.cache", MAX_AGE + DAY)
    killed_write = _entry(folder, ".__jinja2_output1_en-1_abc.cache.4242.tmp", MAX_AGE + DAY)
    recent = _entry(folder, "__jinja2_output1_en-1_abc.cache", MAX_AGE - DAY)
    not_ours = _entry(folder, "notes.txt", 10 * MAX_AGE)
    outside = _entry(tmp_path, "outside.cache", 10 * MAX_AGE)
    (folder / "link.cache").symlink_to(outside)

    assert prune(folder, NOW) == 2
    assert not old.exists() and not killed_write.exists()
    assert recent.exists() and not_ours.exists() and outside.exists()


def test_beyond_the_bound_the_least_recently_used_entries_go(tmp_path, monkeypatch):
    monkeypatch.setattr(template_cache, "MAX_ENTRIES", 3)
    folder = tmp_path / "templates"
    folder.mkdir()
    entries = [_entry(folder, f"__jinja2_output1_en-1_{n}.cache", n * 60) for n in range(5)]
    assert prune(folder, NOW) == 2
    assert [e.exists() for e in entries] == [True, True, True, False, False]


def test_a_folder_is_pruned_at_most_once_a_day(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    assert prune(folder, NOW) == 0
    stale = _entry(folder, "__jinja2_output1_en-1_abc.cache", MAX_AGE + DAY)
    assert prune(folder, NOW + DAY / 2) == 0 and stale.exists()
    assert prune(folder, NOW + DAY + 1) == 1 and not stale.exists()


def test_a_build_prunes_the_users_folder_and_keeps_what_it_still_reads(tmp_path):
    folder = user_cache_folder({"XDG_CACHE_HOME": str(tmp_path)})
    assert folder == tmp_path / "badgepress" / "templates"
    make_environment(None, cache_dir=folder).get_template("base.html")  # compiled and kept
    (read,) = folder.glob("*.cache")
    month_ago = time.time() - MAX_AGE - DAY
    os.utime(read, (month_ago, month_ago))
    upgraded_away = _entry(folder, "__jinja2_output0_en-1_abc.cache", 0)
    os.utime(upgraded_away, (month_ago, month_ago))
    (folder / ".pruned").unlink()  # as a day later

    make_environment(None, cache_dir=folder).get_template("base.html")  # read: its time renewed
    assert user_cache_folder({"XDG_CACHE_HOME": str(tmp_path)}) == folder
    assert read.exists() and not upgraded_away.exists()
