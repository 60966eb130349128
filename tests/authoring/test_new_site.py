"""`badgepress new DIR`: the starter site builds, checks and verifies as soon as it is made."""

from __future__ import annotations

import glob
import re
import shutil
from pathlib import Path

from badgepress.cli import main
from badgepress.content.site_schemas import PACKAGE_SCHEMAS
from badgepress.openbadges.ob2 import hash_email
from tests.authoring.support import STARTER_ASSERTION, STARTER_EARNER
from tests.support import REPO, build_site, serve_directory

STARTER = REPO / "badgepress" / "starter"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def test_new_site_checks_and_builds_with_no_errors(tmp_path, capsys):
    site = tmp_path / "mysite"
    assert main(["new", str(site)]) == 0
    out = capsys.readouterr().out
    assert f"cd {site} && badgepress serve" in out
    assert "Open Badges 3.0" in out and "badgepress keygen" in out  # how to turn it on
    assert "its workflow (.github/workflows/badgepress.yml) installs badgepress" in out

    assert main(["check", "--source", str(site)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("ok: 1 credential, 1 stack, 1 assertion;")
    assert err == ""  # Open Badges 2.0 only is a choice, not worth a warning

    assert main(["build", "--source", str(site)]) == 0
    assert (site / "site" / "credentials" / "formative-feedback" / "index.html").is_file()
    assert (site / "site" / "assertions" / f"{STARTER_ASSERTION}.png").is_file()


def test_new_copies_dot_files_and_the_gitignore_keeps_the_output_out(tmp_path):
    site = tmp_path / "mysite"
    assert main(["new", str(site)]) == 0
    copied = sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(site).parts
    )
    expected = [p.relative_to(STARTER).as_posix() for p in STARTER.rglob("*") if p.is_file()]
    schemas = [f"schemas/{p.name}" for p in PACKAGE_SCHEMAS.glob("*.schema.json")]
    assert copied == sorted(expected + schemas)  # the editor schemas its files name, too
    assert ".gitignore" in copied
    ignored = (site / ".gitignore").read_text().splitlines()
    assert "/site/" in ignored
    assert "/.badgepress-cache/" in ignored


def test_new_fills_an_existing_empty_folder(tmp_path):
    assert main(["new", str(tmp_path)]) == 0
    assert (tmp_path / "content" / "site.yaml").is_file()


def test_new_refuses_a_folder_with_files_and_leaves_them(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine")
    assert main(["new", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"badgepress: error: {tmp_path}: expected a new or empty folder, found one with files"
        " in it; choose another name\n"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_new_refuses_a_file(tmp_path, capsys):
    target = tmp_path / "file"
    target.write_text("x")
    assert main(["new", str(target)]) == 1
    assert "expected a new or empty folder, found a file" in capsys.readouterr().err


def test_every_starter_file_is_package_data_dot_folders_included(tmp_path):
    # setuptools globs package-data like glob.glob: '*' and '**' skip dot names. Check the
    # patterns on a copy holding the dot-folder files the release workflow adds too.
    block = (REPO / "pyproject.toml").read_text().split("[tool.setuptools.package-data]")[1]
    patterns = re.findall(r'^\s*"([^"]+)",?$', block.split("]")[0], re.M)
    assert "starter/**/*" in patterns
    package = tmp_path / "badgepress"
    shutil.copytree(STARTER, package / "starter")
    for extra in (".github/workflows/badgepress.yml", ".github/PULL_REQUEST_TEMPLATE.md"):
        (package / "starter" / extra).parent.mkdir(parents=True, exist_ok=True)
        (package / "starter" / extra).write_text("x")
    matched = {
        Path(path)
        for pattern in patterns
        for path in glob.glob(pattern, root_dir=package, recursive=True)
        if (package / path).is_file()
    }
    files = {p.relative_to(package) for p in (package / "starter").rglob("*") if p.is_file()}
    assert files - matched == set()


def test_starter_content_has_no_email_address_but_the_issuers():
    for path in [*(STARTER / "content").rglob("*"), *(STARTER / "assertions").rglob("*")]:
        if path.is_file():
            found = set(EMAIL.findall(path.read_text()))
            assert found <= {"badges@example.org"}, f"{path}: {found}"


def test_starter_badge_verifies_as_issued_to_its_earner(tmp_path, capsys):
    site = tmp_path / "mysite"
    assert main(["new", str(site)]) == 0
    recipient = (site / "assertions" / f"{STARTER_ASSERTION}.yaml").read_text()
    salt = re.search(r"^  salt: (\w+)$", recipient, re.M).group(1)
    assert f"identity: {hash_email(STARTER_EARNER, salt)}" in recipient
    output = tmp_path / "site"
    output.mkdir()
    with serve_directory(output) as url:
        build_site(site, output, base_url=url + "/")
        capsys.readouterr()
        status = main(
            ["verify", f"{url}/assertions/{STARTER_ASSERTION}.json", "--email", STARTER_EARNER]
        )
        out = capsys.readouterr().out
    assert status == 0, out
    assert out.strip().splitlines()[-1] == "verdict: Valid"


def test_new_site_is_a_git_repository_so_issue_dates_come_from_commits(tmp_path, capsys):
    site = tmp_path / "mysite"
    assert main(["new", str(site)]) == 0
    assert "initialised a git repository" in capsys.readouterr().out
    assert (site / ".git").is_dir()


def test_new_sites_repository_starts_on_the_branch_its_workflow_deploys(tmp_path, monkeypatch):
    import subprocess

    import yaml

    # Whatever git's own default first branch is (master on many machines).
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "init.defaultBranch")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", "trunk")
    site = tmp_path / "mysite"
    assert main(["new", str(site)]) == 0
    workflow = yaml.safe_load((site / ".github/workflows/badgepress.yml").read_text())
    deployed = workflow[True]["push"]["branches"]  # YAML 1.1 reads the key `on` as true
    branch = subprocess.run(
        ["git", "-C", str(site), "symbolic-ref", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert branch in deployed


def test_new_site_inside_a_repository_gets_no_repository_of_its_own(tmp_path, capsys):
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    site = tmp_path / "mysite"
    assert main(["new", str(site)]) == 0
    assert "initialised" not in capsys.readouterr().out
    assert not (site / ".git").exists()
