"""Builds killed midway: the next build repairs the site (signals: test_noop_and_parallel)."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from tests.faults.support import cli, digests, environment, leftovers
from tests.speed.support import example_repository


def _edit_one_badge(repo) -> None:
    """A change an incremental build renders alone: one badge's files and the ledger's."""
    badge = sorted((repo / "assertions").rglob("*.yaml"))[0]
    badge.write_text(badge.read_text().replace("narrative: >-", "narrative: >-\n  Edited."))


def _edit_every_page(repo) -> None:
    settings = repo / "content" / "site.yaml"
    text = settings.read_text()
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    settings.write_text(text.replace(title, title + " (new)"))


# Runs `badgepress build ARGS` with the build killed (SIGKILL: nothing can clean up) at one
# point of its work, as the out-of-memory killer or a power cut would.
KILLED_AT = r"""
import os, signal, sys
from badgepress import cli
from badgepress.build import parallel, state, write

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

stage = sys.argv.pop(1)
if stage == "staged":  # every file staged, none renamed into place yet
    parallel.commit = die  # Workers.commit's, without workers
elif stage == "renaming":  # half of the staged files renamed into place
    def half(staged):
        for temporary, target in staged[: len(staged) // 2]:
            os.replace(temporary, target)
        die()
    parallel.commit = half
elif stage == "saving":  # the site written, the state half saved
    calls = []
    original = state.write_atomically
    def third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            die()
        return original(*args, **kwargs)
    state.write_atomically = third
elif stage == "first":  # the first build into an empty folder, halfway through its files
    original_put = write.StagedWriter.put
    def put(self, path, data):
        if self.written == 20:
            die()
        return original_put(self, path, data)
    write.StagedWriter.put = put
sys.exit(cli.main(sys.argv[1:]))
"""


@pytest.mark.parametrize("stage", ["staged", "renaming", "saving", "first"])
def test_the_build_after_a_killed_one_repairs_the_site(tmp_path, stage):
    repo = example_repository(tmp_path / "repo")
    site = tmp_path / "site"
    if stage != "first":
        assert cli("build", "--source", str(repo), "--output", str(site)).returncode == 0
        before = digests(site)
        _edit_one_badge(repo)
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_AT, stage, "build", "--source", str(repo),
         "--output", str(site), "--jobs", "1", "--quiet"],
        capture_output=True, text=True, env=environment(), timeout=300,
    )  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    if stage == "staged":  # killed before anything was renamed: the previous site is whole
        assert {k: v for k, v in digests(site).items() if ".tmp" not in k} == before
    repaired = cli("build", "--source", str(repo), "--output", str(site))
    assert repaired.returncode == 0, repaired.stderr
    assert cli("build", "--source", str(repo), "--output", str(tmp_path / "clean")).returncode == 0
    assert digests(site) == digests(tmp_path / "clean")  # leftovers removed, nothing missing
    assert not leftovers(site)
    assert not leftovers(repo / ".badgepress-cache")
