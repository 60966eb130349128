"""Symbolic links in content/ and templates/: followed only while they stay in the repository.

A pull request can add a link to any path on the machine that builds it, say
`content/pages/x.md -> /proc/self/environ`. Its target is never read, and never quoted: the
link is an error that names the link. A link whose target is in the repository (a badge image
two credentials share) is followed like the file it points at; `.git/` does not count as the
repository here (a CI checkout keeps its access token in `.git/config`).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import SourceError
from .project import Project

MESSAGE = (
    "symbolic link to a place outside the repository (or into .git/): badgepress reads only the "
    "repository's own files; replace the link with a copy of the file"
)


OUTSIDE_FILE = (
    "expected a file inside the repository (not in .git/), found a path that leads out of it"
)


def escapes(project: Project, path: Path) -> bool:
    """Whether `path`, its links resolved, lies outside the repository or inside its .git/."""
    root = os.path.realpath(project.root)
    target = os.path.realpath(path)
    inside = target == root or target.startswith(root.rstrip(os.sep) + os.sep)
    git = os.path.join(root, ".git")
    return not inside or target == git or target.startswith(git + os.sep)


def outside_links(project: Project) -> list[SourceError]:
    """Every link under content/ and templates/ (the folders themselves included) that leads
    out of the repository, as an error naming the link."""
    errors = []
    for top in (project.content, project.templates_dir):
        if top.is_symlink():
            if escapes(project, top):
                errors.append(SourceError(project.rel(top), 0, MESSAGE))
            continue  # an in-repository folder's own links are checked where they are
        if not top.is_dir():
            continue
        for folder, subfolders, files in os.walk(top):  # links to folders are listed, not entered
            for name in (*subfolders, *files):
                path = Path(folder, name)
                if path.is_symlink() and escapes(project, path):
                    errors.append(SourceError(project.rel(path), 0, MESSAGE))
    return sorted(errors)
