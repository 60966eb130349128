"""The package as others receive it: a wheel PyPI would accept, and a pre-commit hook that
any site repository can run."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from badgepress import __version__
from badgepress.issuing.new_site import create_site
from tests.support import REPO

GIT = {
    "GIT_AUTHOR_NAME": "Facilitator",
    "GIT_AUTHOR_EMAIL": "facilitator@example.org",
    "GIT_COMMITTER_NAME": "Facilitator",
    "GIT_COMMITTER_EMAIL": "facilitator@example.org",
}


def _run(args, cwd: Path, env=None, check=True) -> subprocess.CompletedProcess:
    done = subprocess.run(
        args,
        cwd=cwd,
        env={**os.environ, **GIT, **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if check:
        assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done


def _tracked_copy(target: Path) -> Path:
    """The repository's tracked files as they are now (a build never writes into the checkout)."""
    files = _run(["git", "ls-files", "-z"], REPO).stdout.split("\0")
    for name in filter(None, files):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).write_bytes(source.read_bytes())
    return target


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = _tracked_copy(work / "source")
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "dist"), "."],
        source,
    )
    [built] = (work / "dist").glob("*.whl")
    return built


def test_the_wheel_passes_twine_check_strictly(wheel):
    result = _run([sys.executable, "-m", "twine", "check", "--strict", str(wheel)], wheel.parent)
    assert "PASSED" in result.stdout


def test_the_wheel_carries_its_licences_version_urls_and_the_starters_dot_files(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        dist_info = f"badgepress-{__version__}.dist-info"
        metadata = archive.read(f"{dist_info}/METADATA").decode()
    assert f"Version: {__version__}" in metadata.splitlines()
    assert "License-Expression: MIT AND OFL-1.1" in metadata.splitlines()
    assert "Project-URL: Source, https://github.com/badgepress/badgepress" in metadata
    assert {
        f"{dist_info}/licenses/LICENSE",
        f"{dist_info}/licenses/badgepress/fonts/OFL.txt",
    } <= names
    assert {
        "badgepress/starter/.gitignore",
        "badgepress/starter/.github/workflows/badgepress.yml",
        "badgepress/themes/default/templates/base.html",
    } <= names
    assert not [n for n in names if n.startswith("tests/") or "__pycache__" in n]


def test_the_pre_commit_hook_checks_a_site_and_fails_on_a_mistake(tmp_path):
    site = tmp_path / "mysite"
    create_site(site)
    head = _run(["git", "rev-parse", "HEAD"], REPO).stdout.strip()
    # As a site would write it, with this checkout standing in for the canonical repository.
    (site / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {REPO.as_uri()}\n    rev: {head}\n"
        "    hooks:\n      - id: badgepress-check\n"
    )
    _run(["git", "init", "-q"], site)
    _run(["git", "add", "-A"], site)
    # pre-commit keeps its environments here, not in the user's cache.
    env = {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PATH": _path_without_venv()}
    pre_commit = [sys.executable, "-m", "pre_commit"]
    passed = _run([*pre_commit, "run", "--all-files"], site, env)
    assert "badgepress check" in passed.stdout and "Passed" in passed.stdout

    settings = site / "content" / "site.yaml"
    settings.write_text(settings.read_text().replace("title:", "titel:", 1))
    _run(["git", "add", "-A"], site)
    failed = _run([*pre_commit, "run", "--all-files"], site, env, check=False)
    assert failed.returncode == 1, failed.stdout
    assert "content/site.yaml:" in failed.stdout and "titel" in failed.stdout


def _path_without_venv() -> str:
    """PATH without this test run's environment: the hook must bring its own badgepress."""
    ours = Path(sys.prefix).resolve()
    return os.pathsep.join(
        entry
        for entry in os.environ.get("PATH", "").split(os.pathsep)
        if entry and not Path(entry).resolve().is_relative_to(ours)
    )
