"""A full disk and a read-only output folder: the previous site stays, one line says why."""

from __future__ import annotations

import json
import re

from tests.faults.support import DRIVER_HELPERS, cli, digests, in_own_mounts, leftovers
from tests.speed.support import example_repository

RETITLE = "title: Restorative Practices Micro-credentials"

FULL_DISK = (
    DRIVER_HELPERS
    + r"""
repo, disk, report = map(Path, sys.argv[1:4])
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(disk)], check=True)
site = disk / "site"
result = {"first": build(repo, site)}
result["before"] = tree(site)
try:  # fill the disk to the last byte
    with open(disk / "filler", "wb") as filler:
        while True:
            filler.write(bytes(1 << 16))
except OSError:
    pass
settings = repo / "content" / "site.yaml"  # a new title: every page changes
settings.write_text(settings.read_text().replace(sys.argv[4], sys.argv[4] + " (new)"))
result["full"] = build(repo, site)
result["after"] = tree(site)
os.unlink(disk / "filler")
result["again"] = build(repo, site)
result["repaired"] = tree(site)
report.write_text(json.dumps(result))
"""
)


def test_a_full_disk_keeps_the_previous_site_says_so_in_one_line_and_the_next_build_repairs(
    tmp_path,
):
    repo = example_repository(tmp_path / "repo")
    disk = tmp_path / "disk"
    disk.mkdir()
    report = tmp_path / "report.json"
    in_own_mounts(FULL_DISK, str(repo), str(disk), str(report), RETITLE)
    result = json.loads(report.read_text())
    assert result["first"][0] == 0, result["first"][1]
    status, err = result["full"]
    assert status == 1
    lines = err.splitlines()
    assert len(lines) == 1, err  # no traceback
    assert re.fullmatch(
        r"badgepress: error: .*/site/.*: No space left on device; "
        r"the previous site in .*/site is unchanged",
        lines[0],
    ), lines[0]
    assert result["after"] == result["before"]  # nothing replaced, nothing half-written
    assert not [name for name in result["after"] if ".tmp" in name]  # nothing staged left
    assert result["again"][0] == 0, result["again"][1]  # with space again, it builds
    assert cli("build", "--source", str(repo), "--output", str(tmp_path / "clean")).returncode == 0
    assert result["repaired"] == digests(tmp_path / "clean")
    assert not leftovers(repo / ".badgepress-cache")


READ_ONLY = (
    DRIVER_HELPERS
    + r"""
repo, site, report = map(Path, sys.argv[1:4])
subprocess.run(["mount", "--bind", str(site), str(site)], check=True)
subprocess.run(["mount", "-o", "remount,bind,ro", str(site)], check=True)
result = {"build": build(repo, site), "after": tree(site)}
report.write_text(json.dumps(result))
"""
)


def test_a_read_only_output_folder_keeps_the_site_and_says_so_in_one_line(tmp_path):
    """Read-only by its file system, which root's permissions cannot get around."""
    repo = example_repository(tmp_path / "repo")
    site = tmp_path / "site"
    assert cli("build", "--source", str(repo), "--output", str(site)).returncode == 0
    before = digests(site)
    settings = repo / "content" / "site.yaml"
    settings.write_text(settings.read_text().replace(RETITLE, RETITLE + " (new)"))
    report = tmp_path / "report.json"
    in_own_mounts(READ_ONLY, str(repo), str(site), str(report))
    result = json.loads(report.read_text())
    status, err = result["build"]
    assert status == 1
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert re.fullmatch(
        r"badgepress: error: .*/site/.*: Read-only file system; "
        r"the previous site in .*/site is unchanged",
        lines[0],
    ), lines[0]
    assert result["after"] == before
    # Writable again: the next build writes the new site.
    built = cli("build", "--source", str(repo), "--output", str(site))
    assert built.returncode == 0, built.stderr
    assert "(new)" in (site / "index.html").read_text()
