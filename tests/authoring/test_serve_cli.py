"""`badgepress serve` as a user runs it: a subprocess on 127.0.0.1, stopped by a signal."""

from __future__ import annotations

import filecmp
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from badgepress.build.state import state_files
from badgepress.cli import main
from badgepress.serve.livereload import EVENTS_PATH
from tests.authoring.support import (
    CREDENTIAL,
    STARTER_ASSERTION,
    STARTER_EARNER,
    serving,
    starter_site,
)
from tests.speed.support import synthetic_site

EPOCH = {"SOURCE_DATE_EPOCH": "1780000000"}  # serve and build must agree on 'now'


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


def test_ctrl_c_stops_cleanly_with_a_page_listening_for_reloads(tmp_path):
    with serving(starter_site(tmp_path / "mysite")) as served:
        stream = urllib.request.urlopen(served.url + EVENTS_PATH.lstrip("/"), timeout=5)
        assert stream.readline() == b"retry: 500\n"
        status, output = served.stop(signal.SIGINT)
        stream.close()
    assert status == 0
    assert "badgepress: stopped" in output
    assert "Traceback" not in output
    assert not served.output.exists(), "the temporary build folder is removed"


def test_ctrl_c_stops_it_even_when_started_with_sigint_ignored(tmp_path):
    """A script's background job (and so a test suite run as one) starts with SIGINT ignored;
    Python then leaves it ignored, and serve could only be killed."""
    with serving(starter_site(tmp_path / "mysite"), sigint_ignored=True) as served:
        status, output = served.stop(signal.SIGINT)
    assert (status, "Traceback" in output) == (0, False)
    assert "badgepress: stopped" in output


def test_sigterm_stops_as_cleanly_as_ctrl_c(tmp_path):
    with serving(starter_site(tmp_path / "mysite")) as served:
        status, output = served.stop(signal.SIGTERM)
    assert (status, "Traceback" in output) == (0, False)
    assert "badgepress: stopped" in output


def test_port_in_use_is_a_clear_error(tmp_path):
    site = starter_site(tmp_path / "mysite")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "badgepress",
                "serve",
                "--source",
                str(site),
                "--port",
                str(port),
            ],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert f"--port {port + 1}" in result.stderr
    assert "Traceback" not in result.stderr


def test_folder_that_is_not_a_site_is_refused(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "badgepress", "serve", "--source", str(tmp_path), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert "no content/site.yaml here" in result.stderr
    assert "badgepress new DIR" in result.stderr


def test_serve_builds_the_same_bytes_as_build_with_the_local_base_url(tmp_path):
    site = starter_site(tmp_path / "mysite")
    with serving(site, env=EPOCH) as served:
        assert served.url in fetch(served.url + "credentials/formative-feedback.json")
        built = tmp_path / "built"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "badgepress",
                "build",
                "--source",
                str(site),
                "--quiet",
                "--output",
                str(built),
                "--base-url",
                served.url,
            ],
            check=True,
            timeout=60,
            env={**os.environ, **EPOCH},
        )
        files = sorted(p.relative_to(built) for p in built.rglob("*") if p.is_file())
        served_files = sorted(
            p.relative_to(served.output) for p in served.output.rglob("*") if p.is_file()
        )
        match, mismatch, errors = filecmp.cmpfiles(served.output, built, files, shallow=False)
    assert served_files == files
    assert (mismatch, errors) == ([], [])
    assert len(match) > 15
    assert not (site / "site").exists(), "serve never writes the user's site/"


def test_edit_rebuilds_a_broken_file_keeps_the_last_good_site_and_a_fix_restores(tmp_path):
    site = starter_site(tmp_path / "mysite")
    credential = site / CREDENTIAL
    original = credential.read_text()
    page = "credentials/formative-feedback/"
    with serving(site) as served:
        credential.write_text(
            original.replace("Giving Formative Feedback", "Giving Quick Feedback")
        )
        served.wait_for_line(r"^rebuilt in \d+\.\d\ds after changes to " + str(CREDENTIAL))
        assert "Giving Quick Feedback" in fetch(served.url + page)

        credential.write_text(original.replace("format: Self-paced", "format: Hybrid"))
        error = served.wait_for_line(r"'format': expected one of")
        assert error.startswith(f"{CREDENTIAL}:14: ")
        served.wait_for_line(
            r"^badgepress: build failed, 1 problem; still serving the last good site"
        )
        assert "Giving Quick Feedback" in fetch(served.url + page)

        credential.write_text(original)
        served.wait_for_line(r"^rebuilt in ")
        assert "Giving Formative Feedback" in fetch(served.url + page)
        status, output = served.stop()
    assert status == 0
    assert "Traceback" not in output


def test_an_assertion_edit_renders_only_that_badge_and_stopping_drops_the_build_state(tmp_path):
    site = starter_site(tmp_path / "mysite")
    starter = site / "assertions" / f"{STARTER_ASSERTION}.yaml"
    second = starter.with_name("second-badge.yaml")
    second.write_text(starter.read_text())
    # A pinned reference time: the starter's badges are not committed, and without a commit or
    # SOURCE_DATE_EPOCH every build is a full one (its "now" would be the clock).
    with serving(site, env=EPOCH) as served:
        second.write_text(second.read_text().replace("three drafts", "four drafts"))
        line = served.wait_for_line(r"^rebuilt in .* after changes to assertions/second-badge")
        assert line.rstrip().endswith(": 1 of 2 badges rendered, 2 files written"), line
        assert "four drafts" in fetch(served.url + "assertions/second-badge/")
        assert "three drafts" in fetch(served.url + f"assertions/{STARTER_ASSERTION}/")
        state = state_files(site, served.output)
        assert state[0].is_file() and state[1].is_dir()
        status, output = served.stop()
    assert status == 0, output
    assert not state[0].exists() and not state[1].exists(), (
        "the served folder is gone: so is its state"
    )


def test_site_broken_at_start_is_served_once_fixed(tmp_path):
    site = starter_site(tmp_path / "mysite")
    credential = site / CREDENTIAL
    original = credential.read_text()
    credential.write_text(original.replace("name: Giving", "nme: Giving"))
    with serving(site) as served:
        failure = "badgepress: build failed, 2 problems; nothing to serve yet\n"
        if failure not in served.seen:  # stdout and stderr are read by two threads: either first
            served.wait_for_line("^" + re.escape(failure.strip()) + "$")
        try:
            fetch(served.url)
        except urllib.error.HTTPError as error:
            assert error.code == 503
            assert b"has not built yet" in error.read()
        else:
            raise AssertionError("a site that never built must not answer 200")
        credential.write_text(original)
        served.wait_for_line(r"^rebuilt in ")
        assert "Giving Formative Feedback" in fetch(served.url + "credentials/formative-feedback/")


def test_a_badge_served_by_serve_verifies_as_valid_for_its_earner(tmp_path, capsys):
    with serving(starter_site(tmp_path / "mysite")) as served:
        status = main(
            ["verify", f"{served.url}assertions/{STARTER_ASSERTION}.png", "--email", STARTER_EARNER]
        )
        out = capsys.readouterr().out
    assert status == 0, out
    assert "[ok  ] baked URL: the image carries the assertion's URL" in out
    assert out.strip().splitlines()[-1] == "verdict: Valid"


def test_port_out_of_range_is_a_usage_error(tmp_path, capsys):
    site = starter_site(tmp_path / "mysite")
    with pytest.raises(SystemExit) as stop:
        main(["serve", "--source", str(site), "--port", "70000"])
    assert stop.value.code == 2
    assert "expected a port number from 0 to 65535, found '70000'" in capsys.readouterr().err


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def test_a_build_process_that_dies_is_replaced_by_builds_in_serve_itself(tmp_path):
    site = starter_site(tmp_path / "mysite")
    credential = site / CREDENTIAL
    with serving(site) as served:
        (builder,) = _children(served.process.pid)  # the one process that runs every build
        os.kill(builder, signal.SIGKILL)  # as the kernel's out-of-memory killer would
        credential.write_text(
            credential.read_text().replace("Giving Formative Feedback", "Giving Late Feedback")
        )
        # The warning (stderr) and the rebuild's line (stdout) arrive in either order.
        expected = {
            r"^warning: the build process was killed by SIGKILL; building in this process",
            r"^rebuilt in \d+\.\d\ds after changes to " + re.escape(str(CREDENTIAL)),
        }
        while expected:
            line = served.wait_for_line("|".join(f"(?:{pattern})" for pattern in expected))
            expected = {pattern for pattern in expected if not re.search(pattern, line)}
        assert "Giving Late Feedback" in fetch(served.url + "credentials/formative-feedback/")
        status, output = served.stop()
    assert (status, "Traceback" in output) == (0, False), output
    assert output.count("not a git repository") == 1, output  # each warning said once


def test_ctrl_c_during_a_rebuild_with_workers_stops_them_all_and_removes_the_folder(tmp_path):
    site = synthetic_site(tmp_path / "big", 3000)  # enough for a rebuild to fork workers
    (site / "templates").mkdir(exist_ok=True)
    base = site / "templates" / "base.html"
    with serving(site) as served:
        (builder,) = _children(served.process.pid)
        base.write_text('{% extends "default/base.html" %}{% block meta %}<!-- x -->{% endblock %}')
        deadline = time.monotonic() + 30
        while not (workers := _children(builder)) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert workers, "the rebuild of every badge did not fork workers"
        # It then removes a built site of 3,000 badges (~15,000 files): seconds on a busy
        # 2-core runner, which the default 10 s nearly used up (a hang still fails).
        status, output = served.stop(timeout=30)
        output_folder = served.output
    assert (status, "Traceback" in output) == (0, False), output
    assert "badgepress: stopped" in output and "rebuilt" not in output
    for pid in (builder, *workers):
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text()
    assert not output_folder.exists()


def test_serve_builds_and_rebuilds_in_its_own_process_where_there_is_no_fork(tmp_path):
    # As on Windows: no os.fork, no fork start method. Every build runs in serve itself.
    site = starter_site(tmp_path / "mysite")
    credential = site / CREDENTIAL
    with serving(site, without_fork=True) as served:
        assert _children(served.process.pid) == []
        assert "Giving Formative Feedback" in fetch(served.url + "credentials/formative-feedback/")
        credential.write_text(
            credential.read_text().replace("Giving Formative Feedback", "Giving Late Feedback")
        )
        served.wait_for_line(
            r"^rebuilt in \d+\.\d\ds after changes to " + re.escape(str(CREDENTIAL))
        )
        assert "Giving Late Feedback" in fetch(served.url + "credentials/formative-feedback/")
        assert _children(served.process.pid) == []
        status, output = served.stop()
    assert (status, "Traceback" in output, "build process" in output) == (0, False, False), output
