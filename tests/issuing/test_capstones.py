"""Stack capstones: written once the stack's required credentials are held, never twice."""

from __future__ import annotations

import yaml

from badgepress.cli import main
from badgepress.openbadges.ob2 import hash_email
from tests.issuing.gitrepo import commit_all

STACK = "content/credentials/restorative-practices/index.md"
CAPSTONE = "implementing-restorative-practices"
WHEN = "2026-06-01T10:00:00+00:00"  # after every issue date of the example site


def with_capstone(site, required=None):
    index = site / STACK
    extra = f"capstone: {CAPSTONE}\n" + (f"required: {required}\n" if required else "")
    index.write_text(index.read_text().replace("order:\n", extra + "order:\n", 1))
    commit_all(site, "capstone", when=WHEN)


def issued(site, before):
    docs = {}
    for path in sorted(set((site / "assertions").rglob("*.yaml")) - before):
        doc = yaml.safe_load(path.read_text())
        docs.setdefault(doc["credential"], []).append((path.stem, doc))
    return docs


def issue_csv(site, tmp_path, rows):
    path = tmp_path / "roster.csv"
    path.write_text("email,name,public_name,credential\n" + "".join(r + "\n" for r in rows))
    return main(["issue", "--csv", str(path), "--source", str(site)])


def test_completing_the_stack_writes_the_capstone_linking_its_components(site, tmp_path, capsys):
    with_capstone(site)
    email = "new.teacher@example.net"
    before = set((site / "assertions").rglob("*.yaml"))
    first = ["exploring-restorative-practices", "affective-language", "restorative-circles"]
    assert issue_csv(site, tmp_path, [f"{email},Sam,yes,{c}" for c in first]) == 0
    assert CAPSTONE not in issued(site, before)  # three of four: not yet
    commit_all(site, "three badges", when=WHEN)

    assert (
        main(
            [
                "issue",
                "restorative-conferencing",
                "--email",
                email,
                "--name",
                "Sam",
                "--public-name",
                "--source",
                str(site),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    docs = issued(site, before)
    [(capstone_id, capstone)] = docs[CAPSTONE]
    assert f"/assertions/{capstone_id}/  (capstone of Restorative Practices)" in out
    recipient = capstone["recipient"]
    assert recipient["identity"] == hash_email(email, recipient["salt"])
    assert recipient["name"] == "Sam" and recipient["public_name"] is True
    component_ids = [docs[c][0][0] for c in [*first, "restorative-conferencing"]]
    assert [e["url"] for e in capstone["evidence"]] == [
        f"https://badges.example.org/assertions/{i}.json" for i in component_ids
    ]
    assert main(["check", "--source", str(site)]) == 0

    # Never twice: another component badge for the same earner writes no second capstone.
    commit_all(site, "capstone issued", when=WHEN)
    before = set((site / "assertions").rglob("*.yaml"))
    assert (
        main(
            [
                "issue",
                "affective-language",
                "--email",
                email,
                "--allow-duplicate",
                "--source",
                str(site),
            ]
        )
        == 0
    )
    assert list(issued(site, before)) == ["affective-language"]


def test_required_counts_badges_already_held_but_not_expired_ones(
    site, tmp_path, capsys, example_emails
):
    with_capstone(site, required=2)
    before = set((site / "assertions").rglob("*.yaml"))
    devon = example_emails["8vcxgcyxdmwy"]  # holds restorative-circles
    priya = example_emails["uyhvmjgq5m3b"]  # holds affective-language
    nguyen = example_emails["34w3muptens9"]  # exploring-restorative-practices, expired in 2025
    rows = [
        f"{devon},,,affective-language",
        f"{priya},Priya,no,restorative-circles",
        f"{nguyen},,,affective-language",
    ]
    assert issue_csv(site, tmp_path, rows) == 0
    docs = issued(site, before)
    assert len(docs[CAPSTONE]) == 2
    by_earner = {}
    for _, doc in docs[CAPSTONE]:
        salt = doc["recipient"]["salt"]
        who = [
            e for e in (devon, priya, nguyen) if hash_email(e, salt) == doc["recipient"]["identity"]
        ]
        by_earner[who[0]] = doc
    assert set(by_earner) == {devon, priya}
    new_affective = {
        hash_email(devon, d["recipient"]["salt"]) == d["recipient"]["identity"]: i
        for i, d in docs["affective-language"]
    }[True]
    assert [e["url"].rsplit("/", 1)[1] for e in by_earner[devon]["evidence"]] == [
        new_affective + ".json",
        "8vcxgcyxdmwy.json",
    ]
    assert by_earner[priya]["recipient"]["name"] == "Priya"
    assert "public_name" not in by_earner[priya]["recipient"]


def test_revoked_components_do_not_count(site, tmp_path, capsys, example_emails):
    with_capstone(site, required=2)
    holder = example_emails["huxycukru2y4"]  # restorative-circles, revoked
    before = set((site / "assertions").rglob("*.yaml"))
    assert issue_csv(site, tmp_path, [f"{holder},,,affective-language"]) == 0
    assert CAPSTONE not in issued(site, before)


def test_a_capstone_from_a_roster_names_the_row_that_completed_its_stack(site, tmp_path, capsys):
    with_capstone(site)
    components = [
        "exploring-restorative-practices",
        "affective-language",
        "restorative-circles",
        "restorative-conferencing",
    ]
    rows = [f"sam@example.net,Sam,yes,{c}" for c in components]
    assert issue_csv(site, tmp_path, rows) == 0
    out = capsys.readouterr().out
    capstone_lines = [line for line in out.splitlines() if "(capstone of" in line]
    assert len(capstone_lines) == 1, out
    capstone_line = capstone_lines[0]
    roster = (tmp_path / "roster.csv").as_posix()
    assert capstone_line.startswith(f"{roster}:5 -> assertions/")  # the fourth of four
    assert capstone_line.endswith("  (capstone of Restorative Practices)")


def test_the_completing_row_counts_badges_held_before_and_skips_other_earners_rows(
    site, tmp_path, capsys, example_emails
):
    with_capstone(site, required=3)
    devon = example_emails["8vcxgcyxdmwy"]  # holds restorative-circles
    rows = [
        f"{devon},,,affective-language",  # line 2: two of three
        "someone@example.net,,,affective-language",  # line 3: another earner
        f"{devon},,,restorative-conferencing",  # line 4: three of three
        f"{devon},,,exploring-restorative-practices",  # line 5: one more, after completion
    ]
    assert issue_csv(site, tmp_path, rows) == 0
    out = capsys.readouterr().out
    [capstone_line] = [line for line in out.splitlines() if "(capstone of" in line]
    assert capstone_line.startswith(f"{(tmp_path / 'roster.csv').as_posix()}:4 -> assertions/")
