"""The only writer to the output folder: atomic per file, unchanged bytes skipped, stale files removed."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import signal
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MARKER = (
    ".badgepress-output"  # marks a folder badgepress may clean; never delete a stranger's files
)


class UnsafeOutput(Exception):
    """The output folder or an output path would touch files badgepress does not own."""


class OutputFailed(Exception):
    """Writing the site failed (a full disk, a read-only folder): one line for the user."""


def describe_os_error(problem: OSError, folder: os.PathLike | str | None = None) -> str:
    """What an OSError says, in one line: the file (relative to `folder` when inside it; a
    staged file by the name it was staged for) and the system's reason."""
    reason = problem.strerror or errno.errorcode.get(problem.errno or 0) or str(problem)
    name = problem.filename
    if name is None:
        return reason
    name = os.fsdecode(name)
    if folder is not None:
        with contextlib.suppress(ValueError):
            relative = os.path.relpath(name, folder)
            if not relative.startswith(".."):
                head, tail = os.path.split(relative)
                staged = _STAGED_NAME.match(tail)
                tail = staged["name"] if staged else tail
                name = os.path.join(os.fspath(folder), head, tail)
    return f"{name}: {reason}"


# The signals that stop a build (Ctrl-C, kill, a closed terminal).
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold back the signals that stop a build until the block ends, then act on them: renaming
    staged files into place is never cut off halfway, so the output folder holds the previous
    site or the new one, not half of each. (Only in the main thread, where Python runs signal
    handlers; kill -9 cannot be held back: the next build repairs what it leaves.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {
        sig: signal.signal(sig, lambda signum, frame: received.append(signum))
        for sig in STOP_SIGNALS
    }
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if received:
            signal.raise_signal(received[0])


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int


def check_output_folder(out_dir: Path) -> None:
    """Refuse a non-empty folder that badgepress did not create (it would delete its files)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise UnsafeOutput(f"{out_dir}: expected an output folder, found a file")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).is_file():
        raise UnsafeOutput(
            f"{out_dir}: refusing to write into a non-empty folder that badgepress did not create "
            f"(no {MARKER} file); choose an empty or new folder"
        )


def _safe_relative(path: str) -> PurePosixPath:
    _check_relative(path)
    return PurePosixPath(path)


def _check_relative(path: str) -> None:
    """A relative POSIX path in normal form ('a/b.html'; not '/a', 'a/../b', './a', 'a//b', 'a/'),
    checked with string operations: it runs for each of tens of thousands of outputs."""
    if not path or path[0] == "/" or any(part in ("", ".", "..") for part in path.split("/")):
        raise UnsafeOutput(f"refusing to write outside the output folder: {path!r}")


def write_site(outputs: Mapping[str, bytes], out_dir: Path) -> WriteReport:
    """Make `out_dir` hold exactly `outputs` (plus the marker), touching only what differs."""
    check_output_folder(out_dir)
    for path in outputs:
        _safe_relative(path)
    writer = StagedWriter(out_dir)
    try:
        for path in sorted(outputs):
            writer.put(path, outputs[path])
    except BaseException:
        discard(writer.staged)
        raise
    commit(writer.staged)
    removed = remove_stale(out_dir, set(outputs))
    return WriteReport(writer.written, writer.unchanged, removed)


# What an output file held when badgepress last wrote or checked it: (digest, size, mtime_ns).
# A plain tuple: tens of thousands are sent back by workers and kept between builds, and a
# NamedTuple pickles at a third of the speed.
Written = tuple[bytes, int, int]


def digest_of(data: bytes) -> bytes:
    """A short, collision-resistant fingerprint of an output's bytes (SHA-256, which CPUs with
    SHA extensions compute at twice BLAKE2b's speed: 30,000 files are hashed per 10,000 badges)."""
    return hashlib.sha256(data).digest()[:16]


class StagedWriter:
    """Writes changed outputs beside their targets; `commit` renames them all into place.

    Nothing in the output folder changes until `commit`, so a build that fails halfway (a
    template error in the 9,000th page) leaves the previous site untouched. `known` (the last
    build's records) lets an unchanged file be recognised by its stat alone, without reading it.
    """

    def __init__(
        self, out_dir: Path, known: Mapping[str, Written] | None = None, *, fresh: bool = False
    ):
        self.out_dir = out_dir
        self.known = known or {}
        # A folder that was empty when the build began has no previous site to keep intact:
        # files go straight to their names (no stat, no rename), and a failed build empties
        # the folder again (pipeline). Nor are they listed in `staged`: 30,000 pairs of paths
        # would only travel from the workers to be skipped.
        self.fresh = fresh
        self.staged: list[tuple[str, str]] = []  # (temporary file, target)
        self.records: dict[str, Written] = {}
        self.written = 0
        self.unchanged = 0
        self._made_dirs: set[str] = set()

    def put(self, path: str, data: bytes) -> None:
        """Stage `data` for `path` unless the file there already holds exactly these bytes."""
        _check_relative(path)
        target = os.path.join(self.out_dir, path)
        digest = digest_of(data)
        try:
            stat = None if self.fresh else os.stat(target)
        except OSError:
            stat = None
        if stat is not None and stat.st_size == len(data):
            known = self.known.get(path)
            same = (
                known[0] == digest and known[2] == stat.st_mtime_ns
                if known is not None and known[1] == stat.st_size
                else _same_bytes(Path(target), data)
            )
            if same:
                self.unchanged += 1
                self.records[path] = (digest, stat.st_size, stat.st_mtime_ns)
                return
        folder = os.path.dirname(target)
        if folder not in self._made_dirs:
            _make_folder(folder)
            self._made_dirs.add(folder)
        temporary = (
            target
            if self.fresh
            else os.path.join(folder, f".{os.path.basename(target)}.tmp{os.getpid()}")
        )
        # os-level calls: tens of thousands of small files, where file objects' overhead shows.
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            mtime_ns = os.fstat(fd).st_mtime_ns
        except OSError as problem:  # a full disk: no half-written file stays, and it is named
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise OSError(problem.errno, problem.strerror, temporary) from None
        os.close(fd)
        if not self.fresh:
            self.staged.append((temporary, target))
        self.written += 1
        self.records[path] = (digest, len(data), mtime_ns)


def _make_folder(folder: str) -> None:
    try:
        os.mkdir(folder)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)


def commit(staged: list[tuple[str, str]]) -> None:
    """Move staged files into place (each rename is atomic: readers never see half a file)."""
    for temporary, target in staged:
        os.replace(temporary, target)


def discard(staged: list[tuple[str, str]]) -> None:
    """Delete staged files after a failed build."""
    for temporary, _target in staged:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def empty_folder(out_dir: Path) -> None:
    """Remove everything a failed build wrote into a folder that was empty when it began."""
    if out_dir.is_dir():
        for child in out_dir.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    child.unlink()


_STAGED_NAME = re.compile(r"^\.(?P<name>.+)\.tmp\d+$")  # StagedWriter's names before renaming


def remove_staged_leftovers(out_dir: Path) -> None:
    """After an interrupted build: delete staged files its workers did not get to rename.

    No output's name starts with a dot (urls makes none), so the pattern is ours alone.
    """
    for directory, _subdirs, files in os.walk(out_dir):
        for name in files:
            if _STAGED_NAME.match(name):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(directory, name))


def mark_output_folder(out_dir: Path) -> None:
    """Create the folder and its marker (the proof badgepress may clean it later)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    marker = out_dir / MARKER
    if not marker.is_file():
        _atomic_write(
            marker,
            b"This folder is generated by badgepress; its contents are replaced on every build.\n",
        )


def remove_stale(out_dir: Path, keep: set[str]) -> int:
    """Delete every file under `out_dir` that is not in `keep` (relative POSIX paths)."""
    mark_output_folder(out_dir)
    return _remove_stale(out_dir, {*keep, MARKER})


def remove_outputs(out_dir: Path, paths: set[str]) -> int:
    """Delete these outputs (and folders left empty): an incremental build's stale files."""
    removed = 0
    for path in sorted(paths):
        target = out_dir.joinpath(*_safe_relative(path).parts)
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
            removed += 1
        folder = target.parent
        while folder != out_dir and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    return removed


def _same_bytes(target: Path, data: bytes) -> bool:
    try:
        if target.stat().st_size != len(data):
            return False
        return target.read_bytes() == data
    except OSError:
        return False


def _atomic_write(target: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename: readers never see half a file."""
    temporary = target.with_name(f".{target.name}.tmp{os.getpid()}")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    finally:
        if temporary.exists():
            temporary.unlink()


def _remove_stale(out_dir: Path, keep: set[str]) -> int:
    # Strings, not Paths, and no listing of each folder: a site has tens of thousands of files.
    removed = 0
    root = os.fspath(out_dir)
    for directory, _subdirs, files in os.walk(root, topdown=False):
        prefix = "" if directory == root else directory[len(root) + 1 :].replace(os.sep, "/") + "/"
        kept = 0
        for name in files:
            if prefix + name in keep:
                kept += 1
            else:
                os.unlink(os.path.join(directory, name))
                removed += 1
        if directory != root and not kept:
            with contextlib.suppress(OSError):  # not empty: it holds a kept folder
                os.rmdir(directory)
    return removed
