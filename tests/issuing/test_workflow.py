"""The review workflow shipped to new sites: check on pull requests, deploy Pages from main."""

from __future__ import annotations

import re

import yaml

from badgepress import __version__
from tests.support import REPO

STARTER = REPO / "badgepress" / "starter" / ".github"
WORKFLOW = STARTER / "workflows" / "badgepress.yml"
TEMPLATE = STARTER / "PULL_REQUEST_TEMPLATE.md"


def workflow():
    data = yaml.safe_load(WORKFLOW.read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(job):
    return workflow()["jobs"][job]["steps"]


def uses(job, action):
    found = [s for s in steps(job) if s.get("uses", "").startswith(action + "@")]
    assert found, f"{job} has no {action} step"
    return found[0]


def runs(job):
    return [s["run"] for s in steps(job) if "run" in s]


def test_pull_requests_touching_assertions_or_content_are_checked():
    data = workflow()
    assert {"assertions/**", "content/**"} <= set(data["on"]["pull_request"]["paths"])
    check = data["jobs"]["check"]
    assert check["if"] == "github.event_name == 'pull_request'"
    assert uses("check", "actions/checkout")["with"]["fetch-depth"] == 0
    assert "badgepress check" in runs("check")


def test_pushes_to_main_build_and_deploy_site_to_pages():
    data = workflow()
    assert data["on"]["push"]["branches"] == ["main"]
    deploy = data["jobs"]["deploy"]
    assert deploy["if"] == "github.event_name != 'pull_request'"
    assert deploy["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    names = [s.get("uses", s.get("run", "")).split("@")[0] for s in steps("deploy")]
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
    assert uses("deploy", "actions/checkout")["with"]["fetch-depth"] == 0
    assert uses("deploy", "actions/upload-pages-artifact")["with"]["path"] == "site"
    assert data["permissions"] == {"contents": "read"}


def test_the_pinned_badgepress_is_this_version():
    for job in ("check", "deploy"):
        [install] = [r for r in runs(job) if r.startswith("pip install")]
        pin = re.search(r'"badgepress~=(\d+)\.(\d+)\.(\d+)"', install)
        assert pin, install
        major, minor, _ = __version__.split(".")
        assert (pin[1], pin[2]) == (major, minor), "update the pin in the starter workflow"


def test_the_pull_request_template_asks_for_review_of_an_issue():
    text = TEMPLATE.read_text()
    assert "badgepress issue" in text and "badgepress revoke" in text
    assert "no email address appears" in text
    assert "public_name: true" in text


def test_this_repository_ships_the_same_files_as_its_example():
    assert (REPO / ".github" / "workflows" / "badgepress.yml").read_bytes() == WORKFLOW.read_bytes()
    assert (REPO / ".github" / "PULL_REQUEST_TEMPLATE.md").read_bytes() == TEMPLATE.read_bytes()


def test_deploys_restore_the_build_cache_before_building():
    # Drawn images and 3.0 signatures survive between deploys; the cache is restored first.
    names = [s.get("uses", s.get("run", "")).split("@")[0] for s in steps("deploy")]
    assert names.index("actions/cache") < names.index("badgepress build")
    cache = uses("deploy", "actions/cache")["with"]
    assert cache["path"] == ".badgepress-cache"
    assert cache["key"].startswith(cache["restore-keys"])
