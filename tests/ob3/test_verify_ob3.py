"""badgepress's own Open Badges 3.0 verifier on small in-memory sites (fetch injected)."""

from __future__ import annotations

import datetime
import json

import pytest

from badgepress.openbadges import ob3
from badgepress.openbadges.baking import NotABadge
from badgepress.openbadges.signing import SigningKey, sign_document
from badgepress.verify.ob3 import credential_in_image, verify_credential
from tests.unit.test_ob3 import ASSERTION, CONFIG, CREDENTIAL, URLS

DID = CONFIG.signing.did
NOW = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)


def _site(key: SigningKey, revoked=(), listed_keys=None, list_issuer=DID, list_key=None):
    """(credential, fetch) for one signed credential and its DID document and status list."""
    method = ob3.verification_method_id(DID, key.public_multibase)
    index = ob3.status_index(ASSERTION.id)
    credential = sign_document(
        ob3.credential_document(ASSERTION, CREDENTIAL, CONFIG, URLS, index),
        key,
        method,
        "2026-01-02T00:00:00Z",
    )
    signer = list_key or key
    status_list = sign_document(
        ob3.status_list_document(list_issuer, URLS, revoked, "2026-01-02T00:00:00Z"),
        signer,
        ob3.verification_method_id(list_issuer, signer.public_multibase),
        "2026-01-02T00:00:00Z",
    )
    files = {
        "https://badges.example.org/.well-known/did.json": ob3.did_document(
            DID, listed_keys or [key.public_multibase]
        ),
        URLS.status_list_id: status_list,
    }

    def fetch(url: str) -> bytes:
        if url not in files:
            raise OSError(f"404 {url}")
        return json.dumps(files[url]).encode()

    return credential, fetch


def test_valid_credential_passes_every_check():
    credential, fetch = _site(SigningKey.generate())
    report = verify_credential(credential, fetch, NOW)
    assert report.valid, report.errors
    assert report.checks == {"did": True, "proof": True, "dates": True, "status": True}


def test_revoked_credential_fails_on_its_status_bit():
    credential, fetch = _site(SigningKey.generate(), revoked=[ob3.status_index(ASSERTION.id)])
    report = verify_credential(credential, fetch, NOW)
    assert report.checks["status"] is False and report.checks["proof"] is True
    assert "revoked" in report.errors[0]


@pytest.mark.parametrize(
    ("now", "message"),
    [
        (datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc), "not valid before"),
        (datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc), "expired on"),
    ],
)
def test_credential_outside_its_validity_period_fails(now, message):
    credential, fetch = _site(SigningKey.generate())
    report = verify_credential(credential, fetch, now)
    assert report.checks["dates"] is False
    assert any(message in e for e in report.errors)


def test_key_missing_from_the_did_document_fails():
    credential, fetch = _site(
        SigningKey.generate(), listed_keys=[SigningKey.generate().public_multibase]
    )
    report = verify_credential(credential, fetch, NOW)
    assert report.checks["did"] is False and not report.valid


def test_status_list_signed_by_someone_else_fails():
    stranger = SigningKey.generate()
    credential, fetch = _site(SigningKey.generate(), list_key=stranger)
    report = verify_credential(credential, fetch, NOW)
    assert report.checks["status"] is False


def test_unreachable_did_document_fails_without_raising():
    credential, _ = _site(SigningKey.generate())
    report = verify_credential(
        credential, lambda url: (_ for _ in ()).throw(OSError("offline")), NOW
    )
    assert not report.valid and report.checks["did"] is False


def test_credential_with_its_proof_as_one_object_verifies_as_wallets_hold_it():
    credential, fetch = _site(SigningKey.generate())
    assert isinstance(credential["proof"], list)
    (credential["proof"],) = credential["proof"]  # the form credentials issued earlier carry
    report = verify_credential(credential, fetch, NOW)
    assert report.valid, report.errors


def test_every_proof_of_a_proof_set_must_verify():
    key = SigningKey.generate()
    credential, fetch = _site(key)
    (proof,) = credential["proof"]
    forged = {**proof, "proofValue": "z" + "1" * 86}
    credential["proof"] = [proof, forged]
    report = verify_credential(credential, fetch, NOW)
    assert report.checks["proof"] is False


def test_unsigned_credential_fails():
    credential, fetch = _site(SigningKey.generate())
    del credential["proof"]
    assert verify_credential(credential, fetch, NOW).checks["proof"] is False


def test_image_without_a_credential_is_not_a_badge():
    with pytest.raises(NotABadge):
        credential_in_image(b'<svg xmlns="http://www.w3.org/2000/svg"></svg>')


def _counting(fetch):
    """`fetch`, and the list of URLs it was asked for, in order."""
    fetched: list[str] = []

    def counted(url: str) -> bytes:
        fetched.append(url)
        return fetch(url)

    return counted, fetched


def test_thousands_of_proofs_are_refused_before_any_is_checked():
    credential, site_fetch = _site(SigningKey.generate())
    fetch, fetched = _counting(site_fetch)
    credential["proof"] = credential["proof"] * 3000
    report = verify_credential(credential, fetch, NOW)
    assert report.failures["proof"] == (
        "the credential carries 3,000 proofs; badgepress checks at most 8"
        " (a proof set holds one proof per signer)",
        "unsupported",
    )
    assert fetched == [URLS.status_list_id, "https://badges.example.org/.well-known/did.json"]


def test_a_proof_set_fetches_the_did_document_once():
    credential, site_fetch = _site(SigningKey.generate())
    fetch, fetched = _counting(site_fetch)
    credential["proof"] = credential["proof"] * 8
    report = verify_credential(credential, fetch, NOW)
    assert report.valid, report.errors
    assert sorted(fetched) == [
        "https://badges.example.org/.well-known/did.json",
        URLS.status_list_id,
    ]


def test_a_member_no_context_defines_makes_the_credential_not_valid():
    key = SigningKey.generate()
    credential, fetch = _site(key)
    unsigned = {k: v for k, v in credential.items() if k != "proof"}
    unsigned["credentialSubject"]["badgepressUndefinedTerm"] = "says anything, unsigned"
    method = ob3.verification_method_id(DID, key.public_multibase)
    signed = sign_document(unsigned, key, method, "2026-01-02T00:00:00Z")
    report = verify_credential(signed, fetch, NOW)
    assert report.failures["proof"] == (
        'the credential has a member no @context defines ("badgepressUndefinedTerm"): JSON-LD'
        " drops it, so the signature does not cover it",
        "invalid",
    )
