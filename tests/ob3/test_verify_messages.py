"""`badgepress verify` on broken Open Badges 3.0 credentials: every failure is a sentence for
people (no Python lists, reprs or exception texts) with the verdict and exit status it earns."""

from __future__ import annotations

import copy
import json
import re

import pytest

from badgepress.openbadges import ob3
from badgepress.openbadges.signing import SigningKey, sign_document
from badgepress.verify.fetch import FetchError, Response
from badgepress.verify.verifier import verify
from tests.ob3.test_verify_ob3 import NOW
from tests.unit.test_ob3 import ASSERTION, CONFIG, CREDENTIAL, URLS

DID = CONFIG.signing.did
DID_URL = "https://badges.example.org/.well-known/did.json"
KEY = SigningKey.generate()
METHOD = ob3.verification_method_id(DID, KEY.public_multibase)
# What a message must never show: Python's list, dict and string reprs, None, exception texts.
PYTHONISMS = re.compile(r"\['|'\]|\{'|'\}|\bNone\b|Error\b|Expecting value|invalid literal|\\x")


def _signed(document: dict) -> dict:
    return sign_document(document, KEY, METHOD, "2026-01-02T00:00:00Z")


def _signed_files() -> dict[str, object]:
    index = ob3.status_index(ASSERTION.id)
    status_list = ob3.status_list_document(DID, URLS, [], "2026-01-02T00:00:00Z")
    return {
        "credential": _signed(ob3.credential_document(ASSERTION, CREDENTIAL, CONFIG, URLS, index)),
        DID_URL: ob3.did_document(DID, [KEY.public_multibase]),
        URLS.status_list_id: _signed(status_list),
    }


SIGNED = _signed_files()


def _files() -> dict[str, object]:
    """The issuer's valid files: the credential, its DID document and status list."""
    return copy.deepcopy(SIGNED)


def _fetcher(files: dict[str, object]):
    def fetch(url: str) -> Response:
        answer = files.get(url)
        if answer is None:
            raise FetchError(url, f"HTTP 404 for {url}", 404)
        if isinstance(answer, FetchError):
            raise answer
        body = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
        return Response(url, url, "application/json", body)

    return fetch


def _check(tmp_path, files):
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(files["credential"]))
    return verify(str(path), None, NOW, _fetcher(files))


def _did_unreachable(files):
    files[DID_URL] = FetchError(DID_URL, "could not connect: connection refused")


def _resign_list(files, change):
    status_list = copy.deepcopy(files[URLS.status_list_id])
    del status_list["proof"]
    change(status_list)
    files[URLS.status_list_id] = _signed(status_list)


def _set(path: str, value, *, signed: bool = True):
    """A change to the credential: set a dotted path to `value`, then sign it again (an issuer
    who signed a broken credential) or, with `signed=False`, not (a tampered one)."""

    def change(files):
        target = files["credential"]
        *parents, last = path.split(".")
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        target[last] = value
        if signed and "proof" not in path:
            unsigned = {k: v for k, v in files["credential"].items() if k != "proof"}
            files["credential"] = _signed(unsigned)

    return change


BROKEN = {
    # name: (change to the files, verdict, words a failure's message contains)
    "no proof": (lambda f: f["credential"].pop("proof"), "invalid", "carries no proof"),
    "another cryptosuite": (
        _set("proof.0.cryptosuite", "ecdsa-rdfc-2019"),
        "unsupported",
        '"ecdsa-rdfc-2019"',
    ),
    "wrong purpose": (
        _set("proof.0.proofPurpose", "authentication"),
        "invalid",
        'purpose is "authentication"',
    ),
    "key of someone else": (
        _set("proof.0.verificationMethod", "did:web:evil.example#z6Mk"),
        "invalid",
        'key "did:web:evil.example#z6Mk" does not belong',
    ),
    "issuer not did:web": (  # and so not the status list's issuer either
        _set("issuer.id", "https://badges.example.org/issuer.json"),
        "invalid",
        "not a did:web identifier",
    ),
    "altered": (
        _set("name", "Something else", signed=False),
        "invalid",
        "altered after signing",
    ),
    "DID document unreachable": (_did_unreachable, "unreachable", "could not fetch the DID"),
    "DID document missing": (
        lambda f: f.pop(DID_URL),
        "invalid",
        "has no DID document at",
    ),
    "DID document not JSON": (
        lambda f: f.update({DID_URL: b"<html>hello</html>"}),
        "invalid",
        "is not JSON",
    ),
    "DID document of another DID": (
        lambda f: f.update({DID_URL: ob3.did_document("did:web:x.org", [KEY.public_multibase])}),
        "invalid",
        "is not the DID document of",
    ),
    "key not listed": (
        lambda f: f.update(
            {DID_URL: ob3.did_document(DID, [SigningKey.generate().public_multibase])}
        ),
        "invalid",
        "is not an assertion method",
    ),
    "dates not dates": (_set("validFrom", "yesterday"), "invalid", 'found "yesterday"'),
    # Only its id and type: the contexts define statusListCredential and the rest for a
    # BitstringStatusListEntry alone, and members no context defines make it Not valid (below).
    "status of an unknown kind": (
        _set(
            "credentialStatus", {"id": f"{URLS.status_list_id}#7", "type": "1EdTechRevocationList"}
        ),
        "unsupported",
        '"1EdTechRevocationList"',
    ),
    "status members of an unknown kind": (
        _set("credentialStatus.type", "1EdTechRevocationList"),
        "invalid",
        'no @context defines ("statusListCredential", "statusListIndex", "statusPurpose")',
    ),
    "index not a number": (
        _set("credentialStatus.statusListIndex", "seven"),
        "invalid",
        'statusListIndex "seven" is not a whole number',
    ),
    "status list missing": (
        lambda f: f.pop(URLS.status_list_id),
        "invalid",
        "has no status list at",
    ),
    "status list not JSON": (
        lambda f: f.update({URLS.status_list_id: b"not json"}),
        "invalid",
        "is not JSON",
    ),
    "status list altered": (
        lambda f: f[URLS.status_list_id].update({"validFrom": "2026-01-03T00:00:00Z"}),
        "invalid",
        "does not verify: the signature does not match",
    ),
    "status list of another issuer": (
        lambda f: _resign_list(f, lambda d: d.update({"issuer": "did:web:x.org"})),
        "invalid",
        "does not verify",
    ),
    "status list malformed": (
        lambda f: _resign_list(f, lambda d: d["credentialSubject"].update({"encodedList": "uAA"})),
        "invalid",
        "encodedList is not GZIP'd",
    ),
    "index beyond the list": (
        _set("credentialStatus.statusListIndex", str(ob3.STATUS_LIST_BITS)),
        "invalid",
        "beyond the end of the list",
    ),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_every_failure_is_a_sentence_with_its_verdict(tmp_path, name):
    change, verdict, words = BROKEN[name]
    files = _files()
    change(files)
    report = _check(tmp_path, files)
    assert report.verdict.code == verdict, report.as_text()
    assert any(words in c.message for c in report.checks if c.failed), report.as_text()
    for check in report.checks:
        assert not PYTHONISMS.search(check.message), check.message


def test_unreachable_did_document_could_not_reach_the_issuer_and_exits_2(tmp_path):
    files = _files()
    _did_unreachable(files)
    report = _check(tmp_path, files)
    assert (report.verdict.label, report.verdict.exit_code) == ("Could not reach the issuer", 2)
    lines = report.as_text().splitlines()
    assert f"[FAIL] issuer key (did:web): could not fetch the DID document {DID_URL}:" in lines[0]
    assert lines[1] == "[skip] signature (eddsa-rdfc-2022): not checked without the issuer's key"
    # The status list is signed with the same unreachable key: it could not be checked either.
    assert "could not check the status list" in report.as_text()
    assert "Not valid" not in report.as_text()
