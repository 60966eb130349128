"""The command line: parse, run a command, format errors. Exit 0 ok, 1 content/build failure, 2 usage."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from . import __version__
from .errors import BuildFailed
from .pipeline import build, reference_time
from .project import Project
from .write import UnsafeOutput


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="badgepress",
        description="Build micro-credential catalogs and verifiable Open Badges from a git repository.",
    )
    parser.add_argument("--version", action="version", version=f"badgepress {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    build_cmd = commands.add_parser("build", help="build the site into DIR/site")
    _source_option(build_cmd)
    build_cmd.add_argument("--output", type=Path, help="output folder (default: SOURCE/site)")
    build_cmd.add_argument(
        "--base-url", type=_base_url, help="override base_url from content/site.yaml"
    )
    build_cmd.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")

    check_cmd = commands.add_parser("check", help="validate content and templates; write nothing")
    _source_option(check_cmd)
    check_cmd.add_argument(
        "--base-url", type=_base_url, help="override base_url from content/site.yaml"
    )

    verify_cmd = commands.add_parser(
        "verify", help="check any issuer's Open Badge: exit 0 valid, 1 not valid, 2 could not check"
    )
    verify_cmd.add_argument(
        "target", metavar="URL|IMAGE|FILE", help="assertion URL, baked PNG/SVG or assertion JSON"
    )
    verify_cmd.add_argument("--email", help="check that the badge was issued to this address")
    verify_cmd.add_argument("--json", action="store_true", help="print the report as JSON")

    keygen_cmd = commands.add_parser(
        "keygen", help="make an Open Badges 3.0 signing key (prints the secret once)"
    )
    keygen_cmd.add_argument(
        "--did", help="the issuer's did:web (default: signing.did, else from base_url)"
    )
    _source_option(keygen_cmd)

    from .issue_command import add_commands  # issue, revoke, unrevoke

    add_commands(commands, _source_option)
    return parser


def _source_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--source", type=Path, default=Path("."), help="site repository (default: .)"
    )


def _base_url(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(f"expected an absolute http(s) URL, found {text!r}")
    return text


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `badgepress` console script."""
    try:
        return _run(_parser().parse_args(argv))
    except KeyboardInterrupt:
        print("badgepress: interrupted", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace) -> int:
    if args.command == "verify":
        from .verify import run  # imported on use: building never needs the HTTP client

        return run(args)
    project = Project(args.source.resolve())
    if not project.root.is_dir():
        print(f"badgepress: error: --source {args.source}: not a folder", file=sys.stderr)
        return 2
    if args.command == "keygen":
        from .keygen import keygen  # lazy: only this command needs it

        return keygen(project, args.did, sys.stdout, sys.stderr)
    if args.command in ("issue", "revoke", "unrevoke"):
        from .issue_command import run as run_issue  # the issuing code stays out of the build

        return run_issue(args, project)
    now = reference_time(project, dict(os.environ), datetime.datetime.now(datetime.timezone.utc))
    output = None
    if args.command == "build":
        output = (args.output if args.output else project.root / "site").resolve()
    try:
        report = build(project, output, now, base_url=args.base_url)
    except BuildFailed as failure:
        for error in failure.errors:
            print(error, file=sys.stderr)
        count = len(failure.errors)
        print(
            f"badgepress: {count} problem{'s' if count != 1 else ''} found; nothing was written",
            file=sys.stderr,
        )
        return 1
    except UnsafeOutput as exc:
        print(f"badgepress: error: {exc}", file=sys.stderr)
        return 1
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    catalog = report.catalog
    summary = f"{len(catalog.credentials)} credentials, {len(catalog.stacks)} stacks, {len(catalog.assertions)} assertions"
    if args.command == "check":
        print(f"ok: {summary}; {report.outputs} files would be written")
    elif not args.quiet:
        w = report.write
        print(
            f"built {output} in {report.seconds:.2f}s: {summary}; "
            f"{w.written} written, {w.unchanged} unchanged, {w.removed} removed"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
