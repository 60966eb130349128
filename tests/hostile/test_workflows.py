"""The shipped workflows (this repository's and the starter's) never hand a pull request's code
a secret: `check` runs the pull request's templates, so it runs on `pull_request`, never
`pull_request_target`, with read-only permissions, no secret, and no token left in .git/config."""

from __future__ import annotations

import pytest
import yaml

from tests.support import REPO

WORKFLOWS = sorted(
    [
        *(REPO / ".github").rglob("*.yml"),
        *(REPO / "badgepress" / "starter" / ".github").rglob("*.yml"),
    ]
)


def _load(path):
    data = yaml.safe_load(path.read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def test_both_shipped_workflows_are_checked():
    assert {p.relative_to(REPO).as_posix() for p in WORKFLOWS} >= {
        ".github/workflows/badgepress.yml",
        "badgepress/starter/.github/workflows/badgepress.yml",
    }


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_pull_requests_run_without_secrets_or_write_access(path):
    data = _load(path)
    assert "pull_request_target" not in data["on"]
    assert "workflow_run" not in data["on"]  # it would run with secrets after a pull request
    assert data["permissions"] == {"contents": "read"}
    assert "secrets." not in yaml.safe_dump(data.get("env", {}))  # every job sees these
    for name, job in data["jobs"].items():
        if "pull_request" not in str(job.get("if", "")) or "!=" in str(job["if"]):
            continue
        body = yaml.safe_dump(job)
        assert "secrets." not in body and "env" not in job, name
        assert "permissions" not in job, name  # the workflow's read-only default
        checkouts = [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@")]
        assert checkouts and all(s["with"]["persist-credentials"] is False for s in checkouts)
        assert not any(s.get("uses", "").startswith("actions/cache@") for s in job["steps"])
