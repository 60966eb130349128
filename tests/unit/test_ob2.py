import datetime
import hashlib

from badgepress.model import Assertion, Recipient
from badgepress.openbadges import ob2
from badgepress.urls import Urls

UTC = datetime.timezone.utc


def test_recipient_hash_is_sha256_of_lowercased_email_plus_salt():
    expected = "sha256$" + hashlib.sha256(b"jane@example.com" + b"s4lt").hexdigest()
    assert ob2.hash_email(" Jane@Example.COM ", "s4lt") == expected


def test_dates_always_carry_a_time_zone():
    assert ob2.iso_datetime(datetime.date(2026, 11, 1)) == "2026-11-01T00:00:00Z"
    aware = datetime.datetime(
        2026, 11, 1, 10, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
    )
    assert ob2.iso_datetime(aware) == "2026-11-01T08:30:00Z"


def test_json_bytes_are_sorted_and_end_with_a_newline():
    data = ob2.dump({"b": 1, "a": "é"})
    assert data == '{\n  "a": "é",\n  "b": 1\n}\n'.encode()


def _assertion(**changes):
    values = dict(
        id="abc",
        credential="c",
        recipient=Recipient("sha256$" + "0" * 64, "salt"),
        issued_on=datetime.datetime(2026, 1, 1, tzinfo=UTC),
        source="assertions/abc.yaml",
    )
    values.update(changes)
    return Assertion(**values)


def test_status_is_revoked_expired_or_valid():
    now = datetime.datetime(2026, 6, 1, tzinfo=UTC)
    assert _assertion().status(now) == "valid"
    assert _assertion(expires=datetime.datetime(2026, 5, 1, tzinfo=UTC)).status(now) == "expired"
    assert _assertion(revoked=True, revocation_reason="x", expires=now).status(now) == "revoked"


def test_urls_follow_the_contract_layout():
    urls = Urls("https://badges.example.org/sub")
    assert urls.base == "https://badges.example.org/sub/"
    assert urls.issuer_id == "https://badges.example.org/sub/issuer.json"
    assert urls.assertion_id(_assertion()) == "https://badges.example.org/sub/assertions/abc.json"
    assert (
        urls.absolute("assertions/abc/index.html")
        == "https://badges.example.org/sub/assertions/abc/"
    )
    assert urls.absolute("index.html") == "https://badges.example.org/sub/"
