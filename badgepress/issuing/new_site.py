"""`badgepress new DIR`: copy the starter site (badgepress/starter/, dot-files included) into DIR."""

from __future__ import annotations

import shlex
import shutil
import sys
from importlib.resources import as_file, files
from pathlib import Path
from typing import TextIO

from ..content.gitlog import init_repository
from ..content.site_schemas import write_site_schemas
from ..wording import counted
from .install_pin import NoSource, Pin, current_pin

# Never copied even if a developer's checkout has them next to the starter files.
_SKIPPED = shutil.ignore_patterns("__pycache__", "*.pyc", ".DS_Store")
# The starter workflow's stand-in for the badgepress it installs (install_pin.current_pin).
WORKFLOW = Path(".github", "workflows", "badgepress.yml")
REQUIREMENT_PLACEHOLDER = "@BADGEPRESS_REQUIREMENT@"
# The branch the starter workflow deploys from (`on: push: branches`): the new repository's.
BRANCH = "main"


class TargetNotEmpty(Exception):
    """DIR exists and holds files: `new` never mixes the starter into someone's folder."""


def create_site(target: Path, pin: Pin | None = None) -> list[Path]:
    """Copy every file of the starter site into `target` (new or empty), its workflow installing
    `pin` (default: this badgepress, `current_pin`); return the files, relative."""
    pin = pin or current_pin()
    if target.exists() and not target.is_dir():
        raise TargetNotEmpty(f"{target}: expected a new or empty folder, found a file")
    if target.is_dir() and any(target.iterdir()):
        raise TargetNotEmpty(
            f"{target}: expected a new or empty folder, found one with files in it; "
            "choose another name"
        )
    with as_file(files("badgepress") / "starter") as starter:
        shutil.copytree(starter, target, ignore=_SKIPPED, dirs_exist_ok=True)
    workflow = target / WORKFLOW
    text = workflow.read_text(encoding="utf-8")
    workflow.write_text(text.replace(REQUIREMENT_PLACEHOLDER, pin.requirement), encoding="utf-8")
    # The editor schemas the starter's files name: this version's (see site_schemas).
    write_site_schemas(target)
    return sorted(p.relative_to(target) for p in target.rglob("*") if p.is_file())


def run(target: Path, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """The `new` command: exit 0 with next steps, 1 when DIR is not empty."""
    out, err = out or sys.stdout, err or sys.stderr
    try:
        pin = current_pin()
        created = create_site(target, pin)
    except (TargetNotEmpty, NoSource) as problem:
        print(f"badgepress: error: {problem}", file=err)
        return 1
    except OSError as problem:
        print(f"badgepress: error: cannot create {target}: {problem.strerror}", file=err)
        return 1
    print(f"created a starter site in {target} ({counted(len(created), 'file')})", file=out)
    print(f"its workflow ({WORKFLOW.as_posix()}) installs {pin.described}", file=out)
    for warning in pin.warnings:
        print(f"warning: {warning}", file=err)
    # Git is the ledger: issue dates come from the commits that add assertion files.
    if init_repository(target, BRANCH):
        print("initialised a git repository there: commit it to record the starter badge", file=out)
    print("next steps:", file=out)
    print(f"  cd {shlex.quote(str(target))} && badgepress serve", file=out)
    print(
        "  edit content/site.yaml (set base_url before publishing) and content/credentials/",
        file=out,
    )
    print(
        "  optional: the site publishes Open Badges 2.0; to add signed Open Badges 3.0 "
        "credentials (for digital wallets), run `badgepress keygen` and add the `signing:` "
        "section it prints to content/site.yaml",
        file=out,
    )
    return 0
