"""Helpers for the Open Badges 3.0 tests: signed builds (the independent verifiers: verifiers.py)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from badgepress.content.project import Project
from badgepress.openbadges.signing import SigningKey
from badgepress.pipeline import build
from tests.support import BUILD_TIME, copy_example

BASE_URL = "https://badges.example.org/"
DID = "did:web:badges.example.org"
KEY_ENV = "BADGEPRESS_SIGNING_KEY"


def enable_signing(source: Path, did: str = DID, previous_keys: tuple[str, ...] = ()) -> None:
    """Add a `signing:` section to the site's site.yaml."""
    site_yaml = source / "content" / "site.yaml"
    text = (
        site_yaml.read_text(encoding="utf-8") + f"\nsigning:\n  did: {did}\n  key_env: {KEY_ENV}\n"
    )
    if previous_keys:
        text += "  previous_keys:\n" + "".join(f"    - {k}\n" for k in previous_keys)
    site_yaml.write_text(text, encoding="utf-8")


def signed_example(target: Path, key: SigningKey, previous_keys: tuple[str, ...] = ()) -> Path:
    """A copy of the example site with signing on, built with `key` into target/site."""
    source = copy_example(target)
    enable_signing(source, previous_keys=previous_keys)
    build(
        Project(source),
        source / "site",
        BUILD_TIME,
        environ={KEY_ENV: key.secret_multibase},
    )
    return source / "site"


def node_executable() -> str:
    """Node.js: the test environment's own (scripts/node.sh may install it there), else PATH's."""
    node = shutil.which("node", path=str(Path(sys.executable).parent)) or shutil.which("node")
    assert node, "node (20+) is required for the Open Badges 3.0 tests: bash scripts/setup-ob3.sh"
    return node
