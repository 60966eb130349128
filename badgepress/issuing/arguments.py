"""The command lines of issue, revoke and unrevoke: argparse only, so building the CLI's parser
imports none of the issuing code (a no-op `build` must stay light)."""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path


def add_commands(commands, source_option) -> None:
    """Register issue, revoke and unrevoke on the main parser's subcommands."""
    issue = commands.add_parser(
        "issue",
        help="write assertion files for one earner or a CSV roster (emails are only hashed)",
        description="Write assertions/<year>/<id>.yaml for one earner (CREDENTIAL --email) or a "
        "roster (--csv). Everything is checked first; nothing is written if anything is wrong.",
    )
    issue.add_argument("credential", nargs="?", metavar="CREDENTIAL", help="credential slug")
    issue.add_argument(
        "--email", help="the earner's email (hashed with a random salt; never stored)"
    )
    issue.add_argument("--name", help="the earner's name")
    issue.add_argument(
        "--public-name", action="store_true", help="the earner agreed to show the name publicly"
    )
    issue.add_argument("--evidence", metavar="URL", help="a link to the earner's evidence")
    issue.add_argument("--narrative", metavar="TEXT", help="how the earner met the criteria")
    issue.add_argument(
        "--date", type=_date, metavar="YYYY-MM-DD", help="issue date (default: the commit's date)"
    )
    issue.add_argument("--expires", type=_date, metavar="YYYY-MM-DD", help="expiry date")
    issue.add_argument("--csv", type=Path, metavar="ROSTER.csv", help="issue every row of a roster")
    issue.add_argument(
        "--allow-duplicate",
        action="store_true",
        help="issue even when the earner already holds a valid badge of the credential",
    )
    issue.add_argument(
        "--notify", action="store_true", help="email each earner (BADGEPRESS_SMTP_* settings)"
    )
    issue.add_argument(
        "--mail-merge",
        type=Path,
        metavar="FILE.csv",
        help="write a mail-merge file outside the repository",
    )
    issue.add_argument("--dry-run", action="store_true", help="check and show; write nothing")
    source_option(issue)

    revoke_cmd = commands.add_parser(
        "revoke",
        help="revoke an issued badge (edits its file)",
        description="Mark an issued badge revoked, with a reason verifiers show: two lines of "
        "its file change, nothing else. Its URL keeps answering, as revoked. A badge revoked "
        "already keeps its reason unless --force. Commit the file; the next build publishes it.",
    )
    revoke_cmd.add_argument("id", metavar="ID", help="assertion id (its file name)")
    revoke_cmd.add_argument(
        "--reason", required=True, help="shown to anyone who verifies the badge"
    )
    revoke_cmd.add_argument(
        "--force", action="store_true", help="replace the reason of a badge already revoked"
    )
    source_option(revoke_cmd)
    unrevoke_cmd = commands.add_parser(
        "unrevoke",
        help="take back a revocation",
        description="Take back a revocation: the revoked and revocation_reason lines leave the "
        "badge's file, and the next build publishes it as valid again.",
    )
    unrevoke_cmd.add_argument("id", metavar="ID", help="assertion id (its file name)")
    source_option(unrevoke_cmd)


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, found '{text}'") from None
