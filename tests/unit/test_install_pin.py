"""install_pin: the requirement a new site's workflow installs is exactly this badgepress."""

from __future__ import annotations

import pytest

from badgepress import __version__, install_pin
from badgepress.install_pin import current_pin

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
    assert pin.warning is None


@pytest.mark.parametrize(
    "url",
    ["ssh://git@github.com/org/badgepress", "https://user:token@git.example.org/badgepress"],
)
def test_a_git_url_a_workflow_cannot_use_or_holding_a_password_is_never_copied(installed, url):
    installed({"url": url, "vcs_info": {"vcs": "git", "commit_id": COMMIT}})
    pin = current_pin()
    assert pin.requirement == f"badgepress @ git+{SOURCE}@{COMMIT}"
    assert "token" not in pin.requirement + pin.described + pin.warning
    assert SOURCE in pin.warning


def test_a_downloaded_archive_is_pinned_by_its_hash(installed):
    url = "https://files.example.org/badgepress-0.2.0-py3-none-any.whl"
    installed({"url": url, "archive_info": {"hashes": {"sha256": "ab" * 32}}})
    assert current_pin().requirement == f"badgepress @ {url}#sha256={'ab' * 32}"


def test_an_unknown_origin_pins_the_release_tag_and_says_to_check_it(installed):
    installed({"url": "file:///tmp/badgepress-0.1.0-py3-none-any.whl", "archive_info": {}})
    pin = current_pin()
    assert pin.requirement == f"badgepress @ git+{SOURCE}@v{__version__}"
    assert "check that it exists" in pin.warning


def test_a_checkout_with_uncommitted_changes_says_the_workflow_installs_head_without_them(
    tmp_path, monkeypatch
):
    import subprocess

    def git(*args):
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)

    git("init", "-q")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'badgepress'\n")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x")
    monkeypatch.setattr(install_pin, "_checkout_top", lambda: tmp_path)
    assert current_pin().warning is None
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'badgepress'\nversion = '9'\n")
    assert "uncommitted changes" in current_pin().warning


def test_an_install_inside_another_repository_is_not_a_checkout(tmp_path, monkeypatch):
    # A site's own .venv sits in the site's repository: that is not badgepress's checkout.
    package = tmp_path / ".venv" / "lib" / "site-packages" / "badgepress"
    package.mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text("")
    monkeypatch.setattr(install_pin, "_PACKAGE_DIR", package)
    assert install_pin._checkout_top() is None
