"""Incremental builds produce exactly the bytes of a clean build, and redo only what changed."""

from __future__ import annotations

import datetime
import json
import os
import random
import re
import subprocess
import time
from pathlib import Path

import pytest

from badgepress.build.state import HISTORY_CACHE, forget_history, forget_state
from badgepress.content.project import Project
from badgepress.errors import BuildFailed
from badgepress.pipeline import build, reference_time, source_commit
from tests.speed.support import example_repository, git, stamps, tree
from tests.support import BUILD_TIME

START = time.time_ns() - 3600 * 10**9  # edits get distinct mtimes an hour back: never "racy"
DAY = datetime.timedelta(days=1)


# A site base.html reading the catalog by ways a search of templates' text for the names of
# its attributes would miss: every page shows it, so edits of other files render them all.
READING_TEMPLATES = [
    {  # the catalog's assertions by a computed name: how many badges were issued
        "base.html": '{% extends "default/base.html" %}{% block nav %}{{ super() }}'
        '<p>{{ catalog|attr("assert" ~ "ions")|length }} badges</p>{% endblock %}\n',
    },
    {  # the build's reference time by a computed key
        "base.html": '{% extends "default/base.html" %}{% block nav %}{{ super() }}'
        '{% set when = catalog["no" ~ "w"] %}<p>{{ when.isoformat() }}</p>{% endblock %}\n',
    },
    {  # the stacks, by an imported macro, under another name
        "base.html": '{% extends "default/base.html" %}'
        '{% import "parts/summary.html" as summary %}'
        "{% block nav %}{{ super() }}<p>{{ summary.stacks() }}</p>{% endblock %}\n",
        "parts/summary.html": "{% macro stacks() %}{% set everything = catalog %}"
        "{{ everything.stacks|map(attribute='summary')|join(' ')|truncate(60) }}"
        "{% endmacro %}\n",
    },
]


class Editor:
    """Random edits of a site copy, each stamped with its own mtime."""

    def __init__(self, root: Path, seed: int):
        self.root = root
        self.rng = random.Random(seed)
        self.step = 0
        self.clock = BUILD_TIME  # the last commit's time (example_repository commits at it)
        self.environ: dict[str, str] = {}  # the builds' environment: SOURCE_DATE_EPOCH or not
        self.seed = seed
        self.reading: list[Path] = []  # the files of a template reading the catalog, if any
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

    def now(self) -> datetime.datetime:
        """The builds' reference time: SOURCE_DATE_EPOCH, else the commit's time."""
        epoch = self.environ.get("SOURCE_DATE_EPOCH")
        return (
            datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
            if epoch
            else self.clock
        )

    def build(self, output: Path, incremental: bool = True):
        """A build as the command line runs it: as of the commit's time (or the epoch)."""
        project = Project(self.root)
        commit = source_commit(project)
        now = reference_time(project, self.environ, BUILD_TIME, commit)
        return build(
            project, output, now, incremental=incremental, environ=self.environ, commit=commit
        )

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
        """Deleted, not committed: a committed badge stays published as the last commit has
        it (with a warning); one never committed is gone."""
        path = self.rng.choice(self.assertions())
        committed = bool(self._git_output("ls-files", path.relative_to(self.root).as_posix()))
        path.unlink()
        return "deleted-committed" if committed else "deleted"

    def _git_output(self, *args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(self.root), *args], capture_output=True, text=True, check=True
        ).stdout

    def revoke_assertion(self) -> str:
        valid = [p for p in self.assertions() if "revoked:" not in p.read_text()]
        path = self.rng.choice(valid)
        text = path.read_text().rstrip("\n") + "\n"
        self.write(path, text + f"revoked: true\nrevocation_reason: Step {self.step}\n")
        return "assertion"

    def edit_credential(self) -> str:
        """Its summary, its name, or how long its badges stay valid (their expiry dates move)."""
        credentials = sorted((self.root / "content" / "credentials").rglob("*.md"))
        path = self.rng.choice(
            [p for p in credentials if p.name != "index.md" and p.stem.count(".") == 0]
        )
        text = path.read_text()
        edit = self.rng.choice(["summary", "name", "expires_after"])
        if edit == "summary":
            text = text.replace("summary: ", f"summary: Step {self.step}. ", 1)
        elif edit == "name":
            text = re.sub(r"(?m)^name: .*$", f'name: "{path.stem} at step {self.step}"', text)
        else:
            current = re.search(r"(?m)^expires_after: (\d+)y$", text)
            text = re.sub(r"(?m)^expires_after: .*\n", "", text)
            # Another value than the current one: an edit that changes nothing renders nothing.
            years = self.rng.choice([y for y in range(1, 6) if not current or y != int(current[1])])
            text = text.replace("---\n", f"---\nexpires_after: {years}y\n", 1)
        self.write(path, text)
        self.edited = path.relative_to(self.root).as_posix()
        return "credential"

    def edit_template(self) -> str:
        self.write(
            self.root / "templates" / "assertion.html",
            '{% extends "default/assertion.html" %}'
            f"{{% block title %}}Step {self.step} · {{{{ super() }}}}{{% endblock %}}\n",
        )
        return "other"

    def edit_catalog_only(self) -> str:
        """What no earner page shows: a page's text (not its title, in the navigation), a
        stack, a translation, or a template earner pages do not use."""
        credentials = self.root / "content" / "credentials"
        edit = self.rng.choice(["page", "stack", "translation", "template"])
        if edit == "page":
            path = self.rng.choice(sorted((self.root / "content" / "pages").glob("*.md")))
            self.write(path, path.read_text() + f"\nStep {self.step}.\n")
        elif edit == "stack":
            path = credentials / "restorative-practices" / "index.md"
            self.write(
                path,
                path.read_text().replace("summary: >-\n", f"summary: >-\n  Step {self.step}.\n", 1),
            )
        elif edit == "translation":
            path = credentials / "empathy-centered-classroom-design.es.md"
            self.write(
                path,
                path.read_text().replace("summary: >-\n", f"summary: >-\n  Paso {self.step}.\n", 1),
            )
        else:
            self.write(
                self.root / "templates" / "credential.html",
                '{% extends "default/credential.html" %}'
                f"{{% block title %}}Step {self.step} · {{{{ super() }}}}{{% endblock %}}\n",
            )
        return "catalog"

    def toggle_reading_template(self) -> str:
        """A site template that reads more of the catalog than its page's own part, through a
        computed name or another template, put in or taken out again."""
        if self.reading:
            for path in self.reading:
                path.unlink()
            self.reading = []
            self._touch(self.root / "templates")
            return "other"
        choice = READING_TEMPLATES[(self.seed + self.step) % len(READING_TEMPLATES)]
        self.reading = [self.root / "templates" / name for name in choice]
        for path, text in zip(self.reading, choice.values(), strict=True):
            self.write(path, text)
        return "other"

    def edit_site_yaml(self) -> str:
        path = self.root / "content" / "site.yaml"
        text = re.sub(r"(?m)^title: .*$", f"title: Catalog, step {self.step}", path.read_text())
        self.write(path, text)
        return "other"

    def add_undated_assertion(self) -> str:
        """Dated by git: the build's time until committed, then the commit's."""
        source = self.rng.choice(self.assertions())
        text = re.sub(r"(?m)^(issued_on|expires):.*\n", "", source.read_text())
        self.write(source.with_name(f"undated{self.step}x.yaml"), text)
        return "assertion"

    def expire_soon(self) -> str:
        """A badge that expires days after the reference time: a later commit finds it expired."""
        valid = [p for p in self.assertions() if "revoked:" not in p.read_text()]
        path = self.rng.choice(valid)
        text = re.sub(r"(?m)^expires:.*\n", "", path.read_text()).rstrip("\n") + "\n"
        # After every issue date (none is later than the first commit, nor is an undated one).
        start = max(self.now(), self.clock, BUILD_TIME)
        self.write(path, text + f"expires: {(start + DAY * self.rng.randint(1, 30)).date()}\n")
        return "assertion"

    def commit(self) -> str:
        # Days to months apart: badges expire between builds, undated ones get their date.
        self.clock += DAY * self.rng.randint(1, 200)
        self._commit()
        return "time"

    def _commit(self, *options: str) -> None:
        """Commit everything, at the clock's time."""
        git(self.root, "add", "-A")
        git(
            self.root,
            "commit",
            "-q",
            *options,
            "--allow-empty",
            "-m",
            f"step {self.step}",
            date=self.clock.isoformat(),
        )

    def withdraw_assertion(self) -> str:
        """Deleted and committed: still published, as revoked ("withdrawn")."""
        self.delete_assertion()
        return self.commit()

    def move_assertion(self) -> str:
        """Moved to another folder and committed: git reports a rename, and the badge keeps the
        date its first name was added with; a build between commits reuses the kept walk."""
        path = self.rng.choice(self.assertions())
        moved = self.root / "assertions" / f"moved{self.step}" / path.name
        moved.parent.mkdir()
        git(
            self.root,
            "mv",
            path.relative_to(self.root).as_posix(),
            moved.relative_to(self.root).as_posix(),
        )
        self._touch(moved)
        self.commit()
        return "history"

    def move_to_a_hidden_folder(self) -> str:
        """Filed away into `_archive/` or a dot-folder, committed or not: still the same badge,
        published at the same URL (no folder under assertions/ is skipped)."""
        path = self.rng.choice(self.assertions())
        folder = self.rng.choice(["_archive", ".old", "_archive/2020"])
        moved = self.root / "assertions" / folder / f"{path.stem}.yaml"
        if moved == path:
            return "history"
        moved.parent.mkdir(parents=True, exist_ok=True)
        if self._git_output("ls-files", path.relative_to(self.root).as_posix()):
            rel = path.relative_to(self.root).as_posix()
            git(self.root, "mv", rel, moved.relative_to(self.root).as_posix())
        else:
            path.rename(moved)
        self._touch(moved)
        if self.rng.random() < 0.5:
            self.commit()
        return "history"

    def retire_credential(self) -> str:
        """`retired: true` on a credential, or off again: its badges stay published (with its
        BadgeClass, image and page); it leaves the catalog's listings."""
        credentials = sorted((self.root / "content" / "credentials").rglob("*.md"))
        credentials = [p for p in credentials if p.name != "index.md" and "." not in p.stem]
        retired = [p for p in credentials if "\nretired: true\n" in p.read_text()]
        path = retired[0] if retired else self.rng.choice(credentials)
        text = path.read_text()
        if retired:
            text = text.replace("\nretired: true\n", "\n", 1)
        else:
            text = text.replace("---\n", "---\nretired: true\n", 1)
        self.write(path, text)
        self.edited = path.relative_to(self.root).as_posix()
        return "retired"

    def _withdrawn(self) -> list[str]:
        """Paths of committed deletions (their badges are published as withdrawn)."""
        listed = self._git_output(
            "log", "--first-parent", "-m", "--diff-filter=D", "--format=", "--name-only", "--",
            "assertions",
        )  # fmt: skip
        present = {p.stem for p in self.assertions()}
        return sorted({rel for rel in listed.split() if Path(rel).stem not in present})

    def reuse_a_withdrawn_id(self) -> str:
        """A withdrawn id given to another badge: refused, by a clean build and an incremental
        one alike, and the site is left as it was; then taken back."""
        withdrawn = self._withdrawn()
        if not withdrawn:
            self.withdraw_assertion()
            withdrawn = self._withdrawn()
        rel = self.rng.choice(withdrawn)
        source = self.rng.choice(self.assertions())
        salt = f"{self.step:032x}"
        text = re.sub(r"(?m)^  salt: .*$", f"  salt: {salt}", source.read_text())
        self.write(self.root / rel, text)
        self.refused = self.root / rel
        return "refused"

    def restore_a_withdrawn_badge(self) -> str:
        """A withdrawn badge's file brought back as it was, and committed: published again."""
        withdrawn = self._withdrawn()
        if not withdrawn:
            return self.withdraw_assertion()
        rel = self.rng.choice(withdrawn)
        deleting = self._git_output(
            "log", "--first-parent", "-m", "-1", "--format=%H", "--diff-filter=D", "--", rel
        ).strip()
        git(self.root, "checkout", f"{deleting}^", "--", rel)
        self._touch(self.root / rel)
        return self.commit()

    def amend_commit(self) -> str:
        """The last commit amended, with what changed since and a later date: the walk of
        history kept by the last build is of a commit that HEAD's history no longer holds."""
        self.clock += DAY * self.rng.randint(1, 30)
        self._commit("--amend")
        return "history"

    def set_epoch(self) -> str:
        """SOURCE_DATE_EPOCH moves the reference time, backwards too: some badges expire no longer."""
        if "SOURCE_DATE_EPOCH" in self.environ and self.rng.random() < 0.5:
            del self.environ["SOURCE_DATE_EPOCH"]
        else:
            when = self.clock - DAY * self.rng.randint(0, 400)
            # Never before a badge's `issued_on`: a badge issued in the future is refused.
            dates = [
                datetime.date.fromisoformat(day)
                for path in self.assertions()
                for day in re.findall(r"(?m)^issued_on: (\d{4}-\d\d-\d\d)$", path.read_text())
            ]
            if dates:
                latest = datetime.datetime.combine(
                    max(dates), datetime.time(), datetime.timezone.utc
                )
                when = max(when, latest)
            self.environ["SOURCE_DATE_EPOCH"] = str(int(when.timestamp()))
        return "time"


EDITS = [
    "change_assertion", "add_assertion", "delete_assertion", "revoke_assertion", "expire_soon",
    "edit_credential",
    # With a template reading the catalog: a badge added, a catalog file edited, a commit.
    "toggle_reading_template", "edit_catalog_only", "edit_template", "add_undated_assertion",
    "edit_site_yaml", "commit", "withdraw_assertion", "set_epoch", "toggle_reading_template",
    "move_assertion", "amend_commit", "move_to_a_hidden_folder", "retire_credential",
    "reuse_a_withdrawn_id", "restore_a_withdrawn_badge",
]  # fmt: skip


def _statuses(report, now) -> dict:
    return {a.id: (a, a.status(now)) for a in report.catalog.assertions}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_edits_build_the_same_bytes_as_a_clean_build(tmp_path, seed):
    root = example_repository(tmp_path / "repo")
    editor = Editor(root, seed)
    output = tmp_path / "incremental"
    first = editor.build(output)
    assert first.rendered == len(first.catalog.assertions)
    before = _statuses(first, editor.now())
    was_published, last = set(first.catalog.published_order), first.catalog
    # Every kind of edit at least once, then a random sequence (commits twice as often).
    sequence = EDITS + [editor.rng.choice([*EDITS, "commit"]) for _ in range(14)]
    for index, name in enumerate(sequence):
        kind = getattr(editor, name)()
        if kind == "refused":  # both builds refuse it, with the same words; nothing is written
            before_tree = tree(output)
            with pytest.raises(BuildFailed) as incremental_failure:
                editor.build(output)
            with pytest.raises(BuildFailed) as clean_failure:
                editor.build(tmp_path / f"clean-{index}", incremental=False)
            assert incremental_failure.value.errors == clean_failure.value.errors
            assert any("never reused" in e.message for e in clean_failure.value.errors)
            assert tree(output) == before_tree
            editor.refused.unlink()  # taken back
        report = editor.build(output)
        clean = tmp_path / f"clean-{index}"
        editor.build(clean, incremental=False)
        assert tree(output) == tree(clean), f"step {index}: {name} differs from a clean build"
        after = _statuses(report, editor.now())
        # The rule: a committed badge stays published (an amended commit rewrites history).
        published = set(report.catalog.published_order)
        assert published <= after.keys(), f"step {index}: {name} unpublished a badge"
        if name != "amend_commit":
            assert was_published <= published, f"step {index}: {name} unpublished a badge"
        was_published = published
        if editor.reading:  # a template reads more than its page's part: more renders
            pass
        elif kind == "assertion":
            assert report.rendered == 1, f"step {index}: {name} rendered {report.rendered}"
        elif kind == "catalog":  # the catalog's pages only
            assert report.rendered == 0, f"step {index}: {name} rendered {report.rendered}"
        elif kind == "credential":  # its badges only (the catalog's pages render again too)
            slug = next(c.slug for c in report.catalog.credentials if c.source == editor.edited)
            badges = sum(1 for a in report.catalog.assertions if a.credential == slug)
            assert report.rendered == badges, f"step {index}: {name} rendered {report.rendered}"
        elif kind == "retired":  # its badges, and those of credentials it was a prerequisite of
            slug = next(
                c.slug for c in report.catalog.published_credentials if c.source == editor.edited
            )
            affected = {slug} | {  # a retired credential is no one's prerequisite
                c.slug
                for c in (*report.catalog.published_credentials, *last.published_credentials)
                if slug in c.prerequisites
            }
            badges = sum(1 for a in report.catalog.assertions if a.credential in affected)
            assert report.rendered <= badges, f"step {index}: {name} rendered {report.rendered}"
        elif kind == "deleted":  # never committed: gone
            assert report.rendered == 0
            assert report.write.removed >= 3  # its JSON, page and baked image
        elif kind == "deleted-committed":  # still published, as the last commit has it
            assert report.rendered <= 1 and report.write.removed == 0
        elif kind == "time":  # only the badges the commit or the time changed, or dated
            differ = sum(1 for i, seen in after.items() if before.get(i) != seen)
            assert report.rendered <= differ, f"step {index}: {name} rendered {report.rendered}"
        before, last = after, report.catalog


def test_a_new_commit_renders_only_the_earner_pages_whose_status_it_changes(tmp_path):
    root = example_repository(tmp_path / "repo")
    editor = Editor(root, 0)
    output = tmp_path / "site"
    first = editor.build(output)
    before = stamps(output)
    # A day later nothing expires: the pages stay, only build.json names the new commit.
    editor.clock += DAY
    git(root, "commit", "-q", "--allow-empty", "-m", "a day later", date=editor.clock.isoformat())
    report = editor.build(output)
    assert (report.rendered, report.write.written) == (0, 1)
    changed = {path for path, stamp in stamps(output).items() if before.get(path) != stamp}
    assert changed == {"build.json"}
    # Years later the badges with an expiry date have expired: those, and only those, render.
    expiring = [
        a
        for a in first.catalog.assertions
        if a.status(editor.clock) == "valid" and a.expires is not None
    ]
    assert expiring
    editor.clock = max(a.expires for a in expiring) + DAY
    git(root, "commit", "-q", "--allow-empty", "-m", "years later", date=editor.clock.isoformat())
    report = editor.build(output)
    assert report.rendered == len(expiring)
    editor.build(tmp_path / "clean", incremental=False)
    assert tree(output) == tree(tmp_path / "clean")


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


def test_a_credential_edit_renders_its_badges_and_the_catalog_pages_only(tmp_path):
    root = example_repository(tmp_path / "repo")
    editor = Editor(root, 0)
    output = tmp_path / "site"
    first = editor.build(output)
    circles = root / "content/credentials/restorative-practices/restorative-circles.md"
    editor.write(circles, circles.read_text().replace("summary: ", "summary: Revised. ", 1))
    before = stamps(output)
    report = editor.build(output)
    badges = [a.id for a in first.catalog.assertions if a.credential == "restorative-circles"]
    assert report.rendered == len(badges) == 3
    rewritten = {path for path, stamp in stamps(output).items() if before.get(path) != stamp}
    # Their earner pages show the summary; so do the catalog's pages: its own, the home page
    # and the stack's, catalog.json, and the BadgeClass (its description).
    assert {f"assertions/{badge}/index.html" for badge in badges} <= rewritten
    assert {
        "credentials/restorative-circles/index.html",
        "credentials/restorative-circles.json",
        "index.html",
        "catalog.json",
    } <= rewritten
    assert not any(
        path.startswith("assertions/") and path.split("/")[1].split(".")[0] not in badges
        for path in rewritten
    )
    editor.build(tmp_path / "clean", incremental=False)
    assert tree(output) == tree(tmp_path / "clean")


CATALOG_ONLY = {
    # path, (old, new), a file that shows it
    "page text": (
        "content/pages/about.md",
        ("This catalog lists", "This catalog shows"),
        "about/index.html",
    ),
    "stack": (
        "content/credentials/restorative-practices/index.md",
        ("summary: >-\n", "summary: >-\n  Revised.\n"),
        "stacks/restorative-practices/index.html",
    ),
    "translation": (
        "content/credentials/empathy-centered-classroom-design.es.md",
        ("summary: >-\n", "summary: >-\n  Revisado.\n"),
        "credentials/empathy-centered-classroom-design/es/index.html",
    ),
}


@pytest.mark.parametrize("edit", [*CATALOG_ONLY, "catalog template"])
def test_an_edit_no_earner_page_shows_renders_the_catalog_pages_only(tmp_path, edit):
    root = example_repository(tmp_path / "repo")
    editor = Editor(root, 0)
    output = tmp_path / "site"
    editor.build(output)
    if edit == "catalog template":
        path, shown = root / "templates" / "stack.html", "stacks/restorative-practices/index.html"
        editor.write(
            path, '{% extends "default/stack.html" %}{% block title %}Revised{% endblock %}'
        )
    else:
        rel, (old, new), shown = CATALOG_ONLY[edit]
        text = (root / rel).read_text()
        assert old in text
        editor.write(root / rel, text.replace(old, new, 1))
    before = stamps(output)
    report = editor.build(output)
    assert report.rendered == 0
    rewritten = {path for path, stamp in stamps(output).items() if before.get(path) != stamp}
    assert shown in rewritten
    assert not any(path.startswith("assertions/") for path in rewritten)
    editor.build(tmp_path / "clean", incremental=False)
    assert tree(output) == tree(tmp_path / "clean")


def test_a_new_badge_image_renders_its_credentials_badges_and_the_catalog_pages(tmp_path):
    from PIL import Image

    root = example_repository(tmp_path / "repo")
    editor = Editor(root, 0)
    output = tmp_path / "site"
    first = editor.build(output)
    path = root / "content/credentials/restorative-practices/restorative-circles.png"
    with Image.open(path) as picture:
        picture = picture.convert("RGBA")
    picture.putpixel((0, 0), (255, 0, 0, 255))
    picture.save(path)
    editor._touch(path)
    report = editor.build(output)
    badges = [a.id for a in first.catalog.assertions if a.credential == "restorative-circles"]
    assert report.rendered == len(badges) == 3
    assert (output / f"assertions/{badges[0]}.png").read_bytes().startswith(b"\x89PNG")
    editor.build(tmp_path / "clean", incremental=False)
    assert tree(output) == tree(tmp_path / "clean")


def test_a_stacks_badge_style_renders_the_badges_of_the_credentials_it_redraws(tmp_path):
    root = example_repository(tmp_path / "repo")
    editor = Editor(root, 0)
    output = tmp_path / "site"
    first = editor.build(output)
    index = root / "content/credentials/restorative-practices/index.md"
    text = index.read_text()
    assert "badge:\n  palette: teal\n" in text
    editor.write(index, text.replace("badge:\n  palette: teal\n", "badge:\n  palette: plum\n"))
    report = editor.build(output)
    drawn = {c.slug for c in first.catalog.credentials if c.image.drawn and c.stack}
    assert drawn  # the stack's credentials without a badge file of their own
    redrawn = [a for a in first.catalog.assertions if a.credential in drawn]
    assert report.rendered == len(redrawn)
    editor.build(tmp_path / "clean", incremental=False)
    assert tree(output) == tree(tmp_path / "clean")


def test_a_navigation_title_shows_on_every_earner_page_so_every_badge_renders(tmp_path):
    root = example_repository(tmp_path / "repo")
    editor = Editor(root, 0)
    output = tmp_path / "site"
    first = editor.build(output)
    about = root / "content/pages/about.md"
    editor.write(about, about.read_text().replace("title: About", "title: All about", 1))
    report = editor.build(output)
    assert report.rendered == len(first.catalog.assertions)
    page = (output / "assertions" / f"{first.catalog.assertions[0].id}" / "index.html").read_text()
    assert "All about these micro-credentials" in page
    editor.build(tmp_path / "clean", incremental=False)
    assert tree(output) == tree(tmp_path / "clean")


def test_a_credential_edit_renders_every_badge_when_a_site_template_reads_the_catalog(tmp_path):
    root = example_repository(tmp_path / "repo")
    editor = Editor(root, 0)
    # An earner page that lists every credential: a change to any of them shows on all.
    editor.write(
        root / "templates" / "assertion.html",
        '{% extends "default/assertion.html" %}{% block title %}'
        "{{ catalog.credentials|map(attribute='name')|join(', ') }}{% endblock %}\n",
    )
    output = tmp_path / "site"
    first = editor.build(output)
    circles = root / "content/credentials/restorative-practices/restorative-circles.md"
    editor.write(circles, circles.read_text().replace("summary: ", "summary: Revised. ", 1))
    report = editor.build(output)
    assert report.rendered == len(first.catalog.assertions)
    editor.build(tmp_path / "clean", incremental=False)
    assert tree(output) == tree(tmp_path / "clean")


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
    from badgepress.openbadges.signing import SigningKey
    from tests.ob3.support import KEY_ENV, enable_signing

    root = example_repository(tmp_path / "repo")
    enable_signing(root)
    git(root, "commit", "-q", "-am", "signing on")
    editor = Editor(root, 3)
    editor.environ[KEY_ENV] = SigningKey.generate().secret_multibase
    output = tmp_path / "site"
    editor.build(output)
    edits = ("change_assertion", "revoke_assertion", "add_assertion", "delete_assertion")
    sequence = (
        *edits, "expire_soon", "commit", "withdraw_assertion", "set_epoch", "commit",
        "edit_credential", "edit_credential", "edit_catalog_only",
    )  # fmt: skip
    for index, edit in enumerate(sequence):
        kind = getattr(editor, edit)()
        report = editor.build(output)
        clean = tmp_path / f"clean-{index}"
        editor.build(clean, incremental=False)
        assert tree(output) == tree(clean), edit
        assert any(path.endswith(".credential.json") for path in tree(output))
        assert report.rendered <= 1 or kind in ("time", "credential")


def _signed_repository(tmp_path: Path) -> tuple[Path, Editor]:
    from badgepress.openbadges.signing import SigningKey
    from tests.ob3.support import KEY_ENV, enable_signing

    root = example_repository(tmp_path / "repo")
    enable_signing(root)
    git(root, "commit", "-q", "-am", "signing on")
    editor = Editor(root, 0)
    editor.environ[KEY_ENV] = SigningKey.generate().secret_multibase
    return root, editor


def test_with_signing_one_changed_badge_signs_and_writes_only_its_own_files(tmp_path, monkeypatch):
    from badgepress.openbadges import ob3

    _root, editor = _signed_repository(tmp_path)
    output = tmp_path / "site"
    first = editor.build(output)
    made = []
    real = ob3.credential_document
    monkeypatch.setattr(
        ob3, "credential_document", lambda a, *rest, **kw: made.append(a.id) or real(a, *rest, **kw)
    )
    path = next(p for p in editor.assertions() if "narrative" not in p.read_text())
    editor.write(path, path.read_text().rstrip("\n") + "\nnarrative: Facilitator's note.\n")
    report = editor.build(output)
    # Only its own 3.0 credential is made again, not one per badge of the site.
    assert made == [path.stem]
    assert report.rendered == 1 < len(first.catalog.assertions)
    # Its hosted JSON, earner page, signed credential and 3.0-baked image carry the narrative.
    assert (report.write.written, report.write.removed) == (4, 0)
    editor.build(tmp_path / "clean", incremental=False)
    assert tree(output) == tree(tmp_path / "clean")


def test_with_signing_a_badge_keeps_its_status_list_place_whatever_comes_after(tmp_path):
    from badgepress.openbadges import ob3

    root, editor = _signed_repository(tmp_path)
    seen: dict[int, str] = {}
    for n in range(100_000):  # two ids that prefer the same place (about 1,300 tries)
        candidate = f"clash{n}"
        if ob3.status_index(candidate) in seen:
            first, second = seen[ob3.status_index(candidate)], candidate
            break
        seen[ob3.status_index(candidate)] = candidate
    template = re.sub(r"(?m)^issued_on:.*\n", "", editor.assertions()[0].read_text())
    folder = root / "assertions" / "2026"
    editor.write(folder / f"{first}.yaml", template + "issued_on: 2024-01-22\n")
    editor.commit()
    output = tmp_path / "site"
    editor.build(output)

    def place(assertion_id: str) -> int:
        document = json.loads((output / f"assertions/{assertion_id}.credential.json").read_bytes())
        return int(document["credentialStatus"]["statusListIndex"])

    preferred = ob3.status_index(first)
    assert place(first) == preferred
    # Published after it, though dated before it: the second takes the next place, committed
    # or not, and the first, already in wallets, never moves (nor when it is withdrawn).
    editor.write(folder / f"{second}.yaml", template + "issued_on: 2024-01-21\n")
    for step in ("uncommitted", "committed", "first withdrawn"):
        if step == "committed":
            editor.commit()
        elif step == "first withdrawn":
            (folder / f"{first}.yaml").unlink()
            editor.commit()
        report = editor.build(output)
        assert (place(first), place(second)) == (preferred, preferred + 1), step
        assert report.rendered <= 1, step  # the first's files are never rendered again
        editor.build(tmp_path / f"clean-{step}", incremental=False)
        assert tree(output) == tree(tmp_path / f"clean-{step}")


def test_with_signing_a_partial_build_keeps_the_signatures_it_did_not_use(tmp_path):
    from badgepress.render.ob3_build import CACHE_PATH

    root, editor = _signed_repository(tmp_path)
    output = tmp_path / "site"
    editor.build(output)
    signed = json.loads((root / CACHE_PATH).read_text())["signatures"]
    path = next(p for p in editor.assertions() if "narrative" not in p.read_text())
    editor.write(path, path.read_text().rstrip("\n") + "\nnarrative: Amended.\n")
    editor.build(output)
    kept = json.loads((root / CACHE_PATH).read_text())["signatures"]
    # Every earlier signature is still there for the next full build, with the new one.
    assert signed.items() <= kept.items() and len(kept) == len(signed) + 1
    editor.build(tmp_path / "clean", incremental=False)  # signs every credential: prunes
    pruned = json.loads((root / CACHE_PATH).read_text())["signatures"]
    assert len(pruned) == len(signed) and pruned != signed


def test_a_site_template_that_shows_the_commit_renders_again_on_every_commit(tmp_path):
    root = example_repository(tmp_path / "repo")
    editor = Editor(root, 0)
    editor.write(
        root / "templates" / "page.html",
        '{% extends "default/page.html" %}'
        "{% block main %}{{ super() }}<p>Commit {{ catalog.commit.short }}</p>{% endblock %}\n",
    )
    output = tmp_path / "site"
    editor.build(output)
    editor.commit()
    report = editor.build(output)
    assert report.rendered == len(report.catalog.assertions)
    editor.build(tmp_path / "clean", incremental=False)
    assert tree(output) == tree(tmp_path / "clean")
    assert f"Commit {report.catalog.commit.short}" in (output / "about" / "index.html").read_text()


def test_builds_keep_git_s_walk_of_history_and_a_clean_build_forgets_it(tmp_path):
    root = example_repository(tmp_path / "repo")
    output = tmp_path / "site"
    build(Project(root), output, BUILD_TIME, incremental=True)
    kept = root / HISTORY_CACHE
    assert kept.is_file()
    forget_state(root, output)  # serve, as it removes its folder: the walk stays
    assert kept.is_file()
    forget_history(root)  # `badgepress build --clean`, with forget_state
    assert not kept.exists()
    build(Project(root), tmp_path / "check", BUILD_TIME)  # not incremental: keeps nothing
    assert not kept.exists()


def test_with_signing_a_new_translation_reaches_its_credentials_3_0_achievement(tmp_path):
    # A translation is only catalog content for the 2.0 files, but the signed 3.0 credentials
    # of its credential name it (Achievement.related): they are made again.
    root, editor = _signed_repository(tmp_path)
    output = tmp_path / "site"
    editor.build(output)
    original = root / "content/credentials/restorative-practices/restorative-circles.md"
    editor.write(original.with_name("restorative-circles.es.md"), "---\nname: Círculos\n---\n")
    report = editor.build(output)
    assert 0 < report.rendered < len(report.catalog.assertions)
    credentials = [
        json.loads(p.read_text())
        for p in sorted(output.glob("assertions/*.credential.json"))
        if "restorative-circles" in p.read_text()
    ]
    assert credentials
    for credential in credentials:
        (related,) = credential["credentialSubject"]["achievement"]["related"]
        assert related["id"].endswith("/credentials/restorative-circles/es/")
    editor.build(tmp_path / "clean", incremental=False)
    assert tree(output) == tree(tmp_path / "clean")
