"""Keeping the state of a build into one output folder between builds: the fingerprint file,
the head, and the readings and outputs split into buckets by assertion id (`state_codec`
encodes them). See `incremental` for what the state holds and why."""

from __future__ import annotations

import contextlib
import datetime
import gc
import hashlib
import json
import os
import re
import shutil
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..content.project import assertion_file_id
from ..files import cachefile
from ..files.atomic import write_atomically
from .inputs import FORMAT, check_print, is_list_of, is_signing

CACHE_FOLDER = ".badgepress-cache"


HISTORY_CACHE = f"{CACHE_FOLDER}/history.data"  # git's walk of assertions/ (gitlog.HistoryWalk)


BUCKETS = 64  # the state is split by assertion id into this many files


KEEP_STATES = 8  # builds into other folders (previews, tests) each keep a state; keep the newest


OUTPUT_MARKER = ".badgepress-output"  # same name as write.MARKER (not imported: write is light, but this stays stdlib-only)


def state_files(root: Path, output: Path) -> tuple[Path, Path]:
    """The fingerprint (JSON) and the state's folder of builds of `root` into `output`."""
    key = hashlib.sha256(os.fsencode(output)).hexdigest()[:16]
    folder = root / CACHE_FOLDER / "builds"
    return folder / f"{key}.print", folder / f"{key}.state"


def writing_marker(root: Path, output: Path) -> Path:
    """Present while a build changes `output`: if a build finds it, the last one died midway
    (kill -9, a power cut), and the folder may hold files no state knows."""
    return state_files(root, output)[0].with_suffix(".writing")


def read_saved(path: Path) -> dict:
    """The saved fingerprint and warnings (ValueError when unreadable: then there is no state).

    Checked here only as far as the no-op check uses it: a fingerprint equal to the inputs' is
    well formed by construction. A build that reads on checks the rest (`check_print`)."""
    try:
        document = json.loads(bytes(cachefile.only_record(cachefile.read(path))))
    except RecursionError:  # nested beyond the JSON reader's depth: not ours
        raise ValueError(path) from None
    if not (
        isinstance(document, dict)
        and isinstance(document.get("print"), dict)
        and is_list_of(document.get("warnings"), str)
        and is_signing(document["print"].get("signing"))
    ):
        raise ValueError(path)
    return document


class StateDamaged(Exception):
    """A part of the saved state is missing or unreadable: the build is a full one."""


if TYPE_CHECKING:
    from ..model import Assertion
    from ..render.template_deps import TemplateUse
    from .memo import AssertionMemo
    from .write import Written


class KeptTemplateUse(NamedTuple):
    """What the earner page uses (`template_deps.template_use`), kept while no template or code
    changed: parsing them takes longer than rendering one earner page."""

    key: str  # a digest of the templates and code it was found in
    use: TemplateUse | None


NOT_YET_USED = KeptTemplateUse("", None)  # no build found it yet


@dataclass
class BuildState:
    """What the last successful build read and wrote (see the module docstring).

    The units (assertion id → its output paths) and records of assertions' outputs are read per
    bucket, when a build asks for them: an assertion-only build needs those of the assertions
    it renders or removes, not all 30,000.
    """

    print: dict  # the fingerprint (`inputs.fingerprint`) the state was saved with
    context: str
    memo: AssertionMemo  # assertion files as last read
    readings: list[dict] | None = None  # the memo's entries by bucket, as read (None: none were)
    ids: frozenset[str] = frozenset()  # the assertions whose outputs are recorded
    unit_files: int = 0  # how many output files they have
    site_records: dict[str, Written] = field(default_factory=dict)  # not an assertion's
    catalog_paths: frozenset[str] = frozenset()  # outputs of outputs.catalog_outputs
    images: dict = field(default_factory=dict)  # images.CheckedImages: the checks that passed
    now: datetime.datetime | None = None  # the reference time the outputs were rendered as of
    withdrawn: dict[str, Assertion] = field(default_factory=dict)  # deleted files, as published
    credentials: dict[str, str] = field(default_factory=dict)  # slug → credential_digests
    catalog_context: str = ""  # `context_of`: the catalog's files are rendered again if it differs
    template_use: KeptTemplateUse = NOT_YET_USED
    positions: dict[str, int] = field(default_factory=dict)  # id → its place in the 3.0 list
    folder: Path | None = None  # where the buckets of outputs are read from
    outputs: dict[int, dict] = field(default_factory=dict)  # bucket → {"units", "records"}

    def output_bucket(self, bucket: int) -> dict:
        """The units and records of the assertions in `bucket` (StateDamaged: unreadable)."""
        if bucket not in self.outputs:
            if self.folder is None:
                raise StateDamaged(bucket)
            try:
                from .state_codec import decode_outputs

                with no_gc():
                    units, records = {}, {}
                    for part in decode_outputs(cachefile.read(self.folder / outputs_file(bucket))):
                        units.update(part.units)
                        records.update(part.records)
                    self.outputs[bucket] = {"units": units, "records": records}
            except Exception:  # missing, damaged: the outputs cannot be vouched for
                raise StateDamaged(bucket) from None
        return self.outputs[bucket]

    def all_records(self) -> dict:
        """Every output's record (a full build recognises unchanged files by them)."""
        records = dict(self.site_records)
        for bucket in range(BUCKETS):
            records.update(self.output_bucket(bucket)["records"])
        return records


@contextlib.contextmanager
def no_gc():
    """Pause the cycle collector: decoding ~100,000 objects triggers it dozens of times."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def bucket_of(assertion_id: str) -> int:
    return zlib.crc32(assertion_id.encode()) % BUCKETS


def reading_bucket(rel: str) -> int:
    """The bucket of the state that keeps the reading of the assertion file `rel`."""
    return bucket_of(assertion_file_id(rel))


# What the head file keeps of a BuildState (the readings and outputs have buckets of their own).
HEAD_FIELDS = (
    "context",
    "ids",
    "unit_files",
    "site_records",
    "catalog_paths",
    "images",
    "now",
    "withdrawn",
    "credentials",
    "catalog_context",
    "template_use",
    "positions",
)

# The state's files in its folder: the head, and the readings and outputs of each bucket.
HEAD = "head.data"


def readings_file(index: int) -> str:
    return f"r{index:02d}.data"


def outputs_file(index: int) -> str:
    return f"o{index:02d}.data"


def encoded_readings(buckets: dict[int, dict]) -> dict[int, bytes]:
    from .state_codec import encode_readings

    with no_gc():
        return {index: encode_readings(bucket) for index, bucket in buckets.items()}


def encoded_outputs(buckets: dict[int, dict]) -> dict[int, bytes]:
    from .state_codec import encode_outputs

    with no_gc():
        return {
            index: encode_outputs(bucket["units"], bucket["records"])
            for index, bucket in buckets.items()
        }


def reading_parts(entries: dict[str, tuple]) -> dict[int, bytes]:
    """Readings (path → the memo's entry) by bucket, encoded: the state's parts of them."""
    buckets: dict[int, dict] = {}
    for rel, entry in entries.items():
        index = reading_bucket(rel)
        bucket = buckets.get(index)
        if bucket is None:
            bucket = buckets[index] = {}
        bucket[rel] = entry
    return encoded_readings(buckets)


def output_parts(units: dict[str, tuple[str, ...]], records: dict) -> dict[int, bytes]:
    """Outputs (assertion id → its paths, with their records) by bucket, encoded."""
    buckets: dict[int, dict] = {}
    for assertion_id, paths in units.items():
        index = bucket_of(assertion_id)
        bucket = buckets.get(index)
        if bucket is None:
            bucket = buckets[index] = {"units": {}, "records": {}}
        bucket["units"][assertion_id] = paths
        bucket_records = bucket["records"]
        for path in paths:
            bucket_records[path] = records[path]
    return encoded_outputs(buckets)


def decode_reading_parts(parts: Iterable[bytes]) -> Iterator[dict]:
    """The readings (path → the memo's entry) encoded by `reading_parts`."""
    from .state_codec import decode_readings

    with no_gc():
        for data in parts:
            yield from decode_readings(data)


def decode_output_paths(parts: Iterable[bytes]) -> set[str]:
    """Every output path recorded in parts encoded by `output_parts`."""
    from .state_codec import decode_outputs

    paths: set[str] = set()
    with no_gc():
        for data in parts:
            for part in decode_outputs(data):
                paths.update(part.records)
    return paths


def load_state(root: Path, output: Path, print_: dict | None = None) -> BuildState | None:
    """The last build's state for this output folder, or None (then the build is a full one).

    `print_`: the saved fingerprint, when the caller has already read it.
    """
    saved_path, folder = state_files(root, output)
    if not (output / OUTPUT_MARKER).is_file():
        return None  # the folder was deleted or never built: its files cannot be trusted
    if writing_marker(root, output).exists():
        return None  # the last build died while it wrote: the folder may hold anything
    from .memo import AssertionMemo

    try:
        # The fingerprint is written last: without it, the buckets may be half-written.
        if print_ is None:
            print_ = read_saved(saved_path)["print"]
        check_print(print_)
        from .state_codec import decode_head, decode_readings

        with no_gc():
            head = decode_head(cachefile.read(folder / HEAD))
            if head["format"] != FORMAT or print_.get("output") != os.fspath(output):
                return None
            readings = []
            for index in range(BUCKETS):
                bucket = {}
                for part in decode_readings(cachefile.read(folder / readings_file(index))):
                    bucket.update(part)
                readings.append(bucket)
            memo = AssertionMemo()
            for bucket in readings:
                memo.files.update(bucket)
            # Every object read lives as long as the build: the collector need never scan them.
            gc.freeze()
        saved = {name: head[name] for name in HEAD_FIELDS}
        return BuildState(print_, memo=memo, readings=readings, folder=folder, **saved)
    except Exception:  # missing, damaged, or from an older badgepress: a full build
        return None


def save_state(
    root: Path,
    output: Path,
    state: BuildState,
    warnings: list[str],
    readings: dict[int, list[bytes]],
    outputs: dict[int, list[bytes]],
    everything: bool,
) -> None:
    """Keep this build's state for the next one: its head and fingerprint, and the buckets of
    `readings` (by `Increment.encoded_readings`) and `outputs` (those that changed), each as the
    encoded parts its file holds. `everything`: the folder holds no state of this format, and
    these are all the buckets. Unsaveable: a value the format does not hold (the state is then
    forgotten: the next build is a full one)."""
    from .state_codec import encode_head

    saved_path, folder = state_files(root, output)
    drop_fingerprint(root, output)  # written again last: the fingerprint vouches for the state
    if folder.exists() and not folder.is_dir():
        folder.unlink()  # a file where the folder belongs: damage
    folder.mkdir(parents=True, exist_ok=True)
    with no_gc():
        for index, parts in sorted(readings.items()):
            write_atomically(folder / readings_file(index), b"".join(parts))
        for index, parts in sorted(outputs.items()):
            write_atomically(folder / outputs_file(index), b"".join(parts))
        head = {"format": FORMAT, **{name: getattr(state, name) for name in HEAD_FIELDS}}
        write_atomically(folder / HEAD, encode_head(head))
    if everything:  # files of an older layout, or left by a build that was killed
        names = {HEAD} | {name(i) for name in (readings_file, outputs_file) for i in range(BUCKETS)}
        for entry in os.scandir(folder):
            if entry.name not in names:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
    document = {"print": state.print, "warnings": warnings}
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    write_atomically(saved_path, cachefile.seal(text.encode("utf-8")))
    _prune(saved_path.parent)


def drop_fingerprint(root: Path, output: Path) -> None:
    """Make the next build into `output` a full one (its state is incomplete without it)."""
    saved_path, _folder = state_files(root, output)
    with contextlib.suppress(FileNotFoundError):
        saved_path.unlink()


def forget_state(root: Path, output: Path) -> None:
    """Drop the state of builds into `output`: the next build is a full one."""
    saved_path, folder = state_files(root, output)
    for path in (saved_path, writing_marker(root, output)):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    if folder.is_dir() and not folder.is_symlink():
        shutil.rmtree(folder, ignore_errors=True)
    else:  # a file (or link) where the folder belongs: damage
        with contextlib.suppress(FileNotFoundError):
            folder.unlink()


# Cache files of earlier versions (pickle and marshal, which nothing reads any more) and
# temporary files left by a killed build (atomic.write_atomically's names).
_OBSOLETE = ("templates", "history.marshal", "signatures.tmp")


_TEMPORARY = re.compile(r"^\..+\.\d+\.tmp$")


def sweep_cache(root: Path) -> None:
    """Remove from the site's cache what no build reads: older formats, and temporary files of
    a build that was killed. Call it holding the build lock (`buildlock`): another build's
    temporary files are in use."""
    cache = root / CACHE_FOLDER
    for name in _OBSOLETE:
        path = cache / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        elif path.exists() or path.is_symlink():
            with contextlib.suppress(OSError):
                path.unlink()
    for folder in (cache, cache / "builds", cache / "images"):
        with contextlib.suppress(OSError):
            for entry in os.scandir(folder):
                if _TEMPORARY.match(entry.name):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)


def forget_history(root: Path) -> None:
    """Drop the walk of git's history kept by builds of any folder: the next walks it whole
    (a clean build; serve keeps it when it removes its own folder's state)."""
    with contextlib.suppress(FileNotFoundError):
        (root / HISTORY_CACHE).unlink()


def _prune(folder: Path) -> None:
    states = sorted(folder.glob("*.print"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in states[KEEP_STATES:]:
        with contextlib.suppress(FileNotFoundError):
            old.unlink()
        with contextlib.suppress(FileNotFoundError):
            old.with_suffix(".writing").unlink()
        shutil.rmtree(old.with_suffix(".state"), ignore_errors=True)
    for stray in folder.glob("*.pickle"):  # the single-file state of earlier versions
        stray.unlink(missing_ok=True)
    for stray in folder.glob(".*.tmp"):  # left by a build that was killed (atomic)
        stray.unlink(missing_ok=True)
    for stray in folder.glob("*.json"):  # a JSON fingerprint of earlier versions
        stray.unlink(missing_ok=True)
        if not stray.with_suffix(".print").exists():  # its folder is not this version's
            shutil.rmtree(stray.with_suffix(".state"), ignore_errors=True)


def changed_readings(memo, loaded: list[dict] | None) -> dict[int, dict]:
    """The buckets of readings to write: those holding a changed one (all, with none `loaded`)."""
    if loaded is None:
        buckets: dict[int, dict] = {index: {} for index in range(BUCKETS)}
        for rel, entry in memo.files.items():
            buckets[reading_bucket(rel)][rel] = entry
        return buckets
    buckets = {}
    for rel in memo.changed:
        index = reading_bucket(rel)
        bucket = buckets.setdefault(index, dict(loaded[index]))
        if rel in memo.files:
            bucket[rel] = memo.files[rel]
        else:
            bucket.pop(rel, None)
    return buckets
