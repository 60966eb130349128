"""The progress bar: only for a person at a terminal, only once a build is slow."""

from __future__ import annotations

import io

from badgepress.build.progress import SHOW_AFTER, BuildProgress, wanted


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_bar_is_wanted_only_on_a_terminal_outside_ci_and_without_quiet():
    assert wanted(Terminal(), quiet=False, environ={})
    assert not wanted(io.StringIO(), quiet=False, environ={})
    assert not wanted(Terminal(), quiet=True, environ={})
    assert not wanted(Terminal(), quiet=False, environ={"CI": "true"})


def test_the_bar_appears_after_a_second_and_is_removed_at_the_end(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    screen = Terminal()
    progress = BuildProgress(stream=screen)
    progress.update(10, 1000)
    assert screen.getvalue() == ""  # a quick build prints nothing but its summary
    progress.started -= SHOW_AFTER + 0.5
    progress.update(10, 1000)
    progress.stop()
    assert "rendering badges" in screen.getvalue()
    assert "20/1000" in screen.getvalue()
