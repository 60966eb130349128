"""The benchmark script runs end to end on a tiny site, Hugo comparison included."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.speed.support import BENCHMARKS


def test_the_benchmark_measures_badgepress_and_hugo_on_a_tiny_site(tmp_path):
    results = tmp_path / "results.json"
    run = subprocess.run(
        [sys.executable, str(BENCHMARKS / "bench.py"), "--sizes", "30", "--repeat", "1",
         "--dir", str(tmp_path / "work"), "--json", str(results)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    (result,) = json.loads(results.read_text())
    assert result["n"] == 30
    assert result["full_hugo"] > 0 and result["ratio"] > 0  # Hugo ran (it is a test extra)
    assert result["identical_across_jobs"] and result["incremental_identical"]
    assert result["noop_written"] is None  # "up to date": nothing was even compared
    assert result["one_written"] == 2  # the edited assertion's JSON and page
    # The credential's pages (HTML and BadgeClass JSON), its stack's, the home page, the
    # catalog's JSON and feed, and its one badge's earner page (30 badges over 50 credentials).
    assert 5 <= result["credential_written"] <= 12
    assert result["cpu_pair"] > 0 and "host check: two 1-worker builds" in run.stdout
    assert len(result["runs_j1"]) == len(result["runs_j2"]) == len(result["speedup_runs"]) == 1
    assert abs(result["speedup_runs"][0] - result["runs_j1"][0] / result["runs_j2"][0]) < 0.01
    assert result["faults_j1"] > 1000 and "speedup of each repetition" in run.stdout
    assert result["first_build"] > 0 and "first build, nothing cached" in run.stdout
    assert set(result["stages"]) >= {"yaml", "model", "render", "json", "bake", "write"}
    assert "badgepress/hugo ratio" in run.stdout
    # The same edit on a copy whose history has one commit per badge, with and without the
    # walk of history the last build kept, and once committed.
    assert result["history_commits"] == 31
    assert result["history_one_kept"] > 0 and result["history_one_whole"] > 0
    assert result["history_commit"] > 0 and "history of 31 commits" in run.stdout
    # With Open Badges 3.0 signing on: the edit also re-signs its credential and 3.0 image.
    assert result["signed_first"] > 0 and result["signed_full"] > 0
    assert result["signed_one_written"] == 4 and "signing on (Open Badges 3.0" in run.stdout
    # `check` with one ~1 MB credential or assertion in each hostile shape.
    large = result["large_files"]
    assert large["baseline"]["cpu"] > 0 and len(large["files"]) == 10
    assert "credential: list items" in large["files"] and "~1 MB content file" in run.stdout
