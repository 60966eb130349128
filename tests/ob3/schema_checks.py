"""Conformance checks of Open Badges 3.0 output: the official 1EdTech JSON Schemas (vendored in
schemas/, see its README) and the W3C Bitstring Status List v1.0 rules for the status list,
for which 1EdTech publishes no schema (https://www.w3.org/TR/vc-bitstring-status-list/)."""

from __future__ import annotations

import base64
import datetime
import functools
import gzip
import json
import re
from pathlib import Path

from jsonschema import Draft201909Validator, FormatChecker

SCHEMAS = Path(__file__).parent / "schemas"
ACHIEVEMENT_CREDENTIAL = "ob_v3p0_achievementcredential_schema.json"
PROFILE = "ob_v3p0_profile_schema.json"
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
# Bitstring Status List §2.2: "The uncompressed bitstring MUST be at least 16KB in size."
MIN_BITSTRING_BYTES = 16 * 1024  # 131,072 entries
BASE64URL = re.compile(r"^[A-Za-z0-9_-]*$")

_FORMATS = FormatChecker()


@_FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value) -> bool:
    # RFC 3339 date-time (JSON Schema's "date-time"): a date, a time and an offset or Z.
    # jsonschema checks it only with an optional package; this keeps the check always on.
    if not isinstance(value, str):
        return True
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", value):
        raise ValueError(f"{value!r} is not an RFC 3339 date-time")
    datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


@functools.cache
def validator(name: str) -> Draft201909Validator:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema, format_checker=_FORMATS)


def schema_errors(document: dict, name: str) -> list[str]:
    """Every way `document` fails the named schema, as 'path: message' lines."""
    return [
        f"/{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in sorted(validator(name).iter_errors(document), key=str)
    ]


def credential_errors(credential: dict) -> list[str]:
    """The credential against AchievementCredential, and its issuer against Profile."""
    errors = schema_errors(credential, ACHIEVEMENT_CREDENTIAL)
    issuer = credential.get("issuer")
    if isinstance(issuer, dict):
        errors += [f"issuer{e}" for e in schema_errors(issuer, PROFILE)]
    return errors


def status_list_errors(status_list: dict, entries: list[dict]) -> list[str]:
    """The status list credential and the entries pointing into it, against the Bitstring
    Status List v1.0 data model (§2.1 BitstringStatusListEntry, §2.2 the credential)."""
    errors = []
    context = status_list.get("@context")
    if not isinstance(context, list) or context[:1] != [VC_CONTEXT]:
        errors.append(f"@context must start with {VC_CONTEXT} (VC Data Model 2.0)")
    types = status_list.get("type", [])
    if "VerifiableCredential" not in types or "BitstringStatusListCredential" not in types:
        errors.append("type must include VerifiableCredential and BitstringStatusListCredential")
    subject = status_list.get("credentialSubject", {})
    if subject.get("type") != "BitstringStatusList":
        errors.append("credentialSubject.type must be BitstringStatusList")
    purposes = subject.get("statusPurpose")
    purposes = purposes if isinstance(purposes, list) else [purposes]
    if not purposes or not all(isinstance(p, str) for p in purposes):
        errors.append("credentialSubject.statusPurpose must be one or more strings")
    if "statusSize" in subject or "statusMessages" in subject:
        errors.append("a revocation list uses 1-bit entries: no statusSize or statusMessages")
    if not status_list.get("proof"):
        errors.append("the status list must be signed (proof)")
    bits = _bitstring(subject.get("encodedList"), errors)
    for entry in entries:
        errors += _entry_errors(entry, status_list, purposes, bits)
    return errors


def _bitstring(encoded, errors: list[str]) -> bytes | None:
    # §2.2 encodedList: Multibase base64url without padding of the GZIP'd bitstring.
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        errors.append("encodedList must be Multibase base64url ('u' prefix)")
        return None
    body = encoded[1:]
    if not BASE64URL.match(body) or "=" in body:
        errors.append("encodedList must be base64url without padding")
        return None
    packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    if packed[:2] != b"\x1f\x8b":
        errors.append("encodedList must be GZIP-compressed (RFC 1952)")
        return None
    bits = gzip.decompress(packed)
    if len(bits) < MIN_BITSTRING_BYTES:
        errors.append(f"the bitstring has {len(bits)} bytes; at least 16KB (131,072 entries)")
    return bits


def _entry_errors(entry: dict, status_list: dict, purposes: list, bits: bytes | None) -> list:
    errors = []
    where = f"credentialStatus {entry.get('id')}"
    if entry.get("type") != "BitstringStatusListEntry":
        errors.append(f"{where}: type must be BitstringStatusListEntry")
    if entry.get("statusListCredential") != status_list.get("id"):
        errors.append(f"{where}: statusListCredential must be the status list's id")
    if entry.get("id") == entry.get("statusListCredential"):
        errors.append(f"{where}: id must not be the URL of the status list")
    if entry.get("statusPurpose") not in purposes:
        errors.append(f"{where}: statusPurpose must be one of the list's ({purposes})")
    index = entry.get("statusListIndex")
    # §2.1: "an arbitrary size integer greater than or equal to 0, expressed as a string in
    # base 10".
    if not isinstance(index, str) or not re.fullmatch(r"0|[1-9][0-9]*", index):
        errors.append(f"{where}: statusListIndex must be a base-10 integer as a string")
    elif bits is not None and int(index) >= len(bits) * 8:
        errors.append(f"{where}: statusListIndex {index} is beyond the list")
    return errors
