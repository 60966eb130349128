"""Counts in command-line messages take the noun's number: never "1 stacks"."""

from badgepress.wording import counted


def test_one_takes_the_singular_and_every_other_count_the_plural():
    assert [counted(n, "stack") for n in (0, 1, 2)] == ["0 stacks", "1 stack", "2 stacks"]


def test_an_irregular_plural_is_given():
    assert counted(1, "entry", "entries") == "1 entry"
    assert counted(3, "entry", "entries") == "3 entries"
