"""Tripwires: `check` of a megabyte credential and a megabyte narrative in the shapes that once
took minutes (100,000 list items, table rows), and `build` of a site whose SVG badge once took
hours to bake, finish in seconds of CPU. The bounds are generous (the benchmark measures the real
cost: tenths of a second, see docs/design/performance.md); CPU time, not wall time, so that a busy
machine cannot make them flaky."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.hostile.cases import ASSERTION, CREDENTIAL

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
import synthetic

CPU_SECONDS = 20  # Python-Markdown took minutes; cmark-gfm and the rest take well under one


def _cpu_seconds(tmp_path: Path, *arguments: str) -> tuple[float, str]:
    """`badgepress *arguments` in its own process: its CPU seconds (not the machine's), stdout."""
    with (tmp_path / "out").open("w+") as out, (tmp_path / "err").open("w+") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "badgepress", *arguments], stdout=out, stderr=err
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        out.seek(0)
        err.seek(0)
        assert os.waitstatus_to_exitcode(status) == 0, err.read()
        return usage.ru_utime + usage.ru_stime, out.read()


def test_check_of_a_megabyte_credential_and_narrative_takes_seconds_not_minutes(
    base_site, tmp_path
):
    site = base_site
    credential = site / CREDENTIAL
    credential.write_text(
        credential.read_text() + synthetic.large_text("list items", 1_000_000), encoding="utf-8"
    )
    assertion = site / ASSERTION
    assertion.write_text(
        assertion.read_text()
        + "narrative: |\n"
        + synthetic.large_text("table rows", 1_000_000, "  "),
        encoding="utf-8",
    )
    assert 1_000_000 < credential.stat().st_size < 1 << 20
    assert 1_000_000 < assertion.stat().st_size < 1 << 20

    seconds, out = _cpu_seconds(tmp_path, "check", "--source", str(site))
    assert out.startswith("ok: ")
    assert seconds < CPU_SECONDS


def test_build_with_a_megabyte_svg_badge_of_unclosed_tags_takes_seconds_not_hours(
    base_site, tmp_path
):
    # Well-formed (the comment holds them), so it passes the badge's check; baking it with the
    # regexes once used took 9 s for 10,000 of these, quadratically more for 45,000.
    site = base_site
    badge = site / CREDENTIAL.replace(".md", ".svg")
    badge.write_bytes(synthetic.large_svg_badge(1_000_000))
    assert 1_000_000 < badge.stat().st_size < 1 << 20

    seconds, _out = _cpu_seconds(
        tmp_path, "build", "--source", str(site), "--output", str(tmp_path / "site")
    )
    baked = (tmp_path / "site" / "assertions" / "jane-first.svg").read_bytes()
    assert baked.count(b"<openbadges:assertion verify=") == 1
    assert seconds < CPU_SECONDS
