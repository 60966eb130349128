"""Open Badges 2.0 documents (hosted verification). Pure: model objects in, dicts out.

Spec: https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html
"""

from __future__ import annotations

import datetime
import hashlib

from ..model import Assertion, Catalog, Credential, SiteConfig
from ..urls import Urls
from .pretty_json import pretty_json

CONTEXT = "https://w3id.org/openbadges/v2"


def hash_email(email: str, salt: str) -> str:
    """OB 2.0 hashed identity: 'sha256$' + hex(sha256(email + salt)); emails compare lowercased."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()


def iso_datetime(value: datetime.date | datetime.datetime) -> str:
    """ISO 8601 with a time zone; the validator rejects bare dates (OB 2.0 DateTime)."""
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime(value.year, value.month, value.day, tzinfo=datetime.timezone.utc)
    return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_document(config: SiteConfig, urls: Urls) -> dict:
    """The Issuer Profile, with the revocation list it answers for."""
    issuer = config.issuer
    doc = {
        "@context": CONTEXT,
        "id": urls.issuer_id,
        "type": "Issuer",
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
        "revocationList": urls.revocation_list_id,
    }
    if issuer.description:
        doc["description"] = issuer.description
    if issuer.image:
        doc["image"] = urls.base + urls.issuer_image(issuer.image.format)
    return doc


def badge_class_document(credential: Credential, urls: Urls) -> dict:
    """The BadgeClass: criteria page + narrative, image, alignments, tags."""
    doc = {
        "@context": CONTEXT,
        "id": urls.badge_class_id(credential),
        "type": "BadgeClass",
        "name": credential.name,
        "description": credential.summary,
        "image": urls.badge_image_url(credential),
        "criteria": {
            "id": urls.criteria_url(credential),
            "narrative": credential.criteria.strip() or credential.summary,
        },
        "issuer": urls.issuer_id,
    }
    if credential.alignments:
        doc["alignment"] = [_alignment(a) for a in credential.alignments]
    if credential.topics:
        doc["tags"] = list(credential.topics)
    return doc


def _alignment(alignment) -> dict:
    out = {"targetName": alignment.name, "targetUrl": alignment.url}
    if alignment.framework:
        out["targetFramework"] = alignment.framework
    if alignment.code:
        out["targetCode"] = alignment.code
    if alignment.description:
        out["targetDescription"] = alignment.description
    return out


def assertion_document(
    assertion: Assertion, credential: Credential, urls: Urls, related: str | None = None
) -> dict:
    """A hosted Assertion; revoked ones keep answering at their URL with revoked: true.

    `related`: the URL of the same badge as an Open Badges 3.0 credential, if published.
    """
    doc = {
        "@context": CONTEXT,
        "id": urls.assertion_id(assertion),
        "type": "Assertion",
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": assertion.recipient.salt,
            "identity": assertion.recipient.identity,
        },
        "badge": urls.badge_class_id(credential),
        "verification": {"type": "hosted"},
        "issuedOn": iso_datetime(assertion.issued_on),
        "image": urls.baked_image_url(assertion, credential),
    }
    if assertion.expires is not None:
        doc["expires"] = iso_datetime(assertion.expires)
    if assertion.narrative:
        doc["narrative"] = assertion.narrative
    if assertion.evidence:
        doc["evidence"] = [_evidence(e) for e in assertion.evidence]
    if related:
        # `related` is dc:relation in the OB 2.0 context; the validator accepts it.
        doc["related"] = [related]
    if assertion.revoked:
        # OB 2.0 §Revocation: a revoked hosted assertion answers with revoked + revocationReason.
        doc["revoked"] = True
        doc["revocationReason"] = assertion.revocation_reason
    return doc


def _evidence(evidence) -> dict:
    out = {"type": "Evidence"}
    if evidence.url:
        out["id"] = evidence.url
    for key in ("name", "narrative", "description"):
        value = getattr(evidence, key)
        if value:
            out[key] = value
    return out


def revocation_list_document(catalog: Catalog, urls: Urls) -> dict:
    """The issuer's RevocationList: every revoked assertion with its reason."""
    return {
        "@context": CONTEXT,
        "id": urls.revocation_list_id,
        "type": "RevocationList",
        "issuer": urls.issuer_id,
        "revokedAssertions": [
            {"id": urls.assertion_id(a), "revocationReason": a.revocation_reason}
            for a in catalog.revoked
        ],
    }


def dump(document: dict) -> bytes:
    """Deterministic JSON bytes: sorted keys, two-space indent, trailing newline."""
    return pretty_json(document)
