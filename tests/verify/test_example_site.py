"""`badgepress verify` on every badge of this repository's example site, served on 127.0.0.1."""

from __future__ import annotations

import datetime
import json

import pytest

from badgepress.cli import main
from tests.verify.site import EXAMPLE_RECIPIENTS, served_example


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    with served_example(tmp_path_factory.mktemp("example")) as served:
        yield served


def run(capsys, *args) -> tuple[int, dict]:
    status = main(["verify", *map(str, args), "--json"])
    return status, json.loads(capsys.readouterr().out)


def test_every_example_badge_gets_the_verdict_of_its_status(example, capsys):
    site, catalog = example
    now = datetime.datetime.now(datetime.timezone.utc)
    statuses = set()
    for assertion in catalog.assertions:
        expected = assertion.status(now)
        statuses.add(expected)
        credential = catalog.credential_of(assertion)
        baked = site.root / "assertions" / f"{assertion.id}.{credential.image.format}"
        email = EXAMPLE_RECIPIENTS[assertion.id]
        for target in (site.assertion_url(assertion.id), baked):
            status, report = run(capsys, target, "--email", email)
            assert report["verdict"] == expected, (target, report["reason"])
            assert status == (0 if expected == "valid" else 1)
            if expected == "revoked":
                assert report["reason"] == f"revoked: {assertion.revocation_reason}"
    # The example content keeps one badge of each kind, or this test proves less than it says.
    assert statuses == {"valid", "revoked", "expired"}


def test_example_badge_with_another_earners_email_is_not_theirs(example, capsys):
    site, _ = example
    # 8vcxgcyxdmwy was issued to Devon; Jane's address must not pass for it.
    status, report = run(
        capsys, site.assertion_url("8vcxgcyxdmwy"), "--email", "JANE.DOE@example.com"
    )
    assert (status, report["verdict"]) == (1, "wrong_recipient")
    email = EXAMPLE_RECIPIENTS["8vcxgcyxdmwy"].upper()
    assert (
        run(capsys, site.assertion_url("8vcxgcyxdmwy"), "--email", email)[1]["verdict"] == "valid"
    )
