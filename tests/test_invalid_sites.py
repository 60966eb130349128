"""Every class of bad input gets exact `path:line: message` errors, exit 1, and leaves site/ as it was.

Each folder under tests/invalid/ overlays the valid site in tests/invalid/_base/ and holds the exact
expected stderr lines in expected.txt (`pytest --update-golden` rewrites them after review).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from badgepress.cli import main

INVALID = Path(__file__).parent / "invalid"
CASES = sorted(p.name for p in INVALID.iterdir() if p.is_dir() and not p.name.startswith("_"))


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _overlay(case: Path, target: Path) -> None:
    for path in case.rglob("*"):
        if path.is_file() and path.name != "expected.txt":
            destination = target / path.relative_to(case)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)


@pytest.fixture(autouse=True)
def build_date(monkeypatch):
    """Messages that name the build's date (an issue date in the future) name the same one."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")  # 2026-09-21


@pytest.fixture
def previous_site(tmp_path):
    """A copy of the valid base site, built once, as a user would have it before breaking it."""
    source = tmp_path / "repo"
    shutil.copytree(INVALID / "_base", source)
    assert main(["build", "--source", str(source), "--quiet"]) == 0
    return source


def test_base_site_is_valid(previous_site):
    assert (previous_site / "site" / "assertions" / "jane-first.json").is_file()


@pytest.mark.parametrize("case", CASES)
def test_bad_input_reports_exact_errors_and_leaves_site_untouched(
    case, previous_site, capsys, request
):
    before = _snapshot(previous_site / "site")
    _overlay(INVALID / case, previous_site)

    status = main(["build", "--source", str(previous_site)])
    err = capsys.readouterr().err

    assert status == 1
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if not line.startswith("badgepress: ")]
    expected_file = INVALID / case / "expected.txt"
    if request.config.getoption("--update-golden"):
        expected_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert lines == expected_file.read_text(encoding="utf-8").splitlines()
    assert err.rstrip().endswith("nothing was written")
    assert _snapshot(previous_site / "site") == before


@pytest.mark.parametrize("case", CASES)
def test_check_command_reports_the_same_errors(case, previous_site, capsys):
    _overlay(INVALID / case, previous_site)
    assert main(["check", "--source", str(previous_site)]) == 1
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if not line.startswith("badgepress: ")]
    assert lines == (INVALID / case / "expected.txt").read_text(encoding="utf-8").splitlines()
