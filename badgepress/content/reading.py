"""How the content stage reads assertions/: the interface it asks for, and the plain reading.

The stage says what to read; how (worker processes, last build's readings kept) is the build's
business (`build.parallel.FastReader`), handed in through `LoadContext` so that the stage never
imports the optimiser.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TypeVar

from ..timing import Timings
from .assertion_tree import AssertionTree
from .load import AssertionFile, read_assertion_file
from .project import Project, assertion_rels

if TYPE_CHECKING:
    from ..images.image_cache import ImageCache
    from ..images.supplied import CheckedImages
    from .gitlog import HistoryWalk

T = TypeVar("T")


@dataclass(frozen=True)
class ReadingOptions:
    """What every assertion file is read with."""

    plaintext_recipients: bool
    added: Mapping[str, datetime.datetime]  # path → when git added it (undated assertions)
    now: datetime.datetime


class AssertionReader(Protocol):
    """How the content stage reads assertions/. Its readers (SerialReader, the build's
    FastReader) name it as their base and keep its signatures (a unit test checks)."""

    def survey(self, project: Project) -> AssertionTree:
        """The files under assertions/ (mtime_ns, size by path) and what must not be there."""
        ...

    def read(
        self,
        project: Project,
        tree: AssertionTree,
        options: ReadingOptions,
        meanwhile: Callable[[], T],
    ) -> tuple[list[AssertionFile], T]:
        """Every assertion file of `tree` read and checked, in file order (`assertion_rels`).
        `meanwhile` runs in this process while the files are read elsewhere (or first); its
        result comes back with the files."""
        ...


class SerialReader(AssertionReader):
    """Every file read here, one after the other: for `issue`, tools and tests."""

    def survey(self, project: Project) -> AssertionTree:
        return project.assertion_tree()

    def read(
        self,
        project: Project,
        tree: AssertionTree,
        options: ReadingOptions,
        meanwhile: Callable[[], T],
    ) -> tuple[list[AssertionFile], T]:
        beside = meanwhile()
        timings = Timings()
        files = [
            read_assertion_file(
                project.root.joinpath(*rel.split("/")),
                project,
                plaintext_recipients=options.plaintext_recipients,
                added=options.added.get(rel),
                now=options.now,
                timings=timings,
            )
            for rel in assertion_rels(tree.files)
        ]
        return files, beside


@dataclass
class LoadContext:
    """What a build lends the loader to go faster; each default does the work plainly."""

    assertions: AssertionReader = field(default_factory=SerialReader)
    history: HistoryWalk | None = None  # git's walk of assertions/, if the build started it
    drawn: ImageCache | None = None  # badges drawn by earlier builds
    checked: CheckedImages | None = None  # checks of supplied images by earlier builds
