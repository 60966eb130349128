"""Assertion files deleted in git history stay published, as revoked "withdrawn".

An issued badge's URL answers forever: deleting its file withdraws the badge, it does not
unpublish it. What to publish is recovered from the last version git has of each deleted file,
in two git calls whatever the number of files: the history walk that also dates assertions
(`git log --diff-filter=AD`, see gitlog.history) and `git cat-file --batch`.
"""

from __future__ import annotations

import datetime
from dataclasses import replace

from .assertion_tree import is_assertion_file
from .errors import SourceError
from .gitlog import Deleted, deleted_files, file_contents, repository
from .load import ASSERTION_ID, add_duration, load_assertion
from .model import Assertion, Credential
from .project import Project, assertion_file_id
from .sources import Document, InvalidSource, parse_yaml

REASON = "withdrawn"
SHALLOW = (
    "this is a shallow git clone: dates from history and deleted (withdrawn) assertions may be "
    "missing; clone with full history (actions/checkout with fetch-depth: 0)"
)
NO_GIT = (
    "not a git repository: assertions without 'issued_on' use the build time and deleted "
    "assertions cannot be published as withdrawn; build from a git clone"
)


def withdrawn_assertions(
    project: Project,
    present: set[str],
    credentials: dict[str, Credential],
    *,
    plaintext_recipients: bool,
    added: dict[str, datetime.datetime],
    now: datetime.datetime,
    warnings: list[SourceError],
    deleted: list[Deleted] | None = None,
) -> list[Assertion]:
    """Deleted assertion files whose id is not used by a file now, as revoked assertions.

    `deleted`: the deletions in history (gitlog.history), when the caller has them."""
    repo = repository(project.root)
    if repo is None:
        warnings.append(SourceError("assertions", 0, NO_GIT))
        return []
    if repo.shallow:
        warnings.append(SourceError("assertions", 0, SHALLOW))
    if deleted is None:
        deleted = deleted_files(project.root, "assertions")
    deleted = [
        d for d in deleted if not (project.root / d.path).exists() and is_assertion_file(d.path)
    ]
    by_id = {}
    for d in deleted:
        stem = assertion_file_id(d.path)
        if ASSERTION_ID.match(stem) and stem not in present and stem not in by_id:
            by_id[stem] = d
    specs = {stem: f"{d.commit}^:{repo.prefix}{d.path}" for stem, d in by_id.items()}
    contents = file_contents(project.root, list(specs.values()))
    withdrawn = []
    for stem, d in sorted(by_id.items()):
        label = f"{d.path} (deleted in {d.commit[:7]})"
        raw = contents.get(specs[stem])
        if raw is None:
            warnings.append(
                SourceError(label, 0, "its last version is not in this clone; not published")
            )
            continue
        assertion = _load(project, d.path, raw, label, plaintext_recipients, added, now, warnings)
        if assertion is None:
            continue
        credential = credentials.get(assertion.credential)
        if credential is None:
            warnings.append(
                SourceError(
                    label, 0, f"credential '{assertion.credential}' no longer exists; not published"
                )
            )
            continue
        if assertion.expires is None and credential.expires_after:
            assertion = replace(
                assertion, expires=add_duration(assertion.issued_on, credential.expires_after)
            )
        withdrawn.append(
            replace(
                assertion,
                revoked=True,
                revocation_reason=assertion.revocation_reason or REASON,
            )
        )
    return withdrawn


def _load(
    project: Project,
    path: str,
    raw: bytes,
    label: str,
    plaintext_recipients: bool,
    added: dict[str, datetime.datetime],
    now: datetime.datetime,
    warnings: list[SourceError],
) -> Assertion | None:
    """The deleted file's last version as an assertion; history cannot be fixed, so only warn."""
    errors: list[SourceError] = []
    try:
        data = parse_yaml(raw.decode("utf-8", errors="replace"), label)
        if not isinstance(data, dict):
            raise InvalidSource(SourceError(label, 1, "expected a YAML mapping of fields"))
        doc = Document(project.root / path, label, data)
        assertion = load_assertion(
            doc,
            errors,
            plaintext_recipients=plaintext_recipients,
            added=added.get(path) or now,
            now=now,
            warnings=[],
        )
    except InvalidSource as exc:
        errors.append(exc.error)
        assertion = None
    if assertion is None:
        warnings.extend(
            SourceError(e.path, e.line, f"{e.message}; this deleted assertion is not published")
            for e in errors
        )
    return assertion
