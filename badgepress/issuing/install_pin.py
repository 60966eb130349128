"""Which badgepress a new site's workflow installs: exactly the one that made the site.

`badgepress new` writes this pip requirement into the site's GitHub workflow. It is never a bare
name or a range: a name nobody has published yet could be claimed by anyone (dependency
confusion), in a job that can deploy Pages and may hold the signing key. In order:

- a checkout of badgepress (an editable install, or run from source): its HEAD commit, from the
  project's canonical source (`Source` in pyproject.toml's [project.urls]), with a warning when
  the checkout does not know that commit to be there (a local branch, a fork);
- installed from git (PEP 610's direct_url.json names the commit): that commit, from where it
  was installed if that is a public https URL, else from the canonical source;
- installed from a downloadable archive with its hash: that archive, hash-checked by pip;
- installed from a package index: that exact version (`badgepress==X.Y.Z`);
- anything else (a wheel file on disk): the release tag `vX.Y.Z` of the canonical source, with
  a warning to check it.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

from .. import __version__
from ..content import gitdir, gitlog

PACKAGE = "badgepress"
SOURCE_LABEL = "Source"  # the [project.urls] entry naming the canonical repository
COMMIT = re.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$")  # SHA-1 or SHA-256 object name
_PACKAGE_DIR = Path(__file__).resolve().parent.parent


class NoSource(Exception):
    """badgepress's metadata names no canonical source (it is not installed)."""


@dataclass(frozen=True)
class Pin:
    """A pip requirement for exactly this badgepress, and how to say where it comes from."""

    requirement: str  # e.g. 'badgepress @ git+https://github.com/badgepress/badgepress@<sha>'
    described: str  # e.g. 'badgepress 0.1.0, commit 1a2b3c4 of https://github.com/...'
    warnings: tuple[str, ...] = ()  # why the pin may not be what the user wants, one line each


def canonical_source() -> str:
    """The canonical repository's URL, as pyproject.toml's [project.urls] declares it."""
    for dist in _distributions():
        for entry in dist.metadata.get_all("Project-URL") or []:
            label, _, url = entry.partition(",")
            if label.strip() == SOURCE_LABEL and url.strip():
                return url.strip()
    raise NoSource(
        "badgepress is not installed, so it cannot tell where it comes from; "
        "install it (pip install -e .) and try again"
    )


def current_pin() -> Pin:
    """The requirement that installs the badgepress running now."""
    source = canonical_source()
    checkout = _checkout_top()
    if checkout is not None:
        return _checkout_pin(checkout, source)
    direct = _direct_url()
    if direct is None:  # from a package index: its exact release
        return Pin(f"{PACKAGE}=={__version__}", f"{PACKAGE} {__version__} from the package index")
    vcs = direct.get("vcs_info")
    if (
        isinstance(vcs, dict)
        and vcs.get("vcs") == "git"
        and COMMIT.match(str(vcs.get("commit_id")))
    ):
        return _git_pin(str(direct.get("url", "")), vcs["commit_id"], source)
    archive = direct.get("archive_info")
    url = str(direct.get("url", ""))
    if isinstance(archive, dict) and _public_https(url) and _archive_hash(archive):
        hashed = f"{url.split('#', 1)[0]}#{_archive_hash(archive)}"
        return Pin(f"{PACKAGE} @ {hashed}", f"{PACKAGE} {__version__} from {url.split('#', 1)[0]}")
    tag = f"v{__version__}"
    return Pin(
        f"{PACKAGE} @ git+{source}@{tag}",
        f"{PACKAGE} {__version__}, tag {tag} of {source}",
        (
            f"cannot tell which commit of badgepress this is (installed from {url or 'a file'}); "
            f"the workflow installs tag {tag} of {source}: check that it exists, or {EDIT_PIN}",
        ),
    )


def _checkout_pin(top: Path, source: str) -> Pin:
    head = gitlog.head_commit(top)
    if head is None:
        raise NoSource(f"{top}: a badgepress checkout whose HEAD commit git cannot tell")
    commit = head[0]
    warnings = []
    if gitlog.has_uncommitted_changes(top):
        warnings.append(
            f"badgepress's checkout {top} has uncommitted changes: the workflow installs "
            f"commit {commit[:12]} without them"
        )
    upstream = _upstream_warning(top, commit, source)
    if upstream:
        warnings.append(upstream)
    return Pin(
        f"{PACKAGE} @ git+{source}@{commit}",
        f"{PACKAGE} {__version__}, commit {commit[:12]} of {source}",
        tuple(warnings),
    )


EDIT_PIN = "edit the BADGEPRESS line of .github/workflows/badgepress.yml"


def _upstream_warning(top: Path, commit: str, source: str) -> str | None:
    """Why the workflow's `pip install` may not find `commit` at `source`, as far as the
    checkout knows (its remote-tracking branches, as of its last fetch): None if it is there."""
    remotes = _git(top, "config", "--get-regexp", r"^remote\..*\.url$") or ""
    names = [
        line.split(" ", 1)[0][len("remote.") : -len(".url")]
        for line in remotes.splitlines()
        if " " in line and _same_repository(line.split(" ", 1)[1], source)
    ]
    if not names:
        return (
            f"badgepress's checkout {top} has no remote for {source}, so the site's workflow "
            f"may not find commit {commit[:12]} there: push it there, or {EDIT_PIN} to install "
            "it from where you pushed it"
        )
    patterns = [f"refs/remotes/{name}/" for name in names]
    if not _git(top, "for-each-ref", "--contains", commit, "--format=%(refname)", *patterns):
        return (
            f"commit {commit[:12]} is on no branch of {source} that badgepress's checkout "
            f"{top} knows of, so the site's workflow cannot install it: push it there, or "
            f"{EDIT_PIN}"
        )
    return None


def _same_repository(url: str, source: str) -> bool:
    """Whether a remote's URL (https, ssh or scp-like `git@host:path`) names the repository at
    `source`: the same host and path, whatever the scheme, user, `.git` or final slash."""
    key = _repository_key(url)
    return key is not None and key == _repository_key(source)


def _repository_key(url: str) -> tuple[str, str] | None:
    url = url.strip()
    if "://" not in url and ":" in url.split("/", 1)[0]:  # scp-like: [user@]host:path
        host, _, path = url.partition(":")
        url = f"ssh://{host}/{path}"
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if not parts.hostname:
        return None
    path = parts.path.strip("/").removesuffix(".git").lower()
    return parts.hostname.lower(), path


def _git(top: Path, *args: str) -> str | None:
    """One git command's standard output in `top`; None if git fails or cannot run."""
    try:
        done = subprocess.run(
            ["git", "-C", str(top), *args], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def _git_pin(url: str, commit: str, source: str) -> Pin:
    """Installed from git: the same commit, from the same public repository if it is one."""
    url = url.removeprefix("git+")
    warnings = ()
    if not _public_https(url):
        warnings = (
            f"badgepress was installed from a git URL a workflow may not reach; the workflow "
            f"installs the same commit from {source}",
        )
        url = source
    return Pin(
        f"{PACKAGE} @ git+{url}@{commit}",
        f"{PACKAGE} {__version__}, commit {commit[:12]} of {url}",
        warnings,
    )


def _public_https(url: str) -> bool:
    """An https URL with no user name or password in it (never copied into a public file)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.hostname) and "@" not in parts.netloc


def _archive_hash(archive: dict) -> str | None:
    hashes = archive.get("hashes")
    if isinstance(hashes, dict) and isinstance(hashes.get("sha256"), str):
        return f"sha256={hashes['sha256']}"
    legacy = archive.get("hash")  # PEP 610's older single field: 'sha256=<hex>'
    return legacy if isinstance(legacy, str) and legacy.startswith("sha256=") else None


def _checkout_top() -> Path | None:
    """The work tree this package's code lives in, when it is badgepress's own repository.

    Only the folder right above the package counts, and only with its pyproject.toml: an
    install into a virtual environment inside some other repository (a site's `.venv`) is not
    a checkout of badgepress.
    """
    top = _PACKAGE_DIR.parent
    found = gitdir.find(top)
    if found is None or found.top != top or not (top / "pyproject.toml").is_file():
        return None
    return top


def _distributions() -> list[metadata.Distribution]:
    """badgepress's installed metadata, the one describing this very code first."""
    found = list(metadata.distributions(name=PACKAGE))
    return sorted(found, key=lambda dist: not _describes_this_code(dist))


def _describes_this_code(dist: metadata.Distribution) -> bool:
    try:
        located = Path(str(dist.locate_file(f"{PACKAGE}/__init__.py"))).resolve()
    except (OSError, NotImplementedError):
        return False
    return located == _PACKAGE_DIR / "__init__.py"


def _direct_url() -> dict | None:
    """PEP 610's record of where this installed code came from; None from an index."""
    for dist in _distributions():
        if not _describes_this_code(dist):
            continue
        text = dist.read_text("direct_url.json")
        if not text:
            return None
        try:
            data = json.loads(text)
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}
    return {}  # no metadata for this code: nothing known
