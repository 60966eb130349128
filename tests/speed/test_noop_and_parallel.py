"""No-op builds touch nothing and import nothing heavy; worker count never changes the bytes."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from badgepress.build.parallel import MIN_TAIL_SHARD, SERIAL_SHARDS, SHARDS_PER_WORKER, _shards
from badgepress.build.state import BUCKETS, load_state, readings_file, state_files
from badgepress.content.project import Project
from badgepress.errors import BuildFailed
from badgepress.files.cachefile import records
from badgepress.pipeline import build
from tests.speed.support import example_repository, git, stamps, synthetic_site, tree
from tests.support import BUILD_TIME

ENV = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "CI")}


def _cli(*args: str, python_flags: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *python_flags, "-m", "badgepress", *args],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
        check=False,
    )


def _imported(importtime_stderr: str) -> set[str]:
    """Top-level package names from `python -X importtime` output."""
    names = set()
    for line in importtime_stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


def _oversized_badge(root: Path) -> None:
    """A supplied badge image over the size budget, committed: every build warns about it."""
    from PIL import Image

    image = root / "content" / "credentials" / "restorative-practices" / "restorative-circles.png"
    Image.frombytes("RGB", (300, 300), os.urandom(300 * 300 * 3)).save(image)
    git(root, "commit", "-qam", "a large badge image")


def test_a_no_op_build_writes_nothing_and_imports_neither_jinja2_nor_yaml(tmp_path):
    root = example_repository(tmp_path / "repo")
    _oversized_badge(root)
    first = _cli("build", "--source", str(root))
    assert first.returncode == 0, first.stderr
    before = stamps(root / "site")
    again = _cli("build", "--source", str(root), python_flags=("-X", "importtime"))
    assert again.returncode == 0, again.stderr
    assert "is up to date" in again.stdout
    imported = _imported(again.stderr)
    assert "badgepress" in imported  # the importtime report is real
    assert not imported & {"jinja2", "yaml", "markdown", "PIL", "babel", "nh3", "pyld"}
    assert stamps(root / "site") == before
    # The warnings of the last real build are repeated: a no-op says what a build says.
    assert "badge image is" in first.stderr
    assert "badge image is" in again.stderr


def test_a_no_op_build_notices_an_edit_a_new_file_and_the_environment(tmp_path):
    root = example_repository(tmp_path / "repo")
    assert _cli("build", "--source", str(root)).returncode == 0
    page = root / "content" / "pages" / "about.md"
    page.write_text(page.read_text() + "\nOne more line.\n")
    edited = _cli("build", "--source", str(root))
    assert (
        "up to date" not in edited.stdout
        and "One more line." in (root / "site" / "about" / "index.html").read_text()
    )
    # A page's text is on no earner page: the catalog's pages render again, no badge does.
    assert re.search(r"; 0 of \d+ badges rendered; ", edited.stdout), edited.stdout
    moved = _cli("build", "--source", str(root), "--base-url", "https://preview.example.org/")
    assert "up to date" not in moved.stdout
    assert "https://preview.example.org/" in (root / "site" / "issuer.json").read_text()
    # Every badge's id moved, and the line says why they all rendered.
    assert re.search(r"; (\d+) of \1 badges rendered \(the base URL changed\); ", moved.stdout)
    clean = _cli(
        "build", "--source", str(root), "--base-url", "https://preview.example.org/", "--clean"
    )
    assert "up to date" not in clean.stdout and clean.returncode == 0
    assert re.search(r"; (\d+) of \1 badges rendered \(--clean\); ", clean.stdout)


UNDATED = """\
credential: affective-language
recipient:
  identity: sha256$0e5f1fc2a1e3b1f83a2b5b8b6c2cf4b3d6c61c8a9f11d2f3c4e5a6b7c8d9e0f1
  salt: 00112233445566778899aabbccddeeff
"""


def test_a_replaced_commit_is_not_up_to_date_and_re_dates_the_badges_git_dates(tmp_path):
    """`git replace` (or grafts) shows another history under the same HEAD: a badge without
    `issued_on` is dated by the commit that added it, so the build is not a no-op."""
    root = example_repository(tmp_path / "repo")
    (root / "assertions" / "2026" / "undated1.yaml").write_text(UNDATED)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "issue", date="2026-11-21T09:00:00Z")
    page = root / "content" / "pages" / "about.md"
    page.write_text(page.read_text() + "\nLater.\n")
    git(root, "commit", "-qam", "edit", date="2026-11-22T09:00:00Z")
    assert _cli("build", "--source", str(root)).returncode == 0
    issued = root / "site" / "assertions" / "undated1.json"
    assert '"issuedOn": "2026-11-21T09:00:00Z"' in issued.read_text()
    assert "is up to date" in _cli("build", "--source", str(root)).stdout

    git(root, "replace", "--graft", "HEAD")  # the last commit, now without a parent
    rebuilt = _cli("build", "--source", str(root))
    assert rebuilt.returncode == 0 and "is up to date" not in rebuilt.stdout, rebuilt.stdout
    assert '"issuedOn": "2026-11-22T09:00:00Z"' in issued.read_text()
    assert "is up to date" in _cli("build", "--source", str(root)).stdout


def test_a_build_that_renders_every_badge_says_why(tmp_path):
    root = example_repository(tmp_path / "repo")

    def full_build_reason() -> str:
        time.sleep(0.2)  # as after a person's edit: no file is newer than the racy window
        run = _cli("build", "--source", str(root))
        assert run.returncode == 0, run.stderr
        if "is up to date" in run.stdout:
            return "up to date"
        found = re.search(r"; (\d+) of (\d+) badges rendered(?: \((.*)\))?; ", run.stdout)
        assert found, run.stdout
        rendered, total, reason = found.groups()
        assert (rendered == total) == (reason is not None), run.stdout  # only a full one says
        return reason or ""

    assert full_build_reason() == "no earlier build into this folder"
    settings = root / "content" / "site.yaml"
    settings.write_text(settings.read_text() + "\n# a comment\n")
    assert full_build_reason() == "content/site.yaml changed"
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "base.html").write_text(
        '{% extends "default/base.html" %}{% block scripts %}<!-- ours -->{% endblock %}'
    )
    assert full_build_reason() == "templates/base.html changed"
    # A template no earner page uses renders the catalog again, and no badge.
    (root / "templates" / "stack.html").write_text('{% extends "default/stack.html" %}')
    assert full_build_reason() == ""
    assert full_build_reason() == "up to date"
    (root / "templates" / "assertion.html").write_text(
        '{% extends "default/assertion.html" %}{% block meta %}{{ catalog.assertions|length }}{% endblock %}'
    )
    assert full_build_reason() == "templates/assertion.html changed"
    # One badge's edit then renders every earner page: each may show the others.
    badge = sorted((root / "assertions").rglob("*.yaml"))[0]
    badge.write_text(badge.read_text() + "\n# a comment\n")
    reason = full_build_reason()
    assert reason == "a site template reads the catalog's assertions: a page may show other badges"


def _signal_masks(pid: int) -> dict[str, str]:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError as problem:
        return {"unreadable": str(problem)}
    return dict(re.findall(r"^(Sig(?:Blk|Ign|Cgt)):\s*(\S+)$", status, re.MULTILINE))


def _workers_of(pid: int) -> list[int]:
    """The forked worker processes of build process `pid` (git's children are not Python)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    workers = []
    for child in map(int, children):
        with contextlib.suppress(OSError):
            if b"badgepress" in Path(f"/proc/{child}/cmdline").read_bytes():
                workers.append(child)
    return workers


@pytest.mark.parametrize(
    ("stop", "status", "message"),
    [
        (signal.SIGINT, 130, "badgepress: interrupted\n"),  # Ctrl-C
        # A CI runner's cancel, `timeout`, a service manager; without a handler it left the
        # staged files behind.
        (signal.SIGTERM, 143, "badgepress: stopped by SIGTERM\n"),
    ],
)
def test_a_signal_during_a_two_worker_build_says_one_line_and_keeps_the_last_site(
    tmp_path, stop, status, message
):
    root = synthetic_site(tmp_path / "repo", 3000)
    assert _cli("build", "--source", str(root), "--jobs", "2").returncode == 0
    before = stamps(root / "site")
    # Ctrl-C in a terminal signals its whole process group: the build and its workers.
    # The build starts as a command typed in a terminal does, with SIGINT's default action:
    # a process ignoring it (these tests run as a background job, `pytest &` or `nohup`)
    # passes that on, and a build that ignores Ctrl-C, as a background job should, exits 0.
    # A handled signal is reset to its default in the new program; an ignored one stays so.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        build = subprocess.Popen(
            [sys.executable, "-m", "badgepress", "build", "--source", str(root), "--clean",
             "--jobs", "2", "--quiet"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV,
            start_new_session=True,
        )  # fmt: skip
    finally:
        signal.signal(signal.SIGINT, previous)
    started = time.monotonic()
    try:
        deadline = started + 60
        while not (workers := _workers_of(build.pid)) and build.poll() is None:
            assert time.monotonic() < deadline, "no worker started"
            time.sleep(0.005)
        assert build.poll() is None, "the build ended before its workers were seen"
        seen = time.monotonic() - started
        # What the build does with the signal, as the kernel sees it (hex masks): blocked,
        # ignored, caught. A build that ignores or blocks it cannot stop.
        masks = _signal_masks(build.pid)
        os.killpg(build.pid, stop)
        _out, err = build.communicate(timeout=60)
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
            build.wait(5)
    ended = time.monotonic() - started
    assert build.returncode == status, (
        f"workers {workers} seen {seen:.3f} s after the start, signalled with {masks}; "
        f"ended at {ended:.3f} s; stderr: {err!r}"
    )
    assert err == message  # one line: no worker's traceback
    assert stamps(root / "site") == before  # nothing staged left, nothing replaced


def test_workers_end_when_their_build_is_killed_without_a_chance_to_stop_them(tmp_path):
    root = synthetic_site(tmp_path / "repo", 5000)  # builds long enough to be caught in a pool
    err = tmp_path / "stderr"  # a file: the workers write to it after the build has died
    build = subprocess.Popen(
        [sys.executable, "-m", "badgepress", "build", "--source", str(root), "--jobs", "2",
         "--quiet"],
        stdout=subprocess.DEVNULL, stderr=err.open("w"), env=ENV, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not (workers := _workers_of(build.pid)) and build.poll() is None:
            assert time.monotonic() < deadline, "no worker started"
            time.sleep(0.005)
        assert workers, "the build ended before its workers were seen"
        time.sleep(0.3)  # into their shards (a build has more than one pool: look again)
        while not (workers := _workers_of(build.pid)) and build.poll() is None:
            time.sleep(0.005)
        assert workers, "the build ended before it could be killed"
        build.kill()  # SIGKILL, as the out-of-memory killer does: no pool.terminate()
        build.wait(10)
        deadline = time.monotonic() + 10
        while (alive := [pid for pid in workers if _running(pid)]) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not alive, "orphaned workers were left running"
        # Ended by the kernel's SIGTERM, not by a broken pipe as they send a result back.
        assert "Traceback" not in err.read_text()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(build.pid, signal.SIGKILL)


def _running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's zombie is init's to reap, not ours)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_a_ctrl_c_that_reaches_a_worker_before_it_is_set_up_is_ignored(monkeypatch, capfd):
    # The window the test above can hit by chance, made certain: the signal arrives in the
    # fork's child before `_become_worker` has set it to be ignored.
    from badgepress.build import parallel

    set_up = parallel._become_worker

    def signalled_first(*parent: int) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        set_up(*parent)

    monkeypatch.setattr(parallel, "_become_worker", signalled_first)
    with parallel._pool(2) as pool:
        # Without the blocked mask each worker dies in its set-up and is replaced, forever.
        pids = set(pool.starmap_async(os.getpid, [()] * 8).get(timeout=20))
    assert pids and os.getpid() not in pids
    assert "KeyboardInterrupt" not in capfd.readouterr().err


def test_two_workers_build_the_same_bytes_as_one(tmp_path):
    root = synthetic_site(tmp_path / "repo", 1100)
    one = build(Project(root), tmp_path / "one", BUILD_TIME, jobs=1)
    two = build(Project(root), tmp_path / "two", BUILD_TIME, jobs=2)
    assert (one.workers, two.workers) == (1, 2)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    assert one.outputs == two.outputs == len(tree(tmp_path / "two"))


def test_two_signing_workers_build_the_same_bytes_and_keep_every_signature(tmp_path, monkeypatch):
    from badgepress.build import parallel
    from badgepress.openbadges.signing import SigningKey
    from badgepress.render.ob3_build import CACHE_PATH
    from tests.ob3.support import KEY_ENV, enable_signing

    root = example_repository(tmp_path / "repo")
    enable_signing(root)
    environ = {KEY_ENV: SigningKey.generate().secret_multibase}
    monkeypatch.setattr(parallel, "MIN_FILES_PER_WORKER", 1)  # workers even for a small site
    one = build(Project(root), tmp_path / "one", BUILD_TIME, jobs=1, environ=environ)
    signed_by_one = (root / CACHE_PATH).read_bytes()
    (root / CACHE_PATH).unlink()
    two = build(Project(root), tmp_path / "two", BUILD_TIME, jobs=2, environ=environ)
    assert (one.workers, two.workers) == (1, 2)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    # What the workers signed came back to be kept: the next build signs nothing again.
    assert (root / CACHE_PATH).read_bytes() == signed_by_one


@pytest.mark.parametrize("count", [0, 1, 19, 1100, 10_000, 50_001])
def test_shards_cover_every_item_once_and_shrink_toward_the_end(count):
    shards = _shards(count, 2)
    assert [i for start, end in shards for i in range(start, end)] == list(range(count))
    sizes = [end - start for start, end in shards]
    assert all(size > 0 for size in sizes) and sizes == sorted(sizes, reverse=True)
    if count >= 1100:
        # A worker left alone at the end waits at most for one small shard of the other's.
        assert sizes[-2] == MIN_TAIL_SHARD and sizes[0] == -(-count // (2 * SHARDS_PER_WORKER))
        assert len(shards) < 3 * 2 * SHARDS_PER_WORKER  # not a message per handful of items


def test_one_process_paces_the_progress_bar_with_equal_shards():
    assert [end - start for start, end in _shards(10_000, 1)] == [500] * SERIAL_SHARDS


def _fail_on_last_assertion(root) -> None:
    """A site template whose earner page fails only for the last assertion (the last shard)."""
    last = sorted(p.stem for p in (root / "assertions").rglob("*.yaml"))[-1]
    (root / "templates").mkdir()
    (root / "templates" / "assertion.html").write_text(
        '{% extends "default/assertion.html" %}{% block title %}'
        f'{{% if assertion.id == "{last}" %}}{{{{ assertion.nothing.here }}}}{{% endif %}}'
        "{% endblock %}\n"
    )


def test_a_template_error_in_a_worker_leaves_the_previous_site_untouched(tmp_path):
    root = synthetic_site(tmp_path / "repo", 1100)
    output = tmp_path / "site"
    build(Project(root), output, BUILD_TIME, jobs=2)
    before = stamps(output)
    _fail_on_last_assertion(root)
    with pytest.raises(BuildFailed, match=r"templates/assertion\.html"):
        build(Project(root), output, BUILD_TIME, jobs=2)
    assert stamps(output) == before  # no page rewritten, no temporary file left behind


@pytest.mark.parametrize("existed", [True, False], ids=["empty-folder", "no-folder"])
def test_a_template_error_building_into_a_new_folder_leaves_it_as_it_was(tmp_path, existed):
    """A new folder's files are written in place (no staging): a failure must take them away."""
    root = synthetic_site(tmp_path / "repo", 1100)
    _fail_on_last_assertion(root)
    output = tmp_path / "site"
    if existed:
        output.mkdir()
    with pytest.raises(BuildFailed, match=r"templates/assertion\.html"):
        build(Project(root), output, BUILD_TIME, jobs=2)
    assert not output.exists() or not any(output.iterdir())


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("previous", [True, False], ids=["over-a-site", "new-folder"])
def test_a_catalog_page_error_while_workers_render_leaves_no_file_of_theirs(
    tmp_path, previous, jobs
):
    """The catalog's pages are rendered in the parent while the workers render the earner
    pages (before them, without workers): its template error must still undo what they wrote."""
    root = synthetic_site(tmp_path / "repo", 1100)
    output = tmp_path / "site"
    if previous:
        build(Project(root), output, BUILD_TIME, jobs=jobs)
    before = stamps(output) if previous else None
    (root / "templates").mkdir()
    (root / "templates" / "credential.html").write_text(
        '{% extends "default/credential.html" %}{% block title %}'
        "{{ credential.nothing.here }}{% endblock %}\n"
    )
    # Every earner page changes: the workers stage (or, in a new folder, write) all of them.
    (root / "templates" / "assertion.html").write_text(
        '{% extends "default/assertion.html" %}{% block title %}Changed{% endblock %}\n'
    )
    with pytest.raises(BuildFailed, match=r"templates/credential\.html"):
        build(Project(root), output, BUILD_TIME, jobs=jobs)
    if previous:
        assert stamps(output) == before  # no page rewritten, no temporary file left behind
    else:
        assert not output.exists() or not any(output.iterdir())


def test_a_new_folder_gets_the_same_files_as_a_rebuilt_one(tmp_path):
    root = synthetic_site(tmp_path / "repo", 1100)
    fresh, rebuilt = tmp_path / "fresh", tmp_path / "rebuilt"
    build(Project(root), rebuilt, BUILD_TIME, jobs=2)
    (rebuilt / "assertions" / "stray.html").write_text("left from an older site")
    build(Project(root), rebuilt, BUILD_TIME, jobs=2)  # over an old site: staged, renamed
    build(Project(root), fresh, BUILD_TIME, jobs=2)  # into a new folder: written in place
    assert tree(fresh) == tree(rebuilt)
    assert not [p for p in fresh.rglob("*") if ".tmp" in p.name]


def test_after_a_two_worker_build_one_edit_renders_one_badge_as_a_clean_build_would(tmp_path):
    """The workers encode the state's buckets in parts; the next build reads them back whole."""
    root = synthetic_site(tmp_path / "repo", 1100)
    an_hour_ago = time.time_ns() - 3600 * 10**9  # not "racy": the next build trusts the stats
    for path in root.rglob("*"):
        if ".git" not in path.parts and path.is_file():
            os.utime(path, ns=(an_hour_ago, an_hour_ago))
    output = tmp_path / "site"
    assert build(Project(root), output, BUILD_TIME, jobs=2, incremental=True).workers == 2
    edited = sorted((root / "assertions").rglob("*.yaml"))[700]
    edited.write_text(
        re.sub(r"narrative: >-\n.*", "narrative: >-\n      Edited.", edited.read_text())
    )
    os.utime(edited, ns=(an_hour_ago + 10**9, an_hour_ago + 10**9))
    report = build(Project(root), output, BUILD_TIME, jobs=2, incremental=True)
    assert (report.rendered, report.write.written) == (1, 2)
    assert set(load_state(root, output).all_records()) == set(tree(output))  # none lost
    build(Project(root), tmp_path / "clean", BUILD_TIME, jobs=1)
    assert tree(output) == tree(tmp_path / "clean")


def test_two_workers_read_whole_buckets_so_the_state_keeps_few_parts(tmp_path):
    """Each read shard takes files in the order of the state's buckets: a bucket's readings
    come from one shard or two, not one sliver per shard, so the next build decodes about
    one part per bucket."""
    root = synthetic_site(tmp_path / "repo", 1100)
    output = tmp_path / "site"
    assert build(Project(root), output, BUILD_TIME, jobs=2, incremental=True).workers == 2
    _print, folder = state_files(root, output)
    parts = [
        sum(1 for _part in records((folder / readings_file(i)).read_bytes()))
        for i in range(BUCKETS)
    ]
    shards = len(_shards(1100, 2))
    assert sum(parts) <= BUCKETS + shards, parts  # one per bucket, one more per shard boundary
    assert sum(parts) < BUCKETS * 2
    state = load_state(root, output)
    assert len(state.memo.files) == 1100
