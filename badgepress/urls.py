"""The only place that turns model objects into URLs and output paths (the contract's URL layout)."""

from __future__ import annotations

from typing import Protocol
from urllib.parse import unquote, urlsplit

from .model import Assertion, Credential, Page, Stack


class Identified(Protocol):
    """What the per-badge paths read of an assertion: its id alone."""

    @property
    def id(self) -> str: ...


class _IdSlot:
    """A stand-in badge whose id is '{id}': the per-badge paths as patterns."""

    id = "{id}"


def normalise_base_url(base_url: str) -> str:
    """Base URLs always end with '/', so joining never drops a path segment."""
    return base_url if base_url.endswith("/") else base_url + "/"


class Urls:
    """Output paths (relative to site/, POSIX) and absolute URLs under `base_url`."""

    def __init__(self, base_url: str):
        self.base = normalise_base_url(base_url)

    def absolute(self, path: str) -> str:
        """Absolute URL of an output path; 'x/index.html' is published as 'x/'."""
        if path == "index.html":
            return self.base
        if path.endswith("/index.html"):
            path = path[: -len("index.html")]
        return self.base + path

    # Output paths. Directory-style pages are written as <dir>/index.html.
    home = "index.html"
    verify_page = "verify/index.html"
    not_found = "404.html"
    issuer_json = "issuer.json"
    revocations_json = "revocations.json"
    # Open Badges 3.0 (when signing is on).
    status_list_json = "status/revocation-1.json"
    style = "assets/style.css"
    print_style = "assets/print.css"
    # The icon (images/favicon.py), linked from every page, so a site under a sub-path has its
    # own. favicon.ico and apple-touch-icon.png sit at the root, where clients that read no
    # <link> (feed readers, crawlers, iOS) ask for them on a site at its host's root.
    favicon = "assets/favicon.svg"
    favicon_ico = "favicon.ico"
    apple_touch_icon = "apple-touch-icon.png"
    catalog_script = "assets/catalog.js"
    catalog_json = "catalog.json"  # the catalog's search/filter index (catalog_index)
    sitemap = "sitemap.xml"
    feed = "feed.xml"
    robots = "robots.txt"
    verify_script = "assets/verify.js"
    share_script = "assets/share.js"
    status_script = "assets/status.js"  # the earner page's status seal, re-checked in the browser
    site_card = "card.png"  # the Open Graph preview of the catalog and other pages
    build_json = "build.json"  # which commit and badgepress version built the site
    headers = "_headers"  # HTTP headers for Netlify and Cloudflare Pages (hosting)

    @staticmethod
    def verify_lines(language: str) -> str:
        """verify.js's check lines in a language other than English, written once for the earner
        pages, which verify in place and fetch it then (the verify page carries its own)."""
        return f"assets/verify-lines.{language.lower()}.json"

    @staticmethod
    def stack_page(stack: Stack) -> str:
        return f"stacks/{stack.slug}/index.html"

    @staticmethod
    def criteria_page(credential: Credential) -> str:
        return f"credentials/{credential.slug}/index.html"

    @staticmethod
    def translated_criteria_page(credential: Credential, language: str) -> str:
        """A credential's criteria page in another language: /credentials/<slug>/<lang>/."""
        return f"credentials/{credential.slug}/{language.lower()}/index.html"

    @staticmethod
    def badge_class_json(credential: Credential) -> str:
        return f"credentials/{credential.slug}.json"

    @staticmethod
    def badge_image(credential: Credential) -> str:
        return f"credentials/{credential.slug}/badge.{credential.image.format}"

    # Smaller copies of a PNG badge for pages that show it small (cards at 88-112 CSS px, 240
    # device px on a 2x phone): one set per credential, never per badge (an earner page uses its
    # credential's). An SVG badge scales itself; a PNG no wider than a width gets no copy.
    BADGE_VARIANT_WIDTHS = (240,)

    @classmethod
    def badge_variants(cls, credential: Credential) -> list[tuple[int, str]]:
        """(width, output path) of each smaller copy of the credential's badge, narrowest first."""
        image = credential.image
        if image.format != "png":
            return []
        return [
            (width, f"credentials/{credential.slug}/badge-{width}.png")
            for width in cls.BADGE_VARIANT_WIDTHS
            if width < image.width
        ]

    @staticmethod
    def credential_card(credential: Credential) -> str:
        """A credential's 1200×630 preview card, shared by all its assertion pages."""
        return f"credentials/{credential.slug}/card.png"

    @staticmethod
    def stack_card(stack: Stack) -> str:
        return f"stacks/{stack.slug}/card.png"

    @staticmethod
    def assertion_json(assertion: Identified) -> str:
        return f"assertions/{assertion.id}.json"

    @staticmethod
    def assertion_page(assertion: Identified) -> str:
        return f"assertions/{assertion.id}/index.html"

    @staticmethod
    def baked_image(assertion: Assertion, credential: Credential) -> str:
        return f"assertions/{assertion.id}.{credential.image.format}"

    @staticmethod
    def credential_json(assertion: Identified) -> str:
        return f"assertions/{assertion.id}.credential.json"

    @staticmethod
    def credential_image(assertion: Assertion, credential: Credential) -> str:
        return f"assertions/{assertion.id}.credential.{credential.image.format}"

    def did_document_json(self, did: str) -> str:
        """Where did:web puts the DID document; ValueError when that is outside base_url's path.

        did:web §3.2: did:web:host → /.well-known/did.json, did:web:host:a:b → /a/b/did.json.
        Only the path is compared, so a preview build under another host still builds.
        """
        path = urlsplit(did_web_document_url(did)).path
        base_path = urlsplit(self.base).path
        if not path.startswith(base_path):
            raise ValueError(
                f"{did} resolves to the path {path}, which is not under base_url's path {base_path}"
                " (for a site under a sub-path use did:web:HOST:PATH:SEGMENTS)"
            )
        return path[len(base_path) :]

    @staticmethod
    def page(page: Page) -> str:
        return f"{page.name}/index.html"

    @staticmethod
    def issuer_image(fmt: str) -> str:
        return f"issuer.{fmt}"

    # Absolute URLs of the Open Badges documents (their `id`s).
    @property
    def issuer_id(self) -> str:
        return self.base + self.issuer_json

    @property
    def revocation_list_id(self) -> str:
        return self.base + self.revocations_json

    def badge_class_id(self, credential: Credential) -> str:
        return self.base + self.badge_class_json(credential)

    def criteria_url(self, credential: Credential) -> str:
        return self.absolute(self.criteria_page(credential))

    def badge_image_url(self, credential: Credential) -> str:
        return self.base + self.badge_image(credential)

    def assertion_id(self, assertion: Assertion) -> str:
        return self.base + self.assertion_json(assertion)

    def same_site_badges(self, signed: bool) -> dict[str, object]:
        """For the verify page, to link a verified badge of this site to its earner page: the
        ids this site gives its badges (the hosted 2.0 assertion; when `signed`, the 3.0
        credential too) and the earner page's path, each with '{id}' for the badge's id."""
        slot = _IdSlot()
        ids = [self.base + self.assertion_json(slot)]
        if signed:
            ids.append(self.base + self.credential_json(slot))
        return {"ids": ids, "page": self.assertion_page(slot).removesuffix("index.html")}

    def assertion_page_url(self, assertion: Assertion) -> str:
        return self.absolute(self.assertion_page(assertion))

    def baked_image_url(self, assertion: Assertion, credential: Credential) -> str:
        return self.base + self.baked_image(assertion, credential)

    def credential_id(self, assertion: Assertion) -> str:
        return self.base + self.credential_json(assertion)

    def credential_image_url(self, assertion: Assertion, credential: Credential) -> str:
        return self.base + self.credential_image(assertion, credential)

    @property
    def status_list_id(self) -> str:
        return self.base + self.status_list_json


def did_web_document_url(did: str) -> str:
    """The https URL of a did:web DID's document; ValueError for anything but did:web."""
    parts = did.split(":")
    if len(parts) < 3 or parts[:2] != ["did", "web"] or not all(parts[2:]):
        raise ValueError(
            f"expected a did:web identifier such as did:web:example.org, found {did!r}"
        )
    # The host may carry a port, percent-encoded as %3A (did:web §3.2.1 step 3).
    host = unquote(parts[2])
    path = "/".join(unquote(p) for p in parts[3:])
    return f"https://{host}/{path}/did.json" if path else f"https://{host}/.well-known/did.json"


def relative_root(output_path: str) -> str:
    """The prefix that leads from a page back to the site root ('' at the top)."""
    return "../" * output_path.count("/")
