"""`check` and `build` agree: over every broken site in tests/invalid/ and every red-team case in
tests/hostile/cases.py, the same exit status and the same messages, and never a traceback.

The site is a git repository built once before the case is applied, so a build takes the paths
a real one does: git's history, the incremental state it keeps, staged writes over a previous
site, and worker processes (the threshold is lowered so that a few badges use two).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from badgepress.build import parallel
from badgepress.cli import main
from tests.hostile.cases import CASES
from tests.issuing.gitrepo import commit_all, init_repo
from tests.test_invalid_sites import _overlay

INVALID = Path(__file__).parents[1] / "invalid"
INVALID_SITES = sorted(p.name for p in INVALID.iterdir() if p.is_dir() and p.name[0] != "_")
# What only one of the two says when it succeeds or fails.
_SUMMARY = ("ok: ", "built ", "badgepress: ")


def run(command: str, site: Path, capsys) -> tuple[int, list[str]]:
    """Exit status and stderr lines (less the closing summary) of `badgepress COMMAND`."""
    extra = ["--quiet", "--jobs", "2"] if command == "build" else []
    status = main([command, "--source", str(site), *extra])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return status, [line for line in captured.err.splitlines() if not line.startswith(_SUMMARY)]


@pytest.fixture
def site(base_site, monkeypatch, capsys) -> Path:
    """The valid base site in git, built once: the previous site a broken change meets."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setattr(parallel, "MIN_FILES_PER_WORKER", 1)  # workers for a handful of badges
    source = base_site
    init_repo(source)
    assert run("build", source, capsys)[0] == 0
    return source


@pytest.mark.parametrize("case", [*INVALID_SITES, *CASES])
def test_check_and_build_give_the_same_verdict_and_messages(case, site, capsys):
    if case in CASES:
        CASES[case](site)
    else:
        _overlay(INVALID / case, site)
    commit_all(site, case, when="2026-03-02T10:00:00+00:00")

    checked = run("check", site, capsys)
    built = run("build", site, capsys)

    assert checked == built
    assert checked[0] == (0 if case in VALID else 1)
    # A message names the mistake; it never copies a file's contents (a 100,000-character key).
    assert all(len(line) < 500 for line in checked[1]), checked[1]


# Red-team cases that are valid sites; every other case must be refused.
VALID = {"nested-extra-mapping", "badge-image-linked-inside", "another-address-in-the-narrative"}
