"""`serve`'s build process: answers in order, reports its death, stops a build in progress."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from badgepress.serve.buildprocess import BuildProcess, BuildProcessLost


def _where_and_twice(value: int) -> tuple[int, int]:
    return os.getpid(), value * 2


def _fails(value: int) -> None:
    raise ValueError(f"no good: {value}")


def _sleeps(seconds: float) -> None:
    time.sleep(seconds)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_calls_run_in_one_other_process_that_keeps_its_state_between_them():
    seen = []

    def remember(value):
        seen.append(value)
        return os.getpid(), list(seen)

    process = BuildProcess(remember)
    try:
        first_pid, first = process.call(1)
        again_pid, again = process.call(2)
    finally:
        process.stop()
    assert first_pid == again_pid != os.getpid()
    assert (first, again, seen) == ([1], [1, 2], [])  # the state lives in the child only
    assert not _alive(first_pid)


def test_a_bug_in_run_is_reported_with_its_traceback_and_the_process_answers_on():
    process = BuildProcess(lambda value: _fails(value) if value < 0 else _where_and_twice(value))
    try:
        with pytest.raises(BuildProcessLost, match=r"(?s)Traceback.*ValueError: no good: -1"):
            process.call(-1)
        assert process.call(21)[1] == 42
    finally:
        process.stop()


def test_a_killed_process_is_reported_not_waited_for():
    process = BuildProcess(_sleeps)
    pid = process.pid
    threading.Timer(0.3, os.kill, (pid, signal.SIGKILL)).start()
    started = time.monotonic()
    with pytest.raises(BuildProcessLost, match="killed by SIGKILL"):
        process.call(60)
    assert time.monotonic() - started < 10
    with pytest.raises(BuildProcessLost):
        process.call(1)  # no new process: forking from a threaded one could hang it
    process.stop()


def test_stop_interrupts_a_call_in_progress_and_reaps_the_process():
    process = BuildProcess(_sleeps)
    pid = process.pid
    stopping = threading.Timer(0.3, process.stop)
    stopping.start()
    started = time.monotonic()
    with pytest.raises(BuildProcessLost, match=r"^stopped$"):
        process.call(60)
    assert time.monotonic() - started < 10
    stopping.join(10)
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left
