"""Time `badgepress verify --site` on a signed build: the example site and a synthetic one.

    python3 benchmarks/bench_verify_site.py [--badges 1000] [--repeat 3] [--keep DIR]

Builds this repository's example site and the benchmark's synthetic site (`--badges`
assertions over 50 credentials) with Open Badges 3.0 signing on, then runs
`badgepress verify --site` on each build, as an organization would before it deploys, and
prints the median wall time of the command. `--keep DIR` reuses the builds in DIR.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import synthetic  # noqa: E402

KEY_ENV = "BENCH_SIGNING_KEY"
SIGNING = f"\nsigning:\n  did: did:web:badges.example.org\n  key_env: {KEY_ENV}\n"


def signed_build(source: Path, output: Path, env: dict[str, str]) -> None:
    """`badgepress build` of `source` into `output` with signing on (once: kept when present)."""
    if (output / "issuer.json").exists():
        return
    with (source / "content" / "site.yaml").open("a", encoding="utf-8") as file:
        file.write(SIGNING)
    subprocess.run(["git", "-C", str(source), "commit", "-qam", "signing on"], check=True, env=env)
    command = [sys.executable, "-m", "badgepress", "build", "--source", str(source)]
    subprocess.run([*command, "--output", str(output)], check=True, env=env)


def timed_verify(site: Path, repeat: int, env: dict[str, str]) -> tuple[float, str]:
    """Median seconds of `badgepress verify --site`, and its summary line."""
    command = [sys.executable, "-m", "badgepress", "verify", "--site", str(site)]
    times, summary = [], ""
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=env)
        times.append(time.perf_counter() - start)
        summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
    return statistics.median(times), summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--badges", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build into (and reuse) this folder")
    args = parser.parse_args()

    from badgepress.openbadges.signing import SigningKey

    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-verify-site-"))
    root.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        KEY_ENV: SigningKey.generate().secret_multibase,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.org",
    }
    sites = {}
    example = root / "example"
    if not example.exists():
        example.mkdir()
        for name in ("content", "assertions", "templates"):
            if (REPO / name).is_dir():
                shutil.copytree(REPO / name, example / name)
        synthetic.commit_all(example)
    sites["example site"] = example
    generated = root / f"synthetic-{args.badges}"
    if not generated.exists():
        synthetic.write_badgepress_site(generated, args.badges)
        synthetic.commit_all(generated)
    sites[f"{args.badges:,} badges"] = generated
    try:
        for label, source in sites.items():
            output = root / f"{source.name}-site"
            signed_build(source, output, env)
            seconds, summary = timed_verify(output, args.repeat, env)
            print(f"{label:>14}: verify --site {seconds:6.2f} s  ({summary})")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
