"""`badgepress verify --site DIR`: a local build's badges checked offline before deploying.

The folder answers for the site's base URL and its did:web host; nothing else is fetched."""

from __future__ import annotations

import json
import shutil

import pytest

from badgepress.cli import main
from badgepress.content.project import Project
from badgepress.openbadges.signing import SigningKey
from badgepress.pipeline import build
from badgepress.verify.fetch import FetchError
from badgepress.verify.site import LocalSite, exit_status, verify_site
from badgepress.verify.verifier import verify
from tests.ob3.support import BASE_URL, KEY_ENV, signed_example
from tests.support import BUILD_TIME, copy_example

VALID, REVOKED, EXPIRED = "3vctppvnp5jq", "huxycukru2y4", "34w3muptens9"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return signed_example(tmp_path_factory.mktemp("verify-site") / "repo", SigningKey.generate())


@pytest.fixture
def site_copy(built, tmp_path):
    """A copy of the signed build to break."""
    return shutil.copytree(built, tmp_path / "site", symlinks=True)


def _verdicts(folder) -> dict[str, str]:
    site = LocalSite.open(folder)
    reports = verify_site(site, BUILD_TIME)
    return {r.target.removeprefix(site.base + "assertions/"): r.verdict.code for r in reports}


def test_every_badge_of_a_signed_build_verifies_offline(built):
    verdicts = _verdicts(built)
    assert len(verdicts) == 24  # 12 hosted 2.0 assertions and their 12 3.0 credentials
    for version in (".json", ".credential.json"):
        assert verdicts[REVOKED + version] == "revoked"
        assert verdicts[EXPIRED + version] == "expired"
    others = {v for name, v in verdicts.items() if not name.startswith((REVOKED, EXPIRED))}
    assert others == {"valid"}


def test_the_command_checks_the_whole_build_and_exits_0(built, capsys):
    assert main(["verify", "--site", str(built)]) == 0
    out = capsys.readouterr().out
    assert f"[note] {BASE_URL}assertions/{REVOKED}.credential.json: Revoked" in out
    assert "12 Open Badges 2.0 assertions and 12 Open Badges 3.0 credentials" in out
    assert f"checked offline as {BASE_URL}" in out
    assert "FAIL" not in out


def test_the_count_of_a_site_with_one_badge_is_singular(tmp_path, capsys):
    from badgepress.issuing.new_site import create_site

    source = tmp_path / "mysite"
    create_site(source)  # one badge, Open Badges 2.0 only
    build(Project(source), source / "site", BUILD_TIME)
    assert main(["verify", "--site", str(source / "site")]) == 0
    assert "1 Open Badges 2.0 assertion and 0 Open Badges 3.0 credentials in" in (
        capsys.readouterr().out
    )


def test_one_credential_of_the_build_is_checked_by_its_url(built, capsys):
    url = f"{BASE_URL}assertions/{VALID}.credential.json"
    assert main(["verify", "--site", str(built), url]) == 0
    assert "verdict: Valid" in capsys.readouterr().out


def test_tampered_credential_fails_the_site_check_with_exit_1(site_copy, capsys):
    path = site_copy / f"assertions/{VALID}.credential.json"
    document = json.loads(path.read_text())
    document["credentialSubject"]["achievement"]["name"] = "Something grander"
    path.write_text(json.dumps(document))
    assert main(["verify", "--site", str(site_copy)]) == 1
    out = capsys.readouterr().out
    assert f"[FAIL] {BASE_URL}assertions/{VALID}.credential.json: Not valid — the signature" in out


def test_a_site_missing_its_did_document_is_caught_before_deploying(site_copy):
    (site_copy / ".well-known/did.json").unlink()
    verdicts = _verdicts(site_copy)
    assert {v for n, v in verdicts.items() if n.endswith(".credential.json")} == {"invalid"}
    url = f"{BASE_URL}assertions/{VALID}.credential.json"
    report = verify(url, None, BUILD_TIME, LocalSite.open(site_copy).fetch)
    assert "the issuer's site has no DID document at" in report.verdict.reason
    assert exit_status(verify_site(LocalSite.open(site_copy), BUILD_TIME)) == 1


def test_urls_of_other_sites_are_not_fetched(built):
    url = "https://elsewhere.example/assertions/x.json"
    report = verify(url, None, BUILD_TIME, LocalSite.open(built).fetch)
    assert report.verdict.code == "unreachable"
    assert "--site checks offline" in report.verdict.reason


@pytest.mark.parametrize(
    "path",
    ["../repo/content/site.yaml", "%2e%2e/repo/content/site.yaml", "assertions/..%2F..%2Fx"],
)
def test_paths_never_leave_the_folder(built, path):
    with pytest.raises(FetchError) as caught:
        LocalSite.open(built).fetch(BASE_URL + path)
    assert caught.value.status is None and "is not part of the site" in caught.value.message


def test_a_symlink_out_of_the_folder_answers_404(site_copy, tmp_path):
    secret = tmp_path / "secret.json"
    secret.write_text('{"secret": true}')
    (site_copy / "leak.json").symlink_to(secret)
    with pytest.raises(FetchError) as caught:
        LocalSite.open(site_copy).fetch(BASE_URL + "leak.json")
    assert caught.value.status == 404


def test_a_preview_build_answers_for_its_did_host_under_a_sub_path(tmp_path):
    # Built for a preview address while the DID names the production host and path.
    source = copy_example(tmp_path / "repo")
    site_yaml = source / "content/site.yaml"
    site_yaml.write_text(
        site_yaml.read_text()
        + f"\nsigning:\n  did: did:web:badges.example.org:catalog\n  key_env: {KEY_ENV}\n"
    )
    key = SigningKey.generate()
    build(
        Project(source),
        source / "site",
        BUILD_TIME,
        environ={KEY_ENV: key.secret_multibase},
        base_url="https://preview.example.net/catalog/",
    )
    site = LocalSite.open(source / "site")
    assert site.base == "https://preview.example.net/catalog/"
    assert (
        site.fetch("https://badges.example.org/catalog/did.json").body
        == (source / "site/did.json").read_bytes()
    )
    # Only the DID document is answered for that host, and only when it is that DID's.
    with pytest.raises(FetchError):
        site.fetch("https://badges.example.org/catalog/issuer.json")
    with pytest.raises(FetchError):
        site.fetch("https://other.example.org/catalog/did.json")
    verdicts = _verdicts(source / "site")
    assert verdicts[f"{VALID}.credential.json"] == "valid"


def test_a_folder_that_is_no_build_cannot_be_checked(tmp_path, capsys):
    assert main(["verify", "--site", str(tmp_path)]) == 2
    assert "no readable issuer.json" in capsys.readouterr().err


def test_verify_without_a_target_or_site_says_what_to_give(capsys):
    assert main(["verify"]) == 2
    assert "give a badge URL, image or file (or --site DIR)" in capsys.readouterr().err


def test_each_status_list_and_did_document_is_read_once_a_run(built, monkeypatch):
    reads = []
    fetch = LocalSite.fetch

    def counting(self, url):
        reads.append(url)
        return fetch(self, url)

    monkeypatch.setattr(LocalSite, "fetch", counting)
    reports = verify_site(LocalSite.open(built), BUILD_TIME)
    assert len(reports) == 24
    assert reads.count(f"{BASE_URL}status/revocation-1.json") == 1
    assert reads.count(f"{BASE_URL}.well-known/did.json") == 1


def test_a_badge_larger_than_any_badge_is_not_a_badge(site_copy):
    path = site_copy / f"assertions/{VALID}.credential.json"
    path.write_bytes(path.read_bytes() + b" " * 5_000_000)
    url = f"{BASE_URL}assertions/{VALID}.credential.json"
    report = verify(url, None, BUILD_TIME, LocalSite.open(site_copy).fetch)
    assert (report.verdict.label, report.verdict.reason) == (
        "Not a badge",
        f"{url} is larger than 5,000,000 bytes, more than any badge",
    )


def test_a_status_list_larger_than_any_badge_document_makes_credentials_not_valid(site_copy):
    path = site_copy / "status/revocation-1.json"
    path.write_bytes(path.read_bytes() + b" " * 5_000_000)
    reports = verify_site(LocalSite.open(site_copy), BUILD_TIME)
    credentials = [r for r in reports if r.target.endswith(".credential.json")]
    assert {r.verdict.label for r in credentials} == {"Not valid"}
    assert credentials[0].verdict.reason == (
        f"the status list at {BASE_URL}status/revocation-1.json cannot be used: it is larger"
        " than 5,000,000 bytes, more than any badge"
    )
    assert exit_status(reports) == 1
