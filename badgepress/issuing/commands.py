"""The `issue`, `revoke` and `unrevoke` commands: arguments in, messages out, exit status."""

from __future__ import annotations

import argparse
import datetime
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from ..content.project import Project
from ..content.validate import load_catalog
from ..errors import BuildFailed, quote
from ..model import Catalog, Evidence
from ..openbadges.baking import bake
from ..urls import Urls
from ..wording import counted
from .awards import Award, IssueRefused, Planned, plan, write
from .notify import (
    Mailer,
    Notice,
    NotifyProblem,
    badge_message,
    check_merge_path,
    smtp_settings,
    write_mail_merge,
)
from .revoke import Revoked, RevokeProblem, revoke, unrevoke
from .roster import RosterProblem, read_roster


def run(
    args: argparse.Namespace,
    project: Project,
    *,
    environ: Mapping[str, str] | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run issue, revoke or unrevoke; exit status 0, 1 (refused, nothing changed) or 2 (usage)."""
    environ = os.environ if environ is None else environ
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    if args.command == "revoke" or args.command == "unrevoke":
        try:
            if args.command == "revoke":
                done = revoke(project, args.id, args.reason, force=args.force)
                print(
                    f"{_revoked(done, project)}; commit it and the next build publishes it",
                    file=out,
                )
            else:
                path = unrevoke(project, args.id)
                print(f"revocation taken back in {project.rel(path)}", file=out)
        except RevokeProblem as problem:
            print(f"badgepress: error: {problem}", file=err)
            return 1
        return 0
    return _issue(args, project, environ, out, err)


def _revoked(done: Revoked, project: Project) -> str:
    """What `revoke` did: a replaced reason is said to be one (it changes what verifiers show)."""
    rel = project.rel(done.path)
    if not done.replaced:
        return f"revoked {rel}"
    was = f"it was {quote(done.previous_reason, 80)}" if done.previous_reason else "it had none"
    return f"replaced the revocation reason of {rel} ({was})"


def _issue(args, project: Project, environ, out: TextIO, err: TextIO) -> int:
    single = args.credential is not None or args.email is not None
    if args.csv and single:
        print(
            "badgepress: error: give either CREDENTIAL --email ADDR or --csv ROSTER.csv, not both",
            file=err,
        )
        return 2
    if not args.csv and (args.credential is None or args.email is None):
        print("badgepress: error: expected CREDENTIAL --email ADDR, or --csv ROSTER.csv", file=err)
        return 2
    if args.csv and any(
        (args.name, args.public_name, args.evidence, args.narrative, args.date, args.expires)
    ):
        print(
            "badgepress: error: with --csv, names, evidence and dates come from the roster's columns",
            file=err,
        )
        return 2
    now = datetime.datetime.now(datetime.timezone.utc)
    try:
        catalog = load_catalog(project, now)
    except BuildFailed as failure:
        for error in failure.errors:
            print(error, file=err)
        print(
            "badgepress: the site has problems; fix them before issuing (nothing was written)",
            file=err,
        )
        return 1
    problems: list[str] = []
    if args.csv:
        try:
            awards, problems = read_roster(args.csv, _shown(args.csv))
        except RosterProblem as problem:
            return _refuse(problem.problems, err)
    else:
        awards = [
            Award(
                credential=args.credential,
                email=args.email,
                where="--email",
                name=args.name,
                public_name=args.public_name,
                evidence=(Evidence(url=args.evidence),) if args.evidence else (),
                narrative=args.narrative,
                issued_on=args.date,
                expires=args.expires,
            )
        ]
    try:
        planned = plan(catalog, project, awards, now=now, allow_duplicate=args.allow_duplicate)
    except IssueRefused as refused:
        problems += refused.problems
    if problems:
        return _refuse(problems, err)

    urls = Urls(catalog.config.base_url)
    for item in planned:
        note = f"  (capstone of {item.capstone_of.title})" if item.capstone_of else ""
        # A roster's rows are told apart by line, never by email: which file is whose.
        row = f"{item.award.row} -> " if item.award.row else ""
        print(
            f"{row}{project.rel(item.path)}  {urls.assertion_page_url(item.assertion)}{note}",
            file=out,
        )
    if args.dry_run:
        count = len(planned)
        print(f"dry run: {counted(count, 'badge')} checked; nothing written", file=out)
        return 0

    # Every way of telling earners is checked (and the mail server reached) before writing.
    mailer = merge_target = None
    try:
        if args.mail_merge:
            merge_target = check_merge_path(args.mail_merge, project.root)
        if args.notify:
            mailer = Mailer(smtp_settings(environ, catalog.config.issuer.email))
            mailer.connect()
    except NotifyProblem as problem:
        return _refuse([str(problem)], err)

    write(planned)
    count = len(planned)
    print(
        f"issued {counted(count, 'badge')}; commit assertions/ and the URLs answer "
        "after the next build",
        file=out,
    )
    notices = [_notice(item, catalog, urls) for item in planned]
    try:
        if merge_target is not None:
            write_mail_merge(merge_target, notices)
            print(
                f"wrote mail-merge file {merge_target} (it holds emails: keep it out of the repository)",
                file=out,
            )
        if mailer is not None:
            issuer, sender = catalog.config.issuer.name, mailer.settings.sender
            sent = mailer.send([badge_message(n, sender, issuer) for n in notices])
            print(f"emailed {counted(sent, 'earner')}", file=out)
    except NotifyProblem as problem:
        print(f"badgepress: error: {problem} (the assertion files were written)", file=err)
        return 1
    finally:
        if mailer is not None:
            mailer.close()
    return 0


def _notice(item: Planned, catalog: Catalog, urls: Urls) -> Notice:
    assertion = item.assertion
    credential = catalog.by_slug[assertion.credential]
    return Notice(
        email=item.award.email,
        name=item.award.name,
        credential=credential.name,
        badge_url=urls.assertion_page_url(assertion),
        image_url=urls.baked_image_url(assertion, credential),
        # The image the build will publish: the badge baked with the assertion's URL.
        image=bake(credential.image.data, credential.image.format, urls.assertion_id(assertion)),
        image_format=credential.image.format,
    )


def _shown(path: Path) -> str:
    return path.as_posix()


def _line(problem: str) -> tuple[int, str]:
    match = re.match(r"^[^:]*:(\d+):", problem)
    return (int(match[1]) if match else 0, problem)


def _refuse(problems: list[str], err: TextIO) -> int:
    for problem in sorted(problems, key=_line):
        print(problem, file=err)
    count = len(problems)
    print(
        f"badgepress: {counted(count, 'problem')} found; nothing was written",
        file=err,
    )
    return 1
