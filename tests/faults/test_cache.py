"""The cache is data: a poisoned one runs nothing, a damaged one is rebuilt, --clean reads none."""

from __future__ import annotations

import os
import pickle
import random
from pathlib import Path

import pytest

from badgepress.build.buildlock import LOCK_FILE
from badgepress.render.template_cache import user_cache_folder
from tests.faults.support import cli, digests, leftovers
from tests.speed.support import example_repository


def _cache_files(repo: Path) -> list[Path]:
    """Every file a build keeps for the next: the site's cache and the compiled templates."""
    folders = [repo / ".badgepress-cache", user_cache_folder()]
    lock = repo / LOCK_FILE
    return sorted(
        path
        for folder in folders
        if folder is not None
        for path in folder.rglob("*")
        if path.is_file() and path != lock
    )


def _edit_one_badge(repo: Path) -> None:
    badge = sorted((repo / "assertions").rglob("*.yaml"))[0]
    badge.write_text(badge.read_text().replace("narrative: >-", "narrative: >-\n  Edited."))


def _built_site(tmp_path: Path) -> tuple[Path, Path]:
    repo = example_repository(tmp_path / "repo")
    site = tmp_path / "site"
    assert cli("build", "--source", str(repo), "--output", str(site)).returncode == 0
    return repo, site


def _clean_build(repo: Path, folder: Path) -> dict[str, str]:
    assert cli("build", "--source", str(repo), "--output", str(folder)).returncode == 0
    return digests(folder)


class _RunsCode:
    """What a poisoned cache holds: unpickling it runs a command."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


def test_a_cache_holding_pickles_that_run_code_runs_nothing(tmp_path):
    repo, site = _built_site(tmp_path)
    ran = tmp_path / "ran"
    payload = pickle.dumps(_RunsCode(ran))
    with pytest.raises(FileNotFoundError):
        ran.stat()
    pickle.loads(payload)  # the payload works: unpickled, it runs its command
    assert ran.exists()
    ran.unlink()
    files = _cache_files(repo)
    assert len(files) > 10
    for path in files:
        path.write_bytes(payload)
    _edit_one_badge(repo)
    built = cli("build", "--source", str(repo), "--output", str(site))
    assert built.returncode == 0, built.stderr
    assert not ran.exists()
    assert digests(site) == _clean_build(repo, tmp_path / "clean")


def _truncated(data: bytes, rng: random.Random) -> bytes:
    return data[: len(data) // 2]


def _flipped(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data)) if data else 0
    return data[:at] + bytes([data[at] ^ 0x5A]) + data[at + 1 :] if data else b"\x00"


def _garbage(data: bytes, rng: random.Random) -> bytes:
    return rng.randbytes(max(1, len(data)))


def _emptied(data: bytes, rng: random.Random) -> bytes:
    return b""


@pytest.mark.parametrize("damage", [_truncated, _flipped, _garbage, _emptied])
def test_damaged_cache_files_are_ignored_and_what_they_held_is_made_again(tmp_path, damage):
    """A flipped bit in a cached card or badge must not be published: it is drawn again."""
    repo, site = _built_site(tmp_path)
    rng = random.Random(damage.__name__)
    files = _cache_files(repo)
    assert any("images" in path.parts for path in files)  # cards and drawn badges
    for path in files:
        path.write_bytes(damage(path.read_bytes(), rng))
    _edit_one_badge(repo)
    built = cli("build", "--source", str(repo), "--output", str(site))
    assert built.returncode == 0, built.stderr
    assert "Traceback" not in built.stderr
    assert digests(site) == _clean_build(repo, tmp_path / "clean")
    # Into a folder with no state of its own: every picture is asked of the cache.
    assert _clean_build(repo, tmp_path / "other") == digests(tmp_path / "clean")
    assert not leftovers(repo / ".badgepress-cache")


def test_clean_reads_nothing_of_the_cache_and_no_build_waits_on_a_pipe_in_it(tmp_path):
    """Every cache file replaced by a named pipe nobody writes to: reading one would wait
    forever. `--clean` opens none; a build without it refuses them as not regular files."""
    repo, site = _built_site(tmp_path)
    for path in _cache_files(repo):
        path.unlink()
        os.mkfifo(path)
    _edit_one_badge(repo)
    built = cli("build", "--source", str(repo), "--output", str(site), "--clean", timeout=120)
    assert built.returncode == 0, built.stderr
    expected = _clean_build(repo, tmp_path / "clean")
    assert digests(site) == expected
    for path in _cache_files(repo):  # pipes again, for a build without --clean
        path.unlink()
        os.mkfifo(path)
    built = cli("build", "--source", str(repo), "--output", str(site), timeout=120)
    assert built.returncode == 0, built.stderr
    assert digests(site) == expected
