"""Open Badges 3.0 in the build: the signing key, its checks, and the signed files it adds.

Signing is on when site.yaml has `signing:`; the key comes from the environment variable it
names, is used in memory, and never appears in output, messages or the cache.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SourceError
from ..i18n import translations
from ..model import Assertion, Catalog
from ..openbadges import ob3
from ..openbadges.baking import bake_png, bake_svg_credential
from ..openbadges.multikey import MultikeyError, decode_public_key
from ..openbadges.ob2 import iso_datetime
from ..openbadges.pretty_json import pretty_json
from ..openbadges.signing import KeyProblem, SigningKey, read_cache, sign_document, write_cache
from ..urls import Urls

SITE_YAML = "content/site.yaml"
CACHE_PATH = Path(".badgepress-cache") / "signatures.json"


class SignatureCache(dict):
    """proofValues by unsigned-document hash; remembers which entries this build used."""

    def __init__(self, entries: Mapping[str, str] = ()):
        super().__init__(entries)
        self.used: set[str] = set()

    def get(self, key, default=None):
        if key in self:
            self.used.add(key)
        return super().get(key, default)

    def __setitem__(self, key, value):
        self.used.add(key)
        super().__setitem__(key, value)

    def take_used(self) -> dict[str, str]:
        """The entries used since the last call, and forget that they were: a worker process
        hands these back after each shard, for the parent to keep (`keep_used`)."""
        used = {key: self[key] for key in self.used}
        self.used = set()
        return used

    def keep_used(self, entries: Mapping[str, str]) -> None:
        """Entries a worker used (`take_used`): kept, and counted as used by this build."""
        for key, value in entries.items():
            self[key] = value

    def pruned(self) -> dict[str, str]:
        """Only the entries this build used, so the cache never grows without bound."""
        return {k: self[k] for k in sorted(self.used)}


@dataclass
class Signer:
    """Everything signing needs: the DID, the key, old public keys, the signature cache; and
    the words the Achievement spells out, in the site's language (`achievement_labels`)."""

    did: str
    key: SigningKey = field(repr=False)
    previous_keys: tuple[str, ...] = ()
    cache: SignatureCache = field(default_factory=SignatureCache, repr=False)
    labels: Mapping[str, str] = field(default_factory=lambda: dict(ob3.LABELS))

    @property
    def verification_method(self) -> str:
        return ob3.verification_method_id(self.did, self.key.public_multibase)

    def sign(self, document: dict, created: str) -> dict:
        """The document with its proof (cached when unchanged)."""
        return sign_document(document, self.key, self.verification_method, created, self.cache)


def check_signing(catalog: Catalog, urls: Urls) -> list[SourceError]:
    """Problems with the signing settings that need no key: DID location, old keys."""
    signing = catalog.config.signing
    if signing is None:
        return []
    errors = []
    try:
        urls.did_document_json(signing.did)
    except ValueError as problem:
        errors.append(SourceError(SITE_YAML, 0, f"'signing.did': {problem}"))
    for key in signing.previous_keys:
        try:
            decode_public_key(key)
        except MultikeyError as problem:
            errors.append(SourceError(SITE_YAML, 0, f"'signing.previous_keys': {problem}"))
    return errors


def load_signer(
    catalog: Catalog, environ: Mapping[str, str], root: Path, *, cached: bool = True
) -> Signer:
    """The Signer for a build with `signing:`; raises KeyProblem (message without the key).
    `cached`: start from the signatures kept by earlier builds (a clean build signs all)."""
    signing = catalog.config.signing
    assert signing is not None
    secret = environ.get(signing.key_env, "").strip()
    source = f"the environment variable {signing.key_env}"
    if not secret and signing.key_file:
        secret, source = (
            _read_key_file(signing.key_file, root, environ),
            f"key_file {signing.key_file}",
        )
    if not secret:
        raise KeyProblem(
            f"'signing': the environment variable {signing.key_env} is not set; set it to the"
            " secret printed by `badgepress keygen`, or remove `signing:` to build without"
            " Open Badges 3.0"
        )
    try:
        key = SigningKey.from_secret(secret)
    except KeyProblem as problem:
        raise KeyProblem(f"'signing': {source} does not hold a usable key: {problem}") from None
    kept = read_cache(root / CACHE_PATH, key) if cached else {}
    return Signer(
        signing.did,
        key,
        signing.previous_keys,
        SignatureCache(kept),
        achievement_labels(catalog.config.language, catalog.config.locales),
    )


def _read_key_file(name: str, root: Path, environ: Mapping[str, str]) -> str:
    home = environ.get("HOME")
    path = Path(home + name[1:]) if name.startswith("~") and home else Path(name)
    path = (root / path).resolve()
    # A key inside the repository is one `git add .` away from being published.
    if path.is_relative_to(root.resolve()):
        raise KeyProblem(
            f"'signing.key_file': {name} is inside the site repository; keep the key outside it"
        )
    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as problem:
        reason = getattr(problem, "strerror", None) or "not a text file"
        raise KeyProblem(f"'signing.key_file': cannot read {name}: {reason}") from None


def save_signatures(signer: Signer, root: Path, *, prune: bool) -> None:
    """Keep this build's signatures for the next one (in .badgepress-cache/, never committed).

    `prune`: drop those it did not use. Only a build that signed every credential may: one that
    rendered a few badges again used a few signatures, and the others are still needed."""
    cache = signer.cache
    entries = cache.pruned() if prune else dict(cache)
    write_cache(root / CACHE_PATH, entries, signer.key)


def achievement_labels(language: str, locales: Path | None = None) -> dict[str, str]:
    """ob3.LABELS in the site's language, from the catalogs its pages use (the theme's, and
    the site's own in `locales`), so the criteria page and the Achievement say the same."""
    gettext = translations(language, locales).gettext
    return {key: gettext(msgid) for key, msgid in ob3.LABELS.items()}


def dump_ob3(document: dict) -> bytes:
    """Deterministic JSON bytes of an Open Badges 3.0 (or DID) document: two-space indent,
    `@context`, `id`, `type` first in every object and the rest sorted (ob3.LEADING_KEYS)."""
    return pretty_json(ob3.linked_data_order(document), sort_keys=False)


def status_positions(catalog: Catalog) -> dict[str, int]:
    """Every assertion's position in the status list (OB 3.0 §8 / Bitstring Status List), for
    good: in the order the deploy branch first published them (ob3.status_indexes)."""
    return ob3.status_indexes(catalog.assertions, catalog.published_order)


def credential_outputs(
    catalog: Catalog, urls: Urls, signer: Signer, assertion: Assertion, position: int
) -> list[tuple[str, bytes]]:
    """One assertion's signed OpenBadgeCredential and its 3.0-baked image.

    They depend on this assertion, its credential (and the languages it is translated into),
    the site settings and its status-list `position` only: rendered with the assertion's other
    files (`outputs.assertion_outputs`).
    """
    credential = catalog.credential_of(assertion)
    unsigned = ob3.credential_document(
        assertion,
        credential,
        catalog.config,
        urls,
        position,
        translations=[t.language for t in catalog.translations_of(credential)],
        labels=signer.labels,
    )
    # `created` is the issue time, not the wall clock: the same assertion signs the same.
    signed = ob3.linked_data_order(signer.sign(unsigned, iso_datetime(assertion.issued_on)))
    # OB 3.0 §5.3 baking: PNG iTXt keyword 'openbadgecredential' or an SVG
    # <openbadges:credential> element, holding the signed credential itself.
    compact = json.dumps(signed, ensure_ascii=False, separators=(",", ":"))
    baked = (
        bake_png(credential.image.data, compact, keyword=b"openbadgecredential")
        if credential.image.format == "png"
        else bake_svg_credential(credential.image.data, compact)
    )
    return [
        (urls.credential_json(assertion), pretty_json(signed, sort_keys=False)),
        (urls.credential_image(assertion, credential), baked),
    ]


def ledger_ob3_outputs(
    catalog: Catalog, urls: Urls, signer: Signer, positions: Mapping[str, int]
) -> dict[str, bytes]:
    """The site-wide Open Badges 3.0 files: the DID document and the signed status list."""
    keys = (signer.key.public_multibase, *signer.previous_keys)
    out = {urls.did_document_json(signer.did): dump_ob3(ob3.did_document(signer.did, keys))}
    revoked = [positions[a.id] for a in catalog.revoked]
    # The list is valid from the newest issue date, never later than the build's reference
    # time: a post-dated assertion must not make the list (and so every credential) not-yet-valid.
    latest = max((a.issued_on for a in catalog.assertions), default=catalog.now)
    valid_from = iso_datetime(min(latest, catalog.now))
    status_list = ob3.status_list_document(signer.did, urls, revoked, valid_from)
    out[urls.status_list_json] = dump_ob3(signer.sign(status_list, valid_from))
    return out
