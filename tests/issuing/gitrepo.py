"""Real temporary git repositories with fixed commit dates, for the ledger tests."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def git(repo: Path, *args: str, when: str = "2026-03-01T10:00:00+00:00") -> str:
    """Run git in `repo` with a fixed author/committer and date; returns stdout."""
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    result = subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env
    )
    return result.stdout


def commit_all(repo: Path, message: str, when: str = "2026-03-01T10:00:00+00:00") -> str:
    """Stage everything and commit it at `when`; returns the new commit's sha."""
    git(repo, "add", "-A", when=when)
    git(repo, "commit", "-qm", message, when=when)
    return git(repo, "rev-parse", "HEAD").strip()


def init_repo(repo: Path, when: str = "2026-03-01T10:00:00+00:00") -> str:
    """`git init` and commit what is there; returns the commit's sha."""
    git(repo, "init", "-q", "-b", "main")
    return commit_all(repo, "initial", when)
