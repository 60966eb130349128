"""The pure checks of hosted verification: hashing, origins, revocation, dates, verdict order."""

from __future__ import annotations

import datetime
import hashlib

import pytest

from badgepress.verify import ob2_checks as vc

NOW = datetime.datetime(2026, 11, 20, tzinfo=datetime.timezone.utc)
ISSUER = {"id": "https://badges.example.org/issuer.json"}


@pytest.mark.parametrize("algorithm", ["sha256", "md5"])
def test_hashed_recipient_matches_lowercased_email_plus_salt(algorithm):
    digest = hashlib.new(algorithm, b"jane@example.org" + b"NaCl").hexdigest()
    recipient = {
        "type": "email",
        "hashed": True,
        "salt": "NaCl",
        "identity": f"{algorithm}${digest}",
    }
    assert vc.check_recipient(recipient, " Jane@Example.ORG ").status == "pass"
    assert vc.check_recipient(recipient, "john@example.org").verdict == "wrong_recipient"


def test_unhashed_recipient_compares_emails_case_insensitively():
    recipient = {"type": "email", "hashed": False, "identity": "Jane@Example.org"}
    assert vc.check_recipient(recipient, "jane@example.org").status == "pass"


def test_recipient_is_skipped_without_an_email():
    assert vc.check_recipient({"identity": "sha256$00"}, None).status == "skip"


def test_assertion_on_the_issuer_host_passes_the_default_origin_policy():
    url = "https://badges.example.org/assertions/a.json"
    assert vc.check_origin(url, ISSUER).status == "pass"
    assert vc.check_origin("https://evil.example/a.json", ISSUER).failed
    # Same host, other port: another origin.
    assert vc.check_origin("https://badges.example.org:8443/a.json", ISSUER).failed


def test_starts_with_policy_limits_assertions_to_a_path():
    issuer = {**ISSUER, "verification": {"startsWith": "https://badges.example.org/assertions/"}}
    assert vc.check_origin("https://badges.example.org/assertions/a.json", issuer).status == "pass"
    assert vc.check_origin("https://badges.example.org/uploads/a.json", issuer).failed


def test_allowed_origins_admit_other_hosts():
    issuer = {**ISSUER, "verification": {"allowedOrigins": ["cdn.example.net"]}}
    assert vc.check_origin("https://cdn.example.net/a.json", issuer).status == "pass"
    assert vc.check_origin("https://badges.example.org/a.json", issuer).failed


def test_revocation_list_entry_carries_its_reason():
    url = "https://badges.example.org/assertions/a.json"
    listed = {"revokedAssertions": [{"id": url, "revocationReason": "fraud"}]}
    check = vc.check_revocation_list(url, listed)
    assert (check.verdict, check.message) == ("revoked", "revoked: fraud")
    assert vc.check_revocation_list(url, {"revokedAssertions": [url]}).failed
    assert vc.check_revocation_list(url, {"revokedAssertions": []}).status == "pass"


def test_dates_flag_future_issue_and_past_expiry():
    checks = vc.check_dates({"issuedOn": "2030-01-01T00:00:00Z", "expires": "2026-01-01"}, NOW)
    assert [c.verdict for c in checks if c.failed] == ["invalid", "expired"]
    ok = vc.check_dates({"issuedOn": 1700000000, "expires": "2027-01-01T00:00:00+02:00"}, NOW)
    assert not any(c.failed for c in ok)


def test_document_id_must_be_its_url():
    doc = {"id": "https://x/a.json", "type": "Assertion", "recipient": {}, "badge": "b"}
    checks = vc.check_document(doc, "https://y/a.json", "Assertion")
    assert [c.name for c in checks if c.failed] == ["assertion fields", "assertion id"]


def test_definitive_failures_outrank_could_not_check():
    checks = [
        vc.Check("a", "fail", "down", "unreachable"),
        vc.failed("b", "expired", "expired"),
        vc.failed("c", "revoked: x", "revoked"),
    ]
    assert vc.verdict_of(checks).label == "Revoked"
    assert vc.verdict_of(checks[:1]).exit_code == 2
    assert vc.verdict_of([vc.passed("a", "ok")]).exit_code == 0


def test_starts_with_alone_keeps_the_issuers_origin():
    # As the official validator: allowedOrigins still defaults to the issuer's authority.
    issuer = {**ISSUER, "verification": {"startsWith": "https://cdn.example.net/"}}
    assert vc.check_origin("https://cdn.example.net/a.json", issuer).failed


def test_email_hashed_verbatim_by_another_issuer_still_matches():
    digest = hashlib.sha256(b"Jane.Doe@Example.org" + b"s").hexdigest()
    recipient = {"type": "email", "hashed": True, "salt": "s", "identity": f"sha256${digest}"}
    assert vc.check_recipient(recipient, "Jane.Doe@Example.org").status == "pass"
