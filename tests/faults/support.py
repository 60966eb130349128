"""Helpers for the fault tests: real full disks and read-only folders, trees of output files."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path


def environment() -> dict[str, str]:
    """This process's environment (as the test session set it) for a build's process."""
    return {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "CI")}


def digests(folder: Path) -> dict[str, str]:
    """Every file under `folder` (the output marker and any leftover too) by relative path."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def leftovers(folder: Path) -> list[str]:
    """Temporary files (staged outputs, half-written cache files) under `folder`."""
    return sorted(p.as_posix() for p in folder.rglob("*") if ".tmp" in p.name)


def cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """`badgepress ARGS` in a new process."""
    return subprocess.run(
        [sys.executable, "-m", "badgepress", *args],
        capture_output=True,
        text=True,
        env=environment(),
        timeout=timeout,
    )


def in_own_mounts(code: str, *args: str) -> subprocess.CompletedProcess:
    """Run Python `code` as root of a new user and mount namespace (`unshare`), where it can
    mount a small tmpfs or a read-only bind over a folder: a real full disk (ENOSPC) and a
    real read-only file system (EROFS), which root's permissions cannot get around and a
    chmod could not give, without privileges and without touching the machine's mounts.
    Linux with util-linux and user namespaces (Debian's, CI's) is required, not optional."""
    unshare = shutil.which("unshare")
    assert unshare, "util-linux's unshare(1) is needed for the fault tests"
    done = subprocess.run(
        [unshare, "--user", "--map-root-user", "--mount", sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=environment(),
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return done


# Shared by the drivers that run inside `in_own_mounts`.
DRIVER_HELPERS = r"""
import hashlib, json, os, subprocess, sys
from pathlib import Path

def build(repo, site):
    done = subprocess.run(
        [sys.executable, "-m", "badgepress", "build", "--source", str(repo),
         "--output", str(site), "--quiet"],
        capture_output=True, text=True,
    )
    return [done.returncode, done.stderr]

def tree(folder):
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }
"""
