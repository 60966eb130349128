"""The validated site as frozen dataclasses. Pure: no I/O, no parsing."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType


class FrozenMap(dict):
    """A read-only mapping for free-form `extra:` data that, unlike MappingProxyType, pickles:
    worker processes send assertions to the parent, and the build state keeps them."""

    __slots__ = ()

    def _read_only(self, *args, **kwargs):
        raise TypeError("free-form data from content files is read-only")

    __setitem__ = __delitem__ = __ior__ = _read_only
    clear = pop = popitem = setdefault = update = _read_only

    def __reduce__(self):
        return FrozenMap, (dict(self),)

    def __repr__(self) -> str:
        return f"FrozenMap({dict.__repr__(self)})"


EMPTY: Mapping = FrozenMap()


@dataclass(frozen=True)
class Issuer:
    name: str
    url: str
    email: str
    description: str | None = None
    image: Image | None = None
    linkedin_organization_id: str | None = None


@dataclass(frozen=True)
class Signing:
    did: str
    key_env: str
    previous_keys: tuple[str, ...] = ()  # public keys of retired signing keys, still trusted
    key_file: str | None = None  # a file outside the repository holding the secret


@dataclass(frozen=True)
class BadgeStyle:
    """How drawn badges look (site.yaml `badges:`, a stack's or a credential's `badge:`)."""

    style: str | None = None  # auto, circle, hexagon, shield, rosette
    palette: str | None = None  # a named palette (badge_art.PALETTES)
    color: str | None = None  # '#rrggbb'
    accent: str | None = None
    logo: bool | None = None  # the issuer's PNG logo in the emblem


@dataclass(frozen=True)
class SiteConfig:
    title: str
    base_url: str
    language: str
    issuer: Issuer
    description: str | None = None
    plaintext_recipients: bool = False
    signing: Signing | None = None
    how_to_apply: str | None = None
    extra: Mapping = field(default_factory=lambda: EMPTY)
    badges: BadgeStyle = field(default_factory=BadgeStyle)
    noindex_earner_pages: bool = True  # <meta name="robots" content="noindex"> on earner pages
    hours_are_credits: bool = False  # credentials' hours are credit hours (OB 3.0 creditsAvailable)
    locales: Path | None = None  # the site's own interface catalogs (i18n.SITE_LOCALES)


@dataclass(frozen=True)
class Image:
    """Badge or logo bytes with their format; `drawn` when badgepress made it."""

    data: bytes = field(repr=False)
    format: str  # "png" or "svg"
    width: int
    height: int
    drawn: bool = False

    @property
    def media_type(self) -> str:
        return "image/png" if self.format == "png" else "image/svg+xml"


@dataclass(frozen=True)
class Fee:
    members: int | Decimal | None
    non_members: int | Decimal | None
    currency: str


@dataclass(frozen=True)
class Rubric:
    passing: str
    not_yet: str | None


@dataclass(frozen=True)
class Requirement:
    title: str
    description: str | None
    rubric: Rubric | None


@dataclass(frozen=True)
class Alignment:
    name: str
    url: str
    framework: str | None = None
    code: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Credential:
    slug: str
    name: str
    summary: str
    criteria: str  # Markdown: BadgeClass criteria.narrative and the criteria page
    image: Image
    image_alt: str
    source: str
    stack: str | None = None
    topics: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    hours: int | Decimal | None = None
    format: str | None = None
    fee: Fee | None = None
    developer: str | None = None
    updated: datetime.date | None = None
    requirements: tuple[Requirement, ...] = ()
    alignments: tuple[Alignment, ...] = ()
    expires_after: tuple[int, str] | None = None
    prerequisites: tuple[str, ...] = ()
    extra: Mapping = field(default_factory=lambda: EMPTY)
    badge: BadgeStyle | None = None  # drawn badge settings, over the stack's and the site's
    image_source: str | None = None  # the badge's file (None: drawn)
    # No longer awarded: out of the catalog, its stack, search, feed and sitemap; its
    # BadgeClass, image and criteria page stay, for the badges already issued point at them.
    retired: bool = False


@dataclass(frozen=True)
class Translation:
    """A credential's text in another language (`<slug>.<lang>.md`), published as an alternate."""

    language: str
    credential: Credential  # the original with its text fields replaced
    source: str


@dataclass(frozen=True)
class Stack:
    slug: str
    title: str
    summary: str
    body: str  # Markdown
    source: str
    credentials: tuple[str, ...]  # slugs in learning order
    developer: str | None = None
    topics: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    capstone: str | None = None
    required: int | None = None
    extra: Mapping = field(default_factory=lambda: EMPTY)
    badge: BadgeStyle | None = None  # drawn badge settings for the stack's credentials
    # The order drawn badges are numbered and coloured by, retired credentials in their place,
    # so that retiring one changes no badge's picture (empty: `credentials`).
    drawing_order: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recipient:
    identity: str  # "sha256$" + hex digest, OB 2.0 hashed email identity
    salt: str
    name: str | None = None
    public_name: bool = False

    @property
    def display_name(self) -> str | None:
        """The earner's name, only when they consented to show it."""
        return self.name if self.public_name else None


@dataclass(frozen=True)
class Evidence:
    url: str | None = None
    name: str | None = None
    narrative: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Assertion:
    id: str
    credential: str
    recipient: Recipient
    issued_on: datetime.datetime
    source: str
    expires: datetime.datetime | None = None
    narrative: str | None = None
    evidence: tuple[Evidence, ...] = ()
    revoked: bool = False
    revocation_reason: str | None = None
    extra: Mapping = field(default_factory=lambda: EMPTY)

    def status(self, now: datetime.datetime) -> str:
        """'revoked', 'expired' or 'valid' as of `now`."""
        if self.revoked:
            return "revoked"
        if self.expires is not None and self.expires <= now:
            return "expired"
        return "valid"


@dataclass(frozen=True)
class Page:
    name: str
    title: str
    body: str  # Markdown
    source: str
    order: int = 100
    nav: bool = True


@dataclass(frozen=True)
class SourceCommit:
    """The git commit a site is built from (recorded in build.json and the page footer)."""

    sha: str
    time: datetime.datetime

    @property
    def short(self) -> str:
        return self.sha[:7]


@dataclass(frozen=True)
class Catalog:
    """Everything a build publishes, validated and cross-checked."""

    config: SiteConfig
    stacks: tuple[Stack, ...]
    credentials: tuple[Credential, ...]  # the catalog's: retired ones are in `retired`
    assertions: tuple[Assertion, ...]
    pages: tuple[Page, ...]
    now: datetime.datetime  # the build's reference time (commit time or SOURCE_DATE_EPOCH)
    translations: tuple[Translation, ...] = ()  # by credential slug, then language
    commit: SourceCommit | None = None  # None outside git
    # Retired credentials, by name: published for their badges, listed nowhere.
    retired: tuple[Credential, ...] = ()
    # id → the order in which the deploy branch first published it (permanence.Ledger.order);
    # ids not committed yet have none. Status list places follow it (ob3.status_indexes).
    published_order: Mapping[str, int] = field(default_factory=lambda: EMPTY, repr=False)
    by_slug: Mapping[str, Credential] = field(
        default_factory=lambda: EMPTY, compare=False, repr=False
    )
    stack_by_slug: Mapping[str, Stack] = field(
        default_factory=lambda: EMPTY, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        every = (*self.credentials, *self.retired)
        object.__setattr__(self, "by_slug", MappingProxyType({c.slug: c for c in every}))
        object.__setattr__(
            self, "stack_by_slug", MappingProxyType({s.slug: s for s in self.stacks})
        )

    @property
    def published_credentials(self) -> tuple[Credential, ...]:
        """Every credential with a BadgeClass and a criteria page: the catalog's and the retired."""
        return self.credentials + self.retired

    def credential_of(self, assertion: Assertion) -> Credential:
        """The credential an assertion awards (retired ones too)."""
        return self.by_slug[assertion.credential]

    def stack_of(self, credential: Credential) -> Stack | None:
        """The stack a credential belongs to, if any."""
        return self.stack_by_slug.get(credential.stack) if credential.stack else None

    def credentials_of(self, stack: Stack) -> tuple[Credential, ...]:
        """A stack's credentials in learning order."""
        return tuple(self.by_slug[slug] for slug in stack.credentials)

    def unstacked_credentials(self) -> tuple[Credential, ...]:
        """Credentials that belong to no stack, by name."""
        return tuple(c for c in self.credentials if c.stack is None)

    def translations_of(self, credential: Credential) -> tuple[Translation, ...]:
        """A credential's translations, by language."""
        return tuple(t for t in self.translations if t.credential.slug == credential.slug)

    @property
    def revoked(self) -> tuple[Assertion, ...]:
        """Revoked assertions, by id."""
        return tuple(a for a in self.assertions if a.revoked)
