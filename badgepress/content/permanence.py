"""The one rule of publishing: the set of published badge ids only grows. Enforced here only.

A badge is published once the deploy branch carries it: an id ever added under assertions/ in
the first-parent history of HEAD (published.Published) is published by every later build,
whatever happened to its file since:

- the file is there (in any folder): as the file says (`validate` reads it);
- the file is deleted, the deletion not committed: as the last commit has it, with a warning
  (a deploy publishes commits, and a preview shows what the next deploy will publish);
- the file was deleted in a commit: withdrawn, i.e. revoked with the reason `withdrawn` (or its
  own, if it was revoked already), made from the last version git has; a version that no longer
  passes a check added since is published as a minimal record (id, credential, recipient hash
  and salt, dates, reason), with a warning, never skipped.

The set depends on HEAD's history alone, never on site/ or a cache, so `check` and `build`, a
laptop and a fresh clone in CI, agree. Where that history cannot be known (a shallow clone, git
missing or failing) a build refuses rather than guess. Without a repository at all there is no
history: only the files are published, with a warning.

Also here: an id withdrawn and then re-created for another badge is refused (its URL still
answers for the first earner), and each id's order of first publication, which gives it its
place in the Open Badges 3.0 status list for good (`ob3.status_indexes`).
"""

from __future__ import annotations

import datetime
import hashlib
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from ..errors import SourceError
from ..model import Assertion, Recipient
from ..openbadges.ob2 import hash_email
from . import gitdir
from .gitlog import History, file_contents
from .load import ASSERTION_ID, IDENTITY, AssertionFile, load_assertion, to_datetime
from .project import Project, assertion_file_id
from .published import Published
from .sources import Document, InvalidSource, YamlMap, parse_yaml

REASON = "withdrawn"
NO_GIT = (
    "not a git repository: assertions without 'issued_on' use the build time, and a deleted "
    "assertion file is no longer published; build from a git clone"
)
NO_GIT_PROGRAM = (
    "this site is a git repository but git is not installed: badgepress needs git to know "
    "which badges were ever published; install git"
)
SHALLOW = (
    "this is a shallow git clone: its history is cut, so badgepress cannot know every badge "
    "ever published and will not guess; fetch the whole history (git fetch --unshallow; in "
    "GitHub Actions, actions/checkout with fetch-depth: 0)"
)
GIT_FAILED = (
    "git could not read the history of assertions/ ({reason}), so badgepress cannot know "
    "every badge ever published and will not guess; fix the repository and build again"
)
MISSING_VERSION = (
    "git has no copy of this badge's last version (in {commit}), so it cannot be published; "
    "fetch the whole repository (a partial or damaged clone?) and build again"
)
UNCOMMITTED = (
    "deleted but not committed: still published as the last commit has it. To withdraw a badge, "
    "set 'revoked: true' and a 'revocation_reason' (a deleted file is published as withdrawn "
    "once the deletion is committed); to keep it, restore the file: git checkout HEAD -- {path}"
)
MINIMAL = (
    "{problem}; this withdrawn badge is published as a minimal record (id, credential, "
    "recipient, dates, reason), as its last version does not pass today's checks"
)
UNPUBLISHABLE = (
    "this withdrawn badge's last version has no usable {what}, so its URL cannot answer; "
    "restore the file (git checkout {commit}^ -- {path}), correct it, and set 'revoked: true' "
    "and 'revocation_reason: withdrawn'"
)
REUSED = (
    "id '{id}' belonged to another badge, withdrawn in commit {commit} ({differs}); an id is "
    "never reused, because its URL still answers for the badge first issued under it: give "
    "this badge a new id (`badgepress issue` makes one) or, to restore the withdrawn badge, "
    "bring its file back as it was: git checkout {commit}^ -- {path}"
)


@dataclass(frozen=True)
class Recovered:
    """A published badge with no file now, made from git: `label` names it in messages."""

    assertion: Assertion
    label: str
    line: int  # of `credential` in that version
    withdrawn: bool  # False: its deletion is not committed; published as the last commit has it


@dataclass(frozen=True)
class Ledger:
    """What history adds to the files: `recovered` badges, every published id's `order` of
    first publication, and the ids `deployed` before HEAD (published by an earlier commit than
    HEAD, which a pull request's check or a local build is about: such a badge is not new)."""

    recovered: tuple[Recovered, ...] = ()
    order: Mapping[str, int] = field(default_factory=dict)
    deployed: frozenset[str] = frozenset()


def ledger(
    project: Project,
    history: History | None,
    files: Mapping[str, AssertionFile],
    unreadable: set[str],
    *,
    plaintext_recipients: bool,
    now: datetime.datetime,
    errors: list[SourceError],
    warnings: list[SourceError],
) -> Ledger:
    """The badges history publishes beyond `files` (id → the file read now; `unreadable`: ids
    of files that are there but could not be read), and what the rule refuses, into `errors`."""
    repository = gitdir.find(project.root)
    if history is None or repository is None:
        warnings.append(SourceError("assertions", 0, NO_GIT))
        return Ledger()
    if shutil.which("git") is None:
        errors.append(SourceError("assertions", 0, NO_GIT_PROGRAM))
        return Ledger()
    if repository.shallow:
        errors.append(SourceError("assertions", 0, SHALLOW))
        return Ledger()
    if history.error:
        reason = history.error.splitlines()[0][:200] if history.error else "no answer"
        errors.append(SourceError("assertions", 0, GIT_FAILED.format(reason=reason)))
        return Ledger()
    published = history.published
    head = gitdir.head(repository)
    prefix = project.root.resolve().relative_to(repository.top).as_posix()
    prefix = "" if prefix == "." else prefix + "/"

    wanted: dict[str, tuple[str, str, str | None]] = {}  # id → (spec, path, withdrawing commit)
    reused: list[str] = []
    for assertion_id in sorted(published.order):
        withdrawal = published.withdrawal(assertion_id)
        if assertion_id in files or assertion_id in unreadable:
            if withdrawal is not None:  # back after a withdrawal: a restore, or a reuse
                reused.append(assertion_id)
            else:
                continue
        elif published.paths(assertion_id):  # still in HEAD: the deletion is not committed
            path = published.paths(assertion_id)[0]
            wanted[assertion_id] = (f"HEAD:{prefix}{path}", path, None)
            continue
        # Withdrawn: its last version is in the first parent of the commit that removed it.
        wanted[assertion_id] = (
            f"{withdrawal.commit}^:{prefix}{withdrawal.path}",
            withdrawal.path,
            withdrawal.commit,
        )
    contents = file_contents(project.root, [spec for spec, _path, _commit in wanted.values()])

    recovered = []
    versions = {}  # id → the withdrawn version's data, for the reuse check
    for assertion_id, (spec, path, commit) in wanted.items():
        raw = contents.get(spec)
        if assertion_id in reused:
            if raw is not None:
                versions[assertion_id] = _mapping(raw, path)
            continue
        label = f"{path} (withdrawn in {commit[:7]})" if commit else path
        if raw is None:
            errors.append(SourceError(label, 0, MISSING_VERSION.format(commit=commit or "HEAD")))
            continue
        found = _recover(
            project, path, label, raw, commit, history, plaintext_recipients, now, errors, warnings
        )
        if found is not None:
            recovered.append(found)
            if commit is None:
                warnings.append(SourceError(path, 0, UNCOMMITTED.format(path=path)))

    for assertion_id in reused:
        file = files.get(assertion_id)
        withdrawal = published.withdrawal(assertion_id)
        if file is None or file.assertion is None or assertion_id not in versions:
            continue  # the file's own problems are reported; nothing to compare with
        differs = _differs(file.assertion, versions[assertion_id], plaintext_recipients)
        if differs:
            message = REUSED.format(
                id=assertion_id,
                commit=withdrawal.commit[:7],
                differs=differs,
                path=withdrawal.path,
            )
            errors.append(SourceError(file.rel, file.credential_line, message))

    return Ledger(tuple(recovered), published.order, _deployed(published, head))


def _deployed(published: Published, head: str | None) -> frozenset[str]:
    """The ids published before HEAD: all of them, unless HEAD itself added some."""
    if head is None or published.last != head:
        return frozenset(published.order)
    return frozenset(i for i in published.order if not published.added_by_last(i))


def _mapping(raw: bytes, label: str) -> YamlMap | None:
    """A version's fields, or None when it is not a YAML mapping (any more)."""
    try:
        data = parse_yaml(raw.decode("utf-8", errors="replace"), label)
    except InvalidSource:
        return None
    return data if isinstance(data, YamlMap) else None


def _recover(
    project: Project,
    path: str,
    label: str,
    raw: bytes,
    commit: str | None,
    history: History,
    plaintext_recipients: bool,
    now: datetime.datetime,
    errors: list[SourceError],
    warnings: list[SourceError],
) -> Recovered | None:
    """A published badge from its version in git: as it is, withdrawn when `commit` removed it."""
    assertion_id = assertion_file_id(path)
    added = history.added.get(assertion_id) or now
    problems: list[SourceError] = []
    data = None
    try:
        data = parse_yaml(raw.decode("utf-8", errors="replace"), label)
        if not isinstance(data, YamlMap):
            raise InvalidSource(SourceError(label, 1, "expected a YAML mapping of fields"))
        doc = Document(project.root / path, label, data)
        assertion = load_assertion(
            doc,
            problems,
            plaintext_recipients=plaintext_recipients,
            added=added,
            now=now,
            warnings=[],
        )
    except InvalidSource as exc:
        problems.append(exc.error)
        assertion = None
    line = data.lines.get("credential", 1) if isinstance(data, YamlMap) else 1
    if assertion is None and commit is None:
        # Still in HEAD, and not readable: the same file, committed, fails its checks.
        errors.extend(problems)
        return None
    if assertion is None:
        assertion = _minimal(assertion_id, data, label, added, plaintext_recipients, path, commit)
        if isinstance(assertion, SourceError):
            errors.append(assertion)
            return None
        warnings.extend(
            SourceError(p.path, p.line, MINIMAL.format(problem=p.message)) for p in problems
        )
    if commit is not None:
        assertion = replace(
            assertion, revoked=True, revocation_reason=assertion.revocation_reason or REASON
        )
    return Recovered(assertion, label, line, commit is not None)


def _essentials(
    data: YamlMap | None, assertion_id: str, plaintext_recipients: bool
) -> tuple[str | None, str | None, str | None]:
    """(credential, recipient identity, salt) of a version's fields, each None when unusable.

    A plain `email` is hashed with the salt the build derives from the id (load.py), as the
    build did when the version was published, whatever `privacy` says now."""
    if data is None:
        return None, None, None
    credential = data.get("credential")
    credential = (
        credential if isinstance(credential, str) and ASSERTION_ID.match(credential) else None
    )
    recipient = data.get("recipient")
    identity = salt = None
    if isinstance(recipient, dict):
        identity, salt = recipient.get("identity"), recipient.get("salt")
        email = recipient.get("email")
        if identity is None and isinstance(email, str) and "@" in email:
            salt = hashlib.sha256(f"badgepress:{assertion_id}".encode()).hexdigest()[:32]
            identity = hash_email(email, salt)
        if not (isinstance(identity, str) and IDENTITY.match(identity)):
            identity = None
        if not isinstance(salt, str) or not salt:
            salt = None
    return credential, identity, salt


def _minimal(
    assertion_id: str,
    data: YamlMap | None,
    label: str,
    added: datetime.datetime,
    plaintext_recipients: bool,
    path: str,
    commit: str,
) -> Assertion | SourceError:
    """The least a withdrawn badge's URL must answer with, from a version that fails a check."""
    credential, identity, salt = _essentials(data, assertion_id, plaintext_recipients)
    missing = [
        name
        for name, value in (("'credential'", credential), ("'recipient'", identity and salt))
        if not value
    ]
    if missing or data is None:
        what = " or ".join(missing) if missing else "fields (not a YAML mapping)"
        message = UNPUBLISHABLE.format(what=what, commit=commit[:7], path=path)
        return SourceError(label, 0, message)
    issued = _date(data.get("issued_on")) or added
    expires = _date(data.get("expires"))
    reason = data.get("revocation_reason")
    return Assertion(
        id=assertion_id,
        credential=credential,
        recipient=Recipient(identity, salt),
        issued_on=issued,
        source=label,
        expires=expires if expires is not None and expires > issued else None,
        revoked=True,
        revocation_reason=reason if isinstance(reason, str) and reason.strip() else REASON,
        extra={},
    )


def _date(value: object) -> datetime.datetime | None:
    return to_datetime(value) if isinstance(value, datetime.date) else None


def _differs(present: Assertion, withdrawn: YamlMap | None, plaintext_recipients: bool) -> str:
    """What makes a file's badge another than the withdrawn one ('' when it is the same badge:
    same credential, recipient identity and salt)."""
    credential, identity, salt = _essentials(withdrawn, present.id, plaintext_recipients)
    found = []
    if credential is not None and credential != present.credential:
        found.append(f"it was a badge of '{credential}', this is one of '{present.credential}'")
    recipient = (present.recipient.identity, present.recipient.salt)
    if identity is not None and salt is not None and (identity, salt) != recipient:
        found.append("it was issued to another recipient identity or salt")
    return "; ".join(found)
