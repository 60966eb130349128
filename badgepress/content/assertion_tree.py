"""What lies under assertions/: every assertion file, and everything that is not one.

Every `*.yaml` (or `*.yml`) file under assertions/ is a badge, whatever folder it sits in
(`_archive/`, `.old/` included): a badge moved into a folder a loader skipped would stop being
published without a word. Anything else there is a mistake to report, not to skip: a symbolic
link (it can point outside the repository, or change what a published URL shows), a file or
folder the build cannot read (every badge in it would go unpublished), another kind of file
(`badge.yaml.txt`, `badge.json`: a badge someone believes issued). Only a short list of
repository furniture is left alone (`FURNITURE`).
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field

ASSERTION_SUFFIXES = (".yaml", ".yml")
# Names that are not badges and never were: a folder's README, git's placeholder for an empty
# folder, and what operating systems and editors leave beside files.
FURNITURE = frozenset(
    {"README", "README.md", "README.txt", ".gitkeep", ".keep", ".DS_Store", "Thumbs.db"}
)


def _editor_leftover(name: str) -> bool:
    """An editor's backup, swap or lock file (`x.yaml~`, `.x.yaml.swp`, `#x.yaml#`, `.#x.yaml`)."""
    return (
        name.endswith("~")
        or (name.startswith(".") and name.endswith((".swp", ".swo", ".swx")))
        or (name.startswith("#") and name.endswith("#"))
        or name.startswith(".#")
    )


def is_furniture(name: str) -> bool:
    return name in FURNITURE or _editor_leftover(name)


@dataclass
class AssertionTree:
    """`files`: (mtime_ns, size) of every assertion file by site-relative POSIX path;
    `problems`: (site-relative path, message) of everything else that is not furniture."""

    files: dict[str, tuple[int, int]] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)


LINK = (
    "is a symbolic link; badgepress does not follow links under assertions/ (one can point "
    "outside the repository, or change what a published badge shows): put the file itself here"
)
UNREADABLE_FOLDER = (
    "cannot read this folder ({reason}); the badges in it must stay published: make it "
    "readable (chmod u+rx)"
)
UNREADABLE_FILE = (
    "cannot read this file ({reason}); the badge must stay published: make it readable (chmod u+r)"
)
OTHER_FILE = (
    "expected only assertion files ('<id>.yaml') under assertions/, found '{name}': "
    "move it out of assertions/ ({allowed} may stay)"
)
UPPER_SUFFIX = (
    "an assertion file's name must end in lowercase '.yaml', found '{name}': rename it to '{fixed}'"
)
NOT_A_FILE = "is not a regular file or folder; expected only assertion files under assertions/"
ALLOWED = "README.md and .gitkeep"


def survey(folder: str, prefix: str = "assertions/") -> AssertionTree:
    """Look at everything under `folder` (the site's assertions/), not following links.

    os.scandir and strings, not Path.rglob: a site holds tens of thousands of assertions; the
    directory entries tell files, folders and links apart, one stat each gives the loader's
    stamp, and one access() each finds the files this process cannot read."""
    tree = AssertionTree()
    if not os.path.isdir(folder) or os.path.islink(folder):
        if os.path.islink(folder):
            tree.problems.append((prefix.rstrip("/"), LINK))
        return tree
    _walk(folder, prefix, tree)
    tree.problems.sort()
    return tree


def _walk(folder: str, prefix: str, tree: AssertionTree) -> None:
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError as problem:
        reason = problem.strerror or "unreadable"
        tree.problems.append((prefix.rstrip("/"), UNREADABLE_FOLDER.format(reason=reason)))
        return
    files = tree.files
    for entry in entries:
        name, rel = entry.name, prefix + entry.name
        try:
            # The common case first (10,000 times on a large site): an assertion file.
            if (
                name.endswith(ASSERTION_SUFFIXES)
                and not name.startswith(".#")  # an editor's lock, not a badge
                and entry.is_file(follow_symlinks=False)
            ):
                info = entry.stat(follow_symlinks=False)
                # Readable by everyone (the usual 0644), or else asked of the system.
                if info.st_mode & 0o444 != 0o444 and not os.access(entry.path, os.R_OK):
                    reason = os.strerror(errno.EACCES)  # what open() would say
                    tree.problems.append((rel, UNREADABLE_FILE.format(reason=reason)))
                else:
                    files[rel] = (info.st_mtime_ns, info.st_size)
            elif is_furniture(name):
                continue
            elif entry.is_symlink():
                tree.problems.append((rel, LINK))
            elif entry.is_dir(follow_symlinks=False):
                _walk(entry.path, rel + "/", tree)
            elif not entry.is_file(follow_symlinks=False):
                tree.problems.append((rel, NOT_A_FILE))
            elif name.lower().endswith(ASSERTION_SUFFIXES):
                stem, _dot, suffix = name.rpartition(".")
                fixed = f"{stem}.{suffix.lower()}"
                tree.problems.append((rel, UPPER_SUFFIX.format(name=name, fixed=fixed)))
            else:
                tree.problems.append((rel, OTHER_FILE.format(name=name, allowed=ALLOWED)))
        except OSError as problem:  # gone meanwhile, or a stat refused
            reason = problem.strerror or "unreadable"
            tree.problems.append((rel, UNREADABLE_FILE.format(reason=reason)))


def is_assertion_file(rel: str) -> bool:
    """Whether a path under assertions/ (from the survey or from git) names an assertion file."""
    return rel.endswith(ASSERTION_SUFFIXES)
