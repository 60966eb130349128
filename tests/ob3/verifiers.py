"""The independent Open Badges 3.0 verifiers the tests run, offline, and how to run them.

Each is a program in tests/ob3/verifier with one command line (`--site DIR --base URL --now ISO
[--schemas DIR] [--registry FILE] FILE...`) and one answer: per file, `verified` and the
verifier's own checks by name, each true (passed) or false (failed); a check that did not run
is absent. They answer did:web, the status list, the 1EdTech schemas and the issuer registry
from local files and refuse every other URL (tests/ob3/verifier/offline.mjs).
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tests.ob3.support import BASE_URL, DID, node_executable
from tests.support import BUILD_TIME, REPO

VERIFIER_DIR = Path(__file__).parent / "verifier"
# The official 1EdTech Open Badges 3.0 JSON Schemas, vendored with the code that checks our
# output against them; the DCC verifier-core fetches them by URL, answered from here.
SCHEMAS = REPO / "tests" / "ob3" / "schemas"
OPENBADGESLIB_VENV = Path(
    os.environ.get(
        "BADGEPRESS_OPENBADGESLIB_VENV", Path.home() / ".cache/badgepress/openbadgeslib-venv"
    )
)


@dataclass(frozen=True)
class Verifier:
    name: str
    checks: tuple[str, ...]  # what it checks: on a valid credential every one passes
    program: str

    def command(self) -> list[str]:
        if self.program.endswith(".py"):
            python = OPENBADGESLIB_VENV / "bin" / "python"
            assert python.is_file(), (
                f"{self.name} is not installed: run bash scripts/setup-ob3.sh ({python})"
            )
            return [str(python), str(VERIFIER_DIR / self.program)]
        node = node_executable()
        assert (VERIFIER_DIR / "node_modules").is_dir(), (
            f"{self.name} is not installed: run bash scripts/setup-ob3.sh"
        )
        return [node, str(VERIFIER_DIR / self.program)]


DCC = Verifier(
    "dcc-verifier-core",
    ("signature", "status", "validity", "registry", "schema"),
    "dcc-verifier-core.mjs",
)
DIGITAL_BAZAAR = Verifier(
    "digitalbazaar", ("schema", "validity", "signature", "status"), "digitalbazaar.mjs"
)
OPENBADGESLIB = Verifier(
    "openbadgeslib", ("schema", "signature", "validity", "status"), "openbadgeslib_verify.py"
)
VERIFIERS = (DCC, DIGITAL_BAZAAR, OPENBADGESLIB)


@dataclass(frozen=True)
class Verdict:
    verified: bool
    checks: dict[str, bool]
    error: str | None

    def failed(self) -> set[str]:
        return {name for name, passed in self.checks.items() if not passed}


@dataclass(frozen=True)
class Run:
    verdicts: dict[str, Verdict]  # by file name
    fetched: list[str]
    refused: list[str]


def run_verifier(
    verifier: Verifier,
    site: Path,
    files: list[Path],
    *,
    now: datetime = BUILD_TIME,
    registered: tuple[str, ...] = (DID,),
) -> Run:
    """Verify credential files offline at `now`, against `site` as if it were BASE_URL.

    `registered` are the DIDs the local issuer registry (a DCC "legacy" registry file) names.
    """
    names = [f.name for f in files]
    assert len(set(names)) == len(names), f"file names must be unique: {names}"
    with tempfile.TemporaryDirectory() as tmp:
        registry = Path(tmp) / "registry.json"
        entries = {
            did: {"name": "badgepress test issuer", "url": BASE_URL, "location": "127.0.0.1"}
            for did in registered
        }
        registry.write_text(json.dumps({"registry": entries}), encoding="utf-8")
        result = subprocess.run(
            [
                *verifier.command(),
                "--site",
                str(site),
                "--base",
                BASE_URL,
                "--now",
                now.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "--schemas",
                str(SCHEMAS),
                "--registry",
                str(registry),
                *map(str, files),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert result.returncode == 0, f"{verifier.name} crashed:\n{result.stderr}"
    answer = json.loads(result.stdout)
    verdicts = {
        Path(r["file"]).name: Verdict(r["verified"], r["checks"], r["error"])
        for r in answer["results"]
    }
    assert sorted(verdicts) == sorted(names), (verifier.name, sorted(verdicts))
    return Run(verdicts, answer["fetched"], answer["refused"])
