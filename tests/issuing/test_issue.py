"""`badgepress issue` for one earner: the file written, what is refused, and that it builds."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from badgepress.cli import main
from badgepress.issuing.awards import ID_ALPHABET, ID_LENGTH
from badgepress.openbadges.ob2 import hash_email
from tests.support import build_site


def issue(site, *args):
    return main(["issue", *args, "--source", str(site)])


def new_files(site, before=None):
    files = set((site / "assertions").rglob("*.yaml"))
    return sorted(files - (before or set()))


def test_issue_writes_a_hashed_assertion_that_checks_and_builds(site, capsys, tmp_path):
    before = set((site / "assertions").rglob("*.yaml"))
    status = issue(
        site,
        "restorative-circles",
        "--email",
        "  Ann.ONeil@Example.ORG ",
        "--name",
        "Ann O'Neil",
        "--public-name",
        "--evidence",
        "https://portfolio.example.org/ann/circles",
        "--narrative",
        "Ran weekly circles.\nWith a reflection log.",
        "--date",
        "2026-05-04",
        "--expires",
        "2029-05-04",
    )
    out = capsys.readouterr().out
    assert status == 0
    (path,) = new_files(site, before)
    assertion_id = path.stem
    assert path.parent.name == "2026"
    assert len(assertion_id) == ID_LENGTH and set(assertion_id) <= set(ID_ALPHABET)
    assert f"https://badges.example.org/assertions/{assertion_id}/" in out
    text = path.read_text()
    assert "example.org" not in text.lower().replace("portfolio.example.org", "")
    data = yaml.safe_load(text)
    recipient = data["recipient"]
    assert re.fullmatch(r"[0-9a-f]{32}", recipient["salt"])
    # OB 2.0: sha256 of the trimmed, lowercased email followed by the salt.
    assert recipient["identity"] == hash_email("ann.oneil@example.org", recipient["salt"])
    assert recipient["name"] == "Ann O'Neil" and recipient["public_name"] is True
    assert data["narrative"] == "Ran weekly circles.\nWith a reflection log."
    assert data["evidence"] == [{"url": "https://portfolio.example.org/ann/circles"}]

    assert main(["check", "--source", str(site)]) == 0
    output = tmp_path / "out"
    build_site(site, output)
    published = json.loads((output / "assertions" / f"{assertion_id}.json").read_text())
    assert published["issuedOn"] == "2026-05-04T00:00:00Z"
    assert published["expires"] == "2029-05-04T00:00:00Z"
    assert "ann.oneil" not in "".join(
        p.read_text(errors="replace").lower() for p in output.rglob("*") if p.is_file()
    )


def test_every_issue_gets_its_own_id_and_salt(site, capsys):
    for email in ("a@example.net", "b@example.net"):
        assert issue(site, "affective-language", "--email", email) == 0
    docs = [yaml.safe_load(p.read_text()) for p in new_files(site)]
    salts = [d["recipient"]["salt"] for d in docs]
    assert len(docs) == 14 and len(set(salts)) == len(salts)


def test_without_a_date_the_file_has_no_issued_on_so_the_commit_date_is_used(site, capsys):
    before = set((site / "assertions").rglob("*.yaml"))
    assert issue(site, "affective-language", "--email", "c@example.net") == 0
    (path,) = new_files(site, before)
    assert "issued_on" not in yaml.safe_load(path.read_text())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["restorative-circle", "--email", "x@example.net"],
            "--email: unknown credential 'restorative-circle' (did you mean 'restorative-circles'?)",
        ),
        (
            ["restorative-circles", "--email", "not-an-email"],
            "--email: expected an email address such as name@example.org, found 'not-an-email'",
        ),
        (
            ["restorative-circles", "--email", "x@example.net", "--public-name"],
            "--email: public name asked for but no name given",
        ),
        (
            ["restorative-circles", "--email", "x@example.net", "--evidence", "ftp://x"],
            "--email: evidence URL: expected an http(s) URL, found 'ftp://x'",
        ),
        (
            [
                "restorative-circles",
                "--email",
                "x@example.net",
                "--date",
                "2026-05-01",
                "--expires",
                "2026-04-01",
            ],
            "--email: expiry date 2026-04-01 must be after the issue date 2026-05-01",
        ),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_written(site, capsys, args, message):
    before = set((site / "assertions").rglob("*.yaml"))
    assert issue(site, *args) == 1
    err = capsys.readouterr().err
    assert message in err
    assert "nothing was written" in err
    assert new_files(site, before) == []


def test_a_second_badge_of_the_same_credential_for_the_same_email_is_refused(
    site, capsys, example_emails
):
    email = example_emails["54quanfthfzk"]  # holds restorative-conferencing
    before = set((site / "assertions").rglob("*.yaml"))
    assert issue(site, "restorative-conferencing", "--email", email.upper()) == 1
    err = capsys.readouterr().err
    assert "already holds 'restorative-conferencing' (assertions/2026/54quanfthfzk.yaml)" in err
    assert "--allow-duplicate" in err
    assert new_files(site, before) == []
    assert issue(site, "restorative-conferencing", "--email", email, "--allow-duplicate") == 0
    assert len(new_files(site, before)) == 1


def test_a_revoked_or_expired_badge_does_not_block_a_new_one(site, capsys, example_emails):
    revoked = example_emails["huxycukru2y4"]  # restorative-circles, revoked
    expired = example_emails["34w3muptens9"]  # exploring-restorative-practices, expired 2025
    assert issue(site, "restorative-circles", "--email", revoked) == 0
    assert issue(site, "exploring-restorative-practices", "--email", expired) == 0


def test_a_broken_site_is_reported_before_anything_is_issued(site, capsys):
    (site / "assertions" / "2026" / "broken.yaml").write_text("credential: nope\n")
    assert issue(site, "restorative-circles", "--email", "x@example.net") == 1
    err = capsys.readouterr().err
    assert "assertions/2026/broken.yaml" in err and "fix them before issuing" in err


def test_dry_run_checks_and_writes_nothing(site, capsys):
    before = set((site / "assertions").rglob("*.yaml"))
    assert issue(site, "restorative-circles", "--email", "x@example.net", "--dry-run") == 0
    assert "nothing written" in capsys.readouterr().out
    assert new_files(site, before) == []


def test_usage_errors_exit_2(site, capsys):
    assert issue(site, "restorative-circles") == 2
    assert issue(site, "restorative-circles", "--email", "x@example.net", "--csv", "r.csv") == 2
