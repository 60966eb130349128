"""Open Badges 3.0 documents: shape, status indexes, the bitstring, DID locations."""

from __future__ import annotations

import base64
import dataclasses
import datetime
import gzip

import pytest

from badgepress.issuing.keygen import did_for
from badgepress.model import (
    Alignment,
    Assertion,
    Credential,
    Evidence,
    Image,
    Issuer,
    Recipient,
    Requirement,
    Rubric,
    Signing,
    SiteConfig,
)
from badgepress.openbadges import ob3
from badgepress.urls import Urls

UTC = datetime.timezone.utc
URLS = Urls("https://badges.example.org/")
CONFIG = SiteConfig(
    title="T",
    base_url=URLS.base,
    language="en",
    issuer=Issuer("Example Association", "https://www.example.org/", "badges@example.org"),
    signing=Signing("did:web:badges.example.org", "BADGEPRESS_SIGNING_KEY"),
)
CREDENTIAL = Credential(
    slug="restorative-circles",
    name="Restorative Circles",
    summary="Circles in class.",
    criteria="Run three circles.",
    image=Image(b"png", "png", 600, 600),
    image_alt="A circle of chairs",
    source="content/credentials/restorative-circles.md",
    topics=("Restorative Practices",),
    hours=15,
    alignments=(Alignment("Learning Designs", "https://example.org/ld", "Learning Forward", "LD"),),
)
ASSERTION = Assertion(
    id="abc123",
    credential="restorative-circles",
    recipient=Recipient("sha256$" + "ab" * 32, "salt1"),
    issued_on=datetime.datetime(2026, 1, 2, tzinfo=UTC),
    source="assertions/abc123.yaml",
    expires=datetime.datetime(2029, 1, 2, tzinfo=UTC),
    narrative="Did it \x07well.",
    evidence=(Evidence(url="https://example.org/plan", name="Plan"),),
)


def _document() -> dict:
    return ob3.credential_document(ASSERTION, CREDENTIAL, CONFIG, URLS, 42)


def test_credential_uses_the_vc2_then_ob303_contexts_and_the_did_as_issuer():
    doc = _document()
    assert doc["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert doc["issuer"]["id"] == "did:web:badges.example.org"
    assert doc["id"] == "https://badges.example.org/assertions/abc123.credential.json"
    assert (doc["validFrom"], doc["validUntil"]) == ("2026-01-02T00:00:00Z", "2029-01-02T00:00:00Z")


def test_recipient_is_the_same_salted_hash_as_in_open_badges_2():
    (identifier,) = _document()["credentialSubject"]["identifier"]
    assert identifier == {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "salt": "salt1",
        "identityHash": "sha256$" + "ab" * 32,
    }


def test_achievement_is_a_microcredential_with_criteria_image_alignment_language_and_tags():
    achievement = _document()["credentialSubject"]["achievement"]
    assert achievement["id"] == "https://badges.example.org/credentials/restorative-circles.json"
    assert achievement["achievementType"] == "MicroCredential"
    assert (
        achievement["criteria"]["id"]
        == "https://badges.example.org/credentials/restorative-circles/"
    )
    assert achievement["image"]["id"].endswith("/credentials/restorative-circles/badge.png")
    assert achievement["alignment"][0] == {
        "type": ["Alignment"],
        "targetName": "Learning Designs",
        "targetUrl": "https://example.org/ld",
        "targetFramework": "Learning Forward",
        "targetCode": "LD",
    }
    assert achievement["image"]["caption"] == "A circle of chairs"
    assert achievement["inLanguage"] == "en"
    assert achievement["tag"] == ["Restorative Practices"]
    assert achievement["criteria"]["narrative"] == "Run three circles."
    assert "resultDescription" not in achievement and "related" not in achievement


def test_hours_are_credits_only_where_the_site_says_so():
    # OB 3.0 creditsAvailable is "credit hours": typical hours to earn are not credits.
    assert "creditsAvailable" not in _document()["credentialSubject"]["achievement"]
    config = dataclasses.replace(CONFIG, hours_are_credits=True)
    document = ob3.credential_document(ASSERTION, CREDENTIAL, config, URLS, 42)
    credits = document["credentialSubject"]["achievement"]["creditsAvailable"]
    assert credits == 15 and isinstance(credits, int)
    no_hours = dataclasses.replace(CREDENTIAL, hours=None)
    document = ob3.credential_document(ASSERTION, no_hours, config, URLS, 42)
    assert "creditsAvailable" not in document["credentialSubject"]["achievement"]


WITH_RUBRICS = dataclasses.replace(
    CREDENTIAL,
    requirements=(
        Requirement("Circle plan", "A plan.\n\nWith a *closing*.", Rubric("Complete.", "Gaps.")),
        Requirement("Reflection", None, None),
        Requirement("Feedback", None, Rubric("Five students.", None)),
    ),
)


def _achievement(credential=WITH_RUBRICS, **options) -> dict:
    document = ob3.credential_document(ASSERTION, credential, CONFIG, URLS, 42, **options)
    return document["credentialSubject"]["achievement"]


def test_rubrics_become_result_descriptions_with_levels_and_the_passing_level_required():
    page = "https://badges.example.org/credentials/restorative-circles/"
    first, third = _achievement()["resultDescription"]  # the second has no rubric
    assert first == {
        "id": f"{page}#requirement-1",
        "type": ["ResultDescription"],
        "name": "Circle plan",
        "resultType": "RubricCriterionLevel",
        "rubricCriterionLevel": [
            {
                "id": f"{page}#requirement-1-not-yet",
                "type": ["RubricCriterionLevel"],
                "name": "Not yet",
                "description": "Gaps.",
            },
            {
                "id": f"{page}#requirement-1-passing",
                "type": ["RubricCriterionLevel"],
                "name": "Passing",
                "description": "Complete.",
            },
        ],
        "requiredLevel": f"{page}#requirement-1-passing",
    }
    assert third["id"] == f"{page}#requirement-3"
    assert [level["name"] for level in third["rubricCriterionLevel"]] == ["Passing"]


def test_criteria_narrative_lists_what_to_submit_after_the_criteria():
    assert _achievement()["criteria"]["narrative"] == (
        "Run three circles.\n\n## What you submit\n\n"
        "1. **Circle plan**\n\n   A plan.\n\n   With a *closing*.\n\n"
        "2. **Reflection**\n\n"
        "3. **Feedback**"
    )


def test_labels_come_in_the_sites_language():
    from badgepress.render.ob3_build import achievement_labels

    achievement = _achievement(labels=achievement_labels("es"))
    assert "## Qué debe entregar" in achievement["criteria"]["narrative"]
    levels = achievement["resultDescription"][0]["rubricCriterionLevel"]
    assert [level["name"] for level in levels] == ["Todavía no", "Aprobado"]
    assert achievement_labels("en") == ob3.LABELS


def test_translations_are_related_achievements_in_their_language():
    assert _achievement(translations=["es"])["related"] == [
        {
            "id": "https://badges.example.org/credentials/restorative-circles/es/",
            "type": ["Related"],
            "inLanguage": "es",
        }
    ]


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("en", "en"),
        ("es-mx", "es-MX"),
        ("pt_BR", "pt-BR"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("es-419", "es-419"),
        ("de-CH-1996", None),
        ("x", None),
    ],
)
def test_language_codes_take_the_case_open_badges_3_admits(tag, code):
    assert ob3.language_code(tag) == code


def test_status_entry_points_at_the_revocation_list_with_a_string_index():
    assert _document()["credentialStatus"] == {
        "id": "https://badges.example.org/status/revocation-1.json#42",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "42",
        "statusListCredential": "https://badges.example.org/status/revocation-1.json",
    }


def test_control_characters_are_dropped_from_text():
    assert _document()["credentialSubject"]["narrative"] == "Did it well."


def test_evidence_keeps_its_url_as_id():
    assert _document()["evidence"] == [
        {"type": ["Evidence"], "id": "https://example.org/plan", "name": "Plan"}
    ]


def test_status_index_of_an_id_never_changes():
    # These values are published in signed credentials: changing the function breaks them all.
    assert ob3.status_index("abc123") == 871380
    assert ob3.status_index("34w3muptens9") == 516957
    assert all(0 <= ob3.status_index(f"id-{n}") < ob3.STATUS_LIST_BITS for n in range(1000))


def test_bitstring_is_at_least_16kb_gzip_base64url_with_index_0_as_the_top_bit():
    encoded = ob3.encode_bitstring([0, 9, ob3.STATUS_LIST_BITS - 1])
    assert encoded.startswith("u") and "=" not in encoded
    raw = ob3.decode_bitstring(encoded)
    assert len(raw) >= 16 * 1024
    assert raw[0] == 0x80 and raw[1] == 0x40 and raw[-1] == 0x01
    assert [i for i in range(16) if ob3.bit_is_set(raw, i)] == [0, 9]


def test_bitstring_bytes_are_deterministic():
    one = ob3.encode_bitstring([5, 7])
    assert one == ob3.encode_bitstring([7, 5])
    packed = ob3.decode_bitstring(one)
    assert gzip.decompress(gzip.compress(packed, mtime=0)) == packed


def test_status_list_credential_subject_is_a_plain_bitstring_status_list():
    doc = ob3.status_list_document("did:web:x.org", URLS, [3], "2026-01-02T00:00:00Z")
    assert doc["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert doc["issuer"] == "did:web:x.org"
    assert doc["credentialSubject"]["type"] == "BitstringStatusList"
    assert ob3.bit_is_set(ob3.decode_bitstring(doc["credentialSubject"]["encodedList"]), 3)


def test_did_document_lists_every_key_as_a_multikey_assertion_method():
    doc = ob3.did_document("did:web:x.org", ["z6MkA", "z6MkB", "z6MkA"])
    assert doc["@context"][0] == "https://www.w3.org/ns/did/v1"
    assert [m["publicKeyMultibase"] for m in doc["verificationMethod"]] == ["z6MkA", "z6MkB"]
    assert doc["assertionMethod"] == ["did:web:x.org#z6MkA", "did:web:x.org#z6MkB"]
    assert all(
        m["type"] == "Multikey" and m["controller"] == "did:web:x.org"
        for m in doc["verificationMethod"]
    )


@pytest.mark.parametrize(
    ("base", "did", "path"),
    [
        ("https://badges.example.org/", "did:web:badges.example.org", ".well-known/did.json"),
        ("https://example.org/badges/", "did:web:example.org:badges", "did.json"),
        ("https://example.org/", "did:web:example.org:badges", "badges/did.json"),
        ("http://127.0.0.1:8000/", "did:web:badges.example.org", ".well-known/did.json"),
    ],
)
def test_did_document_is_written_where_did_web_resolves(base, did, path):
    assert Urls(base).did_document_json(did) == path


@pytest.mark.parametrize("did", ["did:web:example.org", "did:key:z6Mk", "web:example.org"])
def test_did_outside_the_site_path_is_refused(did):
    with pytest.raises(ValueError):
        Urls("https://example.org/badges/").did_document_json(did)


def test_keygen_suggests_the_did_of_the_base_url():
    assert did_for("https://badges.example.org/") == "did:web:badges.example.org"
    assert did_for("https://example.org/a/b/") == "did:web:example.org:a:b"
    assert did_for("https://example.org:8443/") == "did:web:example.org%3A8443"


def test_status_indexes_are_unique_and_earlier_badges_keep_theirs():
    import datetime

    from badgepress.model import Assertion, Recipient

    def badge(n, day):
        when = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(
            days=day
        )
        return Assertion(f"id-{n}", "c", Recipient("sha256$" + "0" * 64, "s"), when, "x.yaml")

    # Published over 300 commits; then 3,000 more, some dated (`issued_on`) before all others.
    first = [badge(n, n % 300) for n in range(3000)]
    order = {a.id: 1 + n % 300 for n, a in enumerate(first)}
    before = ob3.status_indexes(first, order)
    assert len(set(before.values())) == 3000
    assert any(before[a.id] != ob3.status_index(a.id) for a in first)  # some clashes were resolved
    later = [badge(n, -400 if n % 2 else 400) for n in range(3000, 6000)]
    order.update({a.id: 301 + n % 7 for n, a in enumerate(later)})
    after = ob3.status_indexes([*first, *later], order)
    assert len(set(after.values())) == 6000
    assert all(after[key] == value for key, value in before.items())
    # Not yet committed (no order): after every published one, whatever their dates.
    uncommitted = [badge(n, -999) for n in range(6000, 9000)]
    pending = ob3.status_indexes([*first, *later, *uncommitted], order)
    assert all(pending[key] == value for key, value in after.items())


def test_linked_data_order_puts_context_id_type_first_then_sorts_at_every_depth():
    value = {
        "name": "n",
        "type": ["T"],
        "@context": ["c"],
        "b": [{"z": 1, "type": "X", "a": 2, "id": "i"}],
        "id": "top",
    }
    ordered = ob3.linked_data_order(value)
    assert ordered == value
    assert list(ordered) == ["@context", "id", "type", "b", "name"]
    assert list(ordered["b"][0]) == ["id", "type", "a", "z"]


def test_credential_json_bytes_put_context_id_type_before_the_other_keys():
    from badgepress.render.ob3_build import dump_ob3

    text = dump_ob3(_document()).decode()
    assert text.index('"@context"') < text.index('"id"') < text.index('"type"')
    assert text.index('"type"') < text.index('"credentialStatus"')


def test_a_status_list_inflating_past_the_limit_is_malformed():
    packed = gzip.compress(bytes(10_000), mtime=0)
    encoded = "u" + base64.urlsafe_b64encode(packed).decode().rstrip("=")
    assert ob3.decode_bitstring(encoded) == bytes(10_000)
    with pytest.raises(ValueError, match="inflates to more than 1,000 bytes"):
        ob3.decode_bitstring(encoded, limit=1000)


def test_a_negative_status_index_is_outside_the_list():
    # Python would read the list from its end: another credential's bit.
    with pytest.raises(IndexError):
        ob3.bit_is_set(bytes(16), -1)
