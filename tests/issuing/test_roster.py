"""`badgepress issue --csv`: all rows checked first, every problem named by line, all or nothing."""

from __future__ import annotations

import os
import time
from pathlib import Path

import yaml

from badgepress.cli import main
from badgepress.openbadges.ob2 import hash_email
from tests.support import fifo_nobody_writes_to


def roster(tmp_path, text, name="roster.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def issue_csv(site, path):
    return main(["issue", "--csv", str(path), "--source", str(site)])


def assertion_files(site):
    return set((site / "assertions").rglob("*.yaml"))


def test_a_roster_issues_every_row(site, tmp_path, capsys):
    path = roster(
        tmp_path,
        "Email,Name,Public_Name,Credential,Evidence_URL,Evidence_Narrative,Narrative,Issued_On,Expires\n"
        'a@example.net,Ana,yes,affective-language,https://e.example/a,"Log, two weeks",Good,2026-02-01,2028-02-01\n'
        "\n"
        "b@example.net,,,restorative-circles,,,,,\n",
    )
    before = assertion_files(site)
    assert issue_csv(site, path) == 0
    new = sorted(assertion_files(site) - before)
    docs = {yaml.safe_load(p.read_text())["credential"]: yaml.safe_load(p.read_text()) for p in new}
    assert set(docs) == {"affective-language", "restorative-circles"}
    ana = docs["affective-language"]
    assert ana["recipient"]["identity"] == hash_email("a@example.net", ana["recipient"]["salt"])
    assert ana["recipient"]["name"] == "Ana" and ana["recipient"]["public_name"] is True
    assert ana["evidence"] == [{"url": "https://e.example/a", "narrative": "Log, two weeks"}]
    assert str(ana["issued_on"]) == "2026-02-01" and str(ana["expires"]) == "2028-02-01"
    assert "name" not in docs["restorative-circles"]["recipient"]
    assert "issued 2 badges" in capsys.readouterr().out
    assert main(["check", "--source", str(site)]) == 0


def test_every_bad_row_is_named_and_nothing_is_written(site, tmp_path, capsys, example_emails):
    path = roster(
        tmp_path,
        "email,credential,public_name,issued_on\n"
        "ok@example.net,affective-language,,\n"
        "bad-email,affective-language,,\n"
        "x@example.net,restorative-circle,,\n"
        "y@example.net,affective-language,maybe,\n"
        "z@example.net,affective-language,,2026-02-30\n"
        ",affective-language,,\n"
        "ok@example.net,affective-language,,\n"
        f"{example_emails['54quanfthfzk']},restorative-conferencing,,\n",
    )
    before = assertion_files(site)
    assert issue_csv(site, path) == 1
    err = capsys.readouterr().err.splitlines()
    shown = str(path)
    assert err == [
        f"{shown}:3: expected an email address such as name@example.org, found 'bad-email'",
        f"{shown}:4: unknown credential 'restorative-circle' (did you mean 'restorative-circles'?)",
        f"{shown}:5: public_name: expected yes or no (true/false), found 'maybe'",
        f"{shown}:6: issued_on: expected a date YYYY-MM-DD, found '2026-02-30'",
        f"{shown}:7: missing email",
        f"{shown}:8: 'affective-language' for ok@example.net is asked for twice (also {shown}:2); pass --allow-duplicate to issue both",
        f"{shown}:9: {example_emails['54quanfthfzk']} already holds 'restorative-conferencing' (assertions/2026/54quanfthfzk.yaml); pass --allow-duplicate to issue another",
        "badgepress: 7 problems found; nothing was written",
    ]
    assert assertion_files(site) == before


def test_unknown_and_missing_columns_are_errors_with_did_you_mean(site, tmp_path, capsys):
    path = roster(tmp_path, "emial,credential,evidence\nx@example.net,affective-language,u\n")
    assert issue_csv(site, path) == 1
    err = capsys.readouterr().err
    assert f"{path}:1: unknown column 'emial' (did you mean 'email'?)" in err
    assert f"{path}:1: unknown column 'evidence'" in err
    assert f"{path}:1: missing required column 'email'" in err


def test_line_numbers_count_quoted_multi_line_cells(site, tmp_path, capsys):
    path = roster(
        tmp_path,
        'email,credential,narrative\nok@example.net,affective-language,"two\nlines"\nbad,affective-language,\n',
    )
    assert issue_csv(site, path) == 1
    assert f"{path}:4: expected an email address" in capsys.readouterr().err


def test_an_empty_or_unreadable_roster_is_refused(site, tmp_path, capsys):
    assert issue_csv(site, roster(tmp_path, "email,credential\n")) == 1
    assert "no rows after the header" in capsys.readouterr().err
    assert issue_csv(site, tmp_path / "missing.csv") == 1
    assert "cannot read file" in capsys.readouterr().err
    bad = tmp_path / "latin1.csv"
    bad.write_bytes(b"email,credential\nj\xe9@example.net,affective-language\n")
    assert issue_csv(site, bad) == 1
    assert f"{bad}:2: expected UTF-8 text" in capsys.readouterr().err


def test_an_endless_roster_is_refused_after_the_size_limit_not_read_to_its_end(site, capsys):
    assert (
        issue_csv(site, Path("/dev/zero")) == 1
    )  # a device that never ends: no hang, no MemoryError
    assert "/dev/zero: expected at most 67,108,864 bytes, found more" in capsys.readouterr().err


def test_an_oversized_roster_is_refused_with_its_size_before_it_is_read(site, tmp_path, capsys):
    path = tmp_path / "huge.csv"
    with path.open("wb") as file:
        file.truncate(67_108_865)  # sparse: one byte past the limit, nothing written
    assert issue_csv(site, path) == 1
    assert (
        f"{path}: expected at most 67,108,864 bytes, found 67,108,865 (split the roster)"
        in capsys.readouterr().err
    )


def test_a_roster_piped_in_is_read_and_a_fifo_nobody_writes_to_is_empty(site, tmp_path, capsys):
    read_end, write_end = os.pipe()  # `... | badgepress issue --roster /dev/stdin`
    os.write(write_end, b"email,credential\np@example.net,affective-language\n")
    os.close(write_end)
    try:
        assert issue_csv(site, Path(f"/dev/fd/{read_end}")) == 0
    finally:
        os.close(read_end)
    assert "issued 1 badge" in capsys.readouterr().out
    with fifo_nobody_writes_to(tmp_path / "later.csv") as fifo:
        assert issue_csv(site, fifo) == 1  # at once: no wait for a writer that may never come
    assert f"{fifo}:1: expected a header row" in capsys.readouterr().err


def test_a_spreadsheet_bom_is_accepted(site, tmp_path, capsys):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffEmail,Credential\nq@example.net,affective-language\n".encode())
    assert issue_csv(site, path) == 0


def test_each_line_printed_names_its_roster_row_and_file_never_the_email(site, tmp_path, capsys):
    emails = ["first@example.net", "second@example.net", "third@example.net"]
    path = roster(
        tmp_path,
        "email,credential\n"
        f"{emails[0]},affective-language\n"
        "\n"
        f"{emails[1]},restorative-circles\n"
        f'"{emails[2]}",affective-language\n',
    )
    assert issue_csv(site, path) == 0
    out = capsys.readouterr().out
    rows = {}
    for line in out.splitlines()[:-1]:
        row, _, rest = line.partition(" -> ")
        rows[row] = site / rest.split("  ")[0]
    assert list(rows) == [f"{path.as_posix()}:{n}" for n in (2, 4, 5)]
    for email, file in zip(emails, rows.values(), strict=True):
        recipient = yaml.safe_load(file.read_text())["recipient"]
        assert recipient["identity"] == hash_email(email, recipient["salt"])
    assert "@" not in out


def test_a_huge_evidence_url_is_refused_in_linear_time(site, tmp_path, capsys):
    # The URL pattern split a long host between two overlapping parts every way it could:
    # 8,000 characters took 0.2 s, this cell (near csv's 128 KB limit) ~45 s. A tripwire.
    path = roster(
        tmp_path,
        f"email,credential,evidence_url\nx@example.net,affective-language,https://{'a' * 130_000} x\n",
    )
    started = time.process_time()
    assert issue_csv(site, path) == 1
    assert time.process_time() - started < 8
    err = capsys.readouterr().err
    assert f"{path}:2: evidence URL: expected an http(s) URL, found 'https://aaa" in err
    assert len(err) < 500  # the cell is named, not copied
