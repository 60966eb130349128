import datetime
import os
import shutil
import subprocess

from badgepress.content import gitdir
from badgepress.content.gitlog import HistoryWalk, head_commit, history

UTC = datetime.timezone.utc


def _git(repo, *args, when="2026-03-01T10:00:00+00:00"):
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    env.update(
        GIT_AUTHOR_NAME="T",
        GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_NAME="T",
        GIT_COMMITTER_EMAIL="t@example.org",
    )
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def _git_on_path(tmp_path, monkeypatch, before: str) -> None:
    """Put a `git` on PATH that runs the shell lines `before`, then the real git."""
    real = shutil.which("git")
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "git"
    script.write_text(f'#!/bin/sh\n{before}exec "{real}" "$@"\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")


def test_added_time_is_the_commit_that_first_added_the_file(tmp_path):
    _git(tmp_path, "init", "-q")
    (tmp_path / "assertions").mkdir()
    (tmp_path / "assertions" / "a.yaml").write_text("x: 1\n")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "issue a", when="2026-03-01T10:00:00+02:00")
    (tmp_path / "assertions" / "a.yaml").write_text("x: 2\n")
    (tmp_path / "assertions" / "b.yaml").write_text("x: 1\n")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "edit a, issue b", when="2026-04-01T00:00:00+00:00")

    times = history(tmp_path, "assertions").added
    assert times == {  # by id; a file's path finds its id's time
        "a": datetime.datetime(2026, 3, 1, 8, 0, tzinfo=UTC),
        "b": datetime.datetime(2026, 4, 1, tzinfo=UTC),
    }
    assert times["assertions/b.yaml"] == times["b"]
    sha, when = head_commit(tmp_path)
    assert len(sha) == 40 and when == datetime.datetime(2026, 4, 1, tzinfo=UTC)


def test_folders_with_any_name_are_read_from_history(tmp_path):
    """git quotes unusual names ("a\303\261o"); a badge filed under one is still a badge."""
    _git(tmp_path, "init", "-q")
    for number, folder in enumerate(("año", 'say "hi"', "tab\there")):
        (tmp_path / "assertions" / folder).mkdir(parents=True)
        (tmp_path / "assertions" / folder / f"b{number}.yaml").write_text(f"x: {folder}\n")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "issue three", when="2026-03-01T10:00:00+00:00")
    _git(tmp_path, "rm", "-q", "-r", "assertions")
    _git(tmp_path, "commit", "-qm", "withdraw them", when="2026-04-01T00:00:00+00:00")
    past = history(tmp_path, "assertions")
    assert {d.path for d in past.deleted} == {
        "assertions/año/b0.yaml",
        'assertions/say "hi"/b1.yaml',
        "assertions/tab\there/b2.yaml",
    }


def test_outside_a_repository_nothing_is_known(tmp_path):
    assert history(tmp_path, "assertions").added == {}
    assert head_commit(tmp_path) is None


def test_one_walk_gives_added_times_and_deletions_and_a_moved_file_keeps_its_time(tmp_path):
    _git(tmp_path, "init", "-q")
    (tmp_path / "assertions").mkdir()
    (tmp_path / "assertions" / "a.yaml").write_text("credential: something-long-enough\n")
    (tmp_path / "assertions" / "b.yaml").write_text("x: 1\n")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "issue a and b", when="2026-03-01T10:00:00+00:00")
    (tmp_path / "assertions" / "2025").mkdir()
    _git(tmp_path, "mv", "assertions/a.yaml", "assertions/2025/a.yaml")
    _git(tmp_path, "rm", "-q", "assertions/b.yaml")
    _git(tmp_path, "commit", "-qm", "move a, withdraw b", when="2026-04-01T00:00:00+00:00")

    past = history(tmp_path, "assertions")
    assert past.added == {
        "a": datetime.datetime(2026, 3, 1, 10, 0, tzinfo=UTC),
        "b": datetime.datetime(2026, 3, 1, 10, 0, tzinfo=UTC),
    }
    # Moved in April, not added then: a move is not a deletion, nor a new issue.
    assert past.added["assertions/2025/a.yaml"] == datetime.datetime(2026, 3, 1, 10, tzinfo=UTC)
    assert past.published.paths("a") == ["assertions/2025/a.yaml"]
    assert [(d.path, d.time) for d in past.deleted] == [
        ("assertions/b.yaml", datetime.datetime(2026, 4, 1, tzinfo=UTC))
    ]


def test_a_badge_a_merge_dropped_is_deleted_by_the_merge_and_a_merged_one_keeps_its_date(
    tmp_path,
):
    repo = _site(tmp_path)  # a, b and e issued in March
    _git(repo, "checkout", "-q", "-b", "side")
    _issue(repo, "s", when="2026-04-01T00:00:00+00:00")
    _git(repo, "checkout", "-q", "-")
    _issue(repo, "x", when="2026-04-02T00:00:00+00:00")  # published
    # The merge takes the branch's assertions/ whole: x is gone, and the folder is as the
    # branch had it, so git's default walk follows the branch only and never sees x.
    _git(repo, "merge", "-q", "--no-commit", "side", when="2026-05-01T00:00:00+00:00")
    _git(repo, "rm", "-q", "assertions/x.yaml")
    _git(repo, "commit", "-qm", "merge side, dropping x", when="2026-05-01T00:00:00+00:00")
    merge = _head(repo)

    past = history(repo, "assertions")
    march = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    assert past.added == {
        "a": march,
        "b": march,
        "e": march,
        # Added on the branch in April; the merge adds it to main again in May.
        "s": datetime.datetime(2026, 4, 1, tzinfo=UTC),
        "x": datetime.datetime(2026, 4, 2, tzinfo=UTC),
    }
    assert [(d.path, d.commit, d.time) for d in past.deleted] == [
        ("assertions/x.yaml", merge, datetime.datetime(2026, 5, 1, tzinfo=UTC))
    ]


def test_git_before_2_31_without_diff_merges_still_gives_dates_and_deletions(tmp_path, monkeypatch):
    repo = _site(tmp_path)  # a, b and e issued in March
    _git(repo, "rm", "-q", "assertions/b.yaml")
    _git(repo, "commit", "-qm", "withdraw b", when="2026-04-01T00:00:00+00:00")
    expected = history(repo, "assertions")
    # What git 2.30 answers to an option it does not know.
    _git_on_path(
        tmp_path,
        monkeypatch,
        'for a in "$@"; do case "$a" in --diff-merges*)\n'
        '  echo "fatal: unrecognized argument: $a" >&2; exit 128;;\nesac; done\n',
    )
    old = history(repo, "assertions")
    assert old == expected
    assert old.added["assertions/a.yaml"] == datetime.datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    assert [d.path for d in old.deleted] == ["assertions/b.yaml"]


# A walk kept between builds (HistoryWalk with a cache file) ---------------------------------


def _git_calls(tmp_path, monkeypatch):
    """Put a `git` on PATH that logs each call's arguments before running the real one."""
    calls = tmp_path / "git-calls.txt"
    _git_on_path(tmp_path, monkeypatch, f'printf "%s\\n" "$*" >> "{calls}"\n')
    return calls


def _walks(calls) -> list[str]:
    """The revisions each `git log` walk of assertions/ was given since the last call."""
    lines = calls.read_text().splitlines() if calls.exists() else []
    calls.unlink(missing_ok=True)
    return [line.split(" -- ")[0].split()[-1] for line in lines if " log -M " in line]


def _issue(repo, *names, when):
    """Commit an assertion file for each name (assertions/<name>.yaml) at `when`."""
    for name in names:
        (repo / "assertions" / f"{name}.yaml").write_text(f"credential: {name * 20}\n")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", f"issue {', '.join(names)}", when=when)


def _site(tmp_path):
    repo = tmp_path / "repo"
    (repo / "assertions").mkdir(parents=True)
    _git(repo, "init", "-q")
    _issue(repo, "a", "b", "e", when="2026-03-01T10:00:00+00:00")
    return repo


def _head(repo) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_a_walk_kept_for_the_commit_at_head_runs_no_git_walk(tmp_path, monkeypatch):
    repo = _site(tmp_path)
    cache = tmp_path / "history.data"
    calls = _git_calls(tmp_path, monkeypatch)
    first = HistoryWalk(repo, "assertions", cache).result()
    assert _walks(calls) == [_head(repo)] and cache.is_file()

    again = HistoryWalk(repo, "assertions", cache).result()
    assert again == first == history(repo, "assertions")
    assert _walks(calls) == ["HEAD"]  # history()'s own walk, which keeps nothing


def test_commits_on_top_of_a_kept_walk_are_walked_alone_and_joined_to_it(tmp_path, monkeypatch):
    repo = _site(tmp_path)
    cache = tmp_path / "history.data"
    HistoryWalk(repo, "assertions", cache).result()
    base = _head(repo)
    (repo / "assertions" / "x").mkdir()
    _git(repo, "mv", "assertions/a.yaml", "assertions/x/a.yaml")
    _git(repo, "rm", "-q", "assertions/b.yaml")
    _git(repo, "commit", "-qm", "move a, withdraw b", when="2026-04-01T00:00:00+00:00")
    (repo / "assertions" / "b.yaml").write_text("credential: reissued-after-all\n")
    (repo / "assertions" / "d.yaml").write_text("credential: dddddddddddddddddddd\n")
    (repo / "assertions" / "y").mkdir()
    _git(repo, "mv", "assertions/x/a.yaml", "assertions/y/a.yaml")
    _git(repo, "rm", "-q", "assertions/e.yaml")
    _git(repo, "add", ".")
    _git(
        repo,
        "commit",
        "-qm",
        "b again, d, a moved on, e withdrawn",
        when="2026-05-01T00:00:00+00:00",
    )
    calls = _git_calls(tmp_path, monkeypatch)

    joined = HistoryWalk(repo, "assertions", cache).result()
    assert _walks(calls) == [f"{base}..{_head(repo)}"]
    assert joined == history(repo, "assertions")
    march = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    assert joined.added["assertions/y/a.yaml"] == march  # a moved twice, across the two walks
    assert joined.added["assertions/b.yaml"] == march  # first added then, not re-added in May
    assert [d.path for d in joined.deleted] == ["assertions/e.yaml"]  # b is back
    assert joined.published.withdrawal("b").path == "assertions/b.yaml"  # withdrawn in April


def test_an_amended_commit_or_a_merge_walks_the_whole_history_again(tmp_path, monkeypatch):
    repo = _site(tmp_path)
    cache = tmp_path / "history.data"
    _issue(repo, "g", when="2026-04-01T00:00:00+00:00")
    HistoryWalk(repo, "assertions", cache).result()
    # The kept walk's commit is no longer in HEAD's history: it saw g, which is now gone.
    _git(repo, "rm", "-q", "assertions/g.yaml")
    _git(
        repo,
        "commit",
        "-q",
        "--amend",
        "--allow-empty",
        "-m",
        "nothing",
        when="2026-04-01T00:00:00+00:00",
    )
    calls = _git_calls(tmp_path, monkeypatch)
    amended = HistoryWalk(repo, "assertions", cache).result()
    assert _walks(calls)[-1] == _head(repo)
    assert amended == history(repo, "assertions")
    assert "assertions/g.yaml" not in amended.added

    # A merge: a kept walk and the commits since would not be what git's walk of the merge
    # shows (its history simplification may leave out a side), so it is walked whole too.
    _git(repo, "checkout", "-q", "-b", "side", "HEAD")
    _issue(repo, "h", when="2026-05-01T00:00:00+00:00")
    _git(repo, "checkout", "-q", "-")
    _issue(repo, "i", when="2026-05-02T00:00:00+00:00")
    _git(
        repo, "merge", "-q", "--no-ff", "-m", "merge side", "side", when="2026-05-03T00:00:00+00:00"
    )
    merged = HistoryWalk(repo, "assertions", cache).result()
    assert _walks(calls)[-1] == _head(repo)
    assert merged == history(repo, "assertions")
    assert {"h", "i"} <= merged.added.keys()


def test_grafts_or_replaced_commits_change_history_under_the_same_head_so_it_is_walked_again(
    tmp_path,
):
    repo = _site(tmp_path)  # a, b and e issued in March
    cache = tmp_path / "history.data"
    _issue(repo, "f", when="2026-04-01T00:00:00+00:00")
    head = _head(repo)
    assert HistoryWalk(repo, "assertions", cache).result() == history(repo, "assertions")

    # The April commit, replaced by one without a parent: the history now starts there.
    _git(repo, "replace", "--graft", head)
    assert _head(repo) == head
    again = HistoryWalk(repo, "assertions", cache).result()
    assert again == history(repo, "assertions")
    assert again.added["assertions/a.yaml"] == datetime.datetime(2026, 4, 1, tzinfo=UTC)
    assert HistoryWalk(repo, "assertions", cache).result() == again  # and each time after

    _git(repo, "replace", "-d", head)
    assert HistoryWalk(repo, "assertions", cache).result() == history(repo, "assertions")
    assert history(repo, "assertions").added["assertions/a.yaml"].month == 3


def test_history_rewrites_are_found_loose_packed_or_grafted_and_are_none_in_a_plain_repository(
    tmp_path, monkeypatch
):
    repo = _site(tmp_path)
    _issue(repo, "f", when="2026-04-01T00:00:00+00:00")
    found = gitdir.find(repo)
    assert gitdir.history_rewrites(found) == ""
    _git(repo, "replace", "--graft", _head(repo))
    loose = gitdir.history_rewrites(found)
    assert _head(repo) in loose
    _git(repo, "pack-refs", "--all")
    assert not any((repo / ".git" / "refs" / "replace").iterdir())
    packed = gitdir.history_rewrites(found)
    assert _head(repo) in packed and packed != loose
    _git(repo, "replace", "-d", _head(repo))
    assert gitdir.history_rewrites(found) == ""
    (repo / ".git" / "info").mkdir(exist_ok=True)
    (repo / ".git" / "info" / "grafts").write_text(_head(repo) + "\n")
    assert "grafts" in gitdir.history_rewrites(found)
    (repo / ".git" / "info" / "grafts").unlink()
    monkeypatch.setenv("GIT_NO_REPLACE_OBJECTS", "1")
    assert gitdir.history_rewrites(found) == "GIT_NO_REPLACE_OBJECTS=1"


def test_a_shallow_clone_keeps_no_walk_and_a_damaged_one_is_walked_again(tmp_path):
    repo = _site(tmp_path)
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)],
        check=True,
        capture_output=True,
    )
    cache = tmp_path / "history.data"
    # Deepening a shallow clone changes its history, not HEAD: a kept walk could not tell.
    assert HistoryWalk(shallow, "assertions", cache).result() == history(shallow, "assertions")
    assert not cache.exists()

    cache.write_bytes(b"\xe3 not a walk")
    assert HistoryWalk(repo, "assertions", cache).result() == history(repo, "assertions")
    assert HistoryWalk(repo, "assertions", cache).result().added.keys() == {"a", "b", "e"}


def test_a_kept_walk_is_not_used_once_git_is_gone(tmp_path, monkeypatch):
    repo = _site(tmp_path)
    cache = tmp_path / "history.data"
    assert HistoryWalk(repo, "assertions", cache).result().added  # kept for HEAD
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    # What a clean build without git knows: nothing, so both builds give the same bytes.
    assert HistoryWalk(repo, "assertions", cache).result() == history(repo, "assertions")
    assert history(repo, "assertions").added == {}
