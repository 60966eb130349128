"""Every example assertion checked by the official 1EdTech Open Badges 2.0 validator (badgecheck).

The validator does not look at revocation (openbadges-validator-core #212, #236), so revoked and
expired badges are checked by our own assertions here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.conformance.harness import run_official_validator

pytestmark = pytest.mark.conformance
BASE_URL = "https://badges.example.org/"
RECIPIENTS = yaml.safe_load(
    (Path(__file__).parents[1] / "fixtures" / "example-recipients.yaml").read_text()
)


@pytest.fixture(scope="module")
def reports(example_site):
    items = []
    for assertion_id, email in sorted(RECIPIENTS.items()):
        items.append({"input": f"{BASE_URL}assertions/{assertion_id}.json", "emails": [email]})
        baked = next((example_site / "assertions").glob(f"{assertion_id}.*[gG]"))
        items.append({"input": str(baked), "emails": [email]})
    results = run_official_validator(example_site, BASE_URL, items)
    return {(r["input"].rsplit("/", 1)[-1]): r for r in results}


def _status(example_site, assertion_id):
    document = json.loads((example_site / "assertions" / f"{assertion_id}.json").read_text())
    if document.get("revoked"):
        return "revoked"
    if document.get("expires", "9999") < "2026-11-20":
        return "expired"
    return "valid"


def test_every_current_assertion_passes_the_official_validator_with_its_email(
    example_site, reports
):
    checked = 0
    for assertion_id in RECIPIENTS:
        if _status(example_site, assertion_id) == "expired":
            continue
        for name, report in reports.items():
            if name.split(".")[0] == assertion_id:
                assert report["valid"], (name, report["messages"])
                assert report["errorCount"] == 0
                checked += 1
    assert checked >= 20  # hosted JSON and baked image for at least ten badges


def test_wrong_email_is_rejected_by_the_official_validator(example_site):
    assertion_id = sorted(RECIPIENTS)[0]
    [report] = run_official_validator(
        example_site,
        BASE_URL,
        [
            {
                "input": f"{BASE_URL}assertions/{assertion_id}.json",
                "emails": ["someone.else@example.com"],
            }
        ],
    )
    assert not report["valid"]


def test_expired_assertion_is_reported_expired_by_the_validator(example_site, reports):
    expired = [a for a in RECIPIENTS if _status(example_site, a) == "expired"]
    assert expired
    for assertion_id in expired:
        assert not reports[f"{assertion_id}.json"]["valid"]


def test_revoked_assertion_passes_the_validator_but_our_documents_say_revoked(
    example_site, reports
):
    revoked = [a for a in RECIPIENTS if _status(example_site, a) == "revoked"]
    assert revoked
    listed = {
        e["id"]
        for e in json.loads((example_site / "revocations.json").read_text())["revokedAssertions"]
    }
    for assertion_id in revoked:
        # Known validator gap: it reports revoked hosted assertions as valid.
        assert reports[f"{assertion_id}.json"]["revoked"] in (True, None)
        assert f"{BASE_URL}assertions/{assertion_id}.json" in listed
