"""eddsa-rdfc-2022 proofs: canonicalization offline, sign/verify, the signature cache."""

from __future__ import annotations

import pytest
from pyld import jsonld

from badgepress.openbadges import signing
from badgepress.openbadges.signing import (
    OB_CONTEXT,
    VC_CONTEXT,
    SigningKey,
    UndefinedTerms,
    canonicalize,
    read_cache,
    sign_document,
    verify_proof,
    write_cache,
)
from tests.support import fresh_python

DID = "did:web:badges.example.org"


def _credential(name: str = "Restorative Circles") -> dict:
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": "https://badges.example.org/assertions/abc.credential.json",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": DID, "type": ["Profile"], "name": "Example"},
        "validFrom": "2026-01-02T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://badges.example.org/credentials/x.json",
                "type": ["Achievement"],
                "name": name,
                "criteria": {"narrative": "Do it."},
                "creditsAvailable": 15,
            },
        },
    }


def _method(key: SigningKey) -> str:
    return f"{DID}#{key.public_multibase}"


def test_signed_document_verifies_with_its_key_only():
    key = SigningKey.generate()
    signed = sign_document(_credential(), key, _method(key), "2026-01-02T00:00:00Z")
    assert signed["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    assert signed["proof"][0]["proofValue"].startswith("z")
    assert verify_proof(signed, key.public_multibase)
    assert not verify_proof(signed, SigningKey.generate().public_multibase)


def test_any_change_to_the_signed_content_breaks_the_proof():
    key = SigningKey.generate()
    signed = sign_document(_credential(), key, _method(key), "2026-01-02T00:00:00Z")
    signed["credentialSubject"]["achievement"]["name"] = "Something else"
    assert not verify_proof(signed, key.public_multibase)


def test_proof_options_are_signed_too():
    key = SigningKey.generate()
    signed = sign_document(_credential(), key, _method(key), "2026-01-02T00:00:00Z")
    signed["proof"][0]["created"] = "2030-01-01T00:00:00Z"
    assert not verify_proof(signed, key.public_multibase)


def test_signing_is_deterministic_for_a_fixed_created_time():
    key = SigningKey.generate()
    one = sign_document(_credential(), key, _method(key), "2026-01-02T00:00:00Z")
    two = sign_document(_credential(), key, _method(key), "2026-01-02T00:00:00Z")
    assert one == two


def test_cached_signature_is_reused_for_an_unchanged_document():
    key = SigningKey.generate()
    cache: dict[str, str] = {}
    first = sign_document(_credential(), key, _method(key), "2026-01-02T00:00:00Z", cache)
    assert len(cache) == 1
    # Poison the entry: a cache hit must return it instead of signing again.
    (entry,) = cache
    cache[entry] = "zCACHED"
    again = sign_document(_credential(), key, _method(key), "2026-01-02T00:00:00Z", cache)
    assert again["proof"][0]["proofValue"] == "zCACHED"
    changed = sign_document(_credential("Other"), key, _method(key), "2026-01-02T00:00:00Z", cache)
    assert changed["proof"][0]["proofValue"] != "zCACHED"
    assert first["proof"][0]["proofValue"] != "zCACHED"


def test_cache_is_keyed_by_the_key_so_a_new_key_signs_again():
    old, new = SigningKey.generate(), SigningKey.generate()
    cache: dict[str, str] = {}
    sign_document(_credential(), old, _method(old), "2026-01-02T00:00:00Z", cache)
    signed = sign_document(_credential(), new, _method(old), "2026-01-02T00:00:00Z", cache)
    assert verify_proof(signed, new.public_multibase)
    assert len(cache) == 2


def test_cache_file_round_trips_and_holds_no_secret(tmp_path):
    key = SigningKey.generate()
    cache: dict[str, str] = {}
    sign_document(_credential(), key, _method(key), "2026-01-02T00:00:00Z", cache)
    path = tmp_path / ".badgepress-cache" / "signatures.json"
    write_cache(path, cache, key)
    assert read_cache(path, key) == cache
    assert key.secret_multibase not in path.read_text()
    assert (path.parent / ".gitignore").read_text() == "*\n"


def test_unreadable_cache_is_ignored(tmp_path):
    path = tmp_path / "signatures.json"
    path.write_text("{not json")
    assert read_cache(path, SigningKey.generate()) == {}


def test_a_member_no_context_defines_is_refused_by_verification_not_signed_over():
    key = SigningKey.generate()
    document = {**_credential(), "badgepressUndefinedTerm": "not covered by the signature"}
    signed = sign_document(document, key, _method(key), "2026-01-02T00:00:00Z")
    with pytest.raises(UndefinedTerms) as raised:
        verify_proof(signed, key.public_multibase)
    assert raised.value.terms == ["badgepressUndefinedTerm"]


def test_a_member_added_to_the_proof_that_no_context_defines_is_refused():
    key = SigningKey.generate()
    signed = sign_document(_credential(), key, _method(key), "2026-01-02T00:00:00Z")
    signed["proof"][0]["note"] = "added after signing"
    with pytest.raises(UndefinedTerms):
        verify_proof(signed, key.public_multibase)


def test_canonicalization_never_fetches_an_unknown_context():
    document = {
        **_credential(),
        "@context": [VC_CONTEXT, "https://example.org/unknown-context.json"],
    }
    with pytest.raises(jsonld.JsonLdError):
        canonicalize(document)


def test_whole_numbers_canonicalize_as_integers_like_javascript():
    nquads = canonicalize(_credential())
    # (The OB 3.0.3 context types creditsAvailable with an https XMLSchema IRI; kept as is.)
    assert '#creditsAvailable> "15"^^<https://www.w3.org/2001/XMLSchema#float>' in nquads


def test_signing_does_not_import_an_http_library_but_leaves_it_importable(tmp_path):
    # pyld builds a requests-based default loader on import; we load contexts offline, and
    # requests' import is half the cost of one badge's rebuild with signing. Stand-ins for both
    # libraries are importable here, so the test sees pyld's import of them whether or not the
    # real ones are installed (they are no dependency of ours).
    for library in ("requests", "aiohttp"):
        (tmp_path / library).mkdir()
        (tmp_path / library / "__init__.py").write_text("STAND_IN = True\n")
    script = (
        "import sys\n"
        "from badgepress.openbadges.signing import SigningKey, sign_document, verify_proof\n"
        "key = SigningKey.generate()\n"
        "doc = {'@context': ['" + VC_CONTEXT + "'], 'type': ['VerifiableCredential'],"
        " 'issuer': 'did:web:example.org', 'validFrom': '2024-01-01T00:00:00Z',"
        " 'credentialSubject': {'id': 'did:example:1'}}\n"
        "signed = sign_document(doc, key, 'did:web:example.org#k', '2024-01-01T00:00:00Z')\n"
        "assert verify_proof(signed, key.public_multibase)\n"
        "print(sorted({'requests', 'aiohttp'} & set(sys.modules)))\n"
        "import requests\n"
        "print(requests.STAND_IN)\n"
    )
    assert fresh_python(script, path=tmp_path).split("\n")[:2] == ["[]", "True"]


def _nquads(document: dict, loader=None, resolver=None) -> str:
    """pyld's normalize called directly; without `resolver`, pyld makes its own for the
    operation, as it did before our `contextResolver`."""
    jsonld_module, our_loader = signing._jsonld()
    options = {"algorithm": "URDNA2015", "format": "application/n-quads", "base": None}
    options["documentLoader"] = loader or our_loader
    if resolver is not None:
        options["contextResolver"] = resolver
    return jsonld_module.normalize(document, options)


def test_the_remembering_context_resolver_canonicalizes_as_pyld_does():
    documents = [_credential(), _credential("Another name"), _credential()]
    documents[2]["credentialSubject"]["achievement"]["criteria"]["narrative"] = "Changed."
    for document in documents * 2:
        assert canonicalize(document) == _nquads(document)


def test_an_embedded_context_changed_in_place_is_resolved_again():
    from pyld.documentloader.frozen import FrozenDocumentLoader

    from badgepress.openbadges.context_memo import RememberingResolver

    url = "https://example.org/context.json"
    scoped = {"name": "https://example.org/terms#name"}
    thing = {"@id": "https://example.org/terms#Thing", "@context": scoped}
    loader = FrozenDocumentLoader({url: {"@context": {"@version": 1.1, "Thing": thing}}})
    resolver = RememberingResolver(loader)
    document = {"@context": url, "@id": "https://example.org/x", "@type": "Thing", "name": "X"}

    assert "<https://example.org/terms#name>" in _nquads(document, loader, resolver)
    # The same object, another content: remembered by identity, it must still be read anew
    # (pyld processes a resolved context again in each operation).
    scoped["name"] = "https://example.org/other#name"
    assert "<https://example.org/other#name>" in _nquads(document, loader, resolver)


def test_a_credential_canonicalized_again_computes_no_context_keys(monkeypatch):
    # pyld keys each embedded (scoped) context by its RFC 8785 text, in pure Python: 40% of
    # signing a badge. Met again, the OB 3.0 context's scoped contexts are remembered.
    import pyld.context_resolver

    canonicalize(_credential())
    keys = []
    real = pyld.context_resolver.canonicalize

    def counting(value):
        keys.append(value)
        return real(value)

    monkeypatch.setattr(pyld.context_resolver, "canonicalize", counting)
    nquads = canonicalize(_credential("A second credential"))
    assert keys == []
    assert nquads == _nquads(_credential("A second credential"))


def test_a_cached_signature_that_was_changed_or_written_without_the_key_is_signed_again(tmp_path):
    """A damaged entry, or one a cache writer made up, must never be published as a proof."""
    key = SigningKey.generate()
    cache: dict[str, str] = {}
    sign_document(_credential(), key, _method(key), "2026-01-02T00:00:00Z", cache)
    path = tmp_path / "signatures.json"
    write_cache(path, cache, key)
    (entry,) = cache
    text = path.read_text()
    value = cache[entry]
    forged = value[:-2] + ("11" if not value.endswith("11") else "22")
    path.write_text(text.replace(value, forged))
    assert read_cache(path, key) == {}  # changed: its check no longer matches
    write_cache(path, {entry: forged}, SigningKey.generate())  # checked with another key
    assert read_cache(path, key) == {}
    write_cache(path, cache, key)
    assert read_cache(path, key) == cache
