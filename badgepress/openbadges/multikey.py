"""Ed25519 keys as text: base58btc, multibase and Multikey encodings. Pure.

Multikey (W3C Controlled Identifiers §2.2.2): "z" (multibase base58btc) + the multicodec
varint prefix + raw key bytes. Ed25519 public keys use 0xed01 (so they start "z6Mk"),
Ed25519 secret keys 0x8026 (so they start "z3u2"; Digital Bazaar's libraries append the public
key to the 32-byte seed, giving "zrv..." text, which is read too).
"""

from __future__ import annotations

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {char: i for i, char in enumerate(ALPHABET)}

ED25519_PUBLIC_PREFIX = b"\xed\x01"
ED25519_SECRET_PREFIX = b"\x80\x26"


class MultikeyError(ValueError):
    """Text that is not the expected multibase key (the message never repeats the text)."""


def b58encode(data: bytes) -> str:
    """Bitcoin base58 (base58btc); each leading zero byte becomes a '1'."""
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, rest = divmod(number, 58)
        out.append(ALPHABET[rest])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    """Inverse of b58encode; raises MultikeyError on a character outside the alphabet."""
    number = 0
    for char in text:
        if char not in _INDEX:
            raise MultikeyError("not base58btc text")
        number = number * 58 + _INDEX[char]
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def multibase(data: bytes) -> str:
    """Multibase base58btc: 'z' + base58btc."""
    return "z" + b58encode(data)


def from_multibase(text: str) -> bytes:
    """Bytes of a 'z'-prefixed multibase string."""
    if not text.startswith("z"):
        raise MultikeyError("expected multibase base58btc text starting with 'z'")
    return b58decode(text[1:])


def public_key_multibase(public_key: bytes) -> str:
    """publicKeyMultibase of a raw 32-byte Ed25519 public key ('z6Mk...')."""
    return multibase(ED25519_PUBLIC_PREFIX + public_key)


def secret_key_multibase(seed: bytes) -> str:
    """secretKeyMultibase of a raw 32-byte Ed25519 private key (seed)."""
    return multibase(ED25519_SECRET_PREFIX + seed)


def decode_public_key(text: str) -> bytes:
    """Raw Ed25519 public key of a publicKeyMultibase value."""
    return _decode(text, ED25519_PUBLIC_PREFIX, "an Ed25519 public key (z6Mk...)")


def decode_secret_key(text: str) -> tuple[bytes, bytes | None]:
    """(32-byte Ed25519 seed, appended public key or None) of a secretKeyMultibase value."""
    key = _decode(text, ED25519_SECRET_PREFIX, "an Ed25519 secret key (z3u2...)", (32, 64))
    return key[:32], key[32:] or None


def _decode(text: str, prefix: bytes, what: str, sizes: tuple[int, ...] = (32,)) -> bytes:
    try:
        data = from_multibase(text.strip())
    except MultikeyError:
        raise MultikeyError(f"expected {what} in multibase form") from None
    if not data.startswith(prefix) or len(data) - len(prefix) not in sizes:
        raise MultikeyError(f"expected {what} in multibase form")
    return data[len(prefix) :]
