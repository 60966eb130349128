"""Time `badgepress issue --csv` with a 5,000-row roster on a synthetic site.

    python3 benchmarks/bench_roster.py [--rows 5000] [--existing 5000] [--credentials 20]

The site has a stack with a capstone, `--credentials` credentials and `--existing` committed
assertions; the roster gives each of `--rows` earners one badge (a tenth of them earners who
already hold others, so duplicate detection and capstones do real work). Prints the time of the
whole command, as a facilitator would wait for it.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from badgepress.cli import main
from badgepress.openbadges.ob2 import hash_email

SITE_YAML = """\
title: Benchmark catalog
base_url: https://badges.example.org/
language: en
issuer:
  name: Benchmark Association
  url: https://www.example.org/
  email: badges@example.org
"""
STACK = """\
---
title: Stack
summary: A stack with a capstone.
capstone: stack-capstone
---
Body.
"""


def make_site(root: Path, credentials: int, existing: int, rng: random.Random) -> list[str]:
    """Write the synthetic site; returns the emails of the existing assertions."""
    stack = root / "content" / "credentials" / "stack"
    stack.mkdir(parents=True)
    (root / "content" / "site.yaml").write_text(SITE_YAML)
    (stack / "index.md").write_text(STACK)
    slugs = []
    for index in range(credentials):
        slug = f"credential-{index:02d}"
        folder = stack if index < 4 else root / "content" / "credentials"
        (folder / f"{slug}.md").write_text(
            f"---\nname: Credential {index}\nsummary: Summary {index}.\n---\nCriteria.\n"
        )
        slugs.append(slug)
    (stack / "stack-capstone.md").write_text(
        "---\nname: Capstone\nsummary: All four.\n---\nDone.\n"
    )
    emails = []
    folder = root / "assertions" / "2025"
    folder.mkdir(parents=True)
    for index in range(existing):
        email = f"earner{index}@example.net"
        salt = f"{rng.getrandbits(128):032x}"
        (folder / f"old{index:05d}.yaml").write_text(
            f"credential: {rng.choice(slugs)}\nrecipient:\n  identity: {hash_email(email, salt)}\n"
            f"  salt: {salt}\nissued_on: 2025-03-01\n"
        )
        emails.append(email)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "b",
        "GIT_AUTHOR_EMAIL": "b@example.org",
        "GIT_COMMITTER_NAME": "b",
        "GIT_COMMITTER_EMAIL": "b@example.org",
    }
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "site"]):
        subprocess.run(["git", "-C", str(root), *command], check=True, env=env)
    return emails


def make_roster(path: Path, rows: int, credentials: int, existing_emails: list[str], rng) -> None:
    lines = ["email,name,credential"]
    for index in range(rows):
        if existing_emails and index % 10 == 0:
            email = existing_emails[index % len(existing_emails)]
        else:
            email = f"new{index}@example.net"
        lines.append(f"{email},Earner {index},credential-{index % credentials:02d}")
    path.write_text("\n".join(lines) + "\n")


def run(rows: int, existing: int, credentials: int) -> float:
    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "site"
        emails = make_site(root, credentials, existing, rng)
        roster = Path(folder) / "roster.csv"
        make_roster(roster, rows, credentials, emails, rng)
        out, err = io.StringIO(), io.StringIO()
        started = time.perf_counter()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            # --allow-duplicate: existing earners may hold the credential; this times the work.
            status = main(
                ["issue", "--csv", str(roster), "--allow-duplicate", "--source", str(root)]
            )
        seconds = time.perf_counter() - started
        if status != 0:
            raise SystemExit(err.getvalue())
        written = len(list((root / "assertions").rglob("*.yaml"))) - existing
        print(
            f"issue --csv: {rows:,} rows, {existing:,} existing assertions, {credentials} credentials"
        )
        print(f"  {written:,} files written (capstones included) in {seconds:.2f}s")
        started = time.perf_counter()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(["check", "--source", str(root)])
        print(
            f"  badgepress check afterwards: exit {status} in {time.perf_counter() - started:.2f}s"
        )
        return seconds


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--existing", type=int, default=5000)
    parser.add_argument("--credentials", type=int, default=20)
    options = parser.parse_args()
    run(options.rows, options.existing, options.credentials)
