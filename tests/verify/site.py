"""A small site with one valid, one revoked and one expired badge, served on 127.0.0.1 at its base URL.

Shared by the CLI tests (tests/verify/) and the browser tests (tests/browser/).
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from badgepress.model import Catalog
from badgepress.openbadges.ob2 import hash_email
from tests.support import build_site, copy_example, serve_directory

BASE = Path(__file__).resolve().parents[1] / "invalid" / "_base"
REVOCATION_REASON = "Issued in error: the evidence belonged to another candidate"

# assertion id -> (email, extra YAML lines)
ASSERTIONS = {
    "jane-valid": ("Jane.Doe@example.org", "issued_on: 2024-01-15\n"),
    "sam-revoked": (
        "sam@example.org",
        f'issued_on: 2024-01-15\nrevoked: true\nrevocation_reason: "{REVOCATION_REASON}"\n',
    ),
    "lee-expired": ("lee@example.org", "issued_on: 2020-01-15\nexpires: 2021-01-15\n"),
}


@dataclass(frozen=True)
class ServedSite:
    """The built site folder and the URL it is served at (its base_url)."""

    root: Path
    url: str

    def assertion_url(self, name: str) -> str:
        return f"{self.url}/assertions/{name}.json"

    def email(self, name: str) -> str:
        return ASSERTIONS[name][0]


def write_source(target: Path) -> Path:
    """The site repository: the broken-sites base plus the three assertions above."""
    shutil.copytree(BASE, target)
    for name, (email, lines) in ASSERTIONS.items():
        salt = f"salt-{name}"
        (target / "assertions" / f"{name}.yaml").write_text(
            "credential: first-steps\n"
            f"recipient:\n  identity: {hash_email(email, salt)}\n  salt: {salt}\n" + lines,
            encoding="utf-8",
        )
    return target


@contextlib.contextmanager
def served_site(workdir: Path) -> Iterator[ServedSite]:
    """Start a server on an empty folder, then build into it with base_url = the server's URL."""
    source = write_source(workdir / "repo")
    output = workdir / "site"
    output.mkdir()
    with serve_directory(output) as url:
        build_site(source, output, base_url=url + "/")
        yield ServedSite(output, url)


# The plaintext email behind each example assertion (a test fixture; never in content or site).
EXAMPLE_RECIPIENTS = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "fixtures" / "example-recipients.yaml").read_text()
)


@contextlib.contextmanager
def served_example(workdir: Path) -> Iterator[tuple[ServedSite, Catalog]]:
    """This repository's example site, served at its own base URL, with its catalog."""
    source = copy_example(workdir / "repo")
    output = workdir / "site"
    output.mkdir()
    with serve_directory(output) as url:
        report = build_site(source, output, base_url=url + "/")
        yield ServedSite(output, url), report.catalog
