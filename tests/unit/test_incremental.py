"""Reading git's HEAD without git, and the fingerprint's rules."""

from __future__ import annotations

import os
import time

from badgepress.build.inputs import fingerprint
from badgepress.content.gitdir import git_head
from tests.speed.support import committed, git

SHA = "0123456789abcdef0123456789abcdef01234567"


def test_head_is_read_from_a_branch_a_packed_ref_and_a_detached_head(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    (root / "file.txt").write_text("x")
    committed(root)
    expected = (root / ".git" / "refs" / "heads").iterdir().__next__().read_text().strip()
    assert git_head(root) == expected
    assert git_head(root / "sub" / "folder") == expected  # a site inside a larger repository
    git(root, "pack-refs", "--all")
    assert not any((root / ".git" / "refs" / "heads").iterdir())
    assert git_head(root) == expected
    (root / ".git" / "HEAD").write_text(SHA + "\n")
    assert git_head(root) == SHA


def test_head_is_read_in_a_worktree(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    (root / "file.txt").write_text("x")
    committed(root)
    git(root, "worktree", "add", "-q", "-b", "other", str(tmp_path / "tree"))
    assert (tmp_path / "tree" / ".git").is_file()
    assert git_head(tmp_path / "tree") == git_head(root)


def test_no_repository_and_no_source_date_epoch_means_no_fingerprint(tmp_path):
    assert git_head(tmp_path) is None
    assert fingerprint(tmp_path, tmp_path / "site", {}, None, None) is None
    epoch = fingerprint(
        tmp_path, tmp_path / "site", {"SOURCE_DATE_EPOCH": "1700000000"}, None, None
    )
    assert epoch is not None and epoch["source_date_epoch"] == "1700000000"


def test_a_file_modified_just_now_is_never_taken_as_unchanged(tmp_path):
    (tmp_path / "content").mkdir()
    old, new = tmp_path / "content" / "old.md", tmp_path / "content" / "new.md"
    old.write_text("a")
    new.write_text("b")
    past = time.time_ns() - 10**10
    os.utime(old, ns=(past, past))
    print_ = fingerprint(tmp_path, tmp_path / "site", {"SOURCE_DATE_EPOCH": "1"}, None, None)
    assert print_["content"]["content/old.md"] == [past, 1]
    assert print_["content"]["content/new.md"][0] == -1  # racy: looked at again next time
