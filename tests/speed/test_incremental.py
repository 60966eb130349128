"""Incremental builds produce exactly the bytes of a clean build, and redo only what changed."""

from __future__ import annotations

import os
import random
import re
import time
from pathlib import Path

import pytest

from badgepress.pipeline import build
from badgepress.project import Project
from tests.speed.support import example_repository, git, tree
from tests.support import BUILD_TIME

START = time.time_ns() - 3600 * 10**9  # edits get distinct mtimes an hour back: never "racy"


class Editor:
    """Random edits of a site copy, each stamped with its own mtime."""

    def __init__(self, root: Path, seed: int):
        self.root = root
        self.rng = random.Random(seed)
        self.step = 0
        for path in root.rglob("*"):
            if ".git" not in path.parts and path.is_file():
                os.utime(path, ns=(START, START))

    def _touch(self, path: Path) -> None:
        self.step += 1
        stamp = START + self.step * 10**9
        os.utime(path, ns=(stamp, stamp))

    def write(self, path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        self._touch(path)

    def assertions(self) -> list[Path]:
        return sorted((self.root / "assertions").rglob("*.yaml"))

    def change_assertion(self) -> str:
        path = self.rng.choice(self.assertions())
        text = re.sub(r"(?m)^issued_on:.*\n", "", path.read_text()).rstrip("\n") + "\n"
        day = f"2020-{1 + self.step % 12:02d}-{1 + self.step % 28:02d}"
        self.write(path, text + f"issued_on: {day}\n")
        return "assertion"

    def add_assertion(self) -> str:
        source = self.rng.choice(self.assertions())
        self.write(source.with_name(f"added{self.step}x.yaml"), source.read_text())
        return "assertion"

    def delete_assertion(self) -> str:
        self.rng.choice(self.assertions()).unlink()
        return "deleted"

    def revoke_assertion(self) -> str:
        valid = [p for p in self.assertions() if "revoked:" not in p.read_text()]
        path = self.rng.choice(valid)
        text = path.read_text().rstrip("\n") + "\n"
        self.write(path, text + f"revoked: true\nrevocation_reason: Step {self.step}\n")
        return "assertion"

    def edit_credential(self) -> str:
        credentials = sorted((self.root / "content" / "credentials").rglob("*.md"))
        path = self.rng.choice(
            [p for p in credentials if p.name != "index.md" and p.stem.count(".") == 0]
        )
        self.write(path, path.read_text().replace("summary: ", f"summary: Step {self.step}. ", 1))
        return "other"

    def edit_template(self) -> str:
        self.write(
            self.root / "templates" / "assertion.html",
            '{% extends "default/assertion.html" %}'
            f"{{% block title %}}Step {self.step} · {{{{ super() }}}}{{% endblock %}}\n",
        )
        return "other"

    def edit_site_yaml(self) -> str:
        path = self.root / "content" / "site.yaml"
        text = re.sub(r"(?m)^title: .*$", f"title: Catalog, step {self.step}", path.read_text())
        self.write(path, text)
        return "other"

    def commit(self) -> str:
        git(self.root, "add", "-A")
        git(self.root, "commit", "-q", "-m", f"step {self.step}", "--allow-empty")
        return "other"


EDITS = [
    "change_assertion", "add_assertion", "delete_assertion", "revoke_assertion",
    "edit_credential", "edit_template", "edit_site_yaml", "commit",
]  # fmt: skip


@pytest.mark.parametrize("seed", [1, 2])
def test_random_edits_build_the_same_bytes_as_a_clean_build(tmp_path, seed):
    root = example_repository(tmp_path / "repo")
    editor = Editor(root, seed)
    project = Project(root)
    output = tmp_path / "incremental"
    first = build(project, output, BUILD_TIME, incremental=True)
    assert first.rendered == len(first.catalog.assertions)
    # Every kind of edit at least once, then a random sequence.
    sequence = EDITS + [editor.rng.choice(EDITS) for _ in range(10)]
    for index, name in enumerate(sequence):
        kind = getattr(editor, name)()
        report = build(project, output, BUILD_TIME, incremental=True)
        clean = tmp_path / f"clean-{index}"
        build(project, clean, BUILD_TIME)
        assert tree(output) == tree(clean), f"step {index}: {name} differs from a clean build"
        if kind == "assertion":
            assert report.rendered == 1, f"step {index}: {name} rendered {report.rendered}"
        elif kind == "deleted":
            assert report.rendered == 0
            assert report.write.removed >= 3  # its JSON, page and baked image


def test_a_single_changed_assertion_rewrites_only_its_own_files(tmp_path):
    root = example_repository(tmp_path / "repo")
    editor = Editor(root, 0)
    output = tmp_path / "site"
    build(Project(root), output, BUILD_TIME, incremental=True)
    path = next(
        p for p in sorted((root / "assertions").rglob("*.yaml")) if "narrative" not in p.read_text()
    )
    editor.write(path, path.read_text().rstrip("\n") + "\nnarrative: Facilitator's note.\n")
    report = build(Project(root), output, BUILD_TIME, incremental=True)
    # The hosted JSON and the earner page change; the baked image only carries the URL.
    assert (report.write.written, report.write.removed) == (2, 0)
    assert report.rendered == 1


def test_an_edit_within_the_same_clock_tick_is_still_seen(tmp_path):
    """Same size, same mtime (a coarse file clock): the racy-file rule reads it again."""
    root = example_repository(tmp_path / "repo")
    output = tmp_path / "site"
    path = next(
        p for p in sorted((root / "assertions").rglob("*.yaml")) if "narrative" not in p.read_text()
    )
    path.write_text(path.read_text().rstrip("\n") + "\nnarrative: Version A.\n")
    stat = path.stat()
    build(Project(root), output, BUILD_TIME, incremental=True)
    path.write_text(path.read_text().replace("Version A.", "Version B."))
    os.utime(path, ns=(stat.st_mtime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    build(Project(root), output, BUILD_TIME, incremental=True)
    page = (output / "assertions" / path.stem / "index.html").read_text()
    assert "Version B." in page


def test_a_deleted_output_folder_gets_a_full_build(tmp_path):
    root = example_repository(tmp_path / "repo")
    output = tmp_path / "site"
    build(Project(root), output, BUILD_TIME, incremental=True)
    expected = tree(output)
    for path in sorted(output.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    output.rmdir()
    report = build(Project(root), output, BUILD_TIME, incremental=True)
    assert report.rendered == len(report.catalog.assertions)
    assert tree(output) == expected


def test_a_folder_without_git_or_source_date_epoch_builds_in_full_every_time(tmp_path):
    """Without a commit the reference time is the wall clock: nothing can be reused safely."""
    from tests.support import copy_example

    root = copy_example(tmp_path / "plain")
    output = tmp_path / "site"
    build(Project(root), output, BUILD_TIME, incremental=True, environ={})
    report = build(Project(root), output, BUILD_TIME, incremental=True, environ={})
    assert report.rendered == len(report.catalog.assertions)
    assert not (root / ".badgepress-cache" / "builds").exists()


def test_with_signing_an_edit_rebuilds_the_same_open_badges_3_files_as_a_clean_build(tmp_path):
    from badgepress.signing import SigningKey
    from tests.ob3.support import KEY_ENV, enable_signing

    root = example_repository(tmp_path / "repo")
    enable_signing(root)
    git(root, "commit", "-q", "-am", "signing on")
    editor = Editor(root, 3)
    environ = {KEY_ENV: SigningKey.generate().secret_multibase}
    output = tmp_path / "site"
    build(Project(root), output, BUILD_TIME, incremental=True, environ=environ)
    for edit in ("change_assertion", "revoke_assertion", "add_assertion", "delete_assertion"):
        getattr(editor, edit)()
        report = build(Project(root), output, BUILD_TIME, incremental=True, environ=environ)
        clean = tmp_path / f"clean-{edit}"
        build(Project(root), clean, BUILD_TIME, environ=environ)
        assert tree(output) == tree(clean), edit
        assert any(path.endswith(".credential.json") for path in tree(output))
        assert report.rendered <= 1
