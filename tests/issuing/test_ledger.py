"""Git as the ledger: dates from commits, deleted files published as withdrawn, build.json.

Real temporary repositories with fixed commit dates; builds go through the real pipeline and
read git themselves (no fixed commit).
"""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess

from badgepress import __version__
from badgepress.content import gitlog
from badgepress.content.project import Project
from badgepress.openbadges.baking import unbake
from badgepress.pipeline import build
from tests.issuing.gitrepo import commit_all, git, init_repo
from tests.support import BUILD_TIME, copy_example

UTC = datetime.timezone.utc
ASSERTION = """\
credential: affective-language
recipient:
  identity: sha256$0e5f1fc2a1e3b1f83a2b5b8b6c2cf4b3d6c61c8a9f11d2f3c4e5a6b7c8d9e0f1
  salt: 00112233445566778899aabbccddeeff
"""


def real_build(root, output):
    return build(Project(root), output, BUILD_TIME)


def site_repo(tmp_path, when="2026-03-01T10:00:00+00:00"):
    root = copy_example(tmp_path / "repo")
    init_repo(root, when)
    return root


def test_issued_on_defaults_to_the_date_of_the_commit_that_added_the_file(tmp_path):
    root = site_repo(tmp_path)
    (root / "assertions" / "2026" / "dated.yaml").write_text(ASSERTION)
    commit_all(root, "issue", when="2026-04-02T15:30:00+02:00")
    (root / "assertions" / "2026" / "dated.yaml").write_text(ASSERTION + "narrative: Edited.\n")
    commit_all(root, "edit", when="2026-06-01T00:00:00+00:00")
    real_build(root, tmp_path / "site")
    doc = json.loads((tmp_path / "site" / "assertions" / "dated.json").read_text())
    assert doc["issuedOn"] == "2026-04-02T13:30:00Z"


def test_an_undated_file_moved_to_another_folder_keeps_the_date_it_was_issued(tmp_path):
    root = site_repo(tmp_path)
    (root / "assertions" / "2026" / "moved.yaml").write_text(ASSERTION)
    commit_all(root, "issue", when="2026-04-02T15:30:00+02:00")
    (root / "assertions" / "archive").mkdir()
    git(root, "mv", "assertions/2026/moved.yaml", "assertions/archive/moved.yaml")
    commit_all(root, "file it away", when="2026-06-01T00:00:00+00:00")
    real_build(root, tmp_path / "site")
    doc = json.loads((tmp_path / "site" / "assertions" / "moved.json").read_text())
    assert doc["issuedOn"] == "2026-04-02T13:30:00Z"


def test_an_uncommitted_file_uses_the_build_time_with_a_warning(tmp_path):
    root = site_repo(tmp_path)
    (root / "assertions" / "2026" / "fresh.yaml").write_text(ASSERTION)
    report = real_build(root, tmp_path / "site")
    doc = json.loads((tmp_path / "site" / "assertions" / "fresh.json").read_text())
    assert doc["issuedOn"] == "2026-11-20T12:00:00Z"
    assert any(
        w.path == "assertions/2026/fresh.yaml" and "not committed yet" in w.message
        for w in report.warnings
    )


def _issue_then_delete(root) -> None:
    """Commit an assertion on April 1st, delete it in a commit on May 1st."""
    (root / "assertions" / "2026" / "gone2delete.yaml").write_text(ASSERTION)
    commit_all(root, "issue", when="2026-04-01T09:00:00+00:00")
    (root / "assertions" / "2026" / "gone2delete.yaml").unlink()
    commit_all(root, "withdraw", when="2026-05-01T09:00:00+00:00")


def test_a_deleted_assertion_is_still_published_as_withdrawn(tmp_path):
    root = site_repo(tmp_path)
    _issue_then_delete(root)
    report = real_build(root, tmp_path / "site")
    site = tmp_path / "site"

    doc = json.loads((site / "assertions" / "gone2delete.json").read_text())
    assert doc["revoked"] is True and doc["revocationReason"] == "withdrawn"
    assert doc["recipient"]["salt"] == "00112233445566778899aabbccddeeff"
    assert doc["recipient"]["identity"].startswith("sha256$0e5f1fc2")
    assert doc["badge"] == "https://badges.example.org/credentials/affective-language.json"
    assert doc["issuedOn"] == "2026-04-01T09:00:00Z"  # the commit that added it
    assert "withdrawn" in (site / "assertions" / "gone2delete" / "index.html").read_text()
    baked = (site / "assertions" / "gone2delete.png").read_bytes()
    assert unbake(baked) == "https://badges.example.org/assertions/gone2delete.json"
    revoked = json.loads((site / "revocations.json").read_text())["revokedAssertions"]
    assert {
        "id": "https://badges.example.org/assertions/gone2delete.json",
        "revocationReason": "withdrawn",
    } in revoked
    assert not [w for w in report.warnings if "gone2delete" in w.path]


def test_a_badge_replaced_by_a_similar_file_in_one_commit_is_withdrawn_not_renamed(tmp_path):
    """git's rename detection sees a deleted file and an added one of (nearly) the same text
    as a rename; the file name is the badge's id, so another name is another badge."""
    root = site_repo(tmp_path)
    (root / "assertions" / "2026" / "first2issue.yaml").write_text(ASSERTION)
    commit_all(root, "issue", when="2026-04-01T09:00:00+00:00")
    (root / "assertions" / "2026" / "first2issue.yaml").unlink()
    (root / "assertions" / "2026" / "second2issue.yaml").write_text(ASSERTION)
    commit_all(root, "withdraw one, issue another", when="2026-05-01T09:00:00+00:00")
    assert "R100" in git(root, "show", "--name-status", "--format=", "HEAD")
    real_build(root, tmp_path / "site")
    site = tmp_path / "site" / "assertions"

    withdrawn = json.loads((site / "first2issue.json").read_text())  # its URL still answers
    assert withdrawn["revoked"] is True and withdrawn["revocationReason"] == "withdrawn"
    assert withdrawn["issuedOn"] == "2026-04-01T09:00:00Z"
    issued = json.loads((site / "second2issue.json").read_text())
    assert issued.get("revoked") is not True
    assert issued["issuedOn"] == "2026-05-01T09:00:00Z"  # its own commit, not the first's


def test_a_published_badge_a_merge_dropped_is_still_published_as_withdrawn(tmp_path):
    """A branch issues one badge while main publishes another; the merge resolves assertions/
    by taking the branch's side, so main's badge is gone, deleted by the merge commit alone."""
    root = site_repo(tmp_path)
    site = tmp_path / "site"
    git(root, "checkout", "-q", "-b", "side")
    (root / "assertions" / "2026" / "fromabranch.yaml").write_text(ASSERTION)
    commit_all(root, "issue on a branch", when="2026-04-01T09:00:00+00:00")
    git(root, "checkout", "-q", "main")
    (root / "assertions" / "2026" / "published1.yaml").write_text(ASSERTION)
    commit_all(root, "issue on main", when="2026-04-02T09:00:00+00:00")
    build(Project(root), site, BUILD_TIME, incremental=True)  # keeps its walk of history
    assert "revoked" not in json.loads((site / "assertions" / "published1.json").read_text())

    when = "2026-05-01T09:00:00+00:00"
    git(root, "merge", "-q", "--no-commit", "side", when=when)
    git(root, "rm", "-q", "assertions/2026/published1.yaml", when=when)
    commit_all(root, "merge side, taking its assertions", when=when)
    report = build(Project(root), site, BUILD_TIME, incremental=True)

    withdrawn = json.loads((site / "assertions" / "published1.json").read_text())
    assert withdrawn["revoked"] is True and withdrawn["revocationReason"] == "withdrawn"
    assert withdrawn["issuedOn"] == "2026-04-02T09:00:00Z"
    assert "withdrawn" in (site / "assertions" / "published1" / "index.html").read_text()
    merged = json.loads((site / "assertions" / "fromabranch.json").read_text())
    assert "revoked" not in merged
    assert merged["issuedOn"] == "2026-04-01T09:00:00Z"  # its branch commit's, not the merge's
    assert not [w for w in report.warnings if "published1" in w.path]


def test_a_deleted_revoked_assertion_keeps_its_reason_and_a_moved_one_is_not_withdrawn(tmp_path):
    root = site_repo(tmp_path)
    shutil.move(root / "assertions" / "2026" / "8vcxgcyxdmwy.yaml", root / "8vcxgcyxdmwy.yaml")
    (root / "assertions" / "2025").mkdir()
    shutil.move(root / "8vcxgcyxdmwy.yaml", root / "assertions" / "2025" / "8vcxgcyxdmwy.yaml")
    (root / "assertions" / "2026" / "huxycukru2y4.yaml").unlink()
    commit_all(root, "move one, delete a revoked one", when="2026-05-01T09:00:00+00:00")
    real_build(root, tmp_path / "site")
    site = tmp_path / "site"
    moved = json.loads((site / "assertions" / "8vcxgcyxdmwy.json").read_text())
    assert "revoked" not in moved
    deleted = json.loads((site / "assertions" / "huxycukru2y4.json").read_text())
    assert deleted["revoked"] is True
    assert deleted["revocationReason"].startswith("Issued in error")


def test_deleted_files_cost_two_git_calls_however_many_there_are(tmp_path, monkeypatch):
    root = site_repo(tmp_path)
    for index in range(60):
        (root / "assertions" / "2026" / f"bulk-{index}.yaml").write_text(ASSERTION)
    commit_all(root, "issue 60")
    for index in range(60):
        (root / "assertions" / "2026" / f"bulk-{index}.yaml").unlink()
    commit_all(root, "withdraw 60")
    calls = []
    real_run = subprocess.run

    def counting_run(command, *args, **kwargs):
        calls.append(command[3] if len(command) > 3 else command)
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(gitlog.subprocess, "run", counting_run)
    report = build(Project(root), tmp_path / "site", BUILD_TIME)
    assert sum(1 for a in report.catalog.assertions if a.id.startswith("bulk-")) == 60
    # Deleted files: rev-parse, log --diff-filter=D, cat-file --batch (plus the calls for dates
    # and the commit); none of it grows with the number of files.
    assert calls.count("cat-file") == 1
    assert len(calls) <= 8, calls


def test_build_json_records_the_commit_and_pages_do_not(tmp_path):
    """A page's bytes do not change with each commit: only build.json names it."""
    root = site_repo(tmp_path, when="2026-07-04T12:00:00+00:00")
    sha = git(root, "rev-parse", "HEAD").strip()
    real_build(root, tmp_path / "site")
    record = json.loads((tmp_path / "site" / "build.json").read_text())
    assert record == {
        "badgepress": __version__,
        "commit": sha,
        "commit_time": "2026-07-04T12:00:00Z",
    }
    assert sha[:7] not in (tmp_path / "site" / "index.html").read_text()
    first = (tmp_path / "site" / "build.json").read_bytes()
    real_build(root, tmp_path / "again")
    assert (tmp_path / "again" / "build.json").read_bytes() == first


def test_outside_git_the_build_works_with_a_warning(tmp_path):
    root = copy_example(tmp_path / "plain")
    report = real_build(root, tmp_path / "site")
    assert any("not a git repository" in w.message for w in report.warnings)
    record = json.loads((tmp_path / "site" / "build.json").read_text())
    assert record["commit"] is None and record["commit_time"] is None
    assert "built from commit" not in (tmp_path / "site" / "index.html").read_text()
