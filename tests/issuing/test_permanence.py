"""The rule: the set of published badge ids only grows (badgepress/content/permanence.py).

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
from badgepress.openbadges.ob2 import hash_email
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
        code = REPO / "badgepress" / "__init__.py"
        # A checkout inside a folder only root may enter (`mktemp -d` makes it 0700) cannot
        # run as another user: say so, rather than fail on "No module named badgepress".
        reachable = subprocess.run([*prefix, "test", "-r", str(code)], check=False)
        assert reachable.returncode == 0, (
            f"{code}: unreadable by uid 65534; run the tests from a folder others may enter"
        )
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


# Deleted files -------------------------------------------------------------------------------


def test_an_uncommitted_deletion_keeps_the_badge_published_as_committed_and_warns(site, capsys):
    assert site.outcome(capsys).status == 0
    before = site.output("assertions/jane-first.json")
    (site.root / "assertions" / "jane-first.yaml").unlink()
    outcome = site.outcome(capsys)
    assert outcome.status == 0
    assert outcome.lines == [
        "warning: assertions/jane-first.yaml: deleted but not committed: still published as the "
        "last commit has it. To withdraw a badge, set 'revoked: true' and a 'revocation_reason' "
        "(a deleted file is published as withdrawn once the deletion is committed); to keep "
        "it, restore the file: git checkout HEAD -- assertions/jane-first.yaml"
    ]
    assert site.output("assertions/jane-first.json") == before


def test_a_deleted_file_is_withdrawn_with_its_credential_and_issuer_still_answering(site, capsys):
    site.git("rm", "-q", "assertions/jane-first.yaml")
    site.commit("withdraw", APRIL)
    outcome = site.outcome(capsys)
    assert (outcome.status, outcome.lines) == (0, [])
    document = site.published("jane-first")
    assert document["revoked"] is True and document["revocationReason"] == "withdrawn"
    assert document["issuedOn"] == "2026-03-01T00:00:00Z"  # its own issued_on
    assert json.loads(site.output("credentials/first-steps.json"))["name"] == "First Steps"
    assert json.loads(site.output("issuer.json"))["name"] == "Example Education Association"


def test_a_withdrawn_version_that_fails_a_later_check_is_published_as_a_minimal_record(
    site, capsys
):
    """Committed when the site allowed plain emails and before 'colour' was refused."""
    site.write(
        "assertions/old-one.yaml",
        "credential: first-steps\nrecipient:\n  email: Old.One@example.org\n"
        "  name: Old One\nissued_on: 2025-01-15\ncolour: blue\n",
    )
    site.commit("issue in the old days", APRIL)
    site.git("rm", "-q", "assertions/old-one.yaml")
    deleting = site.commit("withdraw", MAY)
    outcome = site.outcome(capsys)
    assert outcome.status == 0
    label = f"assertions/old-one.yaml (withdrawn in {deleting[:7]})"
    tail = (
        "; this withdrawn badge is published as a minimal record (id, credential, recipient, "
        "dates, reason), as its last version does not pass today's checks"
    )
    assert outcome.lines == [
        f"warning: {label}:6: unknown field 'colour'; free-form data goes under 'extra:'" + tail
    ]
    document = site.published("old-one")
    assert document["revoked"] is True and document["revocationReason"] == "withdrawn"
    assert document["issuedOn"] == "2025-01-15T00:00:00Z"
    salt = document["recipient"]["salt"]
    assert document["recipient"]["identity"] == hash_email("old.one@example.org", salt)
    assert "Old One" not in json.dumps(document)  # a minimal record: no name
    assert "old.one" not in site.output("assertions/old-one/index.html").decode().lower()


def test_a_withdrawn_version_without_a_recipient_is_an_error_saying_how_to_restore_it(site, capsys):
    site.write("assertions/broken.yaml", "credential: first-steps\n")
    site.commit("a broken badge, committed anyway", APRIL)
    site.git("rm", "-q", "assertions/broken.yaml")
    deleting = site.commit("withdraw it", MAY)
    outcome = site.outcome(capsys)
    short = deleting[:7]
    assert outcome.status == 1
    assert outcome.lines == [
        f"assertions/broken.yaml (withdrawn in {short}): this withdrawn badge's last version "
        "has no usable 'recipient', so its URL cannot answer; restore the file (git checkout "
        f"{short}^ -- assertions/broken.yaml), correct it, and set 'revoked: true' and "
        "'revocation_reason: withdrawn'"
    ]


def test_only_what_the_deploy_branch_carried_was_published(site, capsys):
    """A badge added and removed on a branch, merged or squashed, never reached the site; one
    the branch added and the merge brought is published, and withdrawn when deleted later."""
    site.git("checkout", "-q", "-b", "side")
    site.write("assertions/draft.yaml", badge(salt="d1" * 16))
    site.write("assertions/kept.yaml", badge(salt="e1" * 16))
    site.commit("two on a branch", APRIL)
    site.git("rm", "-q", "assertions/draft.yaml")
    site.commit("one was a mistake", APRIL)
    site.git("checkout", "-q", "main")
    site.git("merge", "-q", "--no-ff", "-m", "merge side", "side", when=MAY)
    site.git("checkout", "-q", "-b", "squashed")
    site.write("assertions/squashed-away.yaml", badge(salt="f1" * 16))
    site.commit("another", MAY)
    site.git("rm", "-q", "assertions/squashed-away.yaml")
    site.commit("never mind", MAY)
    site.git("checkout", "-q", "main")
    site.git("merge", "-q", "--squash", "squashed", when=JUNE)
    site.git("commit", "-q", "--allow-empty", "-m", "squash: nothing left", when=JUNE)
    outcome = site.outcome(capsys)
    assert (outcome.status, outcome.lines) == (0, [])
    assert "revoked" not in site.published("kept")
    for never in ("draft", "squashed-away"):
        assert not (site.root / "site" / "assertions" / f"{never}.json").exists()

    site.git("rm", "-q", "assertions/kept.yaml")
    site.commit("withdraw the merged one", JUNE)
    assert site.outcome(capsys).status == 0
    assert site.published("kept")["revocationReason"] == "withdrawn"


# Ids are never reused ------------------------------------------------------------------------


def test_reusing_a_withdrawn_id_for_another_badge_is_an_error_naming_the_commit(site, capsys):
    site.write("assertions/2026/ann-first.yaml", badge(email="ann@example.org"))
    site.commit("issue", APRIL)
    site.git("rm", "-q", "assertions/2026/ann-first.yaml")
    deleting = site.commit("withdraw", MAY)[:7]
    site.write("assertions/ann-first.yaml", badge(email="bob@example.org", salt="b0b" * 10))
    expected = [
        f"assertions/ann-first.yaml:1: id 'ann-first' belonged to another badge, withdrawn in "
        f"commit {deleting} (it was issued to another recipient identity or salt); an id is "
        "never reused, because its URL still answers for the badge first issued under it: "
        "give this badge a new id (`badgepress issue` makes one) or, to restore the withdrawn "
        f"badge, bring its file back as it was: git checkout {deleting}^ -- "
        "assertions/2026/ann-first.yaml"
    ]
    outcome = site.outcome(capsys)  # not committed yet
    assert (outcome.status, outcome.lines) == (1, expected)
    site.commit("reuse it anyway", JUNE)
    outcome = site.outcome(capsys)  # committed: what a pull request's check sees
    assert (outcome.status, outcome.lines) == (1, expected)

    site.write("assertions/ann-first.yaml", badge("next-steps", email="ann@example.org"))
    outcome = site.outcome(capsys)
    assert outcome.status == 1
    assert outcome.has("it was a badge of 'first-steps', this is one of 'next-steps'")


def test_restoring_the_same_badge_republishes_it(site, capsys):
    site.write("assertions/2026/ann-first.yaml", badge() + "narrative: Well done.\n")
    site.commit("issue", APRIL)
    site.git("rm", "-q", "assertions/2026/ann-first.yaml")
    deleting = site.commit("withdraw", MAY)
    assert site.outcome(capsys).status == 0
    assert site.published("ann-first")["revoked"] is True
    site.git("checkout", f"{deleting}^", "--", "assertions/2026/ann-first.yaml")
    # Restored into another folder, with its narrative edited: the same badge all the same.
    site.git("mv", "assertions/2026/ann-first.yaml", "assertions/ann-first.yaml")
    site.write("assertions/ann-first.yaml", badge() + "narrative: Well done indeed.\n")
    site.commit("restore", JUNE)
    outcome = site.outcome(capsys)
    assert (outcome.status, outcome.lines) == (0, [])
    document = site.published("ann-first")
    assert "revoked" not in document and document["issuedOn"] == "2026-04-01T09:00:00Z"


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


def test_deleting_a_credential_with_published_badges_is_an_error_suggesting_retired(site, capsys):
    """The careless retirement: the credential's file and its badges deleted in one commit."""
    site.write("assertions/ann-next.yaml", badge("next-steps"))
    site.write("assertions/bob-next.yaml", badge("next-steps", "bob@example.org", "b0" * 16))
    site.commit("issue next-steps twice", APRIL)
    assert site.outcome(capsys).status == 0
    before = site.output("assertions/ann-next.json")
    site.git("rm", "-q", "content/credentials/pathway/next-steps.md", "assertions/ann-next.yaml")
    site.write(
        "content/credentials/pathway/index.md",
        "---\ntitle: Pathway\nsummary: One credential.\n---\nThe stack body.\n",
    )
    site.commit("retire next-steps", MAY)
    outcome = site.outcome(capsys)
    assert outcome.status == 1
    assert outcome.lines == [
        "assertions/bob-next.yaml:1: credential 'next-steps' does not exist, but 2 published "
        "badges point at it (bob-next, ann-next), and a published badge's URL keeps answering, "
        "with its credential: if it was deleted, put its file back with 'retired: true' in its "
        "front matter (it then leaves the catalog; its badges keep their pages); if its slug "
        "changed, give it back 'slug: next-steps'"
    ]
    assert site.output("assertions/ann-next.json") == before  # the last deploy still serves

    site.git("checkout", "HEAD^", "--", "content/credentials/pathway/next-steps.md")
    _retire(site)
    site.git("rm", "-q", "assertions/bob-next.yaml")
    site.commit("retire it properly", JUNE)
    assert site.outcome(capsys).status == 0
    assert site.published("ann-next")["revocationReason"] == "withdrawn"
    assert site.published("bob-next")["badge"].endswith("/credentials/next-steps.json")


def test_renaming_a_credentials_slug_with_published_badges_is_the_same_error(site, capsys):
    site.write("assertions/ann-next.yaml", badge("next-steps"))
    site.commit("issue next-steps", APRIL)
    site.git(
        "mv",
        "content/credentials/pathway/next-steps.md",
        "content/credentials/pathway/later-steps.md",
    )
    site.write(
        "content/credentials/pathway/index.md",
        "---\ntitle: Pathway\nsummary: Two.\norder: [first-steps, later-steps]\n---\nBody.\n",
    )
    # Not deployed yet (HEAD, being checked, adds the badge): it may still name another one.
    outcome = site.outcome(capsys)
    assert (outcome.status, outcome.lines) == (
        1,
        [
            "assertions/ann-next.yaml:1: unknown credential 'next-steps' (did you mean 'later-steps'?)"
        ],
    )
    site.commit("rename next-steps", MAY)  # now ann-next was deployed by an earlier commit
    outcome = site.outcome(capsys)
    assert outcome.status == 1
    assert outcome.lines[0].startswith(
        "assertions/ann-next.yaml:1: credential 'next-steps' does not exist, but 1 published "
        "badge points at it (ann-next)"
    )
    assert outcome.lines[0].endswith("give it back 'slug: next-steps'")


def test_deleting_a_credential_no_badge_points_at_is_fine(site, capsys):
    site.git("rm", "-q", "content/credentials/pathway/next-steps.md")
    site.write(
        "content/credentials/pathway/index.md",
        "---\ntitle: Pathway\nsummary: One.\n---\nBody.\n",
    )
    site.commit("drop an unused credential", APRIL)
    assert site.outcome(capsys).status == 0


# History that cannot be known ---------------------------------------------------------------


def test_a_shallow_clone_refuses_to_build_rather_than_guess(site, tmp_path, capsys):
    site.git("rm", "-q", "assertions/jane-first.yaml")
    site.commit("withdraw", APRIL)
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{site.root}", str(clone)],
        check=True,
        capture_output=True,
    )
    outcome = Site(clone).outcome(capsys)
    assert outcome.status == 1
    assert outcome.lines == [
        "assertions: this is a shallow git clone: its history is cut, so badgepress cannot know "
        "every badge ever published and will not guess; fetch the whole history (git fetch "
        "--unshallow; in GitHub Actions, actions/checkout with fetch-depth: 0)"
    ]
    assert not (clone / "site").exists()


def test_git_failing_to_read_the_history_is_an_error(site, tmp_path, capsys, monkeypatch):
    real = shutil.which("git")
    fake = tmp_path / "bin" / "git"
    fake.parent.mkdir()
    fake.write_text(
        '#!/bin/sh\nfor a in "$@"; do [ "$a" = log ] && { echo "fatal: bad object" >&2; '
        f'exit 128; }}; done\nexec "{real}" "$@"\n'
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    outcome = site.outcome(capsys)
    assert outcome.status == 1
    assert outcome.lines == [
        "assertions: git could not read the history of assertions/ (fatal: bad object), so "
        "badgepress cannot know every badge ever published and will not guess; fix the "
        "repository and build again"
    ]


def test_the_shipped_workflows_fetch_the_whole_history():
    for workflow in (
        REPO / ".github" / "workflows" / "badgepress.yml",
        REPO / "badgepress" / "starter" / ".github" / "workflows" / "badgepress.yml",
    ):
        text = workflow.read_text()
        assert text.count("uses: actions/checkout@") == text.count("fetch-depth: 0"), workflow


def test_a_git_folder_that_is_not_a_repository_is_not_taken_for_one(tmp_path, capsys):
    """git passes over a `.git` without HEAD, objects and refs; so does badgepress."""
    shutil.copytree(BASE, tmp_path / "plain")
    (tmp_path / "plain" / ".git").mkdir()
    (tmp_path / "plain" / ".git" / "config").write_text("[core]\n")
    outcome = Site(tmp_path / "plain").outcome(capsys)
    assert outcome.status == 0
    assert outcome.has("not a git repository")


def test_a_withdrawn_badge_whose_narrative_named_its_earners_address_is_a_minimal_record(
    site, capsys
):
    """Committed before the earner's-address check: withdrawn, it still answers, and the
    address it carried is published nowhere."""
    site.write(
        "assertions/told-all.yaml",
        badge(email="ann@example.org") + "narrative: Write to ann@example.org for details.\n",
    )
    site.commit("issue before the address check", APRIL)
    site.git("rm", "-q", "assertions/told-all.yaml")
    site.commit("withdraw", MAY)
    outcome = site.outcome(capsys)
    assert outcome.status == 0
    assert len(outcome.lines) == 1 and "minimal record" in outcome.lines[0], outcome.lines
    assert "ann@example.org" not in outcome.lines[0]
    document = site.published("told-all")
    assert document["revoked"] is True and document["revocationReason"] == "withdrawn"
    assert "ann@example.org" not in json.dumps(document)
    assert b"ann@example.org" not in site.output("assertions/told-all/index.html")
