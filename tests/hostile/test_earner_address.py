"""The earner's own email address, found by its hash alone, is never published: anywhere in an
assertion it is an error (that does not repeat it); another address is published with a warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from badgepress.cli import main
from tests.hostile.cases import CASES, EARNER

OWN = {
    "own-address-in-the-narrative": "assertions/jane-first.yaml:6: 'narrative'",
    "own-address-percent-encoded-in-an-evidence-url": "assertions/jane-first.yaml:7: 'evidence[1].url'",
    "own-address-as-an-html-entity-in-an-evidence-name": "assertions/jane-first.yaml:7: 'evidence[1].name'",
    "own-address-in-extra": "assertions/jane-first.yaml:7: 'extra.contact.email'",
    "own-address-in-the-narrative-with-a-plaintext-recipient": "assertions/jane-first.yaml:5: 'narrative'",
}


@pytest.fixture
def site(base_site) -> Path:
    return base_site


@pytest.mark.parametrize("case", sorted(OWN))
def test_the_earners_own_address_anywhere_is_an_error_that_does_not_repeat_it(case, site, capsys):
    CASES[case](site)

    assert main(["build", "--source", str(site), "--quiet"]) == 1
    err = capsys.readouterr().err
    [problem] = [line for line in err.splitlines() if line.startswith("assertions/")]
    assert problem == (
        f"{OWN[case]}: holds the earner's own email address (the one hashed into "
        "'recipient.identity'), and everything but the recipient is published; remove it"
    )
    assert "jane.doe" not in err.lower()
    assert not (site / "site").exists()


def test_another_address_is_published_with_a_warning(site, capsys):
    CASES["another-address-in-the-narrative"](site)

    assert main(["build", "--source", str(site), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert (
        "warning: assertions/jane-first.yaml:6: 'narrative': holds an email address, which is "
        "published with the badge; make sure its owner agrees"
    ) in err
    page = (site / "site" / "assertions" / "jane-first" / "index.html").read_text()
    assert "sam@district.example.org" in page
    assert EARNER.lower() not in page.lower()


def test_issue_refuses_the_earners_own_address_in_the_narrative(site, capsys):
    source = site
    status = main(
        [
            "issue",
            "first-steps",
            "--email",
            EARNER,
            "--narrative",
            f"Contact: {EARNER.lower()}",
            "--source",
            str(source),
        ]
    )
    err = capsys.readouterr().err
    assert status == 1
    assert "the earner's own email address is in the name, narrative or evidence" in err
    assert list((source / "assertions").rglob("*.yaml")) == [
        source / "assertions" / "jane-first.yaml"
    ]
