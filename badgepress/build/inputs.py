"""Fingerprinting a build's inputs: the stat of every input file, and everything else the bytes
depend on (badgepress's code, the rendering libraries, git's HEAD, SOURCE_DATE_EPOCH, the
base URL, the signing key). See `incremental` for how builds use it."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sys
import time
from importlib.util import find_spec
from pathlib import Path

from ..content import gitdir
from ..content.assertion_tree import survey

FORMAT = 12  # bump when the state's shape changes: older states are then ignored


INPUT_FOLDERS = ("content", "assertions", "templates", "locales")


# Libraries whose versions change output bytes; their files' stats stand in for versions.
LIBRARIES = ("jinja2", "markupsafe", "cmarkgfm", "nh3", "babel", "yaml", "PIL", "pyld")


PACKAGE = Path(__file__).resolve().parent.parent


def is_list_of(value, kind: type) -> bool:
    return isinstance(value, list) and all(isinstance(item, kind) for item in value)


def is_signing(value) -> bool:
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


def check_print(print_: dict) -> dict:
    """A saved fingerprint whose every field a build compares has the type `fingerprint` gives
    it (ValueError if not): it is compared field by field, and its parts hashed."""
    optional_text = ("head", "source_date_epoch", "base_url")
    if not (
        type(print_.get("format")) is int
        and isinstance(print_.get("output"), str)
        and isinstance(print_.get("history_rewrites"), str)
        and all(print_.get(name) is None or isinstance(print_[name], str) for name in optional_text)
        and is_signing(print_.get("signing"))
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


def signing_change(last: dict | None, now: dict | None) -> str:
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


def has_racy(print_: dict) -> bool:
    return any(entry[0] == -1 for name in INPUT_FOLDERS for entry in print_[name].values())
