"""install_pin: the requirement a new site's workflow installs is exactly this badgepress."""

from __future__ import annotations

import pytest

from badgepress import __version__
from badgepress.issuing import install_pin
from badgepress.issuing.install_pin import current_pin

SOURCE = "https://github.com/badgepress/badgepress"
COMMIT = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture
def installed(monkeypatch):
    """Pretend this code is an installed copy (not a checkout) with the given direct_url.json."""
    monkeypatch.setattr(install_pin, "_checkout_top", lambda: None)

    def record(direct_url):
        monkeypatch.setattr(install_pin, "_direct_url", lambda: direct_url)

    return record


def test_from_a_checkout_the_pin_is_its_head_commit_of_the_canonical_source():
    pin = current_pin()  # the tests run from badgepress's own checkout
    assert pin.requirement.startswith(f"badgepress @ git+{SOURCE}@")
    assert len(pin.requirement.rsplit("@", 1)[1]) == 40


def test_from_a_package_index_the_pin_is_the_exact_version(installed):
    installed(None)
    assert current_pin().requirement == f"badgepress=={__version__}"


def test_from_a_public_git_url_the_pin_is_the_installed_commit_there(installed):
    installed(
        {
            "url": "https://github.com/someone/badgepress-fork",
            "vcs_info": {"vcs": "git", "commit_id": COMMIT, "requested_revision": "v0.2.0"},
        }
    )
    pin = current_pin()
    assert (
        pin.requirement == f"badgepress @ git+https://github.com/someone/badgepress-fork@{COMMIT}"
    )
    assert pin.warnings == ()


@pytest.mark.parametrize(
    "url",
    ["ssh://git@github.com/org/badgepress", "https://user:token@git.example.org/badgepress"],
)
def test_a_git_url_a_workflow_cannot_use_or_holding_a_password_is_never_copied(installed, url):
    installed({"url": url, "vcs_info": {"vcs": "git", "commit_id": COMMIT}})
    pin = current_pin()
    assert pin.requirement == f"badgepress @ git+{SOURCE}@{COMMIT}"
    [warning] = pin.warnings
    assert "token" not in pin.requirement + pin.described + warning
    assert SOURCE in warning


def test_a_downloaded_archive_is_pinned_by_its_hash(installed):
    url = "https://files.example.org/badgepress-0.2.0-py3-none-any.whl"
    installed({"url": url, "archive_info": {"hashes": {"sha256": "ab" * 32}}})
    assert current_pin().requirement == f"badgepress @ {url}#sha256={'ab' * 32}"


def test_an_unknown_origin_pins_the_release_tag_and_says_to_check_it(installed):
    installed({"url": "file:///tmp/badgepress-0.1.0-py3-none-any.whl", "archive_info": {}})
    pin = current_pin()
    assert pin.requirement == f"badgepress @ git+{SOURCE}@v{__version__}"
    [warning] = pin.warnings
    assert "check that it exists" in warning


class Checkout:
    """A real git repository standing for badgepress's checkout, whose remotes named by https
    URLs are bare repositories in tmp_path (git's url.<base>.insteadOf), so it can push."""

    def __init__(self, root, monkeypatch):
        self.top = root / "badgepress"
        self.top.mkdir()
        self.root = root
        self.git("init", "-q")
        self.git("symbolic-ref", "HEAD", "refs/heads/main")
        self.commit("first")
        monkeypatch.setattr(install_pin, "_checkout_top", lambda: self.top)

    def git(self, *args, cwd=None):
        import subprocess

        subprocess.run(["git", "-C", str(cwd or self.top), *args], check=True, capture_output=True)

    def commit(self, version):
        (self.top / "pyproject.toml").write_text(f"[project]\nname = 'badgepress'  # {version}\n")
        self.git("add", ".")
        self.git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", version)

    def remote(self, name, url):
        bare = self.root / f"{name}.git"
        self.git("init", "-q", "--bare", str(bare), cwd=self.root)
        self.git("config", f"url.{bare.as_uri()}.insteadOf", url)
        self.git("remote", "add", name, url)


@pytest.fixture
def checkout(tmp_path, monkeypatch):
    return Checkout(tmp_path, monkeypatch)


def test_a_checkout_with_uncommitted_changes_says_the_workflow_installs_head_without_them(
    checkout,
):
    checkout.remote("origin", SOURCE)
    checkout.git("push", "-q", "origin", "main")
    assert current_pin().warnings == ()
    (checkout.top / "pyproject.toml").write_text("[project]\nname = 'badgepress'\nversion = '9'\n")
    [warning] = current_pin().warnings
    assert "uncommitted changes" in warning


def test_a_commit_on_no_branch_of_the_canonical_source_gets_a_warning_saying_to_push_it(
    checkout,
):
    checkout.remote("origin", SOURCE + ".git")
    [warning] = current_pin().warnings  # nothing pushed yet
    assert warning.startswith(f"commit {current_pin().requirement[-40:][:12]} is on no branch of")
    assert f"of {SOURCE} that badgepress's checkout" in warning
    assert warning.endswith(
        "push it there, or edit the BADGEPRESS line of .github/workflows/badgepress.yml"
    )
    checkout.git("push", "-q", "origin", "main")
    assert current_pin().warnings == ()
    checkout.commit("local work")  # on main, not pushed
    assert "is on no branch of" in current_pin().warnings[0]
    checkout.git("push", "-q", "origin", "main:feature")  # any branch of it will do
    assert current_pin().warnings == ()


def test_a_checkout_of_a_fork_gets_a_warning_that_it_has_no_remote_for_the_source(checkout):
    checkout.remote("origin", "https://github.com/someone/badgepress-fork")
    checkout.git("push", "-q", "origin", "main")
    [warning] = current_pin().warnings
    assert warning.startswith(f"badgepress's checkout {checkout.top} has no remote for {SOURCE}")
    assert "edit the BADGEPRESS line of .github/workflows/badgepress.yml" in warning
    checkout.remote("upstream", SOURCE)
    checkout.git("push", "-q", "upstream", "main")
    assert current_pin().warnings == ()


@pytest.mark.parametrize(
    ("url", "same"),
    [
        (SOURCE, True),
        (SOURCE + ".git", True),
        (SOURCE + "/", True),
        ("https://GitHub.com/BadgePress/badgepress", True),
        ("https://user@github.com/badgepress/badgepress.git", True),
        ("ssh://git@github.com/badgepress/badgepress.git", True),
        ("git@github.com:badgepress/badgepress.git", True),
        ("https://github.com/someone/badgepress", False),
        ("https://gitlab.com/badgepress/badgepress", False),
        ("/home/me/badgepress", False),
        ("../badgepress", False),
    ],
)
def test_a_remote_names_the_canonical_source_whatever_its_scheme_or_spelling(url, same):
    assert install_pin._same_repository(url, SOURCE) is same


def test_an_install_inside_another_repository_is_not_a_checkout(tmp_path, monkeypatch):
    # A site's own .venv sits in the site's repository: that is not badgepress's checkout.
    package = tmp_path / ".venv" / "lib" / "site-packages" / "badgepress"
    package.mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text("")
    monkeypatch.setattr(install_pin, "_PACKAGE_DIR", package)
    assert install_pin._checkout_top() is None
