"""Where processes cannot fork (Windows), builds and serve run in one process."""

from __future__ import annotations

import multiprocessing
import os

from badgepress.build import parallel


def test_without_os_fork_a_build_uses_one_process_though_multiprocessing_lists_fork(monkeypatch):
    assert parallel._workers(8, 100_000) > 1
    monkeypatch.delattr(os, "fork")
    # multiprocessing decided its start methods at import: it still offers "fork".
    assert "fork" in multiprocessing.get_all_start_methods()
    assert not parallel.can_fork()
    assert parallel._workers(8, 100_000) == 1


def test_without_the_fork_start_method_a_build_uses_one_process(monkeypatch):
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert not parallel.can_fork()
    assert parallel._workers(8, 100_000) == 1
