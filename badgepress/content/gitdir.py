"""Where a folder's git repository is and which commit HEAD names, read from `.git` itself.

No subprocess: the no-op build asks for HEAD before it imports anything else, and the history
walk asks for it to know whether its cache still holds. Anything unusual (no repository, an
unborn branch, a ref format this does not read) answers None, and callers then ask git or
treat the commit as unknown.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# git(1) ENVIRONMENT: replacement objects off, or read from other refs than refs/replace/.
_REPLACE_VARIABLES = ("GIT_NO_REPLACE_OBJECTS", "GIT_REPLACE_REF_BASE")


@dataclass(frozen=True)
class GitDir:
    """A repository found above a folder."""

    top: Path  # the folder holding `.git`: the work tree's top
    git_dir: Path  # `.git`, or the folder a worktree's or submodule's `.git` file points to
    common: Path  # where refs, objects and `shallow` live (a worktree shares its main one's)

    @property
    def shallow(self) -> bool:
        """A shallow clone: history is cut, and deepening it changes history, not HEAD."""
        return (self.common / "shallow").exists()


def find(folder: Path) -> GitDir | None:
    """The repository holding `folder` (itself or a parent), or None."""
    folder = folder.resolve()  # as git sees it (getcwd gives the physical path)
    for candidate in (folder, *folder.parents):
        dot_git = candidate / ".git"
        if dot_git.is_dir():
            git_dir = dot_git
        elif dot_git.is_file():  # a worktree or submodule: "gitdir: <path>"
            try:
                text = dot_git.read_text(encoding="utf-8", errors="replace").strip()
            except OSError:
                return None
            if not text.startswith("gitdir:"):
                return None
            git_dir = (candidate / text.removeprefix("gitdir:").strip()).resolve()
        else:
            continue
        common = _common(git_dir)
        # What git itself takes for a repository (setup.c, is_git_directory); a `.git` folder
        # that is not one is passed over, as git passes over it.
        if common is not None:
            return GitDir(candidate, git_dir, common)
    return None


def _common(git_dir: Path) -> Path | None:
    """Where a git directory's objects and refs live, if it is a git directory at all."""
    try:
        common = git_dir
        if (git_dir / "commondir").is_file():
            common = (git_dir / (git_dir / "commondir").read_text().strip()).resolve()
        if (git_dir / "HEAD").is_file() and (common / "objects").is_dir():
            return common if (common / "refs").is_dir() else None
    except OSError:
        return None
    return None


def head(repository: GitDir) -> str | None:
    """The commit HEAD points to; None for an unborn branch or what this cannot read."""
    git_dir, common = repository.git_dir, repository.common
    try:
        text = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
        if not text.startswith("ref:"):
            return text  # detached HEAD
        ref = text.removeprefix("ref:").strip()
        for base in (git_dir, common):
            if (base / ref).is_file():
                return (base / ref).read_text(encoding="utf-8").strip()
        for line in (common / "packed-refs").read_text(encoding="utf-8").splitlines():
            if line.endswith(" " + ref):
                return line.split(" ", 1)[0]
    except OSError:
        return None
    return None  # a branch with no commit yet


def history_rewrites(repository: GitDir) -> str:
    """What makes git show another history under the same HEAD, as text to compare between
    builds: grafts (`info/grafts`) and replacement objects (`git replace`: refs under
    refs/replace/, loose or packed), and the variables that change their use; "" when there
    are none, as in almost every repository."""
    common = repository.common
    found = [f"{name}={os.environ[name]}" for name in _REPLACE_VARIABLES if name in os.environ]
    grafts = _text(common / "info" / "grafts")
    if grafts != "":
        found.append(f"grafts {grafts}")
    replace = common / "refs" / "replace"
    for folder, _dirs, files in sorted(os.walk(replace)):
        for name in sorted(files):
            path = Path(folder, name)
            found.append(f"{path.relative_to(replace).as_posix()} {_text(path)}")
    packed = _text(common / "packed-refs")
    if packed is None:
        found.append("packed-refs unreadable")
    elif " refs/replace/" in packed:
        found += [line for line in packed.splitlines() if " refs/replace/" in line]
    return "\n".join(found)


def _text(path: Path) -> str | None:
    """The file's text, "" when there is no such file, None when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""
    except OSError:
        return None


def git_head(folder: Path) -> str | None:
    """The commit HEAD points to in the repository holding `folder`; None when unknown."""
    repository = find(folder)
    return head(repository) if repository is not None else None
