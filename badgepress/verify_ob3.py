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
from .signing import CRYPTOSUITE, verify_proof
from .urls import did_web_document_url

Fetch = Callable[[str], bytes]


@dataclass
class CredentialReport:
    """What was checked and what failed; `valid` only when nothing failed."""

    checks: dict[str, bool] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors and all(self.checks.values())

    def fail(self, check: str, message: str) -> None:
        self.checks[check] = False
        self.errors.append(message)


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
    proof = document.get("proof")
    if not isinstance(proof, dict):
        report.fail("proof", "the credential carries no proof")
        return
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        report.fail("proof", f"expected a DataIntegrityProof with {CRYPTOSUITE}")
        return
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
    report.checks["did"] = True
    if verify_proof(document, key):
        report.checks["proof"] = True
    else:
        report.fail("proof", "the signature does not match the credential (altered or wrong key)")


def _resolve_key(did: str, method: str, fetch: Fetch, report: CredentialReport) -> str | None:
    try:
        url = did_web_document_url(did)
        did_doc = json.loads(fetch(url))
    except (OSError, ValueError) as problem:
        report.fail("did", f"cannot read the DID document of {did}: {problem}")
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
        report.fail("dates", f"expired on {document['validUntil']}")
    else:
        report.checks["dates"] = True


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
            report.fail("status", f"cannot read the status list {url}: {problem}")
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
            report.fail("status", f"the issuer {said} this credential (status list bit {index})")
        else:
            report.checks["status"] = True


def _parse(text) -> datetime.datetime | None:
    if text is None:
        return None
    if not isinstance(text, str):
        raise ValueError(text)
    value = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(text)
    return value
