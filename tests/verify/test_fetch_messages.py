"""Why a fetch failed, in words: one sentence naming the URL once, with a reason people read
(the host name was not found, the connection was refused, the TLS certificate is not
trusted) instead of errno texts."""

from __future__ import annotations

import datetime
import http.server
import ipaddress
import json
import socket
import ssl
import threading

import pytest

from badgepress.openbadges.signing import SigningKey, sign_document
from badgepress.verify.fetch import Fetcher, FetchError, connection_problem
from badgepress.verify.verifier import verify
from tests.ob3.test_verify_messages import SIGNED

NOW = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)
REFUSED = "the connection was refused (no server answers at that address and port)"


@pytest.fixture
def closed_port():
    """A port on 127.0.0.1 where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (socket.gaierror(socket.EAI_NONAME, "Name or service not known"), "was not found (DNS)"),
        (socket.gaierror(socket.EAI_NODATA, "No address associated with hostname"), "not found"),
        (
            socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution"),
            "its host name could not be looked up (no name server answered)",
        ),
        (ConnectionRefusedError(111, "Connection refused"), REFUSED),
        (OSError(101, "Network is unreachable"), "the network is unreachable"),
        (ConnectionResetError(104, "Connection reset by peer"), "the server closed the connection"),
    ],
    ids=["no such name", "no address", "no name server", "refused", "no route", "reset"],
)
def test_each_connection_failure_has_a_reason_in_words(error, reason):
    said = connection_problem(error)
    assert reason in said
    assert "Errno" not in said and not said[0].isupper()


def test_a_refused_connection_says_so_with_the_url_once(closed_port):
    url = f"http://127.0.0.1:{closed_port}/badge.json"
    with pytest.raises(FetchError) as caught:
        Fetcher(timeout=10)(url)
    assert caught.value.message == f"could not reach {url}: {REFUSED}"
    assert caught.value.reason == REFUSED


@pytest.fixture
def self_signed_server(tmp_path):
    """An https server on 127.0.0.1 whose certificate no authority signed."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=1)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=7))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    (tmp_path / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_an_untrusted_tls_certificate_says_so(self_signed_server):
    url = self_signed_server + "/badge.json"
    with pytest.raises(FetchError) as caught:
        Fetcher(timeout=10)(url)
    # OpenSSL's words for it: "self-signed certificate" (3.x), "self signed certificate" (1.1).
    assert caught.value.message.startswith(
        f"could not reach {url}: its TLS certificate is not trusted (self"
    )
    assert caught.value.message.count(url) == 1


def test_an_unreachable_did_document_is_one_sentence_with_the_url_once(tmp_path, closed_port):
    # A 3.0 credential whose issuer's did:web host refuses connections.
    key = SigningKey.generate()
    did = f"did:web:127.0.0.1%3A{closed_port}"
    credential = {k: v for k, v in SIGNED["credential"].items() if k != "proof"}
    del credential["credentialStatus"]
    credential["issuer"] = {**credential["issuer"], "id": did}
    signed = sign_document(credential, key, f"{did}#{key.public_multibase}", "2026-01-02T00:00:00Z")
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(signed))
    report = verify(str(path), None, NOW, Fetcher(timeout=10))
    did_url = f"https://127.0.0.1:{closed_port}/.well-known/did.json"
    assert report.verdict.label == "Could not reach the issuer"
    assert report.verdict.reason == f"could not fetch the DID document {did_url}: {REFUSED}"
