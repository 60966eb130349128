"""Verifying an Open Badges 3.0 credential: proof (did:web key), status list bit, dates.

Network access is injected (`fetch(url) -> bytes`, raising OSError when the URL cannot be
read: `Gone` when its server answers that nothing is there, `Unusable` when the answer or the
URL can be no badge document, `Refused` when badgepress will not fetch it; the error's text is
the reason, without the URL), so `badgepress verify`, tests and `badgepress verify --site` (a
local build, offline) share this code. Every failure message is a sentence for people: values
from the credential are written as JSON (`shown`), never as Python reprs or lists.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from ..openbadges import ob3
from ..openbadges.baking import PNG_SIGNATURE, NotABadge, unbake_png, unbake_svg_credential
from ..openbadges.signing import CRYPTOSUITE, UndefinedTerms, proofs_of, verify_proof
from ..urls import did_web_document_url
from . import ob2_checks as vc
from . import strict_json

Fetch = Callable[[str], bytes]

# Proofs checked on one credential. A proof set holds one proof per signer (Data Integrity
# §2.1.2), and a credential has one or two; each costs a canonicalization and a signature
# check, so a stranger's thousands are refused before any is checked.
MAX_PROOFS = 8


class Gone(OSError):
    """The server answered that nothing lives at the URL (HTTP 404 or 410): the issuer's own
    answer, so what needed the document is not valid (unlike a failure to reach the server)."""


class Unusable(OSError):
    """What the URL answered can be no badge document (larger than any), or the URL can never
    be fetched (malformed): an answer about the badge, so it is not valid."""


class Refused(OSError):
    """badgepress would not fetch the URL (its address policy, too many documents) or check
    what it answered (too large to canonicalize): the badge could not be checked."""


@dataclass
class Checked:
    """What one run has fetched and checked already, by URL: a run that checks many credentials
    of one issuer (`verify --site`) fetches each DID document once and fetches and checks each
    status list (its signature, its bits) once. The run's `now` is the same for all of them."""

    did_documents: dict[tuple[str, str], dict | tuple[str, str]] = field(default_factory=dict)
    status_lists: dict[str, _StatusList] = field(default_factory=dict)


@dataclass(frozen=True)
class _StatusList:
    """A status list as checked: its failure (message, verdict code), or its issuer and bits."""

    failure: tuple[str, str] | None = None
    issuer: str | None = None
    bits: bytes = b""


@dataclass
class CredentialReport:
    """What was checked and what failed; `valid` only when nothing failed."""

    checks: dict[str, bool] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    # check name → (first message, verdict code for `badgepress verify`: 'invalid', 'revoked',
    # 'expired', 'unreachable' or 'unsupported')
    failures: dict[str, tuple[str, str]] = field(default_factory=dict)
    # checks that could not run because another failed first: name → why
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors and all(self.checks.values())

    def ok(self, check: str) -> None:
        self.checks.setdefault(check, True)  # a failure of the same check is never undone

    def fail(self, check: str, message: str, reason: str = "invalid") -> None:
        self.checks[check] = False
        self.errors.append(message)
        self.failures.setdefault(check, (message, reason))

    def skip(self, check: str, why: str) -> None:
        if check not in self.checks:
            self.skipped.setdefault(check, why)

    @property
    def first_failure(self) -> tuple[str, str]:
        """(message, verdict code) of the most decisive failure (verify_checks.VERDICTS order)."""
        order = list(vc.VERDICTS)
        return min(self.failures.values(), key=lambda failure: order.index(failure[1]))


def verify_credential(
    document: dict,
    fetch: Fetch,
    now: datetime.datetime | None = None,
    checked: Checked | None = None,
) -> CredentialReport:
    """Verify a signed credential (OpenBadgeCredential or a status list) as of `now`;
    `checked`: what this run already fetched and checked (a new run's by default)."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    checked = checked if checked is not None else Checked()
    report = CredentialReport()
    _check_proof(document, fetch, report, checked)
    _check_dates(document, now, report)
    status = document.get("credentialStatus")
    if status is not None:
        _check_status(document, status, fetch, now, report, checked)
    return report


def credential_in_image(image: bytes) -> dict:
    """The signed credential baked into a PNG or SVG (OB 3.0 §5.3); NotABadge when absent."""
    if image.startswith(PNG_SIGNATURE):
        text = unbake_png(image, keyword=b"openbadgecredential")
    else:
        text = unbake_svg_credential(image)
    try:
        document = strict_json.loads(text)
    except ValueError:
        raise NotABadge("the baked Open Badges 3.0 credential is not JSON") from None
    if not isinstance(document, dict):
        raise NotABadge("the baked Open Badges 3.0 credential is not a JSON object")
    return document


def issuer_id(document: dict) -> str | None:
    """The issuer's id, whether `issuer` is a string or a Profile object."""
    issuer = document.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def _check_proof(document: dict, fetch: Fetch, report: CredentialReport, checked: Checked) -> None:
    # One proof object (as credentials already in wallets carry) or a proof set (a list, as
    # we emit): each eddsa-rdfc-2022 proof must verify, and there must be one.
    proofs = proofs_of(document)
    if len(proofs) > MAX_PROOFS:
        report.fail(
            "proof",
            f"the credential carries {len(proofs):,} proofs; badgepress checks at most"
            f" {MAX_PROOFS} (a proof set holds one proof per signer)",
            "unsupported",
        )
        return
    proofs = [p for p in proofs if isinstance(p, dict)]
    if not proofs:
        report.fail("proof", "the credential carries no proof")
        return
    ours = [
        p
        for p in proofs
        if p.get("type") == "DataIntegrityProof" and p.get("cryptosuite") == CRYPTOSUITE
    ]
    if not ours:
        found = ", ".join(
            f"{vc.shown(p.get('type'))} with cryptosuite {vc.shown(p.get('cryptosuite'))}"
            for p in proofs
        )
        report.fail(
            "proof",
            f"the proof is not one this verifier can check (a DataIntegrityProof with"
            f" {CRYPTOSUITE}); found {found}",
            "unsupported",
        )
        return
    for proof in ours:
        _check_one_proof(document, proof, fetch, report, checked)


def _check_one_proof(
    document: dict, proof: dict, fetch: Fetch, report: CredentialReport, checked: Checked
) -> None:
    if proof.get("proofPurpose") != "assertionMethod":
        report.fail(
            "proof",
            f"the proof's purpose is {vc.shown(proof.get('proofPurpose'))}; a credential must be"
            ' signed for "assertionMethod"',
        )
        return
    did = issuer_id(document)
    method = proof.get("verificationMethod")
    if not isinstance(did, str) or not did.startswith("did:web:"):
        report.fail(
            "did",
            f"the issuer {vc.shown(did)} is not a did:web identifier, the only kind checked here",
            "unsupported",
        )
        report.skip("proof", "not checked without the issuer's key")
        return
    if not isinstance(method, str) or not method.startswith(did + "#"):
        report.fail(
            "proof", f"the proof's key {vc.shown(method)} does not belong to the issuer {did}"
        )
        return
    key = _resolve_key(did, method, fetch, report, checked)
    if key is None:
        report.skip("proof", "not checked without the issuer's key")
        return
    report.ok("did")
    try:
        verified = verify_proof(document, key, proof)
    except UndefinedTerms as undefined:
        report.fail("proof", _undefined_terms_message(undefined.terms))
        return
    if verified:
        report.ok("proof")
    else:
        report.fail(
            "proof",
            "the signature does not match the credential: it was altered after signing, or"
            " signed with another key",
        )


def _undefined_terms_message(terms: list[str]) -> str:
    """Why a credential with members its contexts do not define is refused (JSON-LD 1.1 safe
    mode): expansion drops them, so the signature does not cover what they say."""
    named = ", ".join(vc.shown(t) for t in terms[:5])
    if len(terms) > 5:
        named += f" and {len(terms) - 5:,} more"
    if len(terms) == 1:
        return (
            f"the credential has a member no @context defines ({named}): JSON-LD drops it, so"
            " the signature does not cover it"
        )
    return (
        f"the credential has members no @context defines ({named}): JSON-LD drops them, so"
        " the signature does not cover them"
    )


def _resolve_key(
    did: str, method: str, fetch: Fetch, report: CredentialReport, checked: Checked
) -> str | None:
    try:
        url = did_web_document_url(did)
    except ValueError:
        report.fail("did", f"the issuer {vc.shown(did)} is not a well-formed did:web identifier")
        return None
    if (did, url) not in checked.did_documents:
        checked.did_documents[did, url] = _did_document(did, url, fetch)
    did_doc = checked.did_documents[did, url]
    if isinstance(did_doc, tuple):
        report.fail("did", *did_doc)
        return None
    # did-core: a key may sign credentials only when listed under assertionMethod.
    methods = did_doc.get("assertionMethod")
    methods = methods if isinstance(methods, list) else []
    if method not in [m if isinstance(m, str) else _id(m) for m in methods]:
        report.fail("did", f"the key {method} is not an assertion method of {did}")
        return None
    listed = did_doc.get("verificationMethod")
    listed = listed if isinstance(listed, list) else []
    for entry in [*listed, *(m for m in methods if isinstance(m, dict))]:
        if isinstance(entry, dict) and entry.get("id") == method:
            key = entry.get("publicKeyMultibase")
            if entry.get("type") == "Multikey" and isinstance(key, str):
                return key
    report.fail("did", f"the key {method} has no Multikey public key in the DID document of {did}")
    return None


def _did_document(did: str, url: str, fetch: Fetch) -> dict | tuple[str, str]:
    """The DID document of `did` at `url`, or why not: (message, verdict code)."""
    body = _fetch(fetch, url, "DID document")
    if isinstance(body, tuple):
        return body
    try:
        did_doc = strict_json.loads(body)
    except ValueError:
        return f"the DID document at {url} is not JSON", "invalid"
    if not isinstance(did_doc, dict) or did_doc.get("id") != did:
        return f"the document at {url} is not the DID document of {did}", "invalid"
    return did_doc


def _fetch(fetch: Fetch, url: str, what: str) -> bytes | tuple[str, str]:
    """The document at `url`, or why it could not be had: (message, verdict code)."""
    try:
        return fetch(url)
    except Gone as problem:
        return f"the issuer's site has no {what} at {url} ({_reason(problem)})", "invalid"
    except Unusable as problem:
        return f"the {what} at {url} cannot be used: {_reason(problem)}", "invalid"
    except Refused as problem:
        return f"did not check the {what} {url}: {_reason(problem)}", "unsupported"
    except OSError as problem:
        return f"could not fetch the {what} {url}: {_reason(problem)}", "unreachable"


def _reason(problem: OSError) -> str:
    return problem.strerror or str(problem)


def _id(value) -> str | None:
    return value.get("id") if isinstance(value, dict) else None


def _check_dates(document: dict, now: datetime.datetime, report: CredentialReport) -> None:
    try:
        valid_from = _parse(document.get("validFrom"))
        valid_until = _parse(document.get("validUntil"))
    except ValueError:
        report.fail(
            "dates",
            "validFrom or validUntil is not a date and time with a time zone (ISO 8601);"
            f" found {vc.shown(document.get('validFrom'))} and {vc.shown(document.get('validUntil'))}",
        )
        return
    if valid_from is not None and now < valid_from:
        report.fail("dates", f"not valid before {document['validFrom']}")
    elif valid_until is not None and now > valid_until:
        report.fail("dates", f"expired on {document['validUntil']}", "expired")
    else:
        report.ok("dates")


def _check_status(
    document: dict,
    status,
    fetch: Fetch,
    now: datetime.datetime,
    report: CredentialReport,
    checked: Checked,
) -> None:
    entries = status if isinstance(status, list) else [status]
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            found = entry.get("type") if isinstance(entry, dict) else entry
            report.fail(
                "status",
                f"the credential's status is a {vc.shown(found)}; only a BitstringStatusListEntry"
                " can be checked here",
                "unsupported",
            )
            continue
        _check_status_entry(document, entry, fetch, now, report, checked)


def _check_status_entry(
    document: dict,
    entry: dict,
    fetch: Fetch,
    now: datetime.datetime,
    report: CredentialReport,
    checked: Checked,
) -> None:
    url = entry.get("statusListCredential")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        report.fail("status", f"the status list's address {vc.shown(url)} is not an http(s) URL")
        return
    raw_index = entry.get("statusListIndex")
    # Bitstring Status List §2.1: statusListIndex is a string holding a non-negative integer.
    if not isinstance(raw_index, str) or not raw_index.isdigit():
        report.fail("status", f"the statusListIndex {vc.shown(raw_index)} is not a whole number")
        return
    index = int(raw_index)
    if url not in checked.status_lists:
        checked.status_lists[url] = _status_list(url, fetch, now, checked)
    status_list = checked.status_lists[url]
    if status_list.failure is not None:
        report.fail("status", *status_list.failure)
        return
    if status_list.issuer != issuer_id(document):
        report.fail(
            "status",
            f"the status list {url} was issued by {vc.shown(status_list.issuer)}, not by the"
            f" credential's issuer {vc.shown(issuer_id(document))}",
        )
        return
    bits = status_list.bits
    if index >= len(bits) * 8:
        report.fail(
            "status",
            f"status list bit {index} is beyond the end of the list {url}"
            f" ({len(bits) * 8:,} entries)",
        )
        return
    purpose = entry.get("statusPurpose", "revocation")
    if ob3.bit_is_set(bits, index):
        said = "revoked" if purpose == "revocation" else f"marked for {purpose}"
        report.fail(
            "status",
            f"the issuer {said} this credential (status list bit {index})",
            "revoked" if purpose == "revocation" else "invalid",
        )
    else:
        report.ok("status")


def _status_list(url: str, fetch: Fetch, now: datetime.datetime, checked: Checked) -> _StatusList:
    """The status list at `url`, fetched, verified as a credential and decoded, once a run."""
    body = _fetch(fetch, url, "status list")
    if isinstance(body, tuple):
        return _StatusList(failure=body)
    try:
        status_list = strict_json.loads(body)
    except ValueError:
        return _StatusList(failure=(f"the status list at {url} is not JSON", "invalid"))
    if not isinstance(status_list, dict):
        return _StatusList(failure=(f"the status list at {url} is not a JSON object", "invalid"))
    list_report = verify_credential(status_list, fetch, now, checked)
    if not list_report.valid:
        message, reason = list_report.first_failure
        if reason in ("unreachable", "unsupported"):
            return _StatusList(
                failure=(f"could not check the status list {url}: {message}", reason)
            )
        return _StatusList(failure=(f"the status list {url} does not verify: {message}", "invalid"))
    subject = status_list.get("credentialSubject")
    encoded = subject.get("encodedList") if isinstance(subject, dict) else None
    try:
        bits = ob3.decode_bitstring(encoded if isinstance(encoded, str) else "")
    except (ValueError, OSError, EOFError):
        message = (
            f"the status list {url} is malformed: its encodedList is not GZIP'd multibase base64url"
        )
        return _StatusList(failure=(message, "invalid"))
    return _StatusList(issuer=issuer_id(status_list), bits=bits)


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


CHECK_NAMES = {  # in the order `badgepress verify` reports them
    "did": "issuer key (did:web)",
    "proof": "signature (eddsa-rdfc-2022)",
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
    document: dict,
    fetch: Fetch,
    now: datetime.datetime,
    email: str | None,
    checked: Checked | None = None,
) -> tuple[list, dict]:
    """`badgepress verify`'s checks and badge summary for a 3.0 credential."""
    report = verify_credential(document, fetch, now, checked)
    checks = []
    for name, label in CHECK_NAMES.items():  # always in this order
        if name in report.checks:
            ok = report.checks[name]
            checks.append(
                vc.passed(label, PASSED[name]) if ok else vc.failed(label, *report.failures[name])
            )
        elif name in report.skipped:
            checks.append(vc.skipped(label, report.skipped[name]))
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
