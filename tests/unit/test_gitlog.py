import datetime
import os
import subprocess

from badgepress.gitlog import head_commit, history

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
    assert times == {
        "assertions/a.yaml": datetime.datetime(2026, 3, 1, 8, 0, tzinfo=UTC),
        "assertions/b.yaml": datetime.datetime(2026, 4, 1, tzinfo=UTC),
    }
    sha, when = head_commit(tmp_path)
    assert len(sha) == 40 and when == datetime.datetime(2026, 4, 1, tzinfo=UTC)


def test_outside_a_repository_nothing_is_known(tmp_path):
    assert history(tmp_path, "assertions").added == {}
    assert head_commit(tmp_path) is None


def test_one_walk_of_history_gives_added_times_and_deletions_but_not_renames(tmp_path):
    _git(tmp_path, "init", "-q")
    (tmp_path / "assertions").mkdir()
    (tmp_path / "assertions" / "a.yaml").write_text("credential: something-long-enough\n")
    (tmp_path / "assertions" / "b.yaml").write_text("x: 1\n")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "issue a and b", when="2026-03-01T10:00:00+00:00")
    _git(tmp_path, "mv", "assertions/a.yaml", "assertions/c.yaml")
    _git(tmp_path, "rm", "-q", "assertions/b.yaml")
    _git(tmp_path, "commit", "-qm", "move a, withdraw b", when="2026-04-01T00:00:00+00:00")

    past = history(tmp_path, "assertions")
    assert past.added == {
        "assertions/a.yaml": datetime.datetime(2026, 3, 1, 10, 0, tzinfo=UTC),
        "assertions/b.yaml": datetime.datetime(2026, 3, 1, 10, 0, tzinfo=UTC),
    }
    assert [(d.path, d.time) for d in past.deleted] == [
        ("assertions/b.yaml", datetime.datetime(2026, 4, 1, tzinfo=UTC))
    ]
