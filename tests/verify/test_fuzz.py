"""Fuzzing `verify`: mutated PNG, SVG and JSON badges always get a verdict, never an exception.

Seeds are real badges (Open Badges 2.0 and signed 3.0); hypothesis mutates their bytes, their
PNG chunks, their SVG elements and their JSON values, and serves mutated documents as the
issuer's answers. The property: `verify` returns a report with a verdict, its text prints, and
no check is the catch-all for unforeseen errors (badgepress.verify.verifier.INTERNAL_ERROR).

In CI the examples are few and derandomized (a fixed seed). A longer campaign, with fresh random
examples each run and a 5 s limit per example:

    BADGEPRESS_FUZZ=campaign .venv/bin/python -m pytest tests/verify/test_fuzz.py -p no:cacheprovider
"""

from __future__ import annotations

import json
import os
import tempfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from badgepress.openbadges.baking import bake_svg, bake_svg_credential
from badgepress.openbadges.signing import SigningKey
from badgepress.verify.fetch import FetchError, Response
from badgepress.verify.ob2_checks import VERDICTS
from badgepress.verify.verifier import INTERNAL_ERROR, verify
from tests.ob3.support import BASE_URL, signed_example
from tests.support import BUILD_TIME
from tests.verify.hostile import png_chunk
from tests.verify.site import write_source

settings.register_profile(
    "badgepress-fuzz-ci",
    max_examples=120,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "badgepress-fuzz-campaign",
    max_examples=5000,
    derandomize=False,
    deadline=5000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ = settings.get_profile(f"badgepress-fuzz-{os.environ.get('BADGEPRESS_FUZZ', 'ci')}")

OB2_BASE = "https://issuer.example/"
VALID_OB3 = "3vctppvnp5jq"  # an example badge, signed, neither revoked nor expired


class Issuer:
    """The issuers' documents by URL, answered in memory (no sockets: thousands of examples);
    the real fetcher meets hostile servers in test_hostile_server.py."""

    def __init__(self, documents: dict[str, bytes]) -> None:
        self.documents = documents

    def fetcher(self, replaced: dict[str, bytes] | None = None):
        documents = {**self.documents, **(replaced or {})}

        def fetch(url: str) -> Response:
            if not isinstance(url, str) or url not in documents:
                raise FetchError(str(url), f"HTTP 404 for {url}", 404)
            return Response(url, url, "application/json", documents[url])

        return fetch


@pytest.fixture(scope="module")
def ob2(tmp_path_factory):
    """The three-badge site, built for OB2_BASE and answered from memory."""
    from tests.support import build_site

    work = tmp_path_factory.mktemp("fuzz2")
    site = work / "site"
    build_site(write_source(work / "repo"), site, base_url=OB2_BASE)
    return site, Issuer(_documents(site, OB2_BASE))


@pytest.fixture(scope="module")
def ob3(tmp_path_factory):
    site = signed_example(tmp_path_factory.mktemp("fuzz3") / "repo", SigningKey.generate())
    return site, Issuer(_documents(site, BASE_URL))


def _documents(site: Path, base: str) -> dict[str, bytes]:
    return {
        base + path.relative_to(site).as_posix(): path.read_bytes() for path in site.rglob("*.json")
    }


@pytest.fixture(scope="module")
def scratch():
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


def check_file(folder: Path, name: str, data: bytes, issuer_fetch) -> None:
    """`data` written to folder/name (one file, rewritten for each example) and checked."""
    path = folder / name
    path.write_bytes(data)
    check(str(path), issuer_fetch)


def check(target: str, issuer_fetch, email: str | None = "jane.doe@example.org") -> None:
    """The property: a verdict, a printable report, and no unforeseen error."""
    report = verify(target, email, BUILD_TIME, issuer_fetch)
    assert report.verdict.code in VERDICTS
    assert not any(c.name == INTERNAL_ERROR for c in report.checks), report.as_text()
    report.as_text().encode("utf-8")
    json.dumps(report.as_json(), ensure_ascii=False).encode("utf-8")


# ---- mutations ---------------------------------------------------------------------------

# Bytes that matter to the parsers: delimiters, escapes, invalid UTF-8, huge or odd numbers.
SPICE = st.sampled_from(
    [
        b"\0",
        b"\xff",
        b"\xc3",
        b"\xed\xa0\x80",
        b"<",
        b">",
        b'"',
        b"'",
        b"/>",
        b"]]>",
        b"<![CDATA[",
        b"<openbadges:assertion ",
        b'verify="',
        b"<openbadges:credential>",
        b"</openbadges:credential>",
        b"<svg>",
        b"{",
        b"}",
        b"[",
        b"]",
        b"\\u0000",
        b"\\ud800",
        b"NaN",
        b"1e400",
        b"-0",
        b"9" * 120,
        b"http://[::1",
        b"https://",
        b"data:,",
        b"\x89PNG\r\n\x1a\n",
        b"IEND",
        b"iTXt",
        b"zTXt",
        b"tEXt",
        b"openbadges\0",
        b"\x1b[2J",
        b"\xe2\x80\xae",
    ]
)
BYTES_EDIT = st.tuples(
    st.sampled_from(["flip", "insert", "delete", "duplicate", "truncate"]),
    st.floats(0, 1),
    st.floats(0, 1),
    st.one_of(st.binary(max_size=16), SPICE),
)


def mutate(data: bytes, edits) -> bytes:
    for op, where, extent, extra in edits:
        at = int(where * len(data))
        span = int(extent * min(len(data) - at, 64))
        if op == "flip" and data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([data[at] ^ (1 + int(extent * 254))]) + data[at + 1 :]
        elif op == "insert":
            data = data[:at] + extra + data[at:]
        elif op == "delete":
            data = data[:at] + data[at + span :]
        elif op == "duplicate":
            data = data[: at + span] + data[at : at + span] + data[at + span :]
        elif op == "truncate":
            data = data[:at]
    return data


TEXTS = st.one_of(
    st.sampled_from(
        [
            OB2_BASE + "assertions/jane-valid.json",
            "http://[::1/a.json",
            "https://issuer.example:99999/x",
            '{"id": "' + OB2_BASE + 'assertions/jane-valid.json"}',
            "eyJhbGciOiJSUzI1NiJ9.eyJ9.c2ln",
            '{"type": ["VerifiableCredential"], "proof": [1, {"verificationMethod": 5}]}',
        ]
    ),
    st.text(max_size=40),
).map(lambda t: t.encode("utf-8", "surrogatepass"))


@st.composite
def text_chunks(draw) -> bytes:
    """A PNG text chunk, well-formed or not, under a keyword a verifier reads."""
    kind = draw(st.sampled_from([b"tEXt", b"zTXt", b"iTXt"]))
    keyword = draw(st.sampled_from([b"openbadges", b"openbadgecredential"]))
    text = draw(st.one_of(TEXTS, st.binary(max_size=64)))
    compressed = draw(st.booleans())
    body = zlib.compress(text) if compressed else text
    if draw(st.booleans()):
        body = mutate(body, draw(st.lists(BYTES_EDIT, max_size=2)))
    if kind == b"tEXt":
        payload = keyword + b"\0" + text
    elif kind == b"zTXt":
        payload = keyword + b"\0\0" + body
    else:
        flag = b"\1" if compressed else b"\0"
        payload = (
            keyword
            + b"\0"
            + flag
            + b"\0"
            + draw(st.sampled_from([b"\0\0", b"en\0\0", b"", b"\0"]))
            + body
        )
    return png_chunk(kind, payload)


JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**130), max_value=10**130),
        st.floats(allow_nan=False, allow_infinity=False),
        st.sampled_from([1e300, -1e300, 2**63, -(2**63), 253402300800, -62135596801]),
        st.text(max_size=30),
        st.sampled_from(
            [
                OB2_BASE + "issuer.json",
                "http://[::1/x",
                "did:web:",
                "did:web:badges.example.org",
                "did:web:badges.example.org#key-1",
                "9999-12-31T23:59:59-23:59",
                "0001-01-01T00:00:00+23:59",
                "\ud800",
                "sha256$00",
                "md5$",
                "u" + "A" * 20,
            ]
        ),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def json_edits(draw, document: dict) -> bytes:
    """`document` with values replaced, keys removed or added, at any depth; or deeply nested."""
    document = json.loads(json.dumps(document))
    for _ in range(draw(st.integers(1, 4))):
        node = document
        path = []
        while isinstance(node, (dict, list)) and node and draw(st.booleans()):
            key = draw(
                st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node)))
            )
            path.append((node, key))
            node = node[key]
        if not path:
            continue
        parent, key = path[-1]
        action = draw(st.sampled_from(["replace", "delete", "nest"]))
        if action == "delete" and isinstance(parent, dict):
            del parent[key]
        elif action == "nest":
            depth = draw(st.sampled_from([2, 63, 64, 65, 200]))
            parent[key] = json.loads("[" * depth + json.dumps(parent[key]) + "]" * depth)
        else:
            parent[key] = draw(JSON_VALUES)
    text = json.dumps(document)
    if draw(st.booleans()):
        return mutate(text.encode(), draw(st.lists(BYTES_EDIT, max_size=2)))
    return text.encode("utf-8", "surrogatepass")


# ---- properties --------------------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_mutated_baked_pngs_get_a_verdict(ob2, ob3, scratch, data):
    site2, issuer2 = ob2
    site3, issuer3 = ob3
    seeds = [
        (site2 / "assertions" / "jane-valid.png", issuer2),
        (next((site3 / "assertions").glob("*.credential.png")), issuer3),
    ]
    seed, issuer = data.draw(st.sampled_from(seeds))
    png = seed.read_bytes()
    if data.draw(st.booleans()):  # a chunk of our own after IHDR: deep into the unbaking
        png = png[:33] + data.draw(text_chunks()) + png[33:]
    png = mutate(png, data.draw(st.lists(BYTES_EDIT, max_size=3)))
    check_file(scratch, "badge.png", png, issuer.fetcher())


@FUZZ
@given(data=st.data())
def test_mutated_svgs_get_a_verdict(ob2, ob3, scratch, data):
    _, issuer2 = ob2
    site3, issuer3 = ob3
    plain = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4"/></svg>'
    credential = (site3 / "assertions" / f"{VALID_OB3}.credential.json").read_text()
    seeds = [
        (bake_svg(plain, OB2_BASE + "assertions/jane-valid.json"), issuer2),
        (bake_svg_credential(plain, credential), issuer3),
        (plain, issuer2),
    ]
    svg, issuer = data.draw(st.sampled_from(seeds))
    svg = mutate(svg, data.draw(st.lists(BYTES_EDIT, max_size=4)))
    check_file(scratch, "badge.svg", svg, issuer.fetcher())


@FUZZ
@given(data=st.data())
def test_mutated_issuer_documents_get_a_verdict(ob2, data):
    """The assertion, badge class, issuer or revocation list as the issuer's server answers it."""
    _, issuer = ob2
    url = data.draw(
        st.sampled_from(
            [
                OB2_BASE + "assertions/jane-valid.json",
                OB2_BASE + "assertions/sam-revoked.json",
                OB2_BASE + "credentials/first-steps.json",
                OB2_BASE + "issuer.json",
                OB2_BASE + "revocations.json",
            ]
        )
    )
    body = data.draw(json_edits(json.loads(issuer.documents[url])))
    check(OB2_BASE + "assertions/jane-valid.json", issuer.fetcher({url: body}))


@FUZZ
@given(data=st.data())
def test_mutated_credentials_and_their_documents_get_a_verdict(ob3, scratch, data):
    """A 3.0 credential given as a file, with its DID document or status list mutated too."""
    site, issuer = ob3
    credential = json.loads((site / "assertions" / f"{VALID_OB3}.credential.json").read_text())
    target = data.draw(st.sampled_from(["credential", "did", "status"]))
    replaced = {}
    body = json.dumps(credential).encode()
    if target == "credential":
        body = data.draw(json_edits(credential))
    else:
        url = next(
            u
            for u in issuer.documents
            if (u.endswith("did.json") if target == "did" else "status" in u)
        )
        replaced[url] = data.draw(json_edits(json.loads(issuer.documents[url])))
    check_file(scratch, "credential.json", body, issuer.fetcher(replaced))
