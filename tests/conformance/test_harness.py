"""The conformance harness really runs the official OB 2.0 validator, offline.

A hand-made OB 2.0 site (no badgepress code involved) is validated, so a failure here is a
harness problem, not a badgepress one.
"""

import hashlib
import json
import struct
import urllib.request
import zlib

import pytest
from PIL import Image

from tests.conformance.harness import run_official_validator, serve_directory

pytestmark = pytest.mark.conformance

BASE = "https://badges.example.org/"
EMAIL = "earner@example.org"
SALT = "c0ffee"


def bake_png(png: bytes, url: str) -> bytes:
    """Insert an iTXt chunk `openbadges` = url right after IHDR."""
    # iTXt: keyword, NUL, compression flag, method, language NUL, translated keyword NUL, text.
    data = b"openbadges\x00\x00\x00\x00\x00" + url.encode()
    chunk = struct.pack(">I", len(data)) + b"iTXt" + data
    chunk += struct.pack(">I", zlib.crc32(b"iTXt" + data))
    ihdr_end = 8 + 8 + 13 + 4  # signature + IHDR length/type + IHDR data + CRC
    return png[:ihdr_end] + chunk + png[ihdr_end:]


def write_json(path, doc):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=1))


def assertion(ident, issued_on="2024-05-01T00:00:00Z"):
    return {
        "@context": "https://w3id.org/openbadges/v2",
        "id": f"{BASE}assertions/{ident}.json",
        "type": "Assertion",
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": SALT,
            "identity": "sha256$" + hashlib.sha256((EMAIL + SALT).encode()).hexdigest(),
        },
        "badge": f"{BASE}credentials/demo.json",
        "verification": {"type": "hosted"},
        "issuedOn": issued_on,
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    ctx = "https://w3id.org/openbadges/v2"
    write_json(
        root / "issuer.json",
        {
            "@context": ctx,
            "id": f"{BASE}issuer.json",
            "type": "Issuer",
            "name": "Example Education Association",
            "url": "https://www.example.org/",
            "email": "badges@example.org",
        },
    )
    write_json(
        root / "credentials" / "demo.json",
        {
            "@context": ctx,
            "id": f"{BASE}credentials/demo.json",
            "type": "BadgeClass",
            "name": "Demo Badge",
            "description": "A badge for testing the harness.",
            "image": f"{BASE}credentials/demo/badge.png",
            "criteria": {"id": f"{BASE}credentials/demo/", "narrative": "Show up."},
            "issuer": f"{BASE}issuer.json",
        },
    )
    image = root / "credentials" / "demo" / "badge.png"
    image.parent.mkdir(parents=True)
    Image.new("RGB", (16, 16), (0, 128, 128)).save(image)
    write_json(root / "assertions" / "good.json", assertion("good"))
    write_json(root / "assertions" / "bare-date.json", assertion("bare-date", "2026-11-01"))
    baked = bake_png(image.read_bytes(), f"{BASE}assertions/good.json")
    (root / "assertions" / "good.png").write_bytes(baked)
    return root


@pytest.fixture(scope="module")
def results(site):
    """All cases in one validator run: starting the old validator is the slow part."""
    items = [
        {"input": f"{BASE}assertions/good.json", "emails": [EMAIL]},
        {"input": f"{BASE}assertions/good.json", "emails": ["someone.else@example.org"]},
        {"input": str(site / "assertions" / "good.png"), "emails": [EMAIL]},
        {"input": str(site / "credentials" / "demo" / "badge.png"), "emails": [EMAIL]},
        {"input": f"{BASE}assertions/bare-date.json", "emails": [EMAIL]},
        {"input": f"{BASE}assertions/good.json", "emails": []},
    ]
    out = run_official_validator(site, BASE, items)
    names = ["good", "wrong_email", "baked", "unbaked", "bare_date", "no_email"]
    return dict(zip(names, out, strict=True))


def error_text(result):
    return "\n".join(m["result"] for m in result["messages"] if m["messageLevel"] == "ERROR")


def test_valid_assertion(results):
    good = results["good"]
    assert good["valid"], error_text(good)
    assert good["errorCount"] == 0
    assert good["assertion_id"] == f"{BASE}assertions/good.json"
    assert good["revoked"] is False
    assert good["recipientProfile"] == {"email": EMAIL}


def test_everything_is_served_offline(results):
    fetched = results["good"]["fetched"]
    urls = {f["url"] for f in fetched}
    assert "https://w3id.org/openbadges/v2" in urls
    assert f"{BASE}issuer.json" in urls
    assert all(f["status"] == 200 for f in fetched), fetched


def test_no_email_skips_the_recipient_check(results):
    assert results["no_email"]["valid"], error_text(results["no_email"])
    assert results["no_email"]["recipientProfile"] is None


def test_wrong_email_is_invalid(results):
    wrong = results["wrong_email"]
    assert not wrong["valid"]
    assert "did not match" in error_text(wrong)


def test_baked_png_validates(results):
    baked = results["baked"]
    assert baked["valid"], error_text(baked)
    assert baked["assertion_id"] == f"{BASE}assertions/good.json"


def test_unbaked_png_is_reported_not_crashing(results):
    assert results["unbaked"]["valid"] is False
    assert results["unbaked"]["error"] == "not baked"


def test_bare_date_fails(results):
    bare = results["bare_date"]
    assert not bare["valid"]
    assert "issuedOn" in error_text(bare)


def test_serve_directory_content_types(site):
    with serve_directory(site) as origin:
        with urllib.request.urlopen(f"{origin}/issuer.json") as response:
            assert response.headers["Content-Type"] == "application/json"
        with urllib.request.urlopen(f"{origin}/assertions/good.png") as response:
            assert response.headers["Content-Type"] == "image/png"
