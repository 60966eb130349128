"""`badgepress serve` in a subprocess on a free port, always stopped at the end."""

from __future__ import annotations

import contextlib
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from badgepress.issuing.new_site import create_site

SERVING = re.compile(r"^serving (http://127\.0\.0\.1:\d+/) \(built into (.+)\); press Ctrl-C")
# The starter's credential, the file the tests edit.
CREDENTIAL = Path("content/credentials/getting-started/formative-feedback.md")
STARTER_ASSERTION = "ssywkqbuv9se"
# The made-up earner the starter's assertion was hashed from (kept here, never in the starter).
STARTER_EARNER = "new.educator@example.org"


def starter_site(target: Path) -> Path:
    """A fresh `badgepress new` site at `target`."""
    create_site(target)
    return target


@dataclass
class Serving:
    """A running `badgepress serve`: its URL, build folder, and its output so far."""

    process: subprocess.Popen
    url: str
    output: Path
    lines: queue.Queue = field(default_factory=queue.Queue)
    seen: list[str] = field(default_factory=list)

    def wait_for_line(self, pattern: str, timeout: float = 10) -> str:
        """The next output line (stdout or stderr) matching `pattern`, within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.seen.append(line)
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no line matching {pattern!r} in {timeout}s; output: {self.seen}")

    def stop(self, sig: int = signal.SIGINT, timeout: float = 10) -> tuple[int, str]:
        """Send `sig`, wait for the exit; (status, all output)."""
        self.process.send_signal(sig)
        try:
            status = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
            raise AssertionError(f"serve did not stop within {timeout}s of signal {sig}") from None
        time.sleep(0.1)  # let the reader threads drain the pipes
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return status, "".join(self.seen)


def _pump(stream, lines: queue.Queue) -> None:
    for line in iter(stream.readline, ""):
        lines.put(line)
    stream.close()


# Starts Python with SIGINT ignored, as a script's background job (`badgepress serve &`) is.
_SIGINT_IGNORED = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); "
    "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])"
)

# Starts Python as on a platform without fork (Windows): both `os.fork` and the fork start
# method gone, since multiprocessing still lists "fork" after `del os.fork`.
_WITHOUT_FORK = (
    "import multiprocessing, os, runpy, sys; del os.fork; "
    "multiprocessing.get_all_start_methods = lambda: ['spawn']; "
    "sys.argv = sys.argv[2:]; runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)"
)


def start_serve(
    source: Path,
    *args: str,
    env: dict[str, str] | None = None,
    sigint_ignored: bool = False,
    without_fork: bool = False,
) -> subprocess.Popen:
    """`python -m badgepress serve --source SOURCE ARGS`, output as text pipes."""
    launcher = [sys.executable]
    if sigint_ignored:
        launcher = [sys.executable, "-c", _SIGINT_IGNORED]
    elif without_fork:
        launcher = [sys.executable, "-c", _WITHOUT_FORK]
    return subprocess.Popen(
        [*launcher, "-m", "badgepress", "serve", "--source", str(source), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
    )


@contextlib.contextmanager
def serving(
    source: Path,
    *args: str,
    env: dict[str, str] | None = None,
    sigint_ignored: bool = False,
    without_fork: bool = False,
) -> Iterator[Serving]:
    """Start serve on a free port, wait until it serves; kill it whatever happens."""
    process = start_serve(
        source,
        "--port",
        "0",
        *args,
        env=env,
        sigint_ignored=sigint_ignored,
        without_fork=without_fork,
    )
    lines: queue.Queue = queue.Queue()
    for stream in (process.stdout, process.stderr):
        threading.Thread(target=_pump, args=(stream, lines), daemon=True).start()
    running = Serving(process, "", Path())
    running.lines = lines
    try:
        match = SERVING.match(running.wait_for_line(SERVING.pattern, timeout=30))
        running.url, running.output = match.group(1), Path(match.group(2))
        yield running
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(5)
        if running.output != Path() and running.output.name.startswith("badgepress-serve-"):
            shutil.rmtree(running.output, ignore_errors=True)  # only after a kill
