"""Verifying an Open Badges 3.0 credential: proof (did:web key), status list bit, dates.

Network access is injected (`fetch(url) -> bytes`), so `badgepress verify`, tests and a
site-local check can share this code.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from . import ob3
from .baking import PNG_SIGNATURE, NotABadge, unbake_png, unbake_svg_credential
from .signing import CRYPTOSUITE, proofs_of, verify_proof
from .urls import did_web_document_url

Fetch = Callable[[str], bytes]


@dataclass
class CredentialReport:
    """What was checked and what failed; `valid` only when nothing failed."""

    checks: dict[str, bool] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    # check name → (first message, verdict code for `badgepress verify`: 'invalid', 'revoked',
    # 'expired' or 'unreachable')
    failures: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors and all(self.checks.values())

    def ok(self, check: str) -> None:
        self.checks.setdefault(check, True)  # a failure of the same check is never undone

    def fail(self, check: str, message: str, reason: str = "invalid") -> None:
        self.checks[check] = False
        self.errors.append(message)
        self.failures.setdefault(check, (message, reason))


def verify_credential(
    document: dict, fetch: Fetch, now: datetime.datetime | None = None
) -> CredentialReport:
    """Verify a signed credential (OpenBadgeCredential or a status list) as of `now`."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    report = CredentialReport()
    _check_proof(document, fetch, report)
    _check_dates(document, now, report)
    status = document.get("credentialStatus")
    if status is not None:
        _check_status(document, status, fetch, now, report)
    return report


def credential_in_image(image: bytes) -> dict:
    """The signed credential baked into a PNG or SVG (OB 3.0 §5.3); NotABadge when absent."""
    if image.startswith(PNG_SIGNATURE):
        text = unbake_png(image, keyword=b"openbadgecredential")
    else:
        text = unbake_svg_credential(image)
    try:
        document = json.loads(text)
    except ValueError:
        raise NotABadge("the baked Open Badges 3.0 credential is not JSON") from None
    if not isinstance(document, dict):
        raise NotABadge("the baked Open Badges 3.0 credential is not a JSON object")
    return document


def issuer_id(document: dict) -> str | None:
    """The issuer's id, whether `issuer` is a string or a Profile object."""
    issuer = document.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def _check_proof(document: dict, fetch: Fetch, report: CredentialReport) -> None:
    # One proof object (as credentials already in wallets carry) or a proof set (a list, as
    # we emit): each eddsa-rdfc-2022 proof must verify, and there must be one.
    proofs = [p for p in proofs_of(document) if isinstance(p, dict)]
    if not proofs:
        report.fail("proof", "the credential carries no proof")
        return
    ours = [
        p
        for p in proofs
        if p.get("type") == "DataIntegrityProof" and p.get("cryptosuite") == CRYPTOSUITE
    ]
    if not ours:
        report.fail("proof", f"expected a DataIntegrityProof with {CRYPTOSUITE}")
        return
    for proof in ours:
        _check_one_proof(document, proof, fetch, report)


def _check_one_proof(document: dict, proof: dict, fetch: Fetch, report: CredentialReport) -> None:
    if proof.get("proofPurpose") != "assertionMethod":
        report.fail("proof", "the proof's purpose is not assertionMethod")
        return
    did = issuer_id(document) or ""
    method = proof.get("verificationMethod", "")
    if not did.startswith("did:web:") or not method.startswith(did + "#"):
        report.fail("proof", f"the key {method!r} does not belong to the issuer {did!r}")
        return
    key = _resolve_key(did, method, fetch, report)
    if key is None:
        return
    report.ok("did")
    if verify_proof(document, key, proof):
        report.ok("proof")
    else:
        report.fail("proof", "the signature does not match the credential (altered or wrong key)")


def _resolve_key(did: str, method: str, fetch: Fetch, report: CredentialReport) -> str | None:
    try:
        url = did_web_document_url(did)
        did_doc = json.loads(fetch(url))
    except (OSError, ValueError) as problem:
        report.fail("did", f"cannot read the DID document of {did}: {problem}", "unreachable")
        return None
    if not isinstance(did_doc, dict) or did_doc.get("id") != did:
        report.fail("did", f"the DID document at {url} is not the document of {did}")
        return None
    # did-core: a key may sign credentials only when listed under assertionMethod.
    if method not in [
        m if isinstance(m, str) else m.get("id") for m in did_doc.get("assertionMethod", [])
    ]:
        report.fail("did", f"{method} is not an assertion method of {did}")
        return None
    embedded = [m for m in did_doc.get("assertionMethod", []) if isinstance(m, dict)]
    for entry in [*did_doc.get("verificationMethod", []), *embedded]:
        if isinstance(entry, dict) and entry.get("id") == method:
            key = entry.get("publicKeyMultibase")
            if entry.get("type") == "Multikey" and isinstance(key, str):
                return key
    report.fail("did", f"{method} has no Multikey public key in the DID document")
    return None


def _check_dates(document: dict, now: datetime.datetime, report: CredentialReport) -> None:
    try:
        valid_from = _parse(document.get("validFrom"))
        valid_until = _parse(document.get("validUntil"))
    except ValueError:
        report.fail("dates", "validFrom or validUntil is not an ISO 8601 date-time")
        return
    if valid_from is not None and now < valid_from:
        report.fail("dates", f"not valid before {document['validFrom']}")
    elif valid_until is not None and now > valid_until:
        report.fail("dates", f"expired on {document['validUntil']}", "expired")
    else:
        report.ok("dates")


def _check_status(
    document: dict, status, fetch: Fetch, now: datetime.datetime, report: CredentialReport
) -> None:
    entries = status if isinstance(status, list) else [status]
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            report.fail(
                "status", "unsupported credentialStatus (expected BitstringStatusListEntry)"
            )
            continue
        url = entry.get("statusListCredential", "")
        try:
            index = int(entry.get("statusListIndex", ""))
            status_list = json.loads(fetch(url))
        except (OSError, ValueError) as problem:
            report.fail("status", f"cannot read the status list {url}: {problem}", "unreachable")
            continue
        list_report = verify_credential(status_list, fetch, now)
        if not list_report.valid:
            report.fail("status", f"the status list {url} does not verify: {list_report.errors}")
            continue
        if issuer_id(status_list) != issuer_id(document):
            report.fail("status", "the status list was issued by someone else")
            continue
        subject = status_list.get("credentialSubject", {})
        try:
            bits = ob3.decode_bitstring(subject.get("encodedList", ""))
            is_set = ob3.bit_is_set(bits, index)
        except (ValueError, OSError, IndexError, EOFError):
            report.fail("status", f"the status list {url} is malformed")
            continue
        purpose = entry.get("statusPurpose", "revocation")
        if is_set:
            said = "revoked" if purpose == "revocation" else f"marked for {purpose}"
            report.fail(
                "status",
                f"the issuer {said} this credential (status list bit {index})",
                "revoked" if purpose == "revocation" else "invalid",
            )
        else:
            report.ok("status")


def _parse(text) -> datetime.datetime | None:
    if text is None:
        return None
    if not isinstance(text, str):
        raise ValueError(text)
    value = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(text)
    return value


def is_credential(document: object) -> bool:
    """A W3C Verifiable Credential (Open Badges 3.0) rather than an OB 2.0 document."""
    if not isinstance(document, dict):
        return False
    types = document.get("type")
    return "VerifiableCredential" in (types if isinstance(types, list) else [types])


CHECK_NAMES = {
    "proof": "signature (eddsa-rdfc-2022)",
    "did": "issuer key (did:web)",
    "dates": "dates",
    "status": "status list",
}
PASSED = {
    "proof": "the credential is signed by the issuer's key and unaltered",
    "did": "the key is an assertion method in the issuer's DID document",
    "dates": "within validFrom / validUntil",
    "status": "not revoked in the issuer's signed status list",
}


def credential_checks(
    document: dict, fetch: Fetch, now: datetime.datetime, email: str | None
) -> tuple[list, dict]:
    """`badgepress verify`'s checks and badge summary for a 3.0 credential."""
    from . import verify_checks as vc  # the report format of `badgepress verify`

    report = verify_credential(document, fetch, now)
    checks = [
        vc.passed(CHECK_NAMES[name], PASSED[name])
        if ok
        else vc.failed(CHECK_NAMES[name], *report.failures[name])
        for name, ok in report.checks.items()
    ]
    subject = document.get("credentialSubject")
    subject = subject if isinstance(subject, dict) else {}
    identifiers = subject.get("identifier") or []
    identity = next(
        (i for i in identifiers if isinstance(i, dict) and i.get("identityType") == "emailAddress"),
        None,
    )
    recipient = (
        {
            "type": "email",
            "hashed": identity.get("hashed"),
            "salt": identity.get("salt"),
            "identity": identity.get("identityHash"),
        }
        if identity
        else None
    )
    checks.append(vc.check_recipient(recipient, email))
    achievement = subject.get("achievement") if isinstance(subject.get("achievement"), dict) else {}
    issuer = document.get("issuer")
    badge = {
        "name": achievement.get("name") or document.get("name"),
        "issuer": issuer.get("name") if isinstance(issuer, dict) else issuer,
        "openBadgesVersion": "3.0",
    }
    return checks, badge
