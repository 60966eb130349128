"""Every Open Badges 3.0 credential and issuer Profile the example and starter sites publish
passes the official 1EdTech JSON Schemas, and their status lists follow the W3C Bitstring
Status List rules (1EdTech publishes no schema for those)."""

from __future__ import annotations

import copy
import json

import pytest

from badgepress.cli import main
from badgepress.content.project import Project
from badgepress.openbadges import ob3
from badgepress.openbadges.signing import SigningKey
from badgepress.pipeline import build
from badgepress.verify.ob3 import credential_in_image
from tests.ob3.schema_checks import (
    ACHIEVEMENT_CREDENTIAL,
    credential_errors,
    schema_errors,
    status_list_errors,
)
from tests.ob3.support import KEY_ENV, enable_signing, signed_example
from tests.support import BUILD_TIME

REVOKED = "huxycukru2y4"  # the example's one revoked badge


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    return signed_example(tmp_path_factory.mktemp("schemas") / "repo", SigningKey.generate())


@pytest.fixture(scope="module")
def starter(tmp_path_factory):
    """`badgepress new`'s site with signing turned on."""
    source = tmp_path_factory.mktemp("starter") / "mysite"
    assert main(["new", str(source)]) == 0
    enable_signing(source)
    key = SigningKey.generate()
    build(Project(source), source / "site", BUILD_TIME, environ={KEY_ENV: key.secret_multibase})
    return source / "site"


SITES = ("example", "starter")


def _credentials(site) -> dict[str, dict]:
    files = sorted(site.glob("assertions/*.credential.json"))
    assert files, f"no credentials in {site}"
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in files}


@pytest.mark.parametrize("name", SITES)
def test_every_credential_and_issuer_profile_passes_the_official_schemas(request, name):
    site = request.getfixturevalue(name)
    for file, credential in _credentials(site).items():
        assert credential_errors(credential) == [], file
    # The copies baked into the images are the same documents.
    for image in sorted(site.glob("assertions/*.credential.*")):
        if image.suffix != ".json":
            assert credential_errors(credential_in_image(image.read_bytes())) == [], image.name


@pytest.mark.parametrize("name", SITES)
def test_the_status_list_follows_the_bitstring_status_list_rules(request, name):
    site = request.getfixturevalue(name)
    credentials = _credentials(site)
    status_list = json.loads((site / "status/revocation-1.json").read_text(encoding="utf-8"))
    entries = [c["credentialStatus"] for c in credentials.values()]
    assert status_list_errors(status_list, entries) == []
    bits = ob3.decode_bitstring(status_list["credentialSubject"]["encodedList"])
    revoked = {
        file.removesuffix(".credential.json")
        for file, c in credentials.items()
        if ob3.bit_is_set(bits, int(c["credentialStatus"]["statusListIndex"]))
    }
    assert revoked == ({REVOKED} if name == "example" else set())
    # Every set bit belongs to a revoked credential: nothing else is marked.
    assert sum(bin(byte).count("1") for byte in bits) == len(revoked)


def test_the_schema_check_rejects_what_the_official_validator_rejects(example):
    credential = next(iter(_credentials(example).values()))
    single_proof = copy.deepcopy(credential)
    (single_proof["proof"],) = single_proof["proof"]  # what badgepress emitted before
    assert any(e.startswith("/proof:") for e in schema_errors(single_proof, ACHIEVEMENT_CREDENTIAL))
    bare_date = copy.deepcopy(credential)
    bare_date["validFrom"] = "2026-01-02"
    assert any("date-time" in e for e in credential_errors(bare_date))
    no_issuer_id = copy.deepcopy(credential)
    del no_issuer_id["issuer"]["id"]
    assert any(e.startswith("issuer") for e in credential_errors(no_issuer_id))
    no_criteria = copy.deepcopy(credential)
    del no_criteria["credentialSubject"]["achievement"]["criteria"]
    assert credential_errors(no_criteria)


def test_the_status_list_check_rejects_lists_verifiers_would_refuse(example):
    credential = next(iter(_credentials(example).values()))
    status_list = json.loads((example / "status/revocation-1.json").read_text(encoding="utf-8"))
    entry = credential["credentialStatus"]

    def errors(change_list=None, change_entry=None):
        listed, pointed = copy.deepcopy(status_list), copy.deepcopy(entry)
        (change_list or (lambda d: None))(listed)
        (change_entry or (lambda d: None))(pointed)
        return status_list_errors(listed, [pointed])

    subject = "credentialSubject"
    short = ob3.encode_bitstring([], size=8 * 1024 * 8)  # 8 KB: half the minimum
    assert any("16KB" in e for e in errors(lambda d: d[subject].update(encodedList=short)))
    padded = status_list[subject]["encodedList"] + "=="
    assert any("padding" in e for e in errors(lambda d: d[subject].update(encodedList=padded)))
    assert errors(lambda d: d[subject].update(type="StatusList2021"))
    assert errors(lambda d: d.pop("proof"))
    assert errors(change_entry=lambda e: e.update(statusListIndex="07"))
    assert errors(change_entry=lambda e: e.update(statusListIndex=7))
    assert errors(change_entry=lambda e: e.update(statusPurpose="suspension"))
    assert errors(change_entry=lambda e: e.update(id=e["statusListCredential"]))
