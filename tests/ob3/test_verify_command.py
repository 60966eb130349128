"""`badgepress verify` on Open Badges 3.0: credential JSON files, baked images and URLs.

The issuer's site is the signed example, read through an injected fetcher (did:web always
resolves over https to the real host, which tests cannot serve)."""

from __future__ import annotations

import json

import pytest
import yaml

from badgepress.openbadges.signing import SigningKey
from badgepress.verify.fetch import FetchError, Response
from badgepress.verify.verifier import verify
from tests.ob3.support import BASE_URL, signed_example
from tests.support import BUILD_TIME, REPO

RECIPIENTS = yaml.safe_load((REPO / "tests/fixtures/example-recipients.yaml").read_text())
VALID, REVOKED, EXPIRED = "3vctppvnp5jq", "huxycukru2y4", "34w3muptens9"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return signed_example(tmp_path_factory.mktemp("verify3") / "repo", SigningKey.generate())


def _fetcher(site):
    def fetch(url: str) -> Response:
        if not url.startswith(BASE_URL) or not (site / url[len(BASE_URL) :]).is_file():
            raise FetchError(url, f"HTTP 404 for {url}", 404)
        return Response(url, url, "application/json", (site / url[len(BASE_URL) :]).read_bytes())

    return fetch


def _report(site, target, email=None):
    return verify(str(target), email, BUILD_TIME, _fetcher(site))


def test_credential_file_with_its_email_is_valid(site):
    report = _report(site, site / f"assertions/{VALID}.credential.json", RECIPIENTS[VALID])
    assert report.verdict.code == "valid", report.as_text()
    names = [c.name for c in report.checks]
    assert names == [
        "issuer key (did:web)",
        "signature (eddsa-rdfc-2022)",
        "dates",
        "status list",
        "recipient",
    ]
    assert report.badge["openBadgesVersion"] == "3.0"


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_image_baked_with_the_credential_is_valid(site, fmt):
    assertion_id = next(
        a
        for a in sorted(RECIPIENTS)
        if (site / f"assertions/{a}.{fmt}").exists() and a not in (REVOKED, EXPIRED)
    )
    report = _report(
        site, site / f"assertions/{assertion_id}.credential.{fmt}", RECIPIENTS[assertion_id]
    )
    assert report.verdict.code == "valid", report.as_text()


def test_credential_url_is_valid(site):
    report = _report(site, f"{BASE_URL}assertions/{VALID}.credential.json")
    assert report.verdict.code == "valid", report.as_text()


def test_revoked_expired_and_wrong_email_get_their_verdicts(site):
    assert _report(site, site / f"assertions/{REVOKED}.credential.json").verdict.code == "revoked"
    assert _report(site, site / f"assertions/{EXPIRED}.credential.json").verdict.code == "expired"
    wrong = _report(site, site / f"assertions/{VALID}.credential.json", "someone@example.org")
    assert wrong.verdict.code == "wrong_recipient"


def test_tampered_credential_is_not_valid(site, tmp_path):
    document = json.loads((site / f"assertions/{VALID}.credential.json").read_text())
    document["validUntil"] = "2099-01-01T00:00:00Z"
    path = tmp_path / "tampered.json"
    path.write_text(json.dumps(document))
    report = _report(site, path)
    assert report.verdict.code == "invalid"
    assert any(c.name.startswith("signature") and c.failed for c in report.checks)


def test_unreachable_issuer_cannot_be_checked(site):
    def offline(url):
        raise FetchError(url, "connection refused")

    report = verify(str(site / f"assertions/{VALID}.credential.json"), None, BUILD_TIME, offline)
    assert report.verdict.code == "unreachable"
