"""Helpers for the Open Badges 3.0 tests: signed builds and the independent Node verifier."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from badgepress.pipeline import build
from badgepress.project import Project
from badgepress.signing import SigningKey
from tests.support import BUILD_TIME, copy_example

VERIFIER = Path(__file__).parent / "verifier"
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


def run_independent_verifier(site: Path, files: list[Path], now=BUILD_TIME) -> dict[str, dict]:
    """Verify credential files with the DCC libraries (offline); file name → result."""
    node = node_executable()
    assert (VERIFIER / "node_modules").is_dir(), (
        "the independent verifier is not installed: run bash scripts/setup-ob3.sh"
    )
    result = subprocess.run(
        [
            node,
            str(VERIFIER / "verify.mjs"),
            "--site",
            str(site),
            "--base",
            BASE_URL,
            "--now",
            now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    return {Path(r["file"]).name: r for r in output["results"]}
