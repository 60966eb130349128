"""The command line: parse, run a command, format errors. Exit 0 ok, 1 content/build failure, 2 usage."""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from . import __version__
from .content.project import Project

if TYPE_CHECKING:
    from .build.incremental import Freshness

# The pipeline (Jinja2, YAML, Pillow...) is imported only when a command needs it: a no-op
# `build` answers from the incremental fingerprint alone (see `incremental`).


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="badgepress",
        description="Build micro-credential catalogs and verifiable Open Badges from a git repository.",
        epilog="Run 'badgepress COMMAND --help' for what a command does and its options. Exit "
        "status: 0 done, 1 a problem with the site or the badge (each named on stderr), 2 a "
        "usage error (verify: 2 could not check).",
    )
    parser.add_argument("--version", action="version", version=f"badgepress {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    build_cmd = _command(
        commands,
        "build",
        "build the site into DIR/site",
        "Build the site whose repository is DIR (--source; default: here) into DIR/site (or "
        "--output): catalog, criteria pages, Open Badges JSON, baked badge images, earner pages, "
        "the verify page and, with a signing: section, signed Open Badges 3.0 credentials. Only "
        "what changed since the last build is redone. On a problem (each named as path:line: "
        "message, exit status 1) nothing is written and the previous site stays as it was.",
    )
    _source_option(build_cmd)
    build_cmd.add_argument(
        "--output",
        type=Path,
        metavar="DIR",
        help="output folder (default: site/ in the --source folder)",
    )
    _base_url_option(build_cmd)
    build_cmd.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    build_cmd.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        metavar="N",
        help="worker processes for large sites (default: one per core)",
    )
    build_cmd.add_argument(
        "--clean",
        action="store_true",
        help="use nothing the last builds kept (.badgepress-cache/): read, draw, sign and "
        "render everything again",
    )
    build_cmd.add_argument(
        "--timings", action="store_true", help="print the seconds spent in each build stage"
    )

    check_cmd = _command(
        commands,
        "check",
        "validate content and templates; write nothing",
        "Run every check a build runs (content, assertions, templates, images) and write "
        "nothing: exit status 0 when the site would build, 1 with one path:line: message per "
        "problem. The review workflow runs it on pull requests; a pre-commit hook can too.",
    )
    _source_option(check_cmd)
    _base_url_option(check_cmd)

    verify_cmd = _command(
        commands,
        "verify",
        "check any issuer's Open Badge: exit 0 valid, 1 not valid, 2 could not check",
        "Check an Open Badge 2.0 or 3.0 from any issuer: an assertion or credential URL, a "
        "baked PNG or SVG, or a JSON file. Prints one line per check and a verdict. Exit "
        "status 0 valid; 1 not valid (revoked, expired, not issued to --email, not a badge); "
        "2 could not check (the issuer could not be reached, or no verdict within --timeout).",
    )
    verify_cmd.add_argument(
        "target",
        metavar="URL|IMAGE|FILE",
        nargs="?",
        help="assertion or credential URL, baked PNG/SVG, or JSON file (with --site: optional)",
    )
    verify_cmd.add_argument("--email", help="check that the badge was issued to this address")
    verify_cmd.add_argument("--json", action="store_true", help="print the report as JSON")
    verify_cmd.add_argument(
        "--site",
        metavar="DIR",
        type=Path,
        help="a built site folder that answers for the site's URLs and did:web host, offline;"
        " without a target, check every badge in it before deploying",
    )
    verify_cmd.add_argument(
        "--timeout",
        type=_seconds,
        metavar="SECONDS",
        help="give up after this long, fetches and checks together (default: 15)",
    )
    verify_cmd.add_argument(
        "--public-only",
        action="store_true",
        help="fetch nothing from loopback or private addresses (for a service verifying for others)",
    )

    new_cmd = _command(
        commands,
        "new",
        "make a starter site in DIR (new or empty)",
        "Make a working starter site in DIR: one stack, one credential, one issued badge, a "
        "page, and a GitHub workflow that checks pull requests and deploys to GitHub Pages with "
        "exactly this badgepress; then, unless DIR is inside one already, start a git "
        "repository there (branch main).",
    )
    new_cmd.add_argument("directory", metavar="DIR", type=Path, help="folder to create")

    serve_cmd = _command(
        commands,
        "serve",
        "preview the site: build, serve, rebuild and reload the browser on every change",
        "Build the site into a temporary folder and serve it at http://127.0.0.1:PORT/, "
        "rebuilding on every change under content/, assertions/ and templates/ and reloading "
        "the browser; a problem shows over the page. DIR/site is never touched. Ctrl-C stops "
        "it.",
    )
    _source_option(serve_cmd)
    serve_cmd.add_argument(
        "--port", type=_port, default=8000, help="port (default: 8000; 0: any free one)"
    )
    serve_cmd.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0 shows the "
        "preview to your whole network)",
    )

    schemas_cmd = _command(
        commands,
        "schemas",
        "write the editor schemas of this version into schemas/ (see docs/authoring.md)",
        "Write the JSON Schemas of content/site.yaml, assertion files and front matter, as this "
        "badgepress reads them, into DIR/schemas/, where the starter's files point editors "
        "(completion and mistakes shown while typing). Run it after upgrading badgepress.",
    )
    _source_option(schemas_cmd)

    translate_cmd = _command(
        commands,
        "translate",
        "make or update locales/LANG/LC_MESSAGES/messages.po with every interface string",
        "Make or update the site's catalog locales/LANG/LC_MESSAGES/messages.po with every "
        "interface string of the theme and of your templates, keeping every translation, and "
        "say how many are missing. Translate its msgstr entries, then set language: LANG in "
        "content/site.yaml (docs/translating.md).",
    )
    translate_cmd.add_argument("language", metavar="LANG", help="a BCP 47 tag: de, pt-BR, fr-CA")
    _source_option(translate_cmd)

    keygen_cmd = _command(
        commands,
        "keygen",
        "make an Open Badges 3.0 signing key (prints the secret once)",
        "Make an Ed25519 key for signing Open Badges 3.0 credentials and print the secret, its "
        "public key and the signing: section for content/site.yaml. Nothing is written to "
        "disk: store the secret as a CI secret (BADGEPRESS_SIGNING_KEY) or in a password "
        "manager, never in the repository (docs/open-badges-3.md).",
    )
    keygen_cmd.add_argument(
        "--did", help="the issuer's did:web (default: signing.did, else from base_url)"
    )
    _source_option(keygen_cmd)

    from .issuing.arguments import add_commands  # issue, revoke, unrevoke

    add_commands(commands, _source_option)
    return parser


def _command(commands, name: str, summary: str, description: str) -> argparse.ArgumentParser:
    """A subcommand: `summary` in `badgepress --help`, `description` atop its own --help."""
    return commands.add_parser(name, help=summary, description=description)


def _source_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--source",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="the site's repository (default: .)",
    )


def _base_url_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--base-url", type=_base_url, metavar="URL", help="override base_url of content/site.yaml"
    )


def _base_url(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(f"expected an absolute http(s) URL, found {text!r}")
    return text


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number of workers, found {text!r}")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value <= 3600:  # NaN fails this too
        raise argparse.ArgumentTypeError(
            f"expected a number of seconds above 0 and at most 3600, found {text!r}"
        )
    return value


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 to 65535, found {text!r}")
    return int(text)


class _Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP: a build stops as it does on Ctrl-C (what it staged is removed)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _stop(signum, frame) -> None:
    raise _Stopped(signum)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `badgepress` console script."""
    try:
        args = _parser().parse_args(argv)
        if args.command == "build" and threading.current_thread() is threading.main_thread():
            # Without a handler these end the process at once, leaving staged files behind.
            for signum in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
                if signum is not None and signal.getsignal(signum) is signal.SIG_DFL:
                    signal.signal(signum, _stop)
        return _run(args)
    except _Stopped as stopped:
        name = signal.Signals(stopped.signum).name
        print(f"badgepress: stopped by {name}", file=sys.stderr)
        return 128 + stopped.signum
    except KeyboardInterrupt:
        print("badgepress: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader stopped early (`badgepress verify --site site --json | head`): no
        # traceback. Standard output now goes nowhere, so the exit's flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def console() -> None:
    """The `badgepress` console script: `main`, then, after a build, exit at once.

    A build leaves a large heap (the catalog, the state of every assertion); freeing it object
    by object costs time the operating system spends for nothing: a no-op build of 10,000
    badges takes 0.13 s of CPU with this exit, 0.16 s without (the no-op target is 0.15 s).
    Output is flushed first, and nothing a build starts outlives it (worker pools are joined).
    """
    code = main()
    if sys.argv[1:2] == ["build"]:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def _run(args: argparse.Namespace) -> int:
    if args.command == "verify":
        from .verify.verifier import run  # imported on use: building never needs the HTTP client

        return run(args)
    if args.command == "new":
        from .issuing.new_site import run as new_site

        return new_site(args.directory)
    project = Project(args.source.resolve())
    if not project.root.is_dir():
        print(f"badgepress: error: --source {args.source}: not a folder", file=sys.stderr)
        return 2
    if args.command == "serve":
        from .serve.server import serve  # lazy: watchdog and http.server only for this command

        return serve(project, args.host, args.port)
    if args.command == "keygen":
        from .issuing.keygen import keygen  # lazy: only this command needs it

        return keygen(project, args.did, sys.stdout, sys.stderr)
    if args.command in ("schemas", "translate") and not project.site_yaml.is_file():
        # They write into the site: never into a folder that is none (a home directory, say).
        print(
            f"badgepress: error: {project.root}: no content/site.yaml, so not a site; run this"
            " in a site's folder or pass --source (a new site: 'badgepress new DIR')",
            file=sys.stderr,
        )
        return 1
    if args.command == "schemas":
        return _write_schemas(project)
    if args.command == "translate":
        return _translate(project, args.language)
    if args.command in ("issue", "revoke", "unrevoke"):
        from .issuing.commands import run as run_issue  # the issuing code stays out of the build

        return run_issue(args, project)
    output, taken = None, None
    if args.command == "build":
        output = (args.output if args.output else project.root / "site").resolve()
        if not args.clean:
            freshness = _up_to_date(project, output, args)
            if freshness.fresh:
                return 0
            taken = freshness.taken  # the build reuses what was just taken
    from .build.buildlock import SiteLocked, site_lock
    from .build.write import OutputFailed, UnsafeOutput, describe_os_error
    from .errors import BuildFailed
    from .pipeline import build, reference_time, source_commit
    from .wording import catalog_summary, counted

    options = {}
    lock = contextlib.nullcontext()
    if args.command == "build":
        from .build.parallel import default_jobs
        from .build.progress import BuildProgress

        options.update(
            jobs=args.jobs or default_jobs(), incremental=True, clean=args.clean, taken=taken
        )
        progress = BuildProgress(quiet=args.quiet)
        options["progress"] = progress.update
        # One build of a site at a time (`serve` takes it too): its cache is shared.
        lock = site_lock(
            project.root, lambda message: print(f"badgepress: {message}", file=sys.stderr)
        )
    try:
        with lock:
            commit = source_commit(project)  # its time is the build's 'now'; pages record it
            wall_clock = datetime.datetime.now(datetime.timezone.utc)
            now = reference_time(project, dict(os.environ), wall_clock, commit)
            try:
                report = build(
                    project, output, now, base_url=args.base_url, commit=commit, **options
                )
            finally:
                if args.command == "build":
                    progress.stop()
    except BuildFailed as failure:
        for error in failure.errors:
            print(error, file=sys.stderr)
        count = len(failure.errors)
        print(
            f"badgepress: {counted(count, 'problem')} found; nothing was written",
            file=sys.stderr,
        )
        return 1
    except (UnsafeOutput, OutputFailed, SiteLocked) as exc:
        print(f"badgepress: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # reading or writing outside what a build checks: one line, no trace
        print(f"badgepress: error: {describe_os_error(exc)}", file=sys.stderr)
        return 1
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    _warn_stale_schemas(project)
    catalog = report.catalog
    summary = catalog_summary(catalog)
    if args.command == "check":
        print(f"ok: {summary}; {counted(report.outputs, 'file')} would be written")
    elif not args.quiet:
        w = report.write
        badges = len(catalog.assertions)
        why = "--clean" if args.clean else report.full_reason
        print(
            f"built {output} in {report.seconds:.2f}s: {summary}; "
            f"{report.rendered} of {counted(badges, 'badge')} rendered"
            f"{f' ({why})' if why else ''}; "
            f"{w.written} written, {w.unchanged} unchanged, {w.removed} removed"
        )
    if args.command == "build" and args.timings:
        print(f"timings: {report.timings.summary()}", file=sys.stderr)
    return 0


def _up_to_date(project: Project, output: Path, args: argparse.Namespace) -> Freshness:
    """A no-op build: nothing changed since the last one (stats only; nothing heavy imported)."""
    from .build.incremental import up_to_date

    freshness = up_to_date(project.root, output, os.environ, args.base_url)
    if not freshness.fresh:
        return freshness
    for warning in freshness.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    _warn_stale_schemas(project)
    if not args.quiet:
        print(f"{output} is up to date: nothing changed since the last build")
    if args.timings:
        print("timings: nothing to do", file=sys.stderr)
    return freshness


def _write_schemas(project: Project) -> int:
    from .content.site_schemas import SITE_FOLDER, write_site_schemas

    try:
        changed = write_site_schemas(project.root)
    except OSError as problem:
        print(
            f"badgepress: error: cannot write {SITE_FOLDER}/: {problem.strerror}", file=sys.stderr
        )
        return 1
    state = f"{len(changed)} updated" if changed else "already up to date"
    print(f"{SITE_FOLDER}/: the editor schemas of badgepress {__version__} ({state})")
    return 0


def _translate(project: Project, language: str) -> int:
    from .content.site_locales import CatalogUnreadable, update_site_catalog

    try:
        po, summary = update_site_catalog(project, language)
    except CatalogUnreadable as problem:
        print(f"badgepress: error: {problem}", file=sys.stderr)
        return 1
    except ValueError:
        print(
            f"badgepress: error: expected a BCP 47 tag that Babel's locale data knows (such as "
            f"de, pt-BR or fr-CA), found {language!r}",
            file=sys.stderr,
        )
        return 2
    except OSError as problem:
        print(f"badgepress: error: cannot write the catalog: {problem}", file=sys.stderr)
        return 1
    print(f"{project.rel(po)}: {summary}")
    return 0


def _warn_stale_schemas(project: Project) -> None:
    """The site's copy of the editor schemas is another version's: say how to update it."""
    from .content.site_schemas import stale_message, stale_site_schemas

    stale = stale_site_schemas(project.root)
    if stale:
        print(f"warning: {stale_message(stale)}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
