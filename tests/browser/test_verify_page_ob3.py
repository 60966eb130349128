"""The /verify/ page on Open Badges 3.0 credentials, in a real Chromium.

The signed example site is served at its real address (https://badges.example.org/) by
Playwright request routing, so did:web resolves to the built did.json as it would online.
The page checks the did:web key, the status list, dates and the recipient, and compares the
credential with the issuer's hosted copy (the signature itself is `badgepress verify`'s job)."""

from __future__ import annotations

import json
import mimetypes

import pytest
import yaml

from badgepress.openbadges.baking import bake_svg_credential
from badgepress.openbadges.signing import SigningKey, proofs_of, sign_document
from tests.ob3.support import BASE_URL, signed_example
from tests.support import REPO

RESULT = "#verify-result"
RECIPIENTS = yaml.safe_load((REPO / "tests/fixtures/example-recipients.yaml").read_text())
VALID, REVOKED, EXPIRED, PNG_BADGE = "3vctppvnp5jq", "huxycukru2y4", "34w3muptens9", "54quanfthfzk"
ELSEWHERE = (
    "Check its signature in a wallet, an Open Badges 3.0 verifier such as VerifierPlus, or with"
    " `badgepress verify`."
)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4"/></svg>'


@pytest.fixture(scope="module")
def site_key():
    return SigningKey.generate()


@pytest.fixture(scope="module")
def signed_site(tmp_path_factory, site_key):
    return signed_example(tmp_path_factory.mktemp("ob3-page") / "repo", site_key)


@pytest.fixture
def ob3_page(browser, signed_site):
    """A page whose https://badges.example.org/ requests are answered from the built site."""
    context = browser.new_context()

    def answer(route):
        path = route.request.url[len(BASE_URL) :].split("?")[0].split("#")[0]
        target = signed_site / path
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            route.fulfill(status=404, body="not found")
            return
        kind = (
            "application/json" if target.suffix == ".json" else mimetypes.guess_type(target.name)[0]
        )
        route.fulfill(
            status=200, body=target.read_bytes(), content_type=kind or "application/octet-stream"
        )

    context.route(f"{BASE_URL}**", answer)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def _verdict(page) -> tuple[str, str]:
    page.wait_for_selector(f"{RESULT}[data-verdict]:not([data-verdict=''])", timeout=15000)
    reasons = page.locator(f"{RESULT} .verdict-reason")
    return page.inner_text(
        f"{RESULT} .verdict-label"
    ), reasons.first.inner_text() if reasons.count() else ""


def _check_url(page, url, email=None):
    page.goto(f"{BASE_URL}verify/")
    page.fill("#verify-url", url)
    if email:
        page.fill("#verify-email", email)
    page.click("button[type=submit]")
    return _verdict(page)


def _check_file(page, path, email=None):
    page.goto(f"{BASE_URL}verify/")
    page.set_input_files("#verify-file", str(path))
    if email:
        page.fill("#verify-email", email)
    page.click("button[type=submit]")
    return _verdict(page)


def test_credential_url_with_its_email_is_valid(ob3_page):
    label, _ = _check_url(
        ob3_page, f"{BASE_URL}assertions/{VALID}.credential.json", RECIPIENTS[VALID]
    )
    assert label == "Valid"
    text = ob3_page.text_content(RESULT)
    assert "issuer key (did:web): the key is an assertion method" in text
    assert "status list: not revoked" in text


def test_png_baked_with_the_credential_is_valid(ob3_page, signed_site):
    png = signed_site / f"assertions/{PNG_BADGE}.credential.png"
    assert _check_file(ob3_page, png, RECIPIENTS[PNG_BADGE])[0] == "Valid"


def test_revoked_credential_is_revoked_by_its_status_bit(ob3_page):
    assert _check_url(ob3_page, f"{BASE_URL}assertions/{REVOKED}.credential.json")[0] == "Revoked"


def test_expired_credential_is_expired(ob3_page):
    label, reason = _check_url(ob3_page, f"{BASE_URL}assertions/{EXPIRED}.credential.json")
    assert (label, reason) == ("Expired", "expired on 2025-06-30")


def test_wrong_email_is_not_issued_to_this_email(ob3_page):
    label, _ = _check_url(
        ob3_page, f"{BASE_URL}assertions/{VALID}.credential.json", "mallory@example.org"
    )
    assert label == "Not issued to this email"


def test_altered_credential_in_an_image_is_not_valid(ob3_page, signed_site, tmp_path):
    credential = json.loads((signed_site / f"assertions/{VALID}.credential.json").read_text())
    credential["validUntil"] = "2099-01-01T00:00:00Z"
    path = tmp_path / "altered.svg"
    path.write_bytes(bake_svg_credential(SVG, json.dumps(credential)))
    label, reason = _check_file(ob3_page, path)
    assert label == "Not valid"
    assert reason.endswith("under the same signature: altered after signing")


def test_credential_the_issuer_does_not_host_cannot_be_vouched_for(ob3_page, signed_site, tmp_path):
    credential = json.loads((signed_site / f"assertions/{VALID}.credential.json").read_text())
    credential["id"] = "urn:uuid:00000000-0000-4000-8000-000000000000"
    path = tmp_path / "unhosted.svg"
    path.write_bytes(bake_svg_credential(SVG, json.dumps(credential)))
    label, reason = _check_file(ob3_page, path)
    assert label == "Could not check here"
    assert reason.endswith(ELSEWHERE)


def test_credential_with_its_proof_as_one_object_matches_the_hosted_proof_list(
    ob3_page, signed_site, tmp_path
):
    # Credentials already in wallets carry the proof as one object; the issuer now hosts the
    # same proof in a list. Same proof, same badge.
    credential = json.loads((signed_site / f"assertions/{VALID}.credential.json").read_text())
    (credential["proof"],) = credential["proof"]
    path = tmp_path / "wallet.svg"
    path.write_bytes(bake_svg_credential(SVG, json.dumps(credential)))
    label, _ = _check_file(ob3_page, path, RECIPIENTS[VALID])
    assert label == "Valid"
    assert "issuer key (did:web): the key is an assertion method" in ob3_page.text_content(RESULT)


def test_an_older_copy_signed_differently_from_the_hosted_one_is_not_called_not_valid(
    ob3_page, signed_site, site_key, tmp_path
):
    # A wallet's copy from before the issuer re-signed (a rotated key, a newer badgepress that
    # added Achievement fields): the page cannot check its signature, so it says where to.
    hosted = json.loads((signed_site / f"assertions/{VALID}.credential.json").read_text())
    (proof,) = proofs_of(hosted)
    older = {k: v for k, v in hosted.items() if k != "proof"}
    older["credentialSubject"]["achievement"].pop("inLanguage", None)
    older["credentialSubject"]["achievement"]["name"] += " (as first issued)"
    older = sign_document(older, site_key, proof["verificationMethod"], "2025-01-02T00:00:00Z")
    older["proof"] = older["proof"][0]  # as wallets hold copies issued before the list
    path = tmp_path / "older.svg"
    path.write_bytes(bake_svg_credential(SVG, json.dumps(older)))
    label, reason = _check_file(ob3_page, path, RECIPIENTS[VALID])
    assert label == "Could not check here"
    assert reason == (
        f"differs from the credential the issuer hosts now at {BASE_URL}assertions/{VALID}"
        ".credential.json, and is signed differently: an older copy, or not the issuer's. "
        + ELSEWHERE
    )
    assert "issuer key (did:web): the key is an assertion method" in ob3_page.text_content(RESULT)


def test_a_proof_the_page_cannot_check_is_could_not_check_here(ob3_page, signed_site, tmp_path):
    credential = json.loads((signed_site / f"assertions/{VALID}.credential.json").read_text())
    credential["proof"] = {**credential["proof"][0], "cryptosuite": "ecdsa-rdfc-2019"}
    path = tmp_path / "other-suite.svg"
    path.write_bytes(bake_svg_credential(SVG, json.dumps(credential)))
    label, reason = _check_file(ob3_page, path)
    assert label == "Could not check here"
    assert reason == (
        "the proof is not one this page can check (a DataIntegrityProof with eddsa-rdfc-2022);"
        ' found "DataIntegrityProof" with cryptosuite "ecdsa-rdfc-2019". ' + ELSEWHERE
    )


def test_a_revoked_credential_with_a_proof_the_page_cannot_check_is_still_revoked(
    ob3_page, signed_site, tmp_path
):
    credential = json.loads((signed_site / f"assertions/{REVOKED}.credential.json").read_text())
    credential["proof"][0]["cryptosuite"] = "ecdsa-rdfc-2019"
    path = tmp_path / "revoked-other-suite.svg"
    path.write_bytes(bake_svg_credential(SVG, json.dumps(credential)))
    assert _check_file(ob3_page, path)[0] == "Revoked"
