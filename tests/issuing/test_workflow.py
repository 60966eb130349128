"""The review workflow `badgepress new` writes: check on pull requests, deploy Pages from main,
installing exactly the badgepress that made the site."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from badgepress.issuing.install_pin import canonical_source
from badgepress.issuing.new_site import REQUIREMENT_PLACEHOLDER, WORKFLOW, create_site
from tests.support import REPO

STARTER = REPO / "badgepress" / "starter" / ".github"
TEMPLATE = STARTER / "PULL_REQUEST_TEMPLATE.md"


def read_workflow(path: Path) -> dict:
    data = yaml.safe_load(path.read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


@pytest.fixture(scope="module")
def workflow(tmp_path_factory) -> dict:
    """The workflow of a site `badgepress new` just made."""
    site = tmp_path_factory.mktemp("new") / "mysite"
    create_site(site)
    return read_workflow(site / WORKFLOW)


def steps(workflow, job):
    return workflow["jobs"][job]["steps"]


def uses(workflow, job, action):
    found = [s for s in steps(workflow, job) if s.get("uses", "").startswith(action + "@")]
    assert found, f"{job} has no {action} step"
    return found[0]


def runs(workflow, job):
    return [s["run"] for s in steps(workflow, job) if "run" in s]


def head_of_this_repository() -> str:
    return subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_pull_requests_touching_the_sites_files_or_its_badgepress_are_checked(workflow):
    # Every input of a build (incremental.INPUT_FOLDERS), and the workflow itself: upgrading
    # badgepress is a pull request that changes only its BADGEPRESS line.
    from badgepress.build.inputs import INPUT_FOLDERS

    assert {f"{folder}/**" for folder in INPUT_FOLDERS} | {WORKFLOW.as_posix()} <= set(
        workflow["on"]["pull_request"]["paths"]
    )
    check = workflow["jobs"]["check"]
    assert check["if"] == "github.event_name == 'pull_request'"
    assert uses(workflow, "check", "actions/checkout")["with"]["fetch-depth"] == 0
    assert "badgepress check" in runs(workflow, "check")


def test_pushes_to_main_build_and_deploy_site_to_pages(workflow):
    assert workflow["on"]["push"]["branches"] == ["main"]
    deploy = workflow["jobs"]["deploy"]
    assert deploy["if"] == "github.event_name != 'pull_request'"
    assert deploy["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    names = [s.get("uses", s.get("run", "")).split("@")[0] for s in steps(workflow, "deploy")]
    order = [
        "actions/checkout",
        "actions/setup-python",
        "pip install",
        "badgepress build",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ]
    positions = [next(i for i, n in enumerate(names) if n.startswith(o)) for o in order]
    assert positions == sorted(positions)
    # Git dates and withdrawn badges need the whole history, not the default shallow clone.
    assert uses(workflow, "deploy", "actions/checkout")["with"]["fetch-depth"] == 0
    assert uses(workflow, "deploy", "actions/upload-pages-artifact")["with"]["path"] == "site"
    assert workflow["permissions"] == {"contents": "read"}


def test_a_new_sites_workflow_installs_this_very_commit_of_the_canonical_source(workflow):
    # Never a bare name or a range: nobody has published `badgepress` on PyPI yet, and a name
    # anyone may claim must not run in a job that deploys Pages and may hold the signing key.
    requirement = workflow["env"]["BADGEPRESS"]
    pin = re.fullmatch(
        rf"badgepress @ git\+{re.escape(canonical_source())}@(?P<commit>[0-9a-f]{{40}})",
        requirement,
    )
    assert pin, requirement
    assert pin["commit"] == head_of_this_repository()
    for job in ("check", "deploy"):
        installs = [r for r in runs(workflow, job) if "pip install" in r]
        assert installs == ['pip install "$BADGEPRESS"'], job


def test_the_canonical_source_is_declared_once_in_pyproject():
    declared = re.findall(r'^Source = "([^"]+)"$', (REPO / "pyproject.toml").read_text(), re.M)
    assert declared == [canonical_source()] == ["https://github.com/badgepress/badgepress"]


def test_the_starter_workflow_leaves_one_place_for_the_requirement():
    text = (REPO / "badgepress" / "starter" / WORKFLOW).read_text()
    assert text.count(REQUIREMENT_PLACEHOLDER) == 1
    assert re.findall(r"pip install .*", text) == ['pip install "$BADGEPRESS"'] * 2


def test_the_pull_request_template_asks_for_review_of_an_issue():
    text = TEMPLATE.read_text()
    assert "badgepress issue" in text and "badgepress revoke" in text
    assert "no email address appears" in text
    assert "public_name: true" in text


def test_this_repository_ships_the_starters_files_installing_its_own_checkout():
    # The same workflow as every site's, except that badgepress itself installs `.`.
    starter = (REPO / "badgepress" / "starter" / WORKFLOW).read_text()
    ours = (REPO / WORKFLOW).read_text()
    assert ours == starter.replace(REQUIREMENT_PLACEHOLDER, ".")
    assert (REPO / ".github" / "PULL_REQUEST_TEMPLATE.md").read_bytes() == TEMPLATE.read_bytes()


def test_deploys_restore_the_build_cache_before_building(workflow):
    # Drawn images and 3.0 signatures survive between deploys; the cache is restored first.
    names = [s.get("uses", s.get("run", "")).split("@")[0] for s in steps(workflow, "deploy")]
    assert names.index("actions/cache") < names.index("badgepress build")
    cache = uses(workflow, "deploy", "actions/cache")["with"]
    assert cache["path"] == ".badgepress-cache"
    assert cache["key"].startswith(cache["restore-keys"])
