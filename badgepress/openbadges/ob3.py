"""Open Badges 3.0 documents (W3C Verifiable Credentials 2.0). Pure: model objects in, dicts out.

Spec: https://www.imsglobal.org/spec/ob/v3p0/ ; status: https://www.w3.org/TR/vc-bitstring-status-list/
Documents here are unsigned; `signing` adds the proof.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
import textwrap
from collections.abc import Iterable, Mapping
from decimal import Decimal

from ..files.bounded import GZIP, TooLarge, inflate
from ..model import Assertion, Credential, Requirement, SiteConfig
from ..urls import Urls
from .ob2 import iso_datetime

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DID_CONTEXT = "https://www.w3.org/ns/did/v1"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"

# Bitstring Status List §2.1: at least 16 KiB (131,072 entries) for group privacy. Eight times
# that keeps indexes derived from assertion ids apart (see status_index).
STATUS_LIST_BITS = 131072 * 8
# A status list read by the verifier: 40 million entries, far more than any issuer's.
MAX_BITSTRING_BYTES = 5_000_000


# Every object of an Open Badges 3.0 document starts with these keys, in this order; the rest
# follow sorted. JSON-LD does not care, but streaming parsers (jsonld-streaming-parser, which
# verifiers use) mis-read an object whose `type` comes after other keys.
LEADING_KEYS = ("@context", "id", "type")
_LEADING_RANK = {key: rank for rank, key in enumerate(LEADING_KEYS)}


def linked_data_order(value):
    """A copy of a JSON value whose objects list `@context`, `id`, `type` first, then the rest
    sorted (Open Badges 3.0 output; 2.0 documents stay fully sorted)."""
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: (_LEADING_RANK.get(k, len(LEADING_KEYS)), k))
        return {k: linked_data_order(value[k]) for k in keys}
    if isinstance(value, list):
        return [linked_data_order(item) for item in value]
    return value


def status_index(assertion_id: str) -> int:
    """The assertion's preferred position in /status/revocation-1.json, a pure function of its id."""
    digest = hashlib.sha256(b"badgepress status list\0" + assertion_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % STATUS_LIST_BITS


def status_indexes(
    assertions: Iterable[Assertion], published_order: Mapping[str, int] | None = None
) -> dict[str, int]:
    """Every assertion's position: its preferred one, or the next free one after it.

    Positions are handed out in the order the deploy branch first published the badges
    (`published_order`: id → order; ids not committed yet come last), then by id. A badge
    published later can never take an earlier one's position, and nothing that happens to
    other badges (added, edited, moved, withdrawn) moves one: a credential already in a wallet
    keeps pointing at its own bit, with no registry file. Clashes are rare (about n²/2M for n
    badges in M = 1,048,576 positions) but certain for a large issuer, so they are resolved
    rather than refused.
    """
    order = published_order or {}
    last = 1 + max(order.values(), default=0)
    taken: set[int] = set()
    positions = {}
    for assertion in sorted(assertions, key=lambda a: (order.get(a.id, last), a.id)):
        index = status_index(assertion.id)
        while index in taken:
            index = (index + 1) % STATUS_LIST_BITS
        taken.add(index)
        positions[assertion.id] = index
    return positions


# Words the Achievement spells out, as the theme's msgids: ob3_build passes them translated
# into the site's language (the criteria page uses the same words).
LABELS = {"requirements": "What you submit", "passing": "Passing", "not_yet": "Not yet"}


def verification_method_id(did: str, public_key_multibase: str) -> str:
    """The key's id in the DID document: the DID with the key itself as fragment."""
    return f"{did}#{public_key_multibase}"


def did_document(did: str, public_keys: Iterable[str]) -> dict:
    """did:web document listing every key (current first) as a Multikey assertion method.

    Old keys stay listed after a rotation so credentials signed with them still verify.
    """
    keys = list(dict.fromkeys(public_keys))
    methods = [
        {
            "id": verification_method_id(did, key),
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": key,
        }
        for key in keys
    ]
    return {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
        "authentication": [m["id"] for m in methods],
    }


def issuer_profile(config: SiteConfig, urls: Urls) -> dict:
    """The issuer as an OB 3.0 Profile whose id is the DID (the key's controller)."""
    issuer = config.issuer
    assert config.signing is not None
    doc = {
        "id": config.signing.did,
        "type": ["Profile"],
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
    }
    if issuer.description:
        doc["description"] = issuer.description
    if issuer.image:
        doc["image"] = {
            "id": urls.base + urls.issuer_image(issuer.image.format),
            "type": "Image",
        }
    return doc


def credential_document(
    assertion: Assertion,
    credential: Credential,
    config: SiteConfig,
    urls: Urls,
    status_index: int,
    *,
    translations: Iterable[str] = (),
    labels: Mapping[str, str] = LABELS,
) -> dict:
    """An unsigned OpenBadgeCredential for one assertion (`translations`: the languages its
    credential is translated into; `labels`: LABELS in the site's language)."""
    subject = {
        "type": ["AchievementSubject"],
        # OB 3.0 §B.1.11 IdentityObject: the same salted hash as the 2.0 recipient.
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "salt": assertion.recipient.salt,
                "identityHash": assertion.recipient.identity,
            }
        ],
        "achievement": achievement_document(
            credential, urls, config, translations=translations, labels=labels
        ),
    }
    if assertion.narrative:
        subject["narrative"] = _text(assertion.narrative)
    doc = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": urls.credential_id(assertion),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": _text(credential.name),
        "issuer": issuer_profile(config, urls),
        "validFrom": iso_datetime(assertion.issued_on),
        "credentialSubject": subject,
        "credentialStatus": status_entry(urls, status_index),
    }
    if assertion.expires is not None:
        doc["validUntil"] = iso_datetime(assertion.expires)
    if assertion.evidence:
        doc["evidence"] = [_evidence(e) for e in assertion.evidence]
    return doc


def achievement_document(
    credential: Credential,
    urls: Urls,
    config: SiteConfig,
    *,
    translations: Iterable[str] = (),
    labels: Mapping[str, str] = LABELS,
) -> dict:
    """The Achievement (OB 3.0 §B.1.1): the 3.0 twin of the BadgeClass, whose URL is its id.

    What maps where is listed in docs/open-badges-3.md ("The achievement").
    """
    criteria_url = urls.criteria_url(credential)
    doc = {
        "id": urls.badge_class_id(credential),
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": _text(credential.name),
        "description": _text(credential.summary),
        "criteria": {
            "id": criteria_url,
            "narrative": _text(_criteria_narrative(credential, labels)),
        },
        "image": {"id": urls.badge_image_url(credential), "type": "Image"},
    }
    if credential.image_alt:
        doc["image"]["caption"] = _text(credential.image_alt)
    language = language_code(config.language)
    if language:
        doc["inLanguage"] = language
    # creditsAvailable is "credit hours": only a site that says its hours are credits gets it.
    if config.hours_are_credits and credential.hours is not None:
        doc["creditsAvailable"] = _number(credential.hours)
    if credential.alignments:
        doc["alignment"] = [_alignment(a) for a in credential.alignments]
    results = [
        _result_description(r, f"{criteria_url}#requirement-{n}", labels)
        for n, r in enumerate(credential.requirements, 1)
        if r.rubric is not None
    ]
    if results:
        doc["resultDescription"] = results
    related = [
        {
            "id": urls.absolute(urls.translated_criteria_page(credential, tag)),
            "type": ["Related"],
            "inLanguage": code,
        }
        for tag in sorted(translations)
        if (code := language_code(tag))
    ]
    if related:
        doc["related"] = related
    if credential.topics:
        doc["tag"] = [_text(t) for t in credential.topics]
    return doc


def _criteria_narrative(credential: Credential, labels: Mapping[str, str]) -> str:
    """The criteria page's text: the credential's body (or summary), then what to submit."""
    narrative = credential.criteria.strip() or credential.summary
    if not credential.requirements:
        return narrative
    items = []
    for n, requirement in enumerate(credential.requirements, 1):
        item = f"{n}. **{requirement.title}**"
        if requirement.description:
            # Markdown: a list item's further paragraphs are indented past its marker.
            item += "\n\n" + textwrap.indent(
                requirement.description.strip(), " " * (len(str(n)) + 2)
            )
        items.append(item)
    return f"{narrative}\n\n## {labels['requirements']}\n\n" + "\n\n".join(items)


def _result_description(requirement: Requirement, url: str, labels: Mapping[str, str]) -> dict:
    """A requirement's rubric as a ResultDescription: its levels, lowest first, and the level
    required to pass. Ids are anchors of the criteria page (#requirement-N[-level])."""
    assert requirement.rubric is not None
    rubric = requirement.rubric
    levels = []
    if rubric.not_yet:
        levels.append(("not-yet", labels["not_yet"], rubric.not_yet))
    levels.append(("passing", labels["passing"], rubric.passing))
    return {
        "id": url,
        "type": ["ResultDescription"],
        "name": _text(requirement.title),
        "resultType": "RubricCriterionLevel",
        "rubricCriterionLevel": [
            {
                "id": f"{url}-{anchor}",
                "type": ["RubricCriterionLevel"],
                "name": _text(name),
                "description": _text(text.strip()),
            }
            for anchor, name, text in levels
        ],
        "requiredLevel": f"{url}-passing",
    }


# OB 3.0 LanguageCode as the 1EdTech schema writes BCP 47: language, optional Script, REGION.
_LANGUAGE_CODE = re.compile(r"[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?")


def language_code(tag: str) -> str | None:
    """A BCP 47 tag in its canonical case ('en-us' → 'en-US', 'zh-hant' → 'zh-Hant'), or None
    when it is not of the language[-Script][-REGION] form OB 3.0's LanguageCode admits."""
    parts = tag.replace("_", "-").split("-")
    cased = [parts[0].lower()]
    for part in parts[1:]:
        cased.append(part.title() if len(part) == 4 and part.isalpha() else part.upper())
    code = "-".join(cased)
    return code if _LANGUAGE_CODE.fullmatch(code) else None


def status_entry(urls: Urls, index: int) -> dict:
    """credentialStatus: a BitstringStatusListEntry for revocation."""
    return {
        "id": f"{urls.status_list_id}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        # Bitstring Status List §2.1: statusListIndex is a string holding an integer.
        "statusListIndex": str(index),
        "statusListCredential": urls.status_list_id,
    }


def status_list_document(did: str, urls: Urls, revoked: Iterable[int], valid_from: str) -> dict:
    """The unsigned BitstringStatusListCredential with the given indexes set."""
    return {
        "@context": [VC_CONTEXT],
        "id": urls.status_list_id,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": did,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{urls.status_list_id}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bitstring(revoked),
        },
    }


def encode_bitstring(indexes: Iterable[int], size: int = STATUS_LIST_BITS) -> str:
    """Multibase base64url (no padding) of the GZIP'd bitstring; index 0 is the first byte's top bit."""
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same list always compresses to the same bytes.
    packed = gzip.compress(bytes(bits), compresslevel=9, mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def decode_bitstring(encoded: str, limit: int = MAX_BITSTRING_BYTES) -> bytes:
    """Inverse of encode_bitstring: the raw bitstring bytes; ValueError when malformed or
    inflating past `limit` bytes (a stranger's list: a few KB of gzip may inflate to GBs)."""
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise ValueError("expected multibase base64url text starting with 'u'")
    body = encoded[1:]
    try:
        return inflate(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)), limit, GZIP)
    except TooLarge:
        raise ValueError(f"the status list inflates to more than {limit:,} bytes") from None


def bit_is_set(bitstring: bytes, index: int) -> bool:
    """The status bit at `index` (first byte's most significant bit is index 0)."""
    if index < 0:
        raise IndexError(index)  # Python would count from the end
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def _alignment(alignment) -> dict:
    out = {
        "type": ["Alignment"],
        "targetName": _text(alignment.name),
        "targetUrl": alignment.url,
    }
    if alignment.framework:
        out["targetFramework"] = _text(alignment.framework)
    if alignment.code:
        out["targetCode"] = _text(alignment.code)
    if alignment.description:
        out["targetDescription"] = _text(alignment.description)
    return out


def _evidence(evidence) -> dict:
    out: dict = {"type": ["Evidence"]}
    if evidence.url:
        out["id"] = evidence.url
    for key in ("name", "narrative", "description"):
        value = getattr(evidence, key)
        if value:
            out[key] = _text(value)
    return out


def _number(value: int | Decimal) -> int | float:
    # JSON-LD turns a float into an xsd:double ("1.5E1") and an int into xsd:integer; JavaScript
    # cannot tell 15.0 from 15, so a whole number must be an int or the proofs differ.
    if isinstance(value, int) or value == value.to_integral_value():
        return int(value)
    return float(value)


def _text(value: str) -> str:
    # Control characters canonicalize differently across JSON-LD libraries; drop them
    # (tab and newline are safe and kept).
    return "".join(c for c in value if c in "\t\n" or (ord(c) >= 0x20 and c != "\x7f"))
