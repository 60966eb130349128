"""`serve` in this process: its builds may fork workers, and edits saved during the first count."""

from __future__ import annotations

import os
import queue
import re
import signal
import threading
import time
import urllib.request

from badgepress.build.parallel import default_jobs
from badgepress.content.project import Project
from badgepress.serve import server as serve_module
from tests.authoring.support import CREDENTIAL, starter_site


class Lines:
    """A text stream for serve's output that hands each line to the test as it is printed."""

    def __init__(self) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []

    def write(self, text: str) -> int:
        for line in text.splitlines():
            self.lines.put(line)
        return len(text)

    def flush(self) -> None:
        pass

    def wait_for(self, pattern: str, timeout: float = 20) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.seen.append(line)
            if found := re.search(pattern, line):
                return found
        raise AssertionError(f"no line matching {pattern!r} in {timeout}s; output: {self.seen}")


def test_an_edit_saved_during_the_first_build_is_built_once_the_watcher_runs(tmp_path, monkeypatch):
    site = starter_site(tmp_path / "mysite")
    credential = site / CREDENTIAL
    real_build = serve_module.build
    jobs = tmp_path / "jobs"  # builds run in a process of their own: a file, not a list

    def build_then_edit(*args, **kwargs):
        report = real_build(*args, **kwargs)
        if not jobs.exists():  # saved after the first build read it, before anything watched
            text = credential.read_text()
            credential.write_text(text.replace("Giving Formative Feedback", "Giving Late Feedback"))
        with jobs.open("a") as record:
            print(kwargs["jobs"], os.getpid(), file=record)
        return report

    monkeypatch.setattr(serve_module, "build", build_then_edit)
    out, err = Lines(), Lines()
    seen: dict[str, object] = {}
    main_thread = threading.get_ident()

    def check_then_stop() -> None:
        try:
            url = out.wait_for(r"^serving (http://127\.0\.0\.1:\d+/) ").group(1)
            out.wait_for(r"^rebuilt in .* after changes to " + re.escape(str(CREDENTIAL)))
            with urllib.request.urlopen(url + "credentials/formative-feedback/", timeout=5) as r:
                seen["page"] = r.read().decode()
        except BaseException as problem:
            seen["problem"] = problem
        finally:
            signal.pthread_kill(main_thread, signal.SIGINT)  # serve stops as on Ctrl-C

    threading.Thread(target=check_then_stop, daemon=True).start()
    status = serve_module.serve(Project(site), port=0, out=out, err=err)

    assert "problem" not in seen, seen.get("problem")
    assert status == 0
    assert "Giving Late Feedback" in seen["page"]
    # Both builds ran in one process forked before any thread started, so both could fork.
    (first_jobs, first_pid), (again_jobs, again_pid) = (
        line.split() for line in jobs.read_text().splitlines()
    )
    assert int(first_jobs) == int(again_jobs) == default_jobs()
    assert first_pid == again_pid != str(os.getpid())
