"""Run the official Open Badges 2.0 validator against a built site, offline.

The validator lives in its own venv (scripts/validator-venv.sh) because its pins clash with
badgepress's; this module builds that venv, serves a site folder on 127.0.0.1 and runs
validator_runner.py there, routing the site's public origin to the local server.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from tests.support import serve_directory

ROOT = Path(__file__).resolve().parents[2]
VENV_SCRIPT = ROOT / "scripts" / "validator-venv.sh"
RUNNER = Path(__file__).with_name("validator_runner.py")


class ValidatorError(RuntimeError):
    """The validator venv could not be built or the validator run failed."""


@functools.cache
def ensure_validator_venv() -> Path:
    """Build the validator venv if needed; return its python."""
    try:
        proc = subprocess.run(
            ["bash", str(VENV_SCRIPT)],
            capture_output=True,
            text=True,
            timeout=900,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        raise ValidatorError(f"{VENV_SCRIPT} timed out:\n{exc.stderr or ''}") from exc
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise ValidatorError(
            f"{VENV_SCRIPT} failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        )
    python = Path(lines[-1])
    if not python.exists():
        raise ValidatorError(f"{VENV_SCRIPT} printed {python}, which does not exist")
    return python


def _route_key(base_url: str) -> str:
    """The URL prefix that the served folder stands for: base_url without its final slash."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"base_url must be an absolute http(s) URL: {base_url!r}")
    # A base_url with a path (https://host/badges/) maps that path, not the whole origin.
    return f"{parts.scheme}://{parts.netloc}{parts.path}".rstrip("/")


def run_official_validator(
    site_dir: str | os.PathLike,
    base_url: str,
    items: list[dict],
    timeout: float = 300,
) -> list[dict]:
    """Validate `items` ({"input": URL or file, "emails": [...]}) against `site_dir`.

    `site_dir` is served as if it were at `base_url`; returns one result per item.
    """
    python = ensure_validator_venv()
    originals = [str(item["input"]) for item in items]
    # The runner works in a scratch cwd, so file inputs travel as absolute paths.
    items = [
        {**item, "input": src if "://" in src else os.path.abspath(src)}
        for item, src in zip(items, originals, strict=True)
    ]
    with serve_directory(site_dir) as local, tempfile.TemporaryDirectory() as scratch:
        request = {"routes": {_route_key(base_url): local}, "items": items}
        try:
            proc = subprocess.run(
                [str(python), str(RUNNER)],
                input=json.dumps(request),
                capture_output=True,
                text=True,
                timeout=timeout,
                cwd=scratch,  # the old packages may drop files in the cwd
            )
        except subprocess.TimeoutExpired as exc:
            raise ValidatorError(f"validator timed out after {timeout}s:\n{exc.stderr}") from exc
    if proc.returncode != 0:
        raise ValidatorError(f"validator_runner failed (exit {proc.returncode}):\n{proc.stderr}")
    try:
        results = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise ValidatorError(
            f"validator_runner printed no JSON:\n{proc.stdout}\n{proc.stderr}"
        ) from exc
    if len(results) != len(items):
        raise ValidatorError(f"expected {len(items)} results, got {len(results)}")
    for result, src in zip(results, originals, strict=True):
        result["input"] = src
    return results
