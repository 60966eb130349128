"""Incremental builds: what the last build read and wrote, so the next one redoes only what changed.

The state of a build into one output folder lives in the site repository, in
`.badgepress-cache/builds/<key>.print` and `<key>.state/` (gitignored, never in site/: it holds
hashes of unpublished inputs and is not for publishing). The *fingerprint* (`.print`, JSON:
read by every build, no-op or not, as fast as marshal was) is the stat
(mtime, size) of every input file plus everything else the bytes depend on: badgepress's own
code and theme, the libraries that render, SOURCE_DATE_EPOCH, --base-url, the signing key, and
the git commit (the build's reference time and issue dates come from git). An unchanged
fingerprint means nothing to do; the CLI checks it before importing the pipeline, so a no-op
build never imports Jinja2 or YAML. The state (`<key>.state/`, split by assertion id into
buckets so that one changed badge rewrites one small file) holds the last readings of assertion
files, which outputs each one produced and a record (digest, size, mtime) of every output, as
MessagePack checked against fixed types when read (`state_codec`). A bucket's file is one or
more parts, merged when read: in a full build each worker encodes its share of every bucket,
which the parent writes as it is (the workers read files in bucket order, so a bucket of
readings is seldom split). Every file is sealed (`cachefile`): a damaged or foreign one is
ignored, and the build is then a full one. Nothing read from the state can run code.

The *context* is what an assertion's files (hosted JSON, baked image, earner page) depend on
besides the assertion and its credential: the fingerprint without the assertion files, the
commit, SOURCE_DATE_EPOCH, the content only the catalog's pages show (credentials, stacks,
translations, pages) and the templates an earner page does not use (`template_deps`). While it
is unchanged, only the assertions whose output may differ are rendered again: those whose file
changed, new ones, withdrawn ones that differ from last time, those whose status (valid or
expired) differs between the last build's reference time and this one's (the commit's time, or
SOURCE_DATE_EPOCH), and those whose credential changed (a digest of each credential's model is
kept). The catalog's files are rendered again when a credential or anything else they are made
from changed (the *catalog context*). The site-wide files of the ledger (revocations, the OB
3.0 status list, build.json) are rendered every time; they are cheap and rewritten only if their
bytes change. Any other change renders every output, and the writer still skips the files whose
bytes are the same. When in doubt — no git commit to pin the reference time, a state file from
another version, a missing output marker — the build is a full one.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import re
import shutil
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

from ..content import gitdir
from ..content.assertion_tree import survey
from ..content.project import assertion_file_id
from ..files import cachefile
from ..files.atomic import write_atomically

FORMAT = 11  # bump when the state's shape changes: older states are then ignored
CACHE_FOLDER = ".badgepress-cache"
HISTORY_CACHE = f"{CACHE_FOLDER}/history.data"  # git's walk of assertions/ (gitlog.HistoryWalk)
BUCKETS = 64  # the state is split by assertion id into this many files
KEEP_STATES = 8  # builds into other folders (previews, tests) each keep a state; keep the newest
INPUT_FOLDERS = ("content", "assertions", "templates", "locales")
# Libraries whose versions change output bytes; their files' stats stand in for versions.
LIBRARIES = ("jinja2", "markupsafe", "cmarkgfm", "nh3", "babel", "yaml", "PIL", "pyld")
OUTPUT_MARKER = ".badgepress-output"  # same name as write.MARKER (not imported: write is light, but this stays stdlib-only)
PACKAGE = Path(__file__).resolve().parent.parent


def state_files(root: Path, output: Path) -> tuple[Path, Path]:
    """The fingerprint (JSON) and the state's folder of builds of `root` into `output`."""
    key = hashlib.sha256(os.fsencode(output)).hexdigest()[:16]
    folder = root / CACHE_FOLDER / "builds"
    return folder / f"{key}.print", folder / f"{key}.state"


def _writing_marker(root: Path, output: Path) -> Path:
    """Present while a build changes `output`: if a build finds it, the last one died midway
    (kill -9, a power cut), and the folder may hold files no state knows."""
    return state_files(root, output)[0].with_suffix(".writing")


def _read_saved(path: Path) -> dict:
    """The saved fingerprint and warnings (ValueError when unreadable: then there is no state).

    Checked here only as far as the no-op check uses it: a fingerprint equal to the inputs' is
    well formed by construction. A build that reads on checks the rest (`_check_print`)."""
    try:
        document = json.loads(bytes(cachefile.only_record(cachefile.read(path))))
    except RecursionError:  # nested beyond the JSON reader's depth: not ours
        raise ValueError(path) from None
    if not (
        isinstance(document, dict)
        and isinstance(document.get("print"), dict)
        and _is_list_of(document.get("warnings"), str)
        and _is_signing(document["print"].get("signing"))
    ):
        raise ValueError(path)
    return document


def _is_list_of(value, kind: type) -> bool:
    return isinstance(value, list) and all(isinstance(item, kind) for item in value)


def _is_signing(value) -> bool:
    """None, or the names `fingerprint` takes: {"key_env": str | None, "key_file": str | None}."""
    return value is None or (
        isinstance(value, dict)
        and value.keys() == {"key_env", "key_file"}
        and all(item is None or isinstance(item, str) for item in value.values())
    )


def _is_stats(value) -> bool:
    """{path: [mtime_ns, size]}, as `_stats` makes it: a mapping, whose entries a build only
    compares with its own (any JSON value compares safely: an odd one differs)."""
    return isinstance(value, dict)


def _check_print(print_: dict) -> dict:
    """A saved fingerprint whose every field a build compares has the type `fingerprint` gives
    it (ValueError if not): it is compared field by field, and its parts hashed."""
    optional_text = ("head", "source_date_epoch", "base_url")
    if not (
        type(print_.get("format")) is int
        and isinstance(print_.get("output"), str)
        and isinstance(print_.get("history_rewrites"), str)
        and all(print_.get(name) is None or isinstance(print_[name], str) for name in optional_text)
        and _is_signing(print_.get("signing"))
        and (print_.get("key") is None or isinstance(print_["key"], dict))
        and all(_is_stats(print_.get(name)) for name in ("code", *INPUT_FOLDERS))
    ):
        raise ValueError("a saved fingerprint of another shape")
    return print_


RACY_NS = 100_000_000  # 0.1 s: file times are coarser than nanoseconds (kernel ticks)


def _stats(
    folder: Path | str,
    into: dict[str, list[int]],
    prefix: str,
    skip: tuple = (),
    racy_after: int = 0,
) -> None:
    """Stat every file under `folder`. A file modified just before the stat may be modified
    again within the same clock tick, keeping its mtime: it is recorded as changed-for-sure
    (git's "racy clean" rule), so the next build looks at it again."""
    # The loop runs once per assertion file, 10,000 times for a large site: no context manager
    # per file, no Path per folder.
    racy_after = racy_after or 1 << 63  # 0: no file is racy
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name in skip:
            continue
        if entry.is_dir():  # following symbolic links, as is_file and stat do
            _stats(entry.path, into, f"{prefix}{entry.name}/", skip, racy_after)
        elif entry.is_file():  # regular files only: the loaders read no others
            try:
                stat = entry.stat()
            except OSError:
                continue
            mtime = stat.st_mtime_ns
            into[prefix + entry.name] = [-1 if mtime >= racy_after else mtime, stat.st_size]


def _code() -> dict[str, list[int]]:
    """badgepress's code and theme, the Python version and the rendering libraries."""
    code: dict[str, list[int]] = {"python " + sys.version: [0, 0]}
    _stats(PACKAGE, code, "badgepress/", skip=("__pycache__",))
    for name in LIBRARIES:
        spec = find_spec(name)
        if spec is not None and spec.origin:
            with contextlib.suppress(OSError):
                stat = os.stat(spec.origin)
                code[name] = [stat.st_mtime_ns, stat.st_size]
    return code


def input_stats(root: Path) -> dict:
    """[mtime_ns, size] of every file under content/, templates/ and locales/, and of every
    assertion file under assertions/, by folder and path; a file modified in the last clock
    tick (`RACY_NS`) has mtime -1: it may change unseen. `assertion_problems`: what else is
    under assertions/ (assertion_tree), so that a link or an unreadable file is seen as a
    change."""
    racy_after = time.time_ns() - RACY_NS
    inputs: dict = {}
    for name in INPUT_FOLDERS:
        found: dict[str, list[int]] = {}
        if name == "assertions":
            tree = survey(os.fspath(root / name))
            for rel, (mtime, size) in tree.files.items():
                found[rel] = [-1 if mtime >= racy_after else mtime, size]
            inputs["assertion_problems"] = [list(problem) for problem in tree.problems]
        else:
            _stats(root / name, found, f"{name}/", racy_after=racy_after)
        inputs[name] = found
    return inputs


# What the CLI just read and took to decide a build is needed, reused by that build (by the
# same process, milliseconds earlier; still before any input is read): (root, output,
# base_url) → (the saved fingerprint file's stamp, the saved document, the fingerprint taken
# with its signing settings). The stamp tells whether another build saved its state between
# (the CLI checks before it takes the build lock).
_TAKEN: dict[tuple, tuple[tuple, dict, dict]] = {}


def _stamp(path: Path) -> tuple:
    stat = os.stat(path)
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def _unchanged(path: Path, stamp: tuple) -> bool:
    try:
        return _stamp(path) == stamp
    except OSError:
        return False


def fingerprint(
    root: Path,
    output: Path,
    environ: dict[str, str] | os._Environ,
    base_url: str | None,
    signing: dict | None,
) -> dict | None:
    """Everything a build's bytes depend on, cheaply; None when it cannot be pinned down.

    `signing` is {"key_env": ..., "key_file": ...} from the last build's site.yaml: if site.yaml
    changed, its stat differs anyway.
    """
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    repository = gitdir.find(root)
    head = gitdir.head(repository) if repository is not None else None
    if not epoch.isdigit() and (head is None or shutil.which("git") is None):
        return None  # the reference time would be the wall clock: every build may differ
    inputs = input_stats(root)
    return {
        "format": FORMAT,
        "output": os.fspath(output),
        "head": head,
        # Grafts or replacement objects show git another history under the same HEAD.
        "history_rewrites": gitdir.history_rewrites(repository) if head is not None else "",
        "source_date_epoch": epoch if epoch.isdigit() else None,
        "base_url": base_url,
        "signing": signing,
        "key": key_stamp(root, environ, signing),
        "code": _code(),
        **inputs,
    }


def key_stamp(root: Path, environ, signing: dict | None) -> dict | None:
    """The signing key's identity: a hash of the variable's value, the key file's stat."""
    if signing is None:
        return None
    secret = environ.get(signing.get("key_env") or "", "")
    key: dict = {"env": hashlib.sha256(secret.encode()).hexdigest()}
    if signing.get("key_file"):
        with contextlib.suppress(OSError):
            stat = (root / os.path.expanduser(signing["key_file"])).stat()
            key["file"] = [stat.st_mtime_ns, stat.st_size]
    return key


def _signing_change(last: dict | None, now: dict | None) -> str:
    """Why signing (`key_env`/`key_file` names, or None) told two builds apart: only between
    two signed builds can it be the key (its variable, its file, or where they are named)."""
    if last is None:
        return "Open Badges 3.0 signing was turned on"
    if now is None:
        return "Open Badges 3.0 signing was turned off"
    return "the signing key changed"


def with_signing(print_: dict, root: Path, environ, signing: dict | None) -> dict:
    """The fingerprint with the key named by this build's site.yaml (known only after loading it)."""
    if print_["signing"] == signing:
        return print_
    return {**print_, "signing": signing, "key": key_stamp(root, environ, signing)}


# What the context leaves out: the assertion files (compared one by one), and what only sets the
# reference time and the commit, on which no page depends unless a site template shows them.
_NOT_CONTEXT = ("assertions", "assertion_problems", "head", "history_rewrites", "source_date_epoch")


def context_of(print_: dict, build: str) -> str:
    """A digest of everything but the assertion files and the commit: equal contexts share every
    rendering rule. `build`: the commit and reference time, when the site's templates show them."""
    context = {k: v for k, v in print_.items() if k not in _NOT_CONTEXT}
    context["build"] = build
    return _digest(context)


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


def earner_context_of(
    print_: dict, build: str, catalog_files: Iterable[str], templates: dict, shown: str
) -> str:
    """The context of an assertion's own files (hosted JSON, baked image, earner page), for an
    earner page that does not read the catalog: `context_of` without the content files that
    only the catalog's files show (`catalog_files`: stacks, translations, pages, and the
    credentials, which are compared one by one), with only the templates an earner page uses
    (`templates`: their stats, "theme" for those the site does not override), and with `shown`,
    what earner pages show of the rest of the catalog (the navigation's pages)."""
    context = {k: v for k, v in print_.items() if k not in _NOT_CONTEXT}
    left_out = set(catalog_files)
    context["content"] = {
        rel: stat for rel, stat in print_["content"].items() if rel not in left_out
    }
    context["templates"] = templates
    context["shown"] = shown
    context["build"] = build
    return _digest(context)


def up_to_date(root: Path, output: Path, environ, base_url: str | None) -> tuple[bool, list[str]]:
    """(True, the last build's warnings) when nothing the output depends on changed."""
    saved_path, state_path = state_files(root, output)
    try:
        stamp = _stamp(saved_path)
        saved = _read_saved(saved_path)
        if (
            not (output / OUTPUT_MARKER).is_file()
            or not (state_path / HEAD).is_file()
            or _writing_marker(root, output).exists()
        ):
            return False, []
        current = fingerprint(root, output, environ, base_url, saved["print"]["signing"])
        fresh = current is not None and current == saved["print"] and not _has_racy(current)
        if not fresh and current is not None:
            _TAKEN[(os.fspath(root), os.fspath(output), base_url)] = (stamp, saved, current)
        return fresh, list(saved["warnings"])
    except (OSError, ValueError, KeyError, TypeError):
        return False, []


def _has_racy(print_: dict) -> bool:
    return any(entry[0] == -1 for name in INPUT_FOLDERS for entry in print_[name].values())


class StateDamaged(Exception):
    """A part of the saved state is missing or unreadable: the build is a full one."""


@dataclass
class BuildState:
    """What the last successful build read and wrote (see the module docstring).

    The units (assertion id → its output paths) and records of assertions' outputs are read per
    bucket, when a build asks for them: an assertion-only build needs those of the assertions
    it renders or removes, not all 30,000.
    """

    print: dict
    context: str
    memo: object  # load.AssertionMemo: assertion files as last read
    readings: list | None = None  # the memo's entries by bucket, as read (None: none were)
    ids: frozenset = frozenset()  # the assertions whose outputs are recorded
    unit_files: int = 0  # how many output files they have
    site_records: dict = field(default_factory=dict)  # path → write.Written, not an assertion's
    catalog_paths: frozenset = frozenset()  # outputs of outputs.catalog_outputs
    images: dict = field(default_factory=dict)  # images.CheckedImages: the checks that passed
    now: object = None  # the reference time the outputs were rendered as of
    withdrawn: dict = field(default_factory=dict)  # id → Assertion: deleted files, as published
    credentials: dict = field(default_factory=dict)  # slug → credential_digests, as rendered
    catalog_context: str = ""  # `context_of`: the catalog's files are rendered again if it differs
    template_use: tuple = ("", None)  # Increment.template_use, as this build's templates are used
    positions: dict = field(default_factory=dict)  # id → its place in the 3.0 status list
    folder: Path | None = None  # where the buckets of outputs are read from
    outputs: dict = field(default_factory=dict)  # bucket → {"units": ..., "records": ...}

    def output_bucket(self, bucket: int) -> dict:
        """The units and records of the assertions in `bucket` (StateDamaged: unreadable)."""
        if bucket not in self.outputs:
            if self.folder is None:
                raise StateDamaged(bucket)
            try:
                from .state_codec import decode_outputs

                with _no_gc():
                    units, records = {}, {}
                    for part in decode_outputs(cachefile.read(self.folder / _outputs(bucket))):
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
def _no_gc():
    """Pause the cycle collector: decoding ~100,000 objects triggers it dozens of times."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _bucket(assertion_id: str) -> int:
    return zlib.crc32(assertion_id.encode()) % BUCKETS


def reading_bucket(rel: str) -> int:
    """The bucket of the state that keeps the reading of the assertion file `rel`."""
    return _bucket(assertion_file_id(rel))


# The state's files in its folder: the head, and the readings and outputs of each bucket.
HEAD = "head.data"


def _readings(index: int) -> str:
    return f"r{index:02d}.data"


def _outputs(index: int) -> str:
    return f"o{index:02d}.data"


def _encoded_readings(buckets: dict[int, dict]) -> dict[int, bytes]:
    from .state_codec import encode_readings

    with _no_gc():
        return {index: encode_readings(bucket) for index, bucket in buckets.items()}


def _encoded_outputs(buckets: dict[int, dict]) -> dict[int, bytes]:
    from .state_codec import encode_outputs

    with _no_gc():
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
    return _encoded_readings(buckets)


def output_parts(units: dict[str, tuple[str, ...]], records: dict) -> dict[int, bytes]:
    """Outputs (assertion id → its paths, with their records) by bucket, encoded."""
    buckets: dict[int, dict] = {}
    for assertion_id, paths in units.items():
        index = _bucket(assertion_id)
        bucket = buckets.get(index)
        if bucket is None:
            bucket = buckets[index] = {"units": {}, "records": {}}
        bucket["units"][assertion_id] = paths
        bucket_records = bucket["records"]
        for path in paths:
            bucket_records[path] = records[path]
    return _encoded_outputs(buckets)


def decode_reading_parts(parts: Iterable[bytes]) -> Iterator[dict]:
    """The readings (path → the memo's entry) encoded by `reading_parts`."""
    from .state_codec import decode_readings

    with _no_gc():
        for data in parts:
            yield from decode_readings(data)


def decode_output_paths(parts: Iterable[bytes]) -> set[str]:
    """Every output path recorded in parts encoded by `output_parts`."""
    from .state_codec import decode_outputs

    paths: set[str] = set()
    with _no_gc():
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
    if _writing_marker(root, output).exists():
        return None  # the last build died while it wrote: the folder may hold anything
    from ..content.load import AssertionMemo

    try:
        # The fingerprint is written last: without it, the buckets may be half-written.
        if print_ is None:
            print_ = _read_saved(saved_path)["print"]
        _check_print(print_)
        from .state_codec import decode_head, decode_readings

        with _no_gc():
            head = decode_head(cachefile.read(folder / HEAD))
            if head["format"] != FORMAT or print_.get("output") != os.fspath(output):
                return None
            readings = []
            for index in range(BUCKETS):
                bucket = {}
                for part in decode_readings(cachefile.read(folder / _readings(index))):
                    bucket.update(part)
                readings.append(bucket)
            memo = AssertionMemo()
            for bucket in readings:
                memo.files.update(bucket)
            # Every object read lives as long as the build: the collector need never scan them.
            gc.freeze()
        return BuildState(
            print_,
            head["context"],
            memo,
            readings,
            head["ids"],
            head["unit_files"],
            head["site_records"],
            head["catalog_paths"],
            head["images"],
            head["now"],
            head["withdrawn"],
            head["credentials"],
            head["catalog_context"],
            head["template_use"],
            head["positions"],
            folder,
        )
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
    with _no_gc():
        for index, parts in sorted(readings.items()):
            write_atomically(folder / _readings(index), b"".join(parts))
        for index, parts in sorted(outputs.items()):
            write_atomically(folder / _outputs(index), b"".join(parts))
        head = {
            "format": FORMAT,
            "context": state.context,
            "ids": state.ids,
            "unit_files": state.unit_files,
            "site_records": state.site_records,
            "catalog_paths": state.catalog_paths,
            "images": state.images,
            "now": state.now,
            "withdrawn": state.withdrawn,
            "credentials": state.credentials,
            "catalog_context": state.catalog_context,
            "template_use": state.template_use,
            "positions": state.positions,
        }
        write_atomically(folder / HEAD, encode_head(head))
    if everything:  # files of an older layout, or left by a build that was killed
        names = {HEAD} | {name(i) for name in (_readings, _outputs) for i in range(BUCKETS)}
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
    for path in (saved_path, _writing_marker(root, output)):
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


def _mention(templates_dir: Path, pattern: re.Pattern) -> bool:
    if not templates_dir.is_dir():
        return False
    for path in templates_dir.rglob("*"):
        if path.is_file():
            with contextlib.suppress(OSError):
                if pattern.search(path.read_text(encoding="utf-8", errors="replace")):
                    return True
    return False


def credential_digests(credentials: Iterable, translations: Iterable = ()) -> dict[str, str]:
    """Slug → a digest of everything an earner page, hosted assertion or baked image can show of
    a credential (model.Credential): its fields, by their repr (dataclasses, tuples, strings,
    numbers, dates), its badge's bytes, which the repr leaves out, and the languages it is
    translated into (model.Translation), which its signed 3.0 credential names."""
    languages: dict[str, list[str]] = {}
    for translation in translations:
        languages.setdefault(translation.credential.slug, []).append(translation.language)
    digests = {}
    for credential in credentials:
        digest = hashlib.sha256(repr(credential).encode())
        digest.update(credential.image.data)
        digest.update(repr(sorted(languages.get(credential.slug, ()))).encode())
        digests[credential.slug] = digest.hexdigest()
    return digests


def reads_other_assertions(templates_dir: Path) -> bool:
    """A site template that mentions assertions may show others on a page: render them all.

    The default theme's earner page shows one assertion; a site's override might list others
    (`catalog.assertions`), which per-assertion rendering could not keep current.
    """
    return _mention(templates_dir, re.compile("assertions|revoked"))


def shows_the_build(templates_dir: Path) -> bool:
    """A site template that mentions the commit or the reference time (`catalog.commit`,
    `catalog.now`) may show it on every page: then another commit renders them all. The default
    theme shows neither (build.json names the commit)."""
    return _mention(templates_dir, re.compile(r"\b(?:commit|now)\b"))


@dataclass
class Plan:
    """Which assertions this build renders, and what it keeps from the last one."""

    render: list  # assertions whose outputs are rendered
    known: dict  # output records of the last build: unchanged files are recognised by stat
    kept_records: dict  # of kept files in the buckets read, and of the catalog files
    full: bool
    catalog_paths: frozenset = frozenset()  # kept catalog files (not `full`)
    changed: frozenset = frozenset()  # ids rendered or removed (not `full`)
    buckets: frozenset = frozenset()  # of outputs read (not `full`): those the state rewrites
    kept_files: int = 0  # output files kept as they are, in every bucket
    # Not `full`, but a credential or the catalog context changed: the catalog's files are
    # rendered again too.
    renders_catalog: bool = False
    reason: str = ""  # `full`: why every assertion renders, for the build's summary line


NO_STATE = "no earlier build into this folder"


def full_plan(assertions, reason: str, known: dict | None = None) -> Plan:
    """Render every assertion (`reason`: why, for the build's summary line)."""
    return Plan(list(assertions), {} if known is None else known, {}, True, reason=reason)


def plan(
    state: BuildState | None,
    context: str,
    assertions,
    fresh: set[str],
    templates_dir: Path,
    now=None,
    withdrawn: dict | None = None,
    credentials: dict[str, str] | None = None,
    catalog_context: str | None = None,
    what_changed: Callable[[], str] = lambda: "what every earner page shows changed",
    positions: dict[str, int] | None = None,
) -> Plan:
    """Render every assertion when the `context` of their files changed (`earner_context_of`);
    else only those whose output may differ from the last build's: read again (`fresh` ids:
    changed, added or moved files), new, `withdrawn` (id → the assertion made from a deleted
    file) unlike last time, whose status as of `now` is not the one it had, whose credential
    changed (`credentials`: slug → `credential_digests`), or whose place in the 3.0 status list
    moved (`positions`: id → place; its signed credential names it). The catalog's files are
    rendered again when a credential or anything else of their `catalog_context` changed.
    `what_changed()` names the input that changed the context, for the build's summary line."""
    if state is None:
        return full_plan(assertions, NO_STATE)
    try:
        if state.context != context:
            return full_plan(assertions, what_changed(), state.all_records())
        if reads_other_assertions(templates_dir):
            reason = "a site template mentions assertions: earner pages may show other badges"
            return full_plan(assertions, reason, state.all_records())
        credentials = state.credentials if credentials is None else credentials
        changed = frozenset(
            slug
            for slug in state.credentials.keys() | credentials.keys()
            if state.credentials.get(slug) != credentials.get(slug)
        )
        catalog = bool(changed) or (
            catalog_context is not None and catalog_context != state.catalog_context
        )
        return _assertions_only(
            state, assertions, fresh, now, withdrawn or {}, changed, catalog, positions or {}
        )
    except StateDamaged:  # render everything; files are compared by their bytes
        return full_plan(assertions, "the saved state of the last build is incomplete")


def _assertions_only(
    state: BuildState,
    assertions,
    fresh: set[str],
    now,
    withdrawn,
    credentials: frozenset,
    renders_catalog: bool,
    positions: dict[str, int],
) -> Plan:
    ids, published, placed = state.ids, state.withdrawn, state.positions
    # Read again, or moved in the 3.0 status list (their signed credentials name the place).
    again = fresh
    if placed != positions:
        again = fresh | {
            i for i in placed.keys() | positions.keys() if placed.get(i) != positions.get(i)
        }
    # A status (model.Assertion.status) differs as of the two reference times when the badge
    # expires between them: `earlier < expires <= later`, whichever way the time moved.
    earlier, later = sorted((state.now, now))
    moved = earlier != later
    render = []
    for a in assertions:
        if a.id in again or a.id not in ids or a.credential in credentials:
            render.append(a)
        elif a.id in withdrawn:
            if published.get(a.id) != a:
                render.append(a)
        elif moved and a.expires is not None and earlier < a.expires <= later and not a.revoked:
            render.append(a)
    new = sum(1 for a in render if a.id not in ids)
    # The ids of the last build that are not in this one (none when the counts say so).
    removed = (
        ids.difference(a.id for a in assertions) if len(ids) + new > len(assertions) else set()
    )
    changed = frozenset({a.id for a in render} | removed)
    buckets = frozenset(_bucket(assertion_id) for assertion_id in changed)
    known = dict(state.site_records)
    kept_records = {}
    gone_files = 0
    try:
        for index in buckets:
            bucket = state.output_bucket(index)
            records = bucket["records"]
            known.update(records)
            for assertion_id, paths in bucket["units"].items():
                if assertion_id in changed:
                    gone_files += len(paths)
                else:
                    for path in paths:
                        kept_records[path] = records[path]
        kept_catalog = frozenset() if renders_catalog else state.catalog_paths
        for path in kept_catalog:
            kept_records[path] = state.site_records[path]
    except KeyError as missing:
        raise StateDamaged(missing) from None
    kept_files = state.unit_files - gone_files + len(kept_catalog)
    return Plan(
        render,
        known,
        kept_records,
        False,
        kept_catalog,
        changed,
        buckets,
        kept_files,
        renders_catalog=renders_catalog,
    )


@dataclass
class Increment:
    """One incremental build's view of the last build: the inputs now, the saved state."""

    root: Path
    output: Path
    environ: object
    inputs: dict
    state: BuildState | None
    memo: object  # load.AssertionMemo, given to the loader
    images: object  # images.CheckedImages, given to the loader
    context: str = ""
    now: object = None  # this build's reference time
    withdrawn: dict = field(default_factory=dict)  # id → assertion made from a deleted file
    credentials: dict = field(default_factory=dict)  # slug → credential_digests, this build's
    catalog_context: str = ""  # `context_of` this build's inputs (`context`: earner_context_of)
    positions: dict = field(default_factory=dict)  # id → place in the 3.0 status list
    # (a digest of the templates and code, template_deps.TemplateUse of the earner page)
    template_use: tuple = ("", None)
    # (the templates earner pages use, or None: all; the content files they do not show)
    _earner_inputs: tuple = (None, frozenset())

    @classmethod
    def begin(cls, root: Path, output: Path, environ, base_url: str | None) -> Increment | None:
        """Fingerprint the inputs (before reading them) and load the last state; None when the
        build cannot be incremental (no git commit, no SOURCE_DATE_EPOCH)."""
        from ..content.load import AssertionMemo
        from ..images.supplied import CheckedImages

        racy_after = time.time_ns() - RACY_NS  # files this recent are read again next time
        saved_path, _folder = state_files(root, output)
        taken = _TAKEN.pop((os.fspath(root), os.fspath(output), base_url), None)
        if taken is not None and not _unchanged(saved_path, taken[0]):
            taken = None  # another build saved or dropped its state since: look again
        if taken is not None:
            _, saved, inputs = taken
        else:
            try:
                saved = _read_saved(saved_path)
                signing = saved["print"]["signing"]
            except (OSError, ValueError, KeyError, TypeError):
                saved, signing = None, None
            inputs = fingerprint(root, output, environ, base_url, signing)
        if inputs is None:
            return None
        state = None
        if isinstance(saved, dict) and isinstance(saved.get("print"), dict):
            state = load_state(root, output, saved["print"])
        memo = state.memo if state is not None else AssertionMemo()
        memo.racy_after = racy_after
        memo.listing = inputs["assertions"]  # the loader needs no second look at the folder
        memo.problems = [tuple(problem) for problem in inputs["assertion_problems"]]
        # Checks of images made by the same code (badgepress, Pillow) still hold.
        same_code = state is not None and state.print.get("code") == inputs["code"]
        images = CheckedImages(state.images if same_code else None)
        return cls(root, output, environ, inputs, state, memo, images)

    def plan(self, catalog, now, commit, templates_dir: Path, positions: dict) -> Plan:
        """What to render, now that the catalog (and the key its site.yaml names) is known;
        `now`: the reference time, `commit`: model.SourceCommit or None, `positions`: each
        assertion's place in the 3.0 status list (empty without signing)."""
        signing = catalog.config.signing
        names = {"key_env": signing.key_env, "key_file": signing.key_file} if signing else None
        self.inputs = with_signing(self.inputs, self.root, self.environ, names)
        build = (
            f"{now.isoformat()} {commit.sha if commit else '-'}"
            if shows_the_build(templates_dir)
            else ""
        )
        self.catalog_context = context_of(self.inputs, build)
        self.context = self._earner_context(catalog, build, templates_dir)
        self.credentials = credential_digests(catalog.published_credentials, catalog.translations)
        self.now = now
        self.positions = positions
        # Assertions not read from a file were made from deleted ones (git history); each file
        # gives one assertion (or the build fails), so there are some only if they outnumber.
        self.withdrawn = {}
        if len(catalog.assertions) > len(self.memo.files):
            files = {entry[2].id for entry in self.memo.files.values()}
            self.withdrawn = {a.id: a for a in catalog.assertions if a.id not in files}
        return plan(
            self.state,
            self.context,
            catalog.assertions,
            self.memo.fresh,
            templates_dir,
            now,
            self.withdrawn,
            self.credentials,
            self.catalog_context,
            what_changed=lambda: self._what_changed(self.state.print, build != ""),
            positions=positions,
        )

    def _what_changed(self, last: dict, shown: bool) -> str:
        """Which input told this build's context from the last one's (the first found)."""
        now = self.inputs
        if last.get("code") != now.get("code"):
            return "badgepress, its theme or a library it renders with changed"
        if last.get("base_url") != now.get("base_url"):
            return "the base URL changed"
        if (last.get("signing"), last.get("key")) != (now.get("signing"), now.get("key")):
            return _signing_change(last.get("signing"), now.get("signing"))
        templates, left_out = self._earner_inputs
        for folder in ("templates", "locales", "content"):
            before, after = last.get(folder, {}), now.get(folder, {})
            changed = [
                rel
                for rel in sorted(before.keys() | after.keys())
                if before.get(rel) != after.get(rel)
                and rel not in left_out
                and (
                    folder != "templates"
                    or templates is None
                    or rel.removeprefix("templates/") in templates
                )
            ]
            if changed:
                more = f" and {len(changed) - 1} more" if len(changed) > 1 else ""
                last = before.get(changed[0])
                if isinstance(last, list) and last[:1] == [-1]:  # racy last time: see `_stats`
                    return f"{changed[0]}{more} may have changed (saved as the last build began)"
                return f"{changed[0]}{more} changed"
        if shown and (last.get("head"), last.get("source_date_epoch")) != (
            now.get("head"),
            now.get("source_date_epoch"),
        ):
            return "a new commit, which a site template shows"
        return "the navigation's pages changed"

    def _earner_context(self, catalog, build: str, templates_dir: Path) -> str:
        """`earner_context_of` this build, or `context_of` when an earner page may show any of
        the catalog (a template it uses names `catalog`, or one it includes by a computed name)."""
        use = self._template_use(templates_dir)
        if use.mentions_catalog or use.dynamic:
            self._earner_inputs = (None, frozenset())  # every template and content file counts
            return self.catalog_context
        stats = self.inputs["templates"]
        templates = {name: stats.get(f"templates/{name}", "unreadable") for name in use.site}
        templates.update({name: "theme" for name in use.missing})
        nav = [page for page in catalog.pages if page.nav]
        # The theme's base.html shows each one's title and link; a site's template may show more.
        shown = repr(nav if use.site_shows_nav else [(p.name, p.title) for p in nav])
        files = [
            *(c.source for c in catalog.published_credentials),
            *(c.image_source for c in catalog.published_credentials if c.image_source),
            *(s.source for s in catalog.stacks),
            *(t.source for t in catalog.translations),
            *(p.source for p in catalog.pages),
        ]
        self._earner_inputs = (templates, frozenset(files))
        return earner_context_of(self.inputs, build, files, templates, shown)

    def _template_use(self, templates_dir: Path):
        """template_deps.template_use, or the last build's when no template or code changed
        (parsing them takes longer than rendering one earner page)."""
        key = _digest([self.inputs["templates"], self.inputs["code"]])
        if self.state is not None and self.state.template_use[0] == key:
            self.template_use = self.state.template_use
        else:
            from ..render.template_deps import template_use  # Jinja's parser: the build imported it

            self.template_use = (key, template_use(templates_dir))
        return self.template_use[1]

    def forget(self) -> None:
        """Make the next build a full one."""
        forget_state(self.root, self.output)

    def begin_writing(self) -> None:
        """Say that this build is about to change its output folder (`_writing_marker`)."""
        marker = _writing_marker(self.root, self.output)
        with contextlib.suppress(OSError):  # no cache folder to write: no state to trust either
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()

    def done_writing(self) -> None:
        """Say that the output folder is whole again (and the state, if kept, describes it)."""
        with contextlib.suppress(FileNotFoundError):
            _writing_marker(self.root, self.output).unlink()

    def encoded_readings(self) -> dict[int, list[bytes]]:
        """The buckets of readings to keep, encoded (the bulk of saving the state): they are
        final once the catalog is loaded, so this can run while the workers render. When every
        file was read again, the loader's shards have already encoded them (`memo.parts`)."""
        if self.memo.parts is not None:
            return {index: self.memo.parts.get(index, []) for index in range(BUCKETS)}
        readings = _changed_readings(
            self.memo, self.state.readings if self.state is not None else None
        )
        return {index: [data] for index, data in _encoded_readings(readings).items()}

    def finish(
        self,
        work: Plan,
        rendered,
        records: dict,
        catalog_paths,
        warnings: list[str],
        readings: dict[int, list[bytes]],
    ) -> None:
        """Save this build's state for the next one: what was `rendered` (parallel.Rendered:
        assertion id → output paths, or those already encoded by bucket), the `records` of the
        other files it wrote or kept, and the readings as `encoded_readings` gave them."""
        site_records = dict(records)
        if rendered.parts is not None:  # a full build: the shards encoded every bucket
            outputs = {index: rendered.parts.get(index, []) for index in range(BUCKETS)}
            ids = frozenset(assertion.id for assertion in work.render)
            unit_files, paths = rendered.count, frozenset(catalog_paths)
        else:  # `site_records` loses the records of the units' files to their buckets
            ids, unit_files, paths, outputs = self._output_buckets(
                work, rendered.units, site_records, catalog_paths
            )
        built = BuildState(
            self.inputs,
            self.context,
            self.memo,
            None,
            ids,
            unit_files,
            site_records,
            paths,
            self.images.used,
            self.now,
            self.withdrawn,
            self.credentials,
            self.catalog_context,
            self.template_use,
            self.positions,
        )
        from .state_codec import Unsaveable

        try:
            save_state(
                self.root, self.output, built, warnings, readings, outputs, self.state is None
            )
        except (OSError, Unsaveable):  # a read-only checkout, a full disk: the next build is full
            with contextlib.suppress(OSError):
                self.forget()

    def _output_buckets(self, work: Plan, units: dict, site_records: dict, catalog_paths):
        """(ids, unit files, catalog paths, encoded buckets that changed) of the outputs, the
        `units` rendered merged into the buckets read; their records move out of `site_records`."""
        state = self.state
        if work.full:
            buckets: dict[int, dict] = {i: {"units": {}, "records": {}} for i in range(BUCKETS)}
            ids = frozenset(units)
            paths = frozenset(catalog_paths)
        else:  # the buckets read, without what was rendered again or removed
            buckets = {
                index: {
                    "units": {
                        assertion_id: unit
                        for assertion_id, unit in state.outputs[index]["units"].items()
                        if assertion_id not in work.changed
                    },
                    "records": {},
                }
                for index in work.buckets
            }
            ids = (state.ids - work.changed) | units.keys()
            paths = frozenset(catalog_paths) if work.renders_catalog else work.catalog_paths
        for assertion_id, unit in units.items():
            buckets[_bucket(assertion_id)]["units"][assertion_id] = unit
        unit_files = 0 if work.full else work.kept_files - len(work.catalog_paths)
        for bucket in buckets.values():
            for unit in bucket["units"].values():
                for path in unit:
                    bucket["records"][path] = site_records.pop(path)
        unit_files += sum(len(unit) for unit in units.values())
        if state is not None:  # unchanged buckets need not be written again
            for index in [i for i, bucket in buckets.items() if state.outputs.get(i) == bucket]:
                del buckets[index]
        outputs = {index: [data] for index, data in _encoded_outputs(buckets).items()}
        return frozenset(ids), unit_files, paths, outputs


def _changed_readings(memo, loaded: list[dict] | None) -> dict[int, dict]:
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
