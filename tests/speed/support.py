"""Helpers for the incremental and parallel build tests: git-backed site copies, output trees."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from badgepress.build.write import MARKER
from tests.support import REPO, copy_example

BENCHMARKS = REPO / "benchmarks"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_AUTHOR_DATE": "2026-11-20T12:00:00Z",
    "GIT_COMMITTER_DATE": "2026-11-20T12:00:00Z",
    "PATH": "/usr/bin:/bin",
}


def git(root: Path, *args: str, date: str | None = None) -> None:
    """Run git in `root`; `date` (ISO 8601) is the commit's, instead of GIT_ENV's."""
    env = (
        GIT_ENV
        if date is None
        else {**GIT_ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    )
    subprocess.run(["git", "-C", str(root), *args], check=True, env=env, capture_output=True)


def committed(root: Path) -> Path:
    """Make `root` a git repository with everything committed (sites are repositories)."""
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "site")
    return root


def example_repository(target: Path) -> Path:
    """A committed copy of this repository's example site."""
    return committed(copy_example(target))


def synthetic_site(target: Path, assertions: int) -> Path:
    """The benchmark's synthetic site (50 credentials), committed."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import synthetic
    finally:
        sys.path.remove(str(BENCHMARKS))
    synthetic.write_badgepress_site(target, assertions)
    return committed(target)


def tree(folder: Path) -> dict[str, bytes]:
    """Every output file's bytes by relative path (the marker aside)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MARKER
    }


def stamps(folder: Path) -> dict[str, int]:
    """Every file's mtime (ns) and inode: a rewrite changes one of them."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.stat().st_ino)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
