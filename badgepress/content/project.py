"""Where a site's files are: discovery of the content tree. Reading happens in `sources`."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .assertion_tree import AssertionTree, is_assertion_file, survey


def assertion_file_id(rel: str) -> str:
    """The id of the assertion in the file at `rel` (POSIX): its name without the suffix."""
    return rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]


IMAGE_SUFFIXES = (".png", ".svg")


@dataclass(frozen=True)
class Project:
    """A site repository on disk."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def site_yaml(self) -> Path:
        return self.content / "site.yaml"

    @property
    def credentials_dir(self) -> Path:
        return self.content / "credentials"

    @property
    def pages_dir(self) -> Path:
        return self.content / "pages"

    @property
    def assertions_dir(self) -> Path:
        return self.root / "assertions"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def locales_dir(self) -> Path:
        """The site's own interface catalogs: locales/<lang>/LC_MESSAGES/messages.po."""
        return self.root / "locales"

    def rel(self, path: Path) -> str:
        """A path as users see it in messages: relative to the site root."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def stack_indexes(self) -> list[Path]:
        """content/credentials/<stack>/index.md, sorted."""
        return (
            sorted(self.credentials_dir.glob("*/index.md")) if self.credentials_dir.is_dir() else []
        )

    def credential_files(self) -> list[Path]:
        """Credential Markdown files at the top of content/credentials/ and in stack folders."""
        if not self.credentials_dir.is_dir():
            return []
        files = [
            p
            for p in self.credentials_dir.rglob("*.md")
            if p.name != "index.md" or p.parent == self.credentials_dir
        ]
        return sorted(
            p
            for p in files
            if p.is_file() and not _hidden(p, self.credentials_dir) and "." not in p.stem
        )

    def translation_files(self) -> list[Path]:
        """Credential translations, `<slug>.<lang>.md` next to `<slug>.md`, sorted."""
        if not self.credentials_dir.is_dir():
            return []
        return sorted(
            p
            for p in self.credentials_dir.rglob("*.*.md")
            if p.is_file() and not _hidden(p, self.credentials_dir)
        )

    def assertion_files(self) -> list[Path]:
        """assertions/**/<id>.yaml, in any folder, sorted."""
        return [
            self.root.joinpath(*rel.split("/")) for rel in assertion_rels(self.assertion_stats())
        ]

    def assertion_stats(self) -> dict[str, tuple[int, int]]:
        """(mtime_ns, size) of every assertion file under assertions/, by site-relative path."""
        return self.assertion_tree().files

    def assertion_tree(self) -> AssertionTree:
        """Every assertion file under assertions/ and every problem there (assertion_tree)."""
        return survey(os.fspath(self.assertions_dir))

    def page_files(self) -> list[Path]:
        """content/pages/*.md, sorted."""
        return sorted(self.pages_dir.glob("*.md")) if self.pages_dir.is_dir() else []


def assertion_rels(rels: Iterable[str]) -> list[str]:
    """The assertion files among site-relative POSIX paths ('assertions/2026/x.yaml'), whatever
    folder they are in, in the order of sorted Paths (part by part)."""
    found = [rel for rel in rels if rel.startswith("assertions/") and is_assertion_file(rel)]
    found.sort(key=lambda rel: rel.replace("/", "\0"))  # NUL sorts first: part by part
    return found


def _hidden(path: Path, base: Path) -> bool:
    return any(part.startswith((".", "_")) for part in path.relative_to(base).parts)
