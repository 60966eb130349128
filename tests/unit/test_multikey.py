"""base58btc and Multikey encodings against published vectors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from badgepress.openbadges.multikey import (
    MultikeyError,
    b58decode,
    b58encode,
    decode_public_key,
    decode_secret_key,
    public_key_multibase,
    secret_key_multibase,
)
from badgepress.openbadges.signing import KeyProblem, SigningKey

# draft-msporny-base58 §5 test vectors.
BASE58_VECTORS = [
    (b"Hello World!", "2NEpo7TZRRrLZSi2U"),
    (
        b"The quick brown fox jumps over the lazy dog.",
        "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z",
    ),
    (bytes.fromhex("0000287fb4cd"), "11233QC4"),
    (b"", ""),
]

# RFC 8032 §7.1 test 1, and the same key as Digital Bazaar's @digitalcredentials/ed25519-multikey
# exports it (generate({seed}) → publicKeyMultibase / secretKeyMultibase with the public half).
RFC8032_SEED = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
RFC8032_PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
DCC_PUBLIC_MULTIBASE = "z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw"
DCC_SECRET_MULTIBASE = (
    "zrv3nQ3vxUrShebtbJeB42niZe1oGRnFzGPusycqLLtiJEeSFbDjwS6rvt6uMYYkjGuZMTsqb6mzCgG19WbjcNNsvxq"
)


@pytest.mark.parametrize(("data", "text"), BASE58_VECTORS)
def test_base58btc_matches_the_published_vectors(data, text):
    assert b58encode(data) == text
    assert b58decode(text) == data


@given(st.binary(max_size=80))
def test_base58btc_round_trips_any_bytes(data):
    assert b58decode(b58encode(data)) == data


def test_base58btc_refuses_characters_outside_the_alphabet():
    with pytest.raises(MultikeyError):
        b58decode("0OIl")


def test_public_multikey_of_the_rfc8032_key_matches_the_dcc_library():
    assert public_key_multibase(RFC8032_PUBLIC) == DCC_PUBLIC_MULTIBASE
    assert decode_public_key(DCC_PUBLIC_MULTIBASE) == RFC8032_PUBLIC


def test_signing_key_derives_the_rfc8032_public_key_from_its_seed():
    key = SigningKey.from_secret(secret_key_multibase(RFC8032_SEED))
    assert key.public_multibase == DCC_PUBLIC_MULTIBASE
    assert key.secret_multibase.startswith("z3u2")


def test_secret_key_in_the_dcc_64_byte_form_is_read_too():
    assert decode_secret_key(DCC_SECRET_MULTIBASE) == (RFC8032_SEED, RFC8032_PUBLIC)
    assert SigningKey.from_secret(DCC_SECRET_MULTIBASE).public_multibase == DCC_PUBLIC_MULTIBASE


def test_generated_public_keys_start_z6mk():
    assert SigningKey.generate().public_multibase.startswith("z6Mk")


@pytest.mark.parametrize(
    "text",
    [
        DCC_PUBLIC_MULTIBASE,  # a public key where a secret is expected
        "z3u2" + "1" * 10,
        "not multibase",
        secret_key_multibase(RFC8032_SEED)[:-3],
    ],
)
def test_bad_secret_key_is_refused_without_repeating_it(text):
    with pytest.raises(KeyProblem) as problem:
        SigningKey.from_secret(text)
    assert text not in str(problem.value)


def test_signing_key_repr_hides_the_secret():
    key = SigningKey.generate()
    assert key.secret_multibase not in repr(key)
