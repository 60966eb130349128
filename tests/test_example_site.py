"""The example site: golden tree, determinism, privacy, and the promises verifiers rely on."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml
from PIL import Image

from badgepress.build.write import MARKER
from badgepress.openbadges.baking import unbake
from tests.support import REPO, build_site

GOLDEN = Path(__file__).parent / "golden" / "example"
RECIPIENTS = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "example-recipients.yaml").read_text()
)


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MARKER
    }


def _png_pixels(data: bytes) -> tuple:
    with Image.open(io.BytesIO(data)) as img:
        return (
            img.mode,
            img.size,
            img.tobytes(),
            img.text.get("openbadges") if hasattr(img, "text") else None,
        )


def test_example_site_matches_the_golden_tree(example_site, request):
    actual = _tree(example_site)
    if request.config.getoption("--update-golden"):
        import shutil

        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, data in actual.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_bytes(data)
    expected = _tree(GOLDEN)
    assert sorted(actual) == sorted(expected)
    for path, data in expected.items():
        if path.endswith(".png"):
            # PNG bytes depend on the zlib build; the pixels and the baked chunk must not.
            assert _png_pixels(actual[path]) == _png_pixels(data), path
        else:
            assert actual[path] == data, (
                f"{path} differs from tests/golden/example (run pytest --update-golden and review)"
            )


def test_two_builds_are_byte_identical(example_site, tmp_path):
    second = tmp_path / "again"
    build_site(REPO, second)
    assert _tree(second) == _tree(example_site)


def test_no_recipient_email_appears_anywhere_in_the_site(example_site):
    emails = {email.lower().encode() for email in RECIPIENTS.values()}
    for path, data in _tree(example_site).items():
        lowered = data.lower()
        for email in emails:
            assert email not in lowered, f"{email.decode()} found in {path}"


def test_no_recipient_email_appears_in_the_repository_content():
    for path in [*REPO.joinpath("content").rglob("*"), *REPO.joinpath("assertions").rglob("*")]:
        if path.is_file():
            text = path.read_bytes().lower()
            for email in RECIPIENTS.values():
                assert email.lower().encode() not in text, f"{email} in {path}"


def test_names_appear_only_with_consent(example_site):
    for path in sorted(REPO.joinpath("assertions").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        name = data["recipient"].get("name")
        if not name:
            continue
        page = (example_site / "assertions" / path.stem / "index.html").read_text()
        everywhere = b"".join(_tree(example_site).values()).decode("utf-8", "replace")
        if data["recipient"].get("public_name"):
            assert name in page
        else:
            assert name not in everywhere, f"{name} shown without consent"


def test_every_assertion_has_json_page_and_baked_image(example_site):
    ids = sorted(p.stem for p in REPO.joinpath("assertions").rglob("*.yaml"))
    assert len(ids) >= 12
    for assertion_id in ids:
        document = json.loads((example_site / "assertions" / f"{assertion_id}.json").read_text())
        assert document["id"] == f"https://badges.example.org/assertions/{assertion_id}.json"
        image = next((example_site / "assertions").glob(f"{assertion_id}.*[gG]"))
        assert unbake(image.read_bytes()) == document["id"]
        assert document["image"].endswith(image.name)
        assert (example_site / "assertions" / assertion_id / "index.html").is_file()


def test_revoked_assertion_keeps_answering_and_is_listed(example_site):
    revocations = json.loads((example_site / "revocations.json").read_text())
    revoked = revocations["revokedAssertions"]
    assert revoked, "the example has a revoked badge"
    for entry in revoked:
        path = example_site / entry["id"].removeprefix("https://badges.example.org/")
        document = json.loads(path.read_text())
        assert document["revoked"] is True
        assert document["revocationReason"] == entry["revocationReason"]
        page = path.with_suffix("").joinpath("index.html").read_text()
        assert "Revoked" in page and entry["revocationReason"] in page


def test_expired_assertion_page_says_expired(example_site):
    expired = []
    for path in (example_site / "assertions").glob("*.json"):
        document = json.loads(path.read_text())
        if (
            "expires" in document
            and document["expires"] < "2026-11-20"
            and not document.get("revoked")
        ):
            expired.append(path)
    assert expired, "the example has an expired badge"
    for path in expired:
        assert 'data-status="expired"' in path.with_suffix("").joinpath("index.html").read_text()


def test_issuer_declares_its_revocation_list(example_site):
    issuer = json.loads((example_site / "issuer.json").read_text())
    assert issuer["revocationList"] == "https://badges.example.org/revocations.json"
    assert issuer["email"] and issuer["type"] == "Issuer"


@pytest.mark.parametrize("page", ["index.html", "verify/index.html", "404.html"])
def test_site_pages_exist(example_site, page):
    assert (example_site / page).read_text().startswith("<!doctype html>")
