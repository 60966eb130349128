"""The whole content tree → a cross-checked Catalog, or every problem found (BuildFailed)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import replace
from operator import attrgetter
from pathlib import Path

from ..errors import BuildFailed, SourceError, did_you_mean, quote
from ..images.badges import draw_missing_badges
from ..images.supplied import CheckedImages
from ..model import Catalog, Credential, Stack
from . import gitdir, permanence
from .assertion_tree import is_assertion_file
from .config import load_config
from .gitlog import HistoryWalk
from .links import outside_links
from .load import (
    LATEST_EXPIRY,
    AssertionFile,
    add_duration,
    issued_in_the_future,
    load_credential,
    load_page,
    load_stack,
    read_document,
)
from .project import Project, assertion_file_id
from .reading import LoadContext, ReadingOptions
from .sources import Document
from .translations import load_translations


def load_catalog(
    project: Project,
    now: datetime.datetime,
    *,
    base_url: str | None = None,
    warnings: list[SourceError] | None = None,
    context: LoadContext | None = None,
) -> Catalog:
    """Read, check and cross-reference everything; raise BuildFailed listing every problem.

    `context`: what the build lends to go faster (how assertion files are read, git's walk if
    it started it, the image caches); without it everything is done here, plainly.
    """
    context = LoadContext() if context is None else context
    # Before anything is read: a link out of the repository is never followed.
    errors: list[SourceError] = outside_links(project)
    if errors:
        raise BuildFailed(errors)
    warnings = [] if warnings is None else warnings
    checked = CheckedImages() if context.checked is None else context.checked
    config = load_config(project, errors, base_url, checked)

    plaintext = bool(config and config.plaintext_recipients)
    # One walk of git's history gives the issue dates and every badge ever published.
    walk = context.history or start_history(project)
    history = walk.result() if walk is not None else None
    added = history.added if history is not None else {}
    # Everything under assertions/: the files to read, and what must not be there.
    tree = context.assertions.survey(project)
    errors.extend(SourceError(rel, 0, message) for rel, message in tree.problems)
    # Files that are there but cannot be read: their badges are not gone.
    unreadable = {
        assertion_file_id(rel) for rel, _message in tree.problems if is_assertion_file(rel)
    }
    # content/ is read here while the assertion files are read (in worker processes).
    assertion_files, (docs, stacks, credentials, failed, pages) = context.assertions.read(
        project,
        tree,
        ReadingOptions(plaintext, added, now),
        lambda: _load_content(project, errors, checked),
    )
    files: dict[str, AssertionFile] = {}
    for file in assertion_files:
        errors.extend(file.read_errors)
        if file.read_errors:
            unreadable.add(file.id)
            continue
        if file.id in files:
            errors.append(
                SourceError(
                    file.rel,
                    0,
                    f"duplicate assertion id '{file.id}' (also {files[file.id].rel}); ids are unique across assertions/",
                )
            )
            continue
        files[file.id] = file
        errors.extend(file.errors)
        warnings.extend(file.warnings)
    # The rule: every badge ever published stays published (permanence).
    ledger = permanence.ledger(
        project,
        history,
        files,
        unreadable,
        plaintext_recipients=plaintext,
        now=now,
        errors=errors,
        warnings=warnings,
    )
    assertions = {}
    # Credentials deleted or renamed while badges deployed before point at them:
    # slug → (made from git, id, where, line) of each badge.
    orphans: dict[str, list[tuple[bool, str, str, int]]] = {}
    # (assertion, where, its credential's line, its issue date's line, deployed before HEAD,
    # the file it was read from: None when made from git)
    published = [
        (
            file.assertion,
            file.rel,
            file.credential_line,
            file.issued_line,
            file.id in ledger.deployed,
            file,
        )
        for file in files.values()
        if file.assertion is not None
    ] + [(r.assertion, r.label, r.line, r.line, True, None) for r in ledger.recovered]
    for assertion, where, line, issued_line, deployed, file in published:
        if file is not None:
            future = issued_in_the_future(file, now)
            if future is not None:
                errors.append(future)
                continue
        credential = credentials.get(assertion.credential)
        if credential is None:
            if assertion.credential in failed:
                continue  # its file's own errors are reported
            if deployed:
                orphans.setdefault(assertion.credential, []).append(
                    (file is None, assertion.id, where, line)
                )
                continue
            hint = did_you_mean(assertion.credential, credentials)
            errors.append(
                SourceError(
                    where, line, f"unknown credential {quote(assertion.credential, 80)}{hint}"
                )
            )
            continue
        if assertion.expires is None and credential.expires_after:
            expires = add_duration(assertion.issued_on, credential.expires_after)
            if expires > LATEST_EXPIRY:
                errors.append(
                    SourceError(
                        where,
                        issued_line,
                        f"expires on {expires.date()} ('expires_after' of '{credential.slug}'): "
                        f"expected an expiry no later than {LATEST_EXPIRY.date()}",
                    )
                )
                continue
            assertion = replace(assertion, expires=expires)
        assertions[assertion.id] = assertion
    for slug, badges in sorted(orphans.items()):
        errors.append(_orphaned(slug, sorted(badges)))

    stacks = _check_stacks(stacks, credentials, failed, docs, errors)
    if config is not None and not errors:
        # Drawn with every credential in its place, retired ones too: retiring one changes
        # no badge's picture, issued or not.
        credentials = draw_missing_badges(credentials, stacks, config, context.drawn)
    stacks = {slug: _without_retired(stack, credentials) for slug, stack in stacks.items()}
    warnings.extend(_oversized_badges(credentials.values(), docs))
    _check_prerequisites(credentials, failed, docs, errors)
    credentials = _prerequisites_without_retired(credentials)
    translations, native = load_translations(
        project,
        {c.source: c for c in credentials.values()},
        failed,
        config.language if config else None,
        errors,
    )
    credentials.update(native)
    if errors or config is None:
        raise BuildFailed(errors)
    if config.locales is not None:  # the site's own catalogs: which strings stay in English
        from .site_locales import missing_string_warnings

        languages = [config.language, *(t.language for t in translations)]
        warnings.extend(missing_string_warnings(project, languages))
    by_name = sorted(credentials.values(), key=lambda c: (c.name.lower(), c.slug))
    return Catalog(
        config=config,
        stacks=tuple(sorted(stacks.values(), key=lambda s: (s.title.lower(), s.slug))),
        credentials=tuple(c for c in by_name if not c.retired),
        assertions=tuple(sorted(assertions.values(), key=attrgetter("id"))),
        pages=tuple(sorted(pages, key=lambda p: (p.order, p.title.lower()))),
        now=now,
        translations=translations,
        retired=tuple(c for c in by_name if c.retired),
        published_order=ledger.order,
    )


ORPHANED = (
    "credential '{slug}' does not exist, but {count} published {badges} ({ids}), and "
    "a published badge's URL keeps answering, with its credential: if it was deleted, put its "
    "file back with 'retired: true' in its front matter (it then leaves the catalog; its "
    "badges keep their pages); if its slug changed, give it back 'slug: {slug}'"
)


def _orphaned(slug: str, badges: list[tuple[bool, str, str, int]]) -> SourceError:
    """One error for the deployed badges of a credential that does not exist, at the first
    file of them (else the first withdrawn one)."""
    ids = ", ".join(badge[1] for badge in badges[:5])
    if len(badges) > 5:
        ids += f" and {len(badges) - 5} more"
    _recovered, _id, where, line = badges[0]
    point = "badge points at it" if len(badges) == 1 else "badges point at it"
    message = ORPHANED.format(slug=slug, count=len(badges), badges=point, ids=ids)
    return SourceError(where, line, message)


def _without_retired(stack: Stack, credentials: Mapping[str, Credential]) -> Stack:
    """The stack as the catalog shows it: its order, and its capstone rule, without retired
    credentials."""
    order = tuple(s for s in stack.credentials if not credentials[s].retired)
    if order == stack.credentials:
        return stack
    capstone = stack.capstone if stack.capstone in order else None
    return replace(stack, credentials=order, capstone=capstone, drawing_order=stack.credentials)


def _prerequisites_without_retired(credentials: dict[str, Credential]) -> dict[str, Credential]:
    """A retired credential is no one's prerequisite any more."""
    retired = {slug for slug, c in credentials.items() if c.retired}
    if not retired:
        return credentials
    return {
        slug: replace(c, prerequisites=tuple(p for p in c.prerequisites if p not in retired))
        if set(c.prerequisites) & retired
        else c
        for slug, c in credentials.items()
    }


def start_history(project: Project, cache: Path | None = None) -> HistoryWalk | None:
    """git's walk of the history of assertions/, started now; None outside a repository.

    `cache`: the file that keeps the walk for the next build (gitlog.HistoryWalk)."""
    in_git = gitdir.find(project.root) is not None
    return HistoryWalk(project.root, "assertions", cache) if in_git else None


def _load_content(project: Project, errors: list[SourceError], checked: CheckedImages) -> tuple:
    """The stacks, credentials and pages of content/: (docs, stacks, credentials, failed, pages)."""
    docs: dict[str, Document] = {}  # by source path, to point cross-reference errors at lines
    stacks: dict[str, Stack] = {}
    for path in project.stack_indexes():
        doc = read_document(path, project, errors, markdown=True)
        stack = doc and load_stack(doc, errors)
        if stack:
            docs[doc.rel] = doc
            stacks[stack.slug] = stack

    credentials: dict[str, Credential] = {}
    failed: set[str] = set()  # slugs whose file failed its own checks: do not report them again
    for path in project.credential_files():
        rel = project.rel(path)
        depth = len(path.relative_to(project.credentials_dir).parts)
        if depth > 2 or path.name == "index.md":
            errors.append(
                SourceError(
                    rel,
                    0,
                    "expected a credential directly in content/credentials/ or in a stack folder content/credentials/<stack>/",
                )
            )
            continue
        stack_slug = path.parent.name if depth == 2 else None
        if (
            stack_slug is not None
            and stack_slug not in stacks
            and not (path.parent / "index.md").is_file()
        ):
            errors.append(
                SourceError(
                    rel,
                    0,
                    f"folder '{stack_slug}' has no index.md: expected content/credentials/{stack_slug}/index.md describing the stack",
                )
            )
            continue
        doc = read_document(path, project, errors, markdown=True)
        credential = doc and load_credential(doc, project, stack_slug, errors, checked)
        if not credential:
            failed.add(path.stem)
            continue
        docs[doc.rel] = doc
        if credential.slug in credentials:
            errors.append(
                doc.error(
                    f"duplicate credential slug '{credential.slug}' (also {credentials[credential.slug].source})",
                    1,
                )
            )
            continue
        credentials[credential.slug] = credential

    pages = []
    for path in project.page_files():
        doc = read_document(path, project, errors, markdown=True, front_matter_required=False)
        page = doc and load_page(doc, errors)
        if page:
            pages.append(page)

    return docs, stacks, credentials, failed, pages


def _item_line(doc: Document, key: str, index: int | None = None) -> int:
    value = doc.data.get(key)
    lines = getattr(value, "lines", None)
    if index is not None and isinstance(lines, list) and index < len(lines):
        return lines[index]
    return doc.line_of(key)


def _check_stacks(
    stacks: dict[str, Stack],
    credentials: dict[str, Credential],
    failed: set[str],
    docs: dict[str, Document],
    errors: list[SourceError],
) -> dict[str, Stack]:
    """Order lists name members; every member appears once, in order then by name."""
    checked = {}
    for slug, stack in stacks.items():
        doc = docs[stack.source]
        members = {c.slug for c in credentials.values() if c.stack == slug}
        order = []
        for index, item in enumerate(stack.credentials):
            if item in failed:
                continue
            if item not in members:
                where = credentials[item].source if item in credentials else None
                found = f"it is in {where}" if where else "no such credential in the folder"
                errors.append(
                    doc.error(
                        f"'order' names {quote(item, 80)}, expected a credential of this stack; {found}{did_you_mean(item, members) if not where else ''}",
                        _item_line(doc, "order", index),
                    )
                )
            elif item in order:
                errors.append(
                    doc.error(f"'order' lists '{item}' twice", _item_line(doc, "order", index))
                )
            else:
                order.append(item)
        rest = sorted(
            (c for c in credentials.values() if c.stack == slug and c.slug not in order),
            key=lambda c: (c.name.lower(), c.slug),
        )
        full = tuple(order) + tuple(c.slug for c in rest)
        if stack.capstone and stack.capstone not in members:
            errors.append(
                doc.error(
                    f"'capstone' names {quote(stack.capstone, 80)}, expected one of this stack's credentials{did_you_mean(stack.capstone, members)}",
                    doc.line_of("capstone"),
                )
            )
        # Retired credentials are no longer earned: they do not count toward the capstone.
        earnable = sum(1 for s in full if s != stack.capstone and not credentials[s].retired)
        if stack.required is not None and not 1 <= stack.required <= max(earnable, 1):
            retired = " that are not retired" if any(credentials[s].retired for s in full) else ""
            errors.append(
                doc.error(
                    f"'required' is {stack.required}, expected between 1 and {earnable} (the stack's credentials besides the capstone{retired})",
                    doc.line_of("required"),
                )
            )
        checked[slug] = replace(stack, credentials=full)
    return checked


def _check_prerequisites(
    credentials: dict[str, Credential],
    failed: set[str],
    docs: dict[str, Document],
    errors: list[SourceError],
) -> None:
    for credential in credentials.values():
        doc = docs[credential.source]
        for index, slug in enumerate(credential.prerequisites):
            line = _item_line(doc, "prerequisites", index)
            if slug == credential.slug:
                errors.append(doc.error("'prerequisites' lists the credential itself", line))
            elif slug not in credentials and slug not in failed:
                errors.append(
                    doc.error(
                        f"'prerequisites' names unknown credential {quote(slug, 80)}{did_you_mean(slug, credentials)}",
                        line,
                    )
                )


# Every issued badge carries a baked copy of its image, so its bytes multiply by the number of
# assertions (GitHub Pages caps a site at 1 GB).
SUPPLIED_IMAGE_BUDGET = 100 * 1024


def _oversized_badges(credentials, docs: Mapping[str, Document]) -> list[SourceError]:
    """Warnings for supplied badge images over 100 KB (each assertion bakes a copy)."""
    warnings = []
    for credential in credentials:
        size = len(credential.image.data)
        if credential.image.drawn or size <= SUPPLIED_IMAGE_BUDGET:
            continue
        doc = docs.get(credential.source)
        line = doc.line_of("image") if doc is not None and "image" in doc.data else 0
        warnings.append(
            SourceError(
                credential.source,
                line,
                f"badge image is {size:,} bytes; expected at most {SUPPLIED_IMAGE_BUDGET:,} "
                "(every issued badge bakes a copy: optimise it, e.g. with pngquant or svgo)",
            )
        )
    return warnings
