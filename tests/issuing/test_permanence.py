"""The rule: the set of published badge ids only grows; no build unpublishes a badge.

Small sites in tmp_path with real git commits. Every case runs `badgepress check` and
`badgepress build` (incremental, keeping git's walk of history) through the command line and
asserts that they agree: the same exit status, the same problems and warnings, word for word.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from badgepress.cli import main
from badgepress.ob2 import hash_email
from tests.issuing.gitrepo import commit_all, git, init_repo

BASE = Path(__file__).resolve().parents[1] / "invalid" / "_base"
REPO = Path(__file__).resolve().parents[2]
MARCH, APRIL, MAY, JUNE = (f"2026-0{m}-01T09:00:00+00:00" for m in (3, 4, 5, 6))


def badge(credential: str = "first-steps", email: str = "ann@example.org", salt: str = "") -> str:
    """An assertion file's text (undated: git dates it)."""
    salt = salt or "5a17" * 8
    return (
        f"credential: {credential}\n"
        f"recipient:\n  identity: {hash_email(email, salt)}\n  salt: {salt}\n"
    )


@dataclass
class Outcome:
    status: int
    lines: list[str]  # problems and warnings, as printed

    def has(self, *words: str) -> bool:
        return any(all(word in line for word in words) for line in self.lines)


class Site:
    """A small committed site (tests/invalid/_base) in a git repository of its own."""

    def __init__(self, root: Path):
        self.root = root

    @classmethod
    def create(cls, folder: Path) -> Site:
        shutil.copytree(BASE, folder)
        (folder / ".gitignore").write_text("site/\n.badgepress-cache/\n")
        init_repo(folder, MARCH)
        return cls(folder)

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    def git(self, *args: str, when: str = MARCH) -> str:
        return git(self.root, *args, when=when)

    def commit(self, message: str, when: str) -> str:
        return commit_all(self.root, message, when)

    def outcome(self, capsys) -> Outcome:
        """`check`, then `build`: they must agree."""
        capsys.readouterr()
        checked = main(["check", "--source", str(self.root)])
        check_lines = _lines(capsys.readouterr().err)
        built = main(["build", "--source", str(self.root), "--quiet"])
        build_lines = _lines(capsys.readouterr().err)
        assert (checked, check_lines) == (built, build_lines), "check and build disagree"
        assert "Traceback" not in "\n".join(check_lines)
        return Outcome(built, build_lines)

    def published(self, assertion_id: str) -> dict:
        return json.loads((self.root / "site" / "assertions" / f"{assertion_id}.json").read_text())

    def output(self, rel: str) -> bytes:
        return (self.root / "site" / rel).read_bytes()


def _lines(err: str) -> list[str]:
    """Problems and warnings, but for the summary and the reminder that signing is off."""
    return [
        line
        for line in err.splitlines()
        if not line.startswith("badgepress: ") and "Open Badges 3.0 is off" not in line
    ]


@pytest.fixture
def site(tmp_path) -> Site:
    return Site.create(tmp_path / "repo")


# Nothing under assertions/ is skipped silently -----------------------------------------------


@pytest.mark.parametrize("folder", ["_archive", ".old", "_archive/.2025"])
def test_a_badge_moved_into_an_archive_or_dot_folder_stays_published_at_its_url(
    site, capsys, folder
):
    assert site.outcome(capsys).status == 0
    before = site.output("assertions/jane-first.json")
    (site.root / "assertions" / folder).mkdir(parents=True)
    site.git("mv", "assertions/jane-first.yaml", f"assertions/{folder}/jane-first.yaml")
    site.commit("file it away", APRIL)
    outcome = site.outcome(capsys)
    assert outcome.status == 0 and outcome.lines == []
    assert site.output("assertions/jane-first.json") == before  # same badge, same bytes


def test_a_new_badge_in_a_dot_folder_is_read_and_checked_like_any_other(site, capsys):
    site.write("assertions/.drafts/jane-second.yaml", badge("no-such-credential"))
    outcome = site.outcome(capsys)
    assert outcome.status == 1
    assert outcome.lines == [
        "assertions/.drafts/jane-second.yaml:1: unknown credential 'no-such-credential'"
    ]


def test_a_symbolic_link_under_assertions_is_an_error(site, capsys, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "linked.yaml").write_text(badge())
    (site.root / "assertions" / "linked.yaml").symlink_to(outside / "linked.yaml")
    (site.root / "assertions" / "more").symlink_to(outside)
    outcome = site.outcome(capsys)
    assert outcome.status == 1
    assert outcome.lines == [
        f"assertions/{name}: is a symbolic link; badgepress does not follow links under "
        "assertions/ (one can point outside the repository, or change what a published badge "
        "shows): put the file itself here"
        for name in ("linked.yaml", "more")
    ]


def test_another_kind_of_file_under_assertions_is_an_error_but_repository_furniture_is_not(
    site, capsys
):
    for name in ("README.md", ".gitkeep", "2026/.gitkeep", ".DS_Store", "jane-first.yaml~"):
        site.write(f"assertions/{name}", "")
    assert site.outcome(capsys).status == 0
    site.write("assertions/2026/jane-second.json", "{}")
    site.write("assertions/2026/jane-third.YAML", badge())
    outcome = site.outcome(capsys)
    assert outcome.status == 1
    assert outcome.lines == [
        "assertions/2026/jane-second.json: expected only assertion files ('<id>.yaml') under "
        "assertions/, found 'jane-second.json': move it out of assertions/ (README.md and "
        ".gitkeep may stay)",
        "assertions/2026/jane-third.YAML: an assertion file's name must end in lowercase "
        "'.yaml', found 'jane-third.YAML': rename it to 'jane-third.yaml'",
    ]


def _as_nobody(command: list[str], root: Path) -> subprocess.CompletedProcess:
    """Run badgepress as an unprivileged user (root reads every file whatever its mode)."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(root),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        # The repository belongs to another user: git refuses it unless told it is safe.
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "safe.directory",
        "GIT_CONFIG_VALUE_0": "*",
        "PYTHONPATH": str(REPO),
    }
    prefix = []
    if os.geteuid() == 0:
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    return subprocess.run(
        [*prefix, sys.executable, "-m", "badgepress", *command, "--source", str(root)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


@pytest.fixture
def open_site():
    """A site in a folder any user may enter, owned by an unprivileged user when run as root."""
    folder = Path(tempfile.mkdtemp(prefix="badgepress-permanence-"))
    folder.chmod(0o755)
    site = Site.create(folder / "repo")
    if os.geteuid() == 0:
        subprocess.run(["chown", "-R", "65534:65534", str(folder)], check=True)
    yield site
    subprocess.run(["chmod", "-R", "u+rwX", str(folder)], check=True)
    shutil.rmtree(folder)


def test_an_unreadable_folder_or_file_under_assertions_is_an_error(open_site):
    site = open_site
    site.git("-c", "safe.directory=*", "mv", "assertions/jane-first.yaml", "jane.yaml")
    (site.root / "assertions" / "2026").mkdir()
    (site.root / "assertions" / "2027").mkdir()
    shutil.move(site.root / "jane.yaml", site.root / "assertions" / "2026" / "jane-first.yaml")
    site.write("assertions/2027/jane-second.yaml", badge())
    if os.geteuid() == 0:
        subprocess.run(["chown", "-R", "65534:65534", str(site.root)], check=True)
    (site.root / "assertions" / "2026").chmod(0)
    (site.root / "assertions" / "2027" / "jane-second.yaml").chmod(0)
    results = [_as_nobody([command], site.root) for command in ("check", "build")]
    for result in results:
        assert result.returncode == 1, result.stderr
        assert _lines(result.stderr) == [
            "assertions/2026: cannot read this folder (Permission denied); the badges in it "
            "must stay published: make it readable (chmod u+rx)",
            "assertions/2027/jane-second.yaml: cannot read this file (Permission denied); the "
            "badge must stay published: make it readable (chmod u+r)",
        ]
    assert not (site.root / "site" / "index.html").exists()


# Retired credentials -------------------------------------------------------------------------


def _retire(site: Site, slug: str = "next-steps") -> None:
    path = site.root / "content" / "credentials" / "pathway" / f"{slug}.md"
    path.write_text(path.read_text().replace("---\n", "---\nretired: true\n", 1))


def test_a_retired_credential_keeps_its_badgeclass_image_and_page_and_leaves_every_listing(
    site, capsys
):
    site.write("assertions/ann-next.yaml", badge("next-steps"))
    site.commit("issue next-steps", APRIL)
    assert site.outcome(capsys).status == 0
    kept = {
        rel: site.output(rel)
        for rel in (
            "credentials/next-steps.json",
            "credentials/next-steps/badge.png",
            "credentials/first-steps/badge.png",  # drawn badges are drawn as before
            "assertions/ann-next.json",
            "assertions/ann-next.png",
        )
    }
    _retire(site)
    site.commit("retire next-steps", MAY)
    outcome = site.outcome(capsys)
    assert (outcome.status, outcome.lines) == (0, [])
    assert {rel: site.output(rel) for rel in kept} == kept
    page = site.output("credentials/next-steps/index.html").decode()
    assert "This credential is retired: it is no longer awarded." in page
    assert "How to apply" not in page
    for listing in ("index.html", "stacks/pathway/index.html", "catalog.json", "sitemap.xml"):
        assert b"next-steps" not in site.output(listing), listing
    assert (
        "credentials/next-steps/" not in site.output("credentials/first-steps/index.html").decode()
    )


def test_issue_refuses_a_retired_credential(site, capsys):
    _retire(site)
    site.commit("retire next-steps", MAY)
    status = main(["issue", "next-steps", "--email", "ann@example.org", "--source", str(site.root)])
    assert status == 1
    err = capsys.readouterr().err
    assert (
        "credential 'next-steps' is retired ('retired: true' in "
        "content/credentials/pathway/next-steps.md): it is no longer awarded"
    ) in err
    assert not list((site.root / "assertions").rglob("*.yaml"))[1:]


def test_a_retired_capstone_or_member_leaves_the_stacks_rules(site, capsys):
    index = site.root / "content" / "credentials" / "pathway" / "index.md"
    index.write_text(index.read_text().replace("order:", "capstone: next-steps\norder:"))
    site.commit("next-steps is the capstone", APRIL)
    assert site.outcome(capsys).status == 0
    assert "to receive the capstone" in site.output("stacks/pathway/index.html").decode()
    _retire(site)
    site.commit("retire the capstone", MAY)
    assert site.outcome(capsys).status == 0
    assert "to receive the capstone" not in site.output("stacks/pathway/index.html").decode()
    # Completing the stack no longer awards the retired capstone.
    status = main(
        ["issue", "first-steps", "--email", "ann@example.org", "--source", str(site.root)]
    )
    assert status == 0
    assert "capstone" not in capsys.readouterr().out
    assert len(list((site.root / "assertions").rglob("*.yaml"))) == 2
