"""One build of a site at a time: `build` and `serve` wait for the site's lock, and say so."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from badgepress.build.buildlock import SiteLocked, site_lock
from badgepress.content.project import Project
from badgepress.serve.server import _Builder
from tests.faults.support import cli, digests, environment
from tests.speed.support import example_repository

HOLD = """
import sys
from pathlib import Path
from badgepress.build.buildlock import site_lock
with site_lock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.read()  # until the test closes it
"""


@contextlib.contextmanager
def lock_held_elsewhere(root: Path) -> Iterator[None]:
    """The site's lock, held by another process (as another build would) until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(root)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=environment(),
    )  # fmt: skip
    try:
        assert holder.stdout.readline() == "held\n"
        yield
    finally:
        holder.stdin.close()
        holder.wait(10)


def test_a_build_waits_while_another_build_of_the_site_runs_and_says_so(tmp_path):
    repo = example_repository(tmp_path / "repo")
    site = tmp_path / "site"
    with lock_held_elsewhere(repo):
        build = subprocess.Popen(
            [sys.executable, "-m", "badgepress", "build", "--source", str(repo),
             "--output", str(site), "--quiet"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment(),
        )  # fmt: skip
        time.sleep(3)  # a build of this site takes well under a second
        assert build.poll() is None, "the build did not wait"
        assert not site.exists()
    _out, err = build.communicate(timeout=120)
    assert build.returncode == 0, err
    assert "badgepress: waiting for another build of this site to finish" in err
    assert cli("build", "--source", str(repo), "--output", str(tmp_path / "clean")).returncode == 0
    assert digests(site) == digests(tmp_path / "clean")


def test_serve_builds_wait_for_a_build_of_the_same_site(tmp_path):
    repo = example_repository(tmp_path / "repo")
    builder = _Builder(
        Project(repo), tmp_path / "served", "http://127.0.0.1:8000/", None, None, None
    )
    outcomes = []
    with lock_held_elsewhere(repo):
        thread = threading.Thread(target=lambda: outcomes.append(builder.run([], 1)))
        thread.start()
        thread.join(3)
        assert thread.is_alive(), "serve's build did not wait"
    thread.join(120)
    (outcome,) = outcomes
    assert outcome.errors is None
    assert any("waiting for another build of this site" in line for line in outcome.err)


def test_a_lock_held_too_long_ends_in_one_clear_line(tmp_path):
    with lock_held_elsewhere(tmp_path), pytest.raises(SiteLocked) as held:  # noqa: SIM117
        with site_lock(tmp_path, timeout=0.2):
            pass
    assert "another build of this site has held" in str(held.value)
    assert "\n" not in str(held.value)
