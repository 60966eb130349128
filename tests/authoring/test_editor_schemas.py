"""A site's editor schemas: written by `new` and `schemas`, named by the files `issue` writes,
and a copy from another badgepress version is reported by `check` and `build`."""

from __future__ import annotations

import re

import pytest

from badgepress.cli import main
from badgepress.content.site_schemas import PACKAGE_SCHEMAS, SITE_FOLDER


def _new_site(tmp_path, capsys):
    site = tmp_path / "mysite"
    assert main(["new", str(site)]) == 0
    capsys.readouterr()
    return site


def test_check_and_build_say_when_the_schemas_are_another_versions_until_updated(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")  # builds can be no-ops
    site = _new_site(tmp_path, capsys)
    (site / SITE_FOLDER / "credential.schema.json").write_text("{}\n")
    for command in (["check"], ["build"], ["build"]):
        assert main([*command, "--source", str(site)]) == 0
        out, err = capsys.readouterr()
        assert (
            "warning: schemas/credential.schema.json: not the editor schemas of this badgepress"
            in err
        )
        assert "run 'badgepress schemas' to update them" in err
    assert "is up to date" in out  # the last build had nothing to do, and still said it

    assert main(["schemas", "--source", str(site)]) == 0
    assert "(1 updated)" in capsys.readouterr().out
    assert (site / SITE_FOLDER / "credential.schema.json").read_bytes() == (
        PACKAGE_SCHEMAS / "credential.schema.json"
    ).read_bytes()
    assert main(["check", "--source", str(site)]) == 0
    assert "schemas" not in capsys.readouterr().err
    assert main(["schemas", "--source", str(site)]) == 0
    assert "already up to date" in capsys.readouterr().out


def test_issue_names_the_schema_in_the_files_it_writes(tmp_path, capsys):
    site = _new_site(tmp_path, capsys)
    args = ["formative-feedback", "--email", "ann@example.org", "--date", "2026-05-04"]
    assert main(["issue", *args, "--source", str(site)]) == 0
    (path,) = (site / "assertions" / "2026").glob("*.yaml")
    first = path.read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schemas/assertion.schema.json"
    named = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)[1]
    assert (path.parent / named).resolve() == (site / SITE_FOLDER / "assertion.schema.json")
    assert main(["check", "--source", str(site)]) == 0


def test_a_site_without_schemas_gets_files_without_the_line(tmp_path, capsys):
    site = _new_site(tmp_path, capsys)
    for schema in (site / SITE_FOLDER).iterdir():
        schema.unlink()
    args = ["formative-feedback", "--email", "ann@example.org", "--date", "2026-05-04"]
    assert main(["issue", *args, "--source", str(site)]) == 0
    (path,) = (site / "assertions" / "2026").glob("*.yaml")
    assert path.read_text().startswith("credential: formative-feedback\n")


@pytest.mark.parametrize("command", [["schemas"], ["translate", "de"]])
def test_commands_that_write_into_a_site_refuse_a_folder_that_is_none(tmp_path, capsys, command):
    assert main([*command, "--source", str(tmp_path)]) == 1
    assert "no content/site.yaml, so not a site" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
