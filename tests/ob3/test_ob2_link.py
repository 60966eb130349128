"""With signing on, each 2.0 assertion points at its 3.0 twin and still passes the official
Open Badges 2.0 validator; the 3.0 credential's achievement is the 2.0 BadgeClass."""

from __future__ import annotations

import json

import pytest
import yaml

from badgepress.openbadges.signing import SigningKey
from tests.conformance.harness import run_official_validator
from tests.ob3.support import BASE_URL, signed_example
from tests.support import REPO

pytestmark = pytest.mark.conformance
RECIPIENTS = yaml.safe_load((REPO / "tests/fixtures/example-recipients.yaml").read_text())


def test_linked_assertions_pass_the_official_2_0_validator(tmp_path):
    site = signed_example(tmp_path / "repo", SigningKey.generate())
    # One hosted assertion and one baked image for a current badge.
    assertion_id = "3vctppvnp5jq"
    hosted = json.loads((site / f"assertions/{assertion_id}.json").read_text())
    credential = json.loads((site / f"assertions/{assertion_id}.credential.json").read_text())
    assert hosted["related"] == [credential["id"]]
    assert credential["credentialSubject"]["achievement"]["id"] == hosted["badge"]
    email = RECIPIENTS[assertion_id]
    baked = next(site.glob(f"assertions/{assertion_id}.[ps][nv]g"))
    results = run_official_validator(
        site,
        BASE_URL,
        [
            {"input": f"{BASE_URL}assertions/{assertion_id}.json", "emails": [email]},
            {"input": str(baked), "emails": [email]},
        ],
    )
    for result in results:
        assert result["valid"] and result["errorCount"] == 0, result["messages"]
