"""Spreading a build over the machine's cores: assertion files are read, and their pages, JSON
and baked images rendered, in shards by forked worker processes.

Each output file depends on one assertion only, so shards can run in any order; results are
merged by path, and the bytes are the same whatever the number of workers. Small sites stay in
one process, where forking would cost more than it saves.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ..content.assertion_tree import AssertionTree
from ..content.load import AssertionFile, read_assertion_file
from ..content.project import Project, assertion_rels
from ..content.reading import AssertionReader, ReadingOptions
from ..timing import Timings
from .executor import Executor, SerialExecutor, Shard, as_is
from .memo import AssertionMemo, Reading
from .state import (
    decode_output_paths,
    decode_reading_parts,
    output_parts,
    reading_bucket,
    reading_parts,
)
from .write import StagedWriter, Written, commit, discard, signals_deferred

if TYPE_CHECKING:
    from ..render.ob3_build import SignatureCache

MIN_FILES_PER_WORKER = (
    500  # below this, a fork (and its copy of the catalog) costs more than it saves
)
SHARDS_PER_WORKER = 8  # small shards balance the load and move the progress bar smoothly
SERIAL_SHARDS = 20  # in one process, shards only pace the progress bar
MIN_TAIL_SHARD = 20  # items: the last shards shrink to this, so that the workers end together

T = TypeVar("T")


def default_jobs() -> int:
    """Worker processes for a build: one per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether this platform forks processes (Linux, macOS; not Windows). Both must hold:
    multiprocessing may list the fork start method where `os.fork` is gone."""
    return hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods()


def _workers(jobs: int, items: int) -> int:
    if not can_fork():
        return 1  # workers inherit the catalog by fork; elsewhere a build stays in one process
    return max(1, min(jobs, items // MIN_FILES_PER_WORKER))


def _shards(count: int, workers: int) -> list[tuple[int, int]]:
    """(start, end) bounds covering `count` items, in order.

    With workers, shards shrink toward the end ("guided self-scheduling"): a worker takes the
    next shard as soon as it is free, so they all finish within the last, small shard of each
    other, instead of one waiting up to a whole shard (a tenth of a second at 10,000) for the
    other at the end of each pool.
    """
    if workers <= 1:
        size = max(1, -(-count // SERIAL_SHARDS))
        return [(start, min(start + size, count)) for start in range(0, count, size)]
    largest = max(1, -(-count // (workers * SHARDS_PER_WORKER)))
    bounds, start = [], 0
    while start < count:
        remaining = count - start
        # Once what is left is less than two rounds of full shards, each shard takes a share
        # of the rest, so the rounds shrink geometrically down to MIN_TAIL_SHARD.
        size = min(largest, max(MIN_TAIL_SHARD, -(-remaining // (2 * workers))), remaining)
        bounds.append((start, start + size))
        start += size
    return bounds


_IN_WORKER = False  # True in a pool's worker processes


def _become_worker(parent: int, ending: ctypes.c_byte) -> None:
    global _IN_WORKER
    _IN_WORKER = True
    _die_with(parent)
    # A process group of its own: a signal sent to the build's group (Ctrl-C in a terminal, a
    # CI runner's cancel, a closed terminal) reaches the build alone, which stops and ends its
    # pool in order. A worker killed by the group's SIGTERM while it waited for a task would
    # die holding the task queue's lock, and Pool.terminate() waits for that lock forever.
    with contextlib.suppress(OSError):  # not where the system has no process groups
        os.setpgid(0, 0)
    # The parent ends the pool; a worker never acts on Ctrl-C (else each would print its own
    # traceback). Termination is the default SIGTERM, not a handler inherited from the parent
    # (`serve`'s), so that Pool.terminate() ends the worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # A stop signal sent to the group before `setpgid` is pending: the build got it too, so
    # it is dropped here (a worker that died of it would be replaced by the pool's handler
    # thread while the pool ends). The pool's own SIGTERM may have merged into it (POSIX
    # keeps one pending signal of a kind), so the shared flag, set before the pool sends it,
    # tells whether the pool is ending; a SIGTERM sent after this check ends the worker below.
    if hasattr(signal, "sigtimedwait"):  # not on macOS: there the pending signal ends it
        while signal.sigtimedwait(_STOP_SIGNALS, 0) is not None:
            pass
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    if ending.value:
        os.kill(os.getpid(), signal.SIGTERM)


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _die_with(parent: int) -> None:
    """Linux: the kernel sends this worker SIGTERM when the process that forked it dies, even
    by SIGKILL or the out-of-memory killer, which leave no time to terminate the pool; else the
    worker would wait on its task pipe forever (it holds both ends)."""
    prctl = _prctl()
    if prctl is None or prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
        return  # not Linux: the pool's own termination is the only way out
    if os.getppid() != parent:  # it died before the request took effect
        os._exit(1)


@functools.cache  # called by the parent before it forks, so no worker imports ctypes itself
def _prctl() -> Callable[..., int] | None:
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # no C library to load, or one without prctl
        return None


# Blocked in the parent while it forks, so a Ctrl-C that lands between a worker's fork and
# `_become_worker` waits (pending) until the worker ignores it, rather than interrupting
# multiprocessing's own start-up code in the child with a traceback.
_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def _pool(workers: int) -> Iterator[multiprocessing.pool.Pool]:
    # Objects made before the fork are shared copy-on-write; freezing them keeps the garbage
    # collector from touching (and so copying) every page in every worker.
    # While the pool runs, the parent mostly decodes results (tens of thousands of objects,
    # none of them garbage): the collector would only scan them over and over. They live as
    # long as the build, so they are frozen too (`pipeline.build` unfreezes all at its end).
    gc.freeze()
    enabled = gc.isenabled()
    # The pool's helper threads keep the blocked mask too, so signals go to the main thread.
    _prctl()
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        context = multiprocessing.get_context("fork")
        ending = context.Value("b", 0, lock=False)
        pool = context.Pool(workers, initializer=_become_worker, initargs=(os.getpid(), ending))
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        raise
    gc.disable()
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a pending Ctrl-C is raised here
        yield pool
    finally:
        ending.value = 1  # before Pool.terminate() signals the workers: see _become_worker
        pool.terminate()
        pool.join()
        gc.freeze()
        if enabled:
            gc.enable()


# The function a pool's workers run: set before the pool forks, so that each worker inherits it
# with all it reads (the catalog, the renderer): nothing but shard bounds and results is pickled.
_TASK: Callable[[Shard], object] | None = None


def _run_task(shard: Shard) -> object:
    return _TASK(shard)


class _Received:
    """A shard's result, handed to `receive` as soon as it arrives: in the pool's result
    thread, while the workers go on (not after them all)."""

    def __init__(self, pool, shard: Shard, receive: Callable) -> None:
        self._value = None
        self._problem: BaseException | None = None
        self._receive_value = receive
        self._async = pool.apply_async(_run_task, (shard,), callback=self._receive)

    def _receive(self, result) -> None:
        try:  # an exception here would stop the pool's result thread, and the build would hang
            self._value = self._receive_value(result)
        except BaseException as problem:
            self._problem = problem

    def get(self):
        self._async.get()  # re-raises a worker's exception
        if self._problem is not None:
            raise self._problem
        return self._value


class ForkExecutor:
    """An Executor whose shards run in `workers` forked processes (`_pool`), the pool kept
    until the executor ends (`Workers.commit` renames files with it)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool: multiprocessing.pool.Pool | None = None
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> ForkExecutor:
        return self

    def __exit__(self, *exc) -> None:
        global _TASK
        try:
            self._stack.close()
        finally:
            _TASK = None

    def map(
        self, function: Callable[[Shard], T], shards: Sequence[Shard], receive: Callable = as_is
    ) -> Iterator:
        global _TASK
        if self.pool is not None:  # its workers inherited the first function
            raise RuntimeError("a ForkExecutor maps one function")
        _TASK = function
        self.pool = self._stack.enter_context(_pool(self.workers))
        received = [_Received(self.pool, shard, receive) for shard in shards]
        return (result.get() for result in received)


@contextlib.contextmanager
def executor(jobs: int, items: int) -> Iterator[Executor]:
    """The executor for `items` items and up to `jobs` processes: workers only where forking
    pays (`_workers`)."""
    workers = _workers(jobs, items)
    if workers == 1:
        yield SerialExecutor()
        return
    with ForkExecutor(workers) as forked:
        yield forked


# Reading assertion files ------------------------------------------------------------------


@dataclass(frozen=True)
class _ReadJob:
    project: Project
    work: list  # (path, when git added it, stamp) of each file to read
    options: dict
    keep: bool  # encode the readings as the state keeps them


def _read_shard(
    job: _ReadJob, bounds: Shard
) -> tuple[dict | None, dict[int, bytes] | None, Timings]:
    """(path → the memo's entry, or None if the parts hold them; the state's parts; timings)."""
    timings = Timings()
    root, now = job.project.root, job.options["now"]
    entries = {}
    for rel, added, stamp in job.work[bounds[0] : bounds[1]]:
        file = read_assertion_file(
            root.joinpath(*rel.split("/")), job.project, timings=timings, added=added, **job.options
        )
        entries[rel] = Reading(stamp, AssertionMemo.dates(file, added, now), file)
    if not job.keep:
        return entries, None, timings
    parts = reading_parts(entries)
    # A worker sends only the parts, which the parent decodes for the files and keeps as
    # they are for the state: encoded once, not once to send and once to save.
    return (None if _IN_WORKER else entries), parts, timings


def _decoded(result: tuple) -> tuple:
    """A read shard's result with its readings decoded from the state's parts (a worker's)."""
    shard_entries, shard_parts, shard_timings = result
    if shard_entries is None:
        shard_entries = {}
        for part in decode_reading_parts(shard_parts.values()):
            shard_entries.update(part)
    return shard_entries, shard_parts, shard_timings


def load_assertion_files(
    project: Project,
    plaintext_recipients: bool,
    added: dict,
    now,
    jobs: int,
    memo: AssertionMemo | None,
    timings: Timings | None,
    meanwhile: Callable[[], T] = lambda: None,
    listing: dict[str, tuple[int, int]] | None = None,
) -> tuple[list[AssertionFile], T]:
    """Every assertions/**/<id>.yaml read and checked, in file order; memo hits are not re-read.

    `meanwhile` runs in this process while workers read (before reading, without workers);
    its result comes back with the files. `listing`: (mtime_ns, size) of each file, when the
    caller has looked at the folder (assertion_tree); else the memo's, else looked at here.
    """
    timings = Timings() if timings is None else timings
    if memo is not None and memo.listing is not None:
        listing = memo.listing
    else:  # not incremental: look at the folder now, if the caller has not
        racy_after = memo.racy_after if memo is not None and memo.racy_after else time.time_ns()
        listing = {
            rel: (-1 if mtime >= racy_after else mtime, size)
            for rel, (mtime, size) in (
                project.assertion_stats() if listing is None else listing
            ).items()
        }
    # An incremental build's fingerprint already has every file's stat, taken before anything
    # was read, with the racy ones (modified in the last clock tick) marked -1: never trusted.
    rels = assertion_rels(listing)
    found: list[AssertionFile | None] = [None] * len(rels)
    todo = []  # (index, stamp) of the files to read
    for index, rel in enumerate(rels):
        mtime, size = listing[rel]
        stamp = (mtime, size, plaintext_recipients)
        hit = memo.lookup(rel, stamp, added, now) if memo is not None and mtime != -1 else None
        if hit is not None:
            found[index] = hit
        else:
            todo.append((index, stamp))
    options = {"plaintext_recipients": plaintext_recipients, "now": now}
    # Paths as strings: the workers make the Path objects (10,000 of them take a tenth of a second).
    work = [(rels[index], added.get(rels[index]), stamp) for index, stamp in todo]
    # Every file read again (a full build): the shards encode the state's readings themselves.
    keep = memo is not None and len(todo) == len(rels)
    if keep and _workers(jobs, len(work)) > 1:
        # Files in the order of the state's buckets: each shard then encodes a few whole
        # buckets, not a sliver of all 64, so a bucket's file holds ~1.4 parts, not one per
        # shard (~28 at 10,000), and the next builds decode ~90 parts, not ~1,400. Reading
        # order changes nothing else: results are merged by path.
        work.sort(key=lambda item: reading_bucket(item[0]))
    job = _ReadJob(project, work, options, keep)
    with executor(jobs, len(work)) as run:
        shards = _shards(len(work), run.workers) if run.workers > 1 else [(0, len(work))]
        results = run.map(functools.partial(_read_shard, job), shards, _decoded)
        beside = meanwhile()  # here, while the workers read (first, without workers)
        results = list(results)
    entries: dict = {}
    parts: dict[int, list[bytes]] = {}
    for shard_entries, shard_parts, shard_timings in results:
        timings.add(shard_timings)
        entries.update(shard_entries)
        for index, data in (shard_parts or {}).items():
            parts.setdefault(index, []).append(data)
    for index, _stamp in todo:
        found[index] = entries[rels[index]].file
    if memo is not None:
        memo.fresh = {entry.file.id for entry in entries.values()}
        memo.update(rels, entries)
        memo.parts = parts if keep else None
    return found, beside  # type: ignore[return-value]


@dataclass
class FastReader(AssertionReader):
    """The content stage's AssertionReader in a build: `jobs` worker processes read, and the
    incremental `memo`'s readings of unchanged files are kept (its survey of assertions/, taken
    with the inputs' fingerprint, too)."""

    jobs: int
    memo: AssertionMemo | None
    timings: Timings

    def survey(self, project: Project) -> AssertionTree:
        if self.memo is not None and self.memo.listing is not None:
            return AssertionTree(self.memo.listing, self.memo.problems)
        return project.assertion_tree()

    def read(
        self,
        project: Project,
        tree: AssertionTree,
        options: ReadingOptions,
        meanwhile: Callable[[], T],
    ) -> tuple[list[AssertionFile], T]:
        return load_assertion_files(
            project,
            options.plaintext_recipients,
            options.added,
            options.now,
            self.jobs,
            self.memo,
            self.timings,
            meanwhile,
            listing=tree.files,
        )


# Rendering assertions -----------------------------------------------------------------------


@dataclass
class Rendered:
    """What rendering a set of outputs staged: records by path, files to rename, counts."""

    records: dict[str, Written] = field(default_factory=dict)
    units: dict[str, tuple[str, ...]] = field(default_factory=dict)  # item id → its output paths
    staged: list[tuple[str, str]] = field(default_factory=list)
    written: int = 0
    unchanged: int = 0
    timings: Timings = field(default_factory=Timings)
    count: int = 0  # outputs rendered
    workers: int = 1  # processes that rendered them
    # With `keep_state`: the units and records, encoded by the state's bucket
    # (`state.output_parts`) instead of in `units` and `records`.
    parts: dict[int, list[bytes]] | None = None
    # The signatures the shards used (ob3_build.SignatureCache.take_used), new ones too.
    signatures: dict[str, str] = field(default_factory=dict)

    def merge(self, other: Rendered) -> None:
        self.records.update(other.records)
        self.units.update(other.units)
        if other.parts is not None:
            self.parts = {} if self.parts is None else self.parts
            for index, parts in other.parts.items():
                self.parts.setdefault(index, []).extend(parts)
        self.staged.extend(other.staged)
        self.signatures.update(other.signatures)
        self.written += other.written
        self.unchanged += other.unchanged
        self.timings.add(other.timings)
        self.count += other.count

    def output_paths(self) -> set[str]:
        """Every path rendered (also those held only in `parts`)."""
        paths = set(self.records)
        paths.update(
            decode_output_paths(data for parts in (self.parts or {}).values() for data in parts)
        )
        return paths


class DiscardingWriter:
    """`badgepress check`: render everything, write nothing."""

    def __init__(self) -> None:
        self.records: dict[str, Written] = {}
        self.staged: list[tuple[str, str]] = []
        self.written = 0
        self.unchanged = 0

    def put(self, path: str, data: bytes) -> None:
        pass


RenderOne = Callable[[object, Timings], list[tuple[str, bytes]]]


@dataclass(frozen=True)
class _RenderJob:
    items: Sequence
    render_one: RenderOne
    out_dir: Path | None
    known: dict[str, Written]
    fresh: bool
    keep_state: bool
    signatures: SignatureCache | None


def _render_shard(job: _RenderJob, bounds: Shard) -> Rendered | Exception:
    """What rendering one shard staged, or the problem that stopped it (its files discarded)."""
    items, render_one, out_dir, known = job.items, job.render_one, job.out_dir, job.known
    fresh, keep_state, signatures = job.fresh, job.keep_state, job.signatures
    writer = (
        StagedWriter(out_dir, known, fresh=fresh) if out_dir is not None else DiscardingWriter()
    )
    timings = Timings()
    units = {}
    count = 0
    try:
        for item in items[bounds[0] : bounds[1]]:
            outputs = render_one(item, timings)
            units[item.id] = tuple(path for path, _data in outputs)
            with timings.stage("write"):
                for path, data in outputs:
                    writer.put(path, data)
            count += len(outputs)
    except Exception as problem:  # handed to the parent, which discards every staged file
        discard(writer.staged)
        return problem
    done = Rendered(staged=writer.staged, written=writer.written, unchanged=writer.unchanged)
    done.timings, done.count = timings, count
    if signatures is not None:  # a worker's copy of the cache: the parent keeps what it used
        done.signatures = signatures.take_used()
    if keep_state:  # encoded here, in parallel, as the state keeps them
        done.parts = {index: [data] for index, data in output_parts(units, writer.records).items()}
    else:
        done.records, done.units = writer.records, units
    return done


def _commit_shard(staged: list[tuple[str, str]]) -> None:
    # A worker stopped midway (the group's SIGTERM) would leave the site half renamed.
    with signals_deferred():
        commit(staged)


class Workers:
    """Renders many items' outputs in worker processes, then renames them into place together."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._stack = contextlib.ExitStack()
        self._executor: Executor | None = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()

    def render(
        self,
        items: Sequence,
        render_one: RenderOne,
        out_dir: Path | None,
        known: dict[str, Written],
        progress: Callable[[int], None] = lambda n: None,
        *,
        fresh: bool = False,
        keep_state: bool = False,
        meanwhile: Callable[[], T] = lambda: None,
        signatures: SignatureCache | None = None,
    ) -> tuple[Rendered, T]:
        """Render and stage every item's outputs; raises the first problem met.

        `keep_state`: hand back the units and records as the incremental state's encoded parts
        (a full build keeps them all). `meanwhile` runs in this process while the workers render
        (first, without workers); its result comes back with what was rendered. `signatures`:
        the ob3_build.SignatureCache that `render_one` signs with; what the workers' copies of
        it used comes back into it.
        """
        job = _RenderJob(items, render_one, out_dir, known, fresh, keep_state, signatures)
        merged = Rendered()
        problem = None
        beside = None
        # The catalog lives as long as the build: the cycle collector need not scan it again
        # and again while thousands of pages are rendered (`build` unfreezes it at the end).
        gc.freeze()
        run = self._executor = self._stack.enter_context(executor(self.jobs, len(items)))
        workers = run.workers
        shards = _shards(len(items), workers)
        results = run.map(functools.partial(_render_shard, job), shards)
        try:  # in this process, while the workers start on the shards
            beside = meanwhile()
        except Exception as failed:  # once every worker is done: their files are discarded
            problem = failed
        # Without workers nothing runs elsewhere: stop at the first problem.
        rendering = zip(shards, results, strict=True) if problem is None or workers > 1 else ()
        for bounds, outcome in rendering:
            if isinstance(outcome, Exception):
                problem = problem or outcome
                if workers == 1:
                    break
            else:
                merged.merge(outcome)
            progress(bounds[1] - bounds[0])
        if problem is not None:
            discard(merged.staged)
            raise problem
        merged.workers = workers
        if signatures is not None:
            signatures.keep_used(merged.signatures)
        return merged, beside

    def commit(self, staged: list[tuple[str, str]]) -> None:
        """Rename staged files into place, spread over the workers when there are many."""
        pool = self._executor.pool if isinstance(self._executor, ForkExecutor) else None
        if pool is None or len(staged) < MIN_FILES_PER_WORKER:
            commit(staged)
            return
        size = -(-len(staged) // (self.jobs * 2))
        pool.map(_commit_shard, [staged[i : i + size] for i in range(0, len(staged), size)])
