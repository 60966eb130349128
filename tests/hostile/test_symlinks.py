"""A link out of content/ or templates/ is an error that names the link and shows nothing of
what it points at; a link that stays in the repository is followed."""

from __future__ import annotations

from pathlib import Path

import pytest

from badgepress.cli import main
from badgepress.content.links import MESSAGE
from tests.hostile.cases import CANARY, CASES

LINKS_OUT = {
    "page-linked-to-proc-self-environ": "content/pages/environment.md",
    "credential-linked-outside": "content/credentials/pathway/first-steps.md",
    "site-yaml-linked-outside": "content/site.yaml",
    "stack-folder-linked-outside": "content/credentials/elsewhere",
    "template-linked-outside": "templates/page.html",
    "templates-folder-linked-outside": "templates",
    "page-linked-into-git": "content/pages/config.md",
}


@pytest.fixture
def site(base_site) -> Path:
    source = base_site
    (source / ".git").mkdir()  # what a link into .git/ would read
    (source / ".git" / "config").write_text(f"[http]\n\textraheader = {CANARY}\n")
    return source


def _everything_written(site: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in (site / "site").rglob("*") if p.is_file())


@pytest.mark.parametrize("case", sorted(LINKS_OUT))
def test_a_link_out_of_the_repository_is_named_and_nothing_of_its_target_shown(case, site, capsys):
    environ = Path("/proc/self/environ").read_bytes()[:24].decode(errors="replace")
    CASES[case](site)

    status = main(["build", "--source", str(site), "--quiet"])
    out, err = capsys.readouterr()

    assert status == 1
    assert err.splitlines()[0] == f"{LINKS_OUT[case]}: {MESSAGE}"
    assert CANARY not in out + err
    assert environ not in out + err
    assert str(site.parent / "outside") not in out + err  # not even where it points
    assert not (site / "site").exists()


@pytest.mark.parametrize("case", ["badge-image-path-outside", "badge-image-path-climbing-out"])
def test_a_badge_image_path_out_of_the_repository_is_refused(case, site, capsys):
    CASES[case](site)
    assert main(["check", "--source", str(site)]) == 1
    err = capsys.readouterr().err
    assert "'image': expected a file inside the repository" in err
    assert CANARY not in err


def test_a_link_inside_the_repository_is_followed(site, capsys):
    CASES["badge-image-linked-inside"](site)
    assert main(["build", "--source", str(site), "--quiet"]) == 0
    shared = (site / "content" / "shared" / "badge.png").read_bytes()
    badge = site / "site" / "credentials" / "first-steps" / "badge.png"
    assert badge.read_bytes() == shared
    assert CANARY not in _everything_written(site)
