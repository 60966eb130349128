"""The checks of Open Badges 2.0 hosted verification, one function each. Pure: documents in, Checks out.

Spec: https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html (Verification).
The browser's verify page (themes/default/assets/verify.js) runs the same checks in the same order.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

# Verdict codes, most decisive first: when several checks fail, the first code in this list wins.
# Definitive answers ("this badge is not valid, because ...") outrank "could not check".
VERDICTS = {
    "not_a_badge": ("Not a badge", 1),
    "invalid": ("Not valid", 1),
    "revoked": ("Revoked", 1),
    "expired": ("Expired", 1),
    "wrong_recipient": ("Not issued to this email", 1),
    "unreachable": ("Could not reach the issuer", 2),
    "unsupported": ("Could not check", 2),
    "valid": ("Valid", 0),
}

# OB 2.0 required properties per class (the Assertion, BadgeClass and Profile data model tables).
REQUIRED = {
    "Assertion": ("id", "type", "recipient", "badge", "verification", "issuedOn"),
    "BadgeClass": ("id", "type", "name", "description", "image", "criteria", "issuer"),
    "Issuer": ("id", "type", "name", "url", "email"),
}
TYPES = {
    "Assertion": ("Assertion",),
    "BadgeClass": ("BadgeClass",),
    "Issuer": ("Issuer", "Profile"),
}


@dataclass(frozen=True)
class Check:
    """One line of the report: `status` is 'pass', 'fail' or 'skip'; a failure points at a verdict."""

    name: str
    status: str
    message: str
    verdict: str = "invalid"

    @property
    def failed(self) -> bool:
        return self.status == "fail"


@dataclass(frozen=True)
class Verdict:
    """The one answer: a code from VERDICTS, its label, why, and the exit status."""

    code: str
    label: str
    reason: str
    exit_code: int


def passed(name: str, message: str) -> Check:
    return Check(name, "pass", message)


def failed(name: str, message: str, verdict: str = "invalid") -> Check:
    return Check(name, "fail", message, verdict)


def skipped(name: str, message: str) -> Check:
    return Check(name, "skip", message)


def verdict_of(checks: Iterable[Check]) -> Verdict:
    """The most decisive failure, or Valid when nothing failed."""
    failures = [c for c in checks if c.failed]
    order = list(VERDICTS)
    if not failures:
        label, exit_code = VERDICTS["valid"]
        return Verdict("valid", label, "every check passed", exit_code)
    worst = min(failures, key=lambda c: order.index(c.verdict))
    label, exit_code = VERDICTS[worst.verdict]
    return Verdict(worst.verdict, label, worst.message, exit_code)


def shown(value: object) -> str:
    """A stranger's value in a message, written as JSON (the browser's verifier writes the same)."""
    return (
        "nothing" if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    )


def parse_datetime(value: object) -> datetime.datetime | None:
    """An OB 2.0 DateTime (ISO 8601, or a Unix timestamp); no zone means UTC. None if unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            return datetime.datetime.fromtimestamp(value, datetime.timezone.utc)
        except (OverflowError, ValueError, OSError):  # 1e300, NaN: no year Python can hold
            return None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed


def id_of(value: object) -> str | None:
    """A linked document's URL: the string itself or an embedded object's `id`."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    return None


def _as_list(value: object) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def missing_fields(doc: dict, kind: str) -> list[str]:
    """The OB 2.0 required properties of `kind` that `doc` lacks (or leaves empty)."""
    return [key for key in REQUIRED[kind] if doc.get(key) in (None, "", [], {})]


def check_document(doc: dict, url: str, kind: str, aliases: Iterable[str] = ()) -> list[Check]:
    """Required properties and type of an Assertion/BadgeClass/Issuer, and id == the URL it came from."""
    label = {"Assertion": "assertion", "BadgeClass": "badge class", "Issuer": "issuer"}[kind]
    checks = []
    missing = missing_fields(doc, kind)
    types = [t.rsplit(":", 1)[-1] for t in _as_list(doc.get("type")) if isinstance(t, str)]
    if missing:
        checks.append(failed(f"{label} fields", f"{url} lacks {', '.join(missing)}"))
    elif not any(t in TYPES[kind] for t in types):
        found = ", ".join(types) or "nothing"
        checks.append(
            failed(
                f"{label} fields", f"{url} has type {found}, expected {' or '.join(TYPES[kind])}"
            )
        )
    else:
        checks.append(passed(f"{label} fields", f"{label} has every required field"))
    # OB 2.0 hosted verification: a document's id is the URL it is hosted at, so a copy served
    # elsewhere (or an edited id) cannot pass for the issuer's record.
    doc_id = doc.get("id")
    if doc_id == url or (doc_id is not None and doc_id in aliases):
        checks.append(passed(f"{label} id", f"id is the URL it was fetched from: {url}"))
    else:
        checks.append(failed(f"{label} id", f"{label} id {shown(doc_id)} is not its URL {url}"))
    return checks


def check_baked_url(baked: str | None, assertion_url: str) -> Check:
    """The URL baked into an image is the assertion's id."""
    if baked is None:
        return skipped("baked URL", "no image given")
    if baked == assertion_url:
        return passed("baked URL", "the image carries the assertion's URL")
    return failed(
        "baked URL", f"the image carries {baked}, but the assertion's id is {assertion_url}"
    )


def _origin(url: str) -> str:
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:  # "http://[::1": not a URL, so no origin
        return ""


def _hostname(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def check_origin(assertion_url: str, issuer: dict) -> Check:
    """OB 2.0 VerificationObject: the assertion lives on the issuer's host, or where it allows."""
    name = "issuer origin"
    policy = issuer.get("verification") if isinstance(issuer.get("verification"), dict) else {}
    starts = [s for s in _as_list(policy.get("startsWith")) if isinstance(s, str)]
    allowed = [o.lower() for o in _as_list(policy.get("allowedOrigins")) if isinstance(o, str)]
    # As the official validator does: allowedOrigins defaults to the issuer id's authority
    # (host and port), and startsWith, when given, must hold as well.
    origins = allowed or [_origin(str(issuer.get("id", "")))]
    host = _origin(assertion_url)
    if starts and not any(assertion_url.startswith(s) for s in starts):
        return failed(name, f"{assertion_url} does not start with {' or '.join(starts)}")
    # An explicit allowedOrigins entry may name just the host ("the host registered name").
    names = {host, _hostname(assertion_url)} if allowed else {host}
    if not names & set(origins):
        return failed(
            name,
            f"the assertion is hosted on {host}, but the issuer allows only {', '.join(origins)}",
        )
    return passed(name, f"the assertion is hosted where the issuer allows ({host})")


def check_recipient(recipient: object, email: str | None) -> Check:
    """The recipient identity is this email: OB 2.0 hashes are 'sha256$'/'md5$' + hex(hash(email + salt))."""
    name = "recipient"
    if email is None:
        return skipped(name, "no email given: not checked who the badge was issued to")
    if not isinstance(recipient, dict) or not isinstance(recipient.get("identity"), str):
        return failed(name, "the assertion has no recipient identity")
    kind = recipient.get("type", "email")
    if kind != "email":
        return failed(name, f"the badge was issued to a {kind}, not an email address")
    identity, salt = recipient["identity"], recipient.get("salt") or ""
    # Emails compare lowercased (badgepress hashes them so); the address as typed is tried too,
    # for issuers that hashed it verbatim.
    candidates = dict.fromkeys((email.strip().lower(), email.strip()))
    if recipient.get("hashed") is True or "$" in identity:
        algorithm, _, digest = identity.partition("$")
        if algorithm.lower() not in ("sha256", "md5"):
            return Check(name, "fail", f"unknown recipient hash {shown(algorithm)}", "unsupported")
        # surrogatepass: an address typed on a command line may hold undecodable bytes.
        matches = any(
            hashlib.new(
                algorithm.lower(), (c + str(salt)).encode("utf-8", "surrogatepass")
            ).hexdigest()
            == digest.lower()
            for c in candidates
        )
    else:
        matches = identity.strip().lower() == email.strip().lower()
    if matches:
        return passed(name, "issued to this email address")
    return failed(name, "the badge was not issued to this email address", "wrong_recipient")


def check_revoked_assertion(assertion: dict) -> Check:
    """OB 2.0: a revoked hosted assertion answers with revoked: true and a revocationReason."""
    if assertion.get("revoked") is True:
        return failed("not revoked", _revoked_message(assertion.get("revocationReason")), "revoked")
    return passed("not revoked", "the assertion is not marked revoked")


def check_revocation_list(assertion_url: str, revocations: dict | None) -> Check:
    """The issuer's RevocationList does not name this assertion."""
    name = "revocation list"
    if revocations is None:
        return skipped(name, "the issuer publishes no revocation list")
    for entry in _as_list(revocations.get("revokedAssertions")):
        entry_id = id_of(entry)
        if entry_id == assertion_url:
            reason = entry.get("revocationReason") if isinstance(entry, dict) else None
            return failed(name, _revoked_message(reason), "revoked")
    return passed(name, "not on the issuer's revocation list")


def _revoked_message(reason: object) -> str:
    return f"revoked: {reason}" if isinstance(reason, str) and reason.strip() else "revoked"


def check_dates(assertion: dict, now: datetime.datetime) -> list[Check]:
    """issuedOn is a date not in the future; expires, when present, is still ahead."""
    checks = []
    issued = parse_datetime(assertion.get("issuedOn"))
    if issued is None:
        checks.append(
            failed("issued on", f"issuedOn {shown(assertion.get('issuedOn'))} is not a date")
        )
    elif issued > now:
        checks.append(failed("issued on", f"issued in the future ({issued:%Y-%m-%d})"))
    else:
        checks.append(passed("issued on", f"issued {issued:%Y-%m-%d}"))
    if "expires" not in assertion:
        checks.append(passed("not expired", "the badge does not expire"))
        return checks
    expires = parse_datetime(assertion.get("expires"))
    if expires is None:
        checks.append(
            failed("not expired", f"expires {shown(assertion.get('expires'))} is not a date")
        )
    elif expires <= now:
        checks.append(failed("not expired", f"expired on {expires:%Y-%m-%d}", "expired"))
    else:
        checks.append(passed("not expired", f"valid until {expires:%Y-%m-%d}"))
    return checks


def check_verification_type(assertion: dict) -> Check:
    """Only hosted verification can be checked here; signed (JWS) badges say so."""
    verification = assertion.get("verification")
    kind = verification.get("type") if isinstance(verification, dict) else None
    kind = kind.rsplit(":", 1)[-1] if isinstance(kind, str) else kind
    if kind in ("hosted", "HostedBadge"):
        return passed("verification", "hosted verification")
    if kind in ("signed", "SignedBadge"):
        return Check("verification", "fail", "signed badges are not checked here", "unsupported")
    return failed("verification", f"unknown verification type {shown(kind)}")


def check_local_copy(local: dict, hosted: dict) -> Check:
    """A JSON file given by the user says the same as the issuer's hosted record."""
    changed = sorted(k for k in set(local) | set(hosted) if local.get(k) != hosted.get(k))
    if not changed:
        return passed("local copy", "the file matches the issuer's hosted record")
    return failed(
        "local copy", f"the file differs from the issuer's record in: {', '.join(changed)}"
    )
