"""The command line's output may go to a reader that stops early (`| head`)."""

from __future__ import annotations

import os
import subprocess
import sys

from badgepress.issuing.new_site import create_site


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path):
    site = tmp_path / "mysite"
    create_site(site)
    read, write = os.pipe()
    os.close(read)  # every write to standard output fails with EPIPE
    try:
        done = subprocess.run(
            [sys.executable, "-m", "badgepress", "check", "--source", str(site)],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write)
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr
    assert done.returncode == 1
