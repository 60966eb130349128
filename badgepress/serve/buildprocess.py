"""A process of its own for `serve`'s builds, forked before `serve` starts any thread.

A forked child keeps only the thread that forked, and a lock another thread held at that moment
stays locked in it. `serve`'s HTTP server and file watcher are threads, so a build that forked
its worker processes from `serve` itself could hang. This process is forked while `serve` has
one thread and runs nothing but builds, so each build, the first and every rebuild, may fork
workers (`parallel`) and use every core; it also keeps the in-memory state that makes
incremental builds cheap.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import signal
import socket
import time
import traceback
from collections.abc import Callable, Iterable
from typing import Any

POLL_SECONDS = 0.25  # how often a wait for a result checks that the process still lives


class BuildProcessLost(Exception):
    """The process died (killed, out of memory) or was stopped before it answered."""


class BuildProcess:
    """Runs `run(*request)` in a forked child and hands back its (picklable) result."""

    def __init__(self, run: Callable[..., Any], not_ours: Iterable[socket.socket] = ()):
        """Fork now; `not_ours`: sockets the child closes (the server's: the port is the
        parent's alone)."""
        ours, theirs = multiprocessing.Pipe()
        pid = os.fork()
        if pid == 0:  # the child: answer requests until the parent closes its end
            status = 0
            try:
                ours.close()
                for other in not_ours:
                    other.close()
                _serve_requests(theirs, run)
            except BaseException:
                status = 1
            finally:
                os._exit(status)  # never run the parent's cleanup (atexit, finally blocks)
        theirs.close()
        self.pid: int | None = pid
        self._connection = ours
        self._stopping = False
        self._status: int | None = None  # os.waitpid's, once it has ended

    def call(self, *request: Any) -> Any:
        """`run(*request)` in the child; BuildProcessLost when it cannot answer."""
        if self.pid is None:
            raise BuildProcessLost("stopped")
        try:
            self._connection.send(request)
            # Polled, not a blocking receive: a worker the child forked holds its end of the
            # pipe too, so the child's death alone might never close it.
            while not self._connection.poll(POLL_SECONDS):
                if self._ended():
                    raise BuildProcessLost(self._how_it_ended())
            kind, value = self._connection.recv()
        except (EOFError, OSError) as problem:
            self._ended(within=2)  # its end of the pipe closes a moment before it can be reaped
            raise BuildProcessLost(self._how_it_ended()) from problem
        if kind == "raised":  # a bug in `run`: its traceback, as text
            raise BuildProcessLost(value)
        return value

    def stop(self, timeout: float = 10.0) -> None:
        """Interrupt a build in progress (its workers are stopped too) and wait for the end."""
        self._stopping = True
        pid, self.pid = self.pid, None
        self._connection.close()
        if pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        if _reap(pid, within=timeout) is None:
            os.kill(pid, signal.SIGKILL)
            _reap(pid, within=math.inf)

    def _ended(self, within: float = 0) -> bool:
        """Whether the process has ended, waiting up to `within` seconds; reaps it."""
        pid = self.pid
        if pid is None:
            return True
        status = _reap(pid, within)
        if status is None:
            return False
        self.pid, self._status = None, status
        return True

    def _how_it_ended(self) -> str:
        if self._stopping:
            return "stopped"
        status = self._status
        if status is None:
            return "the build process stopped answering"
        if os.WIFSIGNALED(status):
            return f"the build process was killed by {signal.Signals(os.WTERMSIG(status)).name}"
        return f"the build process exited with status {os.waitstatus_to_exitcode(status)}"


def _reap(pid: int, within: float) -> int | None:
    """`pid`'s wait status once it has ended, polled for up to `within` seconds; None while it
    runs. 0 when another thread reaped it first (a `call` that saw it end, or `stop`)."""
    deadline = time.monotonic() + within
    while True:
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return 0
        if done:
            return status
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.01)


def _serve_requests(connection, run: Callable[..., Any]) -> None:
    # Ctrl-C reaches the whole process group; the parent decides when this process stops
    # (SIGTERM, which interrupts a build the way Ctrl-C does a `badgepress build`).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _interrupt)
    while True:
        try:
            request = connection.recv()
        except EOFError:  # the parent closed its end, or died
            return
        try:
            answer = ("result", run(*request))
        except Exception:
            answer = ("raised", traceback.format_exc())
        connection.send(answer)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
