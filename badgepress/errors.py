"""Errors that carry data; formatting them is done in one place."""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath


@dataclass(frozen=True, order=True)
class SourceError:
    """One problem in one input file, at a line when known (1-based; 0 = the whole file)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.message}"
            if self.line
            else f"{self.path}: {self.message}"
        )


class BuildFailed(Exception):
    """Raised between stages when a stage collected errors; nothing has been written."""

    def __init__(self, errors: Iterable[SourceError]):
        self.errors = sorted(set(errors))
        super().__init__("\n".join(str(e) for e in self.errors))


def quote(value: object, limit: int = 40) -> str:
    """A value as error messages show it: its first `limit` characters, quoted, control
    characters escaped. Messages name a mistake; they never copy a file's contents."""
    text = str(value)
    shown = text[:limit] + ("…" if len(text) > limit else "")
    return repr(shown)


def bounded(value: object, limit: int = 120) -> str:
    """A library's message (YAML's, an image decoder's) on one line and cut short: some quote
    the input they choked on."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def display_path(path: PurePath | str, root: PurePath | str | None) -> str:
    """Path shown to users: relative to the site root when inside it, with forward slashes."""
    path = PurePath(path)
    if root is not None:
        with contextlib.suppress(ValueError):
            path = path.relative_to(root)
    return path.as_posix()


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean 'x'?)' suffix for the closest choice, or ''."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
