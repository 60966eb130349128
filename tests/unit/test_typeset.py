"""Wrapping names to widths: whole words first, then breaks at hyphens, then split words."""

from __future__ import annotations

from badgepress.images.typeset import ellipsize, wrap


def measure(text: str) -> float:
    return len(text)  # one unit per character keeps the cases readable


def test_words_move_whole_to_the_next_line():
    assert wrap(["Restorative", "Practices", "Micro-credentials"], [22] * 3, measure) == [
        "Restorative Practices",
        "Micro-credentials",
    ]


def test_a_word_too_wide_for_any_line_breaks_after_its_hyphen():
    assert wrap(["Empathy-Centered", "Design"], [10] * 3, measure) == [
        "Empathy-",
        "Centered",
        "Design",
    ]


def test_a_word_without_hyphens_is_split_only_when_allowed():
    assert wrap(["Supercalifragilistic"], [10] * 3, measure) == ["Supercali-", "fragilist-", "ic"]
    assert wrap(["Supercalifragilistic"], [10] * 3, measure, split_words=False) is None


def test_too_many_lines_is_none():
    assert wrap(["one", "two", "three", "four"], [5, 5], measure) is None


def test_ellipsize_shortens_to_the_limit():
    assert ellipsize("Example Education Association", 12, measure) == "Example Edu…"
    assert ellipsize("Short", 12, measure) == "Short"
