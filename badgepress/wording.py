"""Counts in the command line's English messages: "1 stack", "2 stacks", "0 stacks"."""

from __future__ import annotations


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """`count` and the noun in the number it takes; `plural` for nouns not made with -s."""
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def catalog_summary(catalog) -> str:
    """'3 credentials, 1 stack, 12 assertions': what a build or check found."""
    return ", ".join(
        [
            counted(len(catalog.credentials), "credential"),
            counted(len(catalog.stacks), "stack"),
            counted(len(catalog.assertions), "assertion"),
        ]
    )
