"""`badgepress revoke` / `unrevoke`: two lines change, everything else in the file stays."""

from __future__ import annotations

import json

from badgepress.cli import main
from tests.issuing.gitrepo import commit_all
from tests.support import build_site

COMMENTED = """\
# Reviewed by the assessment team, PR #41.
credential: restorative-circles
recipient:
  identity: sha256$b077a84a3aa852db2d39445e6000c3a15cb1844a6f38dec2dc51b8d2db59693b
  salt: 5f8b2176b08d5bef794178113c329c4e  # written by badgepress issue
  name: Devon Price
  public_name: true
issued_on: 2025-09-15

evidence:
  - url: https://video.example.com/dprice/academic-circle
    name: "Eight-minute video"
"""


def test_revoke_adds_two_lines_and_keeps_the_rest_byte_for_byte(site, capsys, tmp_path):
    path = site / "assertions" / "2026" / "8vcxgcyxdmwy.yaml"
    path.write_text(COMMENTED)
    assert (
        main(
            [
                "revoke",
                "8vcxgcyxdmwy",
                "--reason",
                "Evidence: not the candidate's",
                "--source",
                str(site),
            ]
        )
        == 0
    )
    assert (
        path.read_text()
        == COMMENTED + 'revoked: true\nrevocation_reason: "Evidence: not the candidate\'s"\n'
    )
    output = tmp_path / "out"
    build_site(site, output)
    doc = json.loads((output / "assertions" / "8vcxgcyxdmwy.json").read_text())
    assert doc["revoked"] is True and doc["revocationReason"] == "Evidence: not the candidate's"
    revocations = json.loads((output / "revocations.json").read_text())
    assert "https://badges.example.org/assertions/8vcxgcyxdmwy.json" in {
        r["id"] for r in revocations["revokedAssertions"]
    }

    assert main(["unrevoke", "8vcxgcyxdmwy", "--source", str(site)]) == 0
    assert path.read_text() == COMMENTED


def test_revoking_a_revoked_badge_again_is_refused_and_keeps_its_reason(site, capsys):
    path = site / "assertions" / "2026" / "huxycukru2y4.yaml"
    before = path.read_bytes()
    args = ["revoke", "huxycukru2y4", "--reason", "Another reason", "--source", str(site)]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err.startswith("badgepress: error: assertions/2026/huxycukru2y4.yaml: already revoked")
    assert err.rstrip().endswith("; pass --force to replace the reason"), err
    assert path.read_bytes() == before


def test_revoke_force_replaces_a_multi_line_reason_and_an_existing_flag(site, capsys):
    path = site / "assertions" / "2026" / "huxycukru2y4.yaml"
    head = path.read_text().split("revoked:")[0]
    args = ["revoke", "huxycukru2y4", "--reason", "Scored again: not yet", "--force"]
    assert main([*args, "--source", str(site)]) == 0
    assert path.read_text() == head + 'revoked: true\nrevocation_reason: "Scored again: not yet"\n'
    assert capsys.readouterr().out.startswith(
        "replaced the revocation reason of assertions/2026/huxycukru2y4.yaml (it was 'Issued in "
        "error: the scores recorded for this submission belonged to a different…'); commit it"
    )
    assert main(["check", "--source", str(site)]) == 0


def test_revoke_keeps_keys_after_the_flag(site, capsys):
    path = site / "assertions" / "2026" / "8vcxgcyxdmwy.yaml"
    path.write_text("revoked: false  # not yet\n" + COMMENTED)
    assert (
        main(
            ["revoke", "8vcxgcyxdmwy", "--reason", "Withdrawn by the earner", "--source", str(site)]
        )
        == 0
    )
    assert path.read_text() == (
        "revoked: true\nrevocation_reason: Withdrawn by the earner\n" + COMMENTED
    )


def test_unknown_ids_get_a_did_you_mean(site, capsys):
    assert main(["revoke", "8vcxgcyxdmwz", "--reason", "x", "--source", str(site)]) == 1
    assert (
        "no assertion with id '8vcxgcyxdmwz' under assertions/ (did you mean '8vcxgcyxdmwy'?)"
        in capsys.readouterr().err
    )


def test_unrevoke_of_a_badge_that_is_not_revoked_is_refused(site, capsys):
    assert main(["unrevoke", "8vcxgcyxdmwy", "--source", str(site)]) == 1
    assert "not revoked" in capsys.readouterr().err


def test_an_empty_reason_is_refused(site, capsys):
    assert main(["revoke", "8vcxgcyxdmwy", "--reason", "  ", "--source", str(site)]) == 1
    assert "expected a --reason" in capsys.readouterr().err


def test_revoking_a_deleted_badge_explains_that_it_is_already_withdrawn(site, capsys):
    (site / "assertions" / "2026" / "8vcxgcyxdmwy.yaml").unlink()
    commit_all(site, "withdraw", when="2026-05-01T09:00:00+00:00")
    assert main(["revoke", "8vcxgcyxdmwy", "--reason", "x", "--source", str(site)]) == 1
    err = capsys.readouterr().err
    assert "assertions/2026/8vcxgcyxdmwy.yaml was deleted in commit" in err
    assert "published as revoked 'withdrawn'" in err and "git checkout" in err
