"""A new site's first deploy, run here: the steps of the workflow `badgepress new` writes, as
GitHub Actions would run them, in a fresh virtual environment, with no edit.

The only substitution is where badgepress comes from: the workflow pins a commit of the
canonical source; the test installs that same commit from this checkout. Every `uses:` step is
played by a local stand-in below; a step this test does not know fails it, so a workflow
change cannot go untested.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from badgepress.issuing.install_pin import canonical_source
from badgepress.issuing.new_site import WORKFLOW, create_site
from tests.support import REPO

GIT = {
    "GIT_AUTHOR_NAME": "Facilitator",
    "GIT_AUTHOR_EMAIL": "facilitator@example.org",
    "GIT_COMMITTER_NAME": "Facilitator",
    "GIT_COMMITTER_EMAIL": "facilitator@example.org",
}


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 600) -> str:
    done = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def _clean_environment(venv: Path) -> dict[str, str]:
    """This machine's environment without the test's own virtual environment: `python`, `pip`
    and `badgepress` are the fresh environment's, as on a runner after setup-python."""
    ours = Path(sys.prefix).resolve()
    path = [
        entry
        for entry in os.environ.get("PATH", "").split(os.pathsep)
        if entry and not Path(entry).resolve().is_relative_to(ours)
    ]
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "CI")}
    env.update(GIT, PATH=os.pathsep.join([str(venv / "bin"), *path]), GITHUB_ACTIONS="true")
    return env


class LocalRunner:
    """Plays a workflow's steps on this machine; `uses:` steps by the stand-ins below."""

    def __init__(self, site: Path, work: Path, workflow: dict, requirement: str) -> None:
        self.site = site  # the repository GitHub would hold: what was committed
        self.work = work
        self.workflow = workflow
        self.venv = work / "venv"
        self.env = {**workflow.get("env", {}), "BADGEPRESS": requirement}
        self.checkout: Path | None = None
        self.ran: list[str] = []

    def run_job(self, name: str) -> None:
        job = self.workflow["jobs"][name]
        self.checkout = None
        for step in job["steps"]:
            if "uses" in step:
                action, _, version = step["uses"].partition("@")
                assert re.fullmatch(r"v\d+", version), f"{step['uses']}: pin a major version"
                stand_in = self.STAND_INS.get(action)
                assert stand_in, f"{action}: this test has no stand-in for it; add one"
                stand_in(self, step.get("with", {}))
                self.ran.append(action)
            else:
                assert "${{" not in str(step.get("env", {})), "expressions need a stand-in"
                env = {**_clean_environment(self.venv), **self.env, **step.get("env", {})}
                assert self.checkout is not None, "a run step before actions/checkout"
                _run(["bash", "-e", "-o", "pipefail", "-c", step["run"]], self.checkout, env)
                self.ran.append(step["run"])

    def _checkout(self, options: dict) -> None:
        self.checkout = self.work / f"checkout-{len(self.ran)}"
        depth = [] if options.get("fetch-depth") == 0 else ["--depth", "1"]
        _run(
            ["git", "clone", "-q", *depth, self.site.as_uri(), str(self.checkout)],
            self.work,
            _clean_environment(self.venv),
        )

    def _setup_python(self, options: dict) -> None:
        assert re.fullmatch(r"3\.\d+", str(options["python-version"]))
        if not (self.venv / "bin" / "python").exists():  # one fresh environment for both jobs
            # setup-python brings a current pip, as --upgrade-deps does.
            _run(
                [sys.executable, "-m", "venv", "--upgrade-deps", str(self.venv)],
                self.work,
                dict(os.environ),
            )

    def _cache(self, options: dict) -> None:
        assert options["path"] == ".badgepress-cache"  # a first deploy finds nothing to restore

    def _upload_pages_artifact(self, options: dict) -> None:
        assert (self.checkout / options["path"] / "index.html").is_file()

    def _deploy_pages(self, options: dict) -> None:
        pass  # GitHub's side; the artifact above is what it publishes

    STAND_INS = {  # noqa: RUF012
        "actions/checkout": _checkout,
        "actions/setup-python": _setup_python,
        "actions/cache": _cache,
        "actions/upload-pages-artifact": _upload_pages_artifact,
        "actions/deploy-pages": _deploy_pages,
    }


def test_a_new_sites_workflow_checks_builds_and_deploys_with_no_edit(tmp_path):
    site = tmp_path / "mysite"
    create_site(site)
    _run(["git", "init", "-q"], site, {**os.environ, **GIT})
    _run(["git", "add", "-A"], site, {**os.environ, **GIT})
    _run(["git", "commit", "-qm", "A new badge site"], site, {**os.environ, **GIT})
    workflow = yaml.safe_load((site / WORKFLOW).read_text())

    # The pin's form: a full commit of the canonical source. Installed here from this checkout.
    pinned = re.fullmatch(
        rf"badgepress @ git\+{re.escape(canonical_source())}@(?P<commit>[0-9a-f]{{40}})",
        workflow["env"]["BADGEPRESS"],
    )
    assert pinned, workflow["env"]["BADGEPRESS"]
    local = f"badgepress @ git+{REPO.as_uri()}@{pinned['commit']}"
    runner = LocalRunner(site, tmp_path, workflow, local)

    runner.run_job("check")  # a pull request
    runner.run_job("deploy")  # the merge to main

    assert runner.ran.count('pip install "$BADGEPRESS"') == 2
    assert "badgepress check" in runner.ran and "badgepress build" in runner.ran
    assert "actions/upload-pages-artifact" in runner.ran
    installed = _run(
        [str(runner.venv / "bin" / "python"), "-m", "pip", "show", "badgepress"],
        tmp_path,
        _clean_environment(runner.venv),
    )
    assert "Location: " + str(runner.venv) in installed  # not this checkout, not the test's venv
