"""Tripwire: `check` of a megabyte credential and a megabyte narrative in the shapes that once
took minutes (100,000 list items, table rows) finishes in seconds of CPU. The bound is generous
(the benchmark measures the real cost: tenths of a second, see docs/performance.md); CPU time,
not wall time, so that a busy machine cannot make it flaky."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.hostile.cases import ASSERTION, CREDENTIAL

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
import synthetic

CPU_SECONDS = 20  # Python-Markdown took minutes; cmark-gfm and the rest take well under one


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

    with (tmp_path / "out").open("w+") as out, (tmp_path / "err").open("w+") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "badgepress", "check", "--source", str(site)],
            stdout=out,
            stderr=err,
        )
        _pid, status, usage = os.wait4(process.pid, 0)  # its own CPU time, not the machine's
        out.seek(0)
        err.seek(0)
        assert os.waitstatus_to_exitcode(status) == 0, err.read()
        assert out.read().startswith("ok: ")
    assert usage.ru_utime + usage.ru_stime < CPU_SECONDS
