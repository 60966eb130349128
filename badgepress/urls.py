"""The only place that turns model objects into URLs and output paths (the contract's URL layout)."""

from __future__ import annotations

from .model import Assertion, Credential, Page, Stack


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
    style = "assets/style.css"
    verify_script = "assets/verify.js"

    @staticmethod
    def stack_page(stack: Stack) -> str:
        return f"stacks/{stack.slug}/index.html"

    @staticmethod
    def criteria_page(credential: Credential) -> str:
        return f"credentials/{credential.slug}/index.html"

    @staticmethod
    def badge_class_json(credential: Credential) -> str:
        return f"credentials/{credential.slug}.json"

    @staticmethod
    def badge_image(credential: Credential) -> str:
        return f"credentials/{credential.slug}/badge.{credential.image.format}"

    @staticmethod
    def assertion_json(assertion: Assertion) -> str:
        return f"assertions/{assertion.id}.json"

    @staticmethod
    def assertion_page(assertion: Assertion) -> str:
        return f"assertions/{assertion.id}/index.html"

    @staticmethod
    def baked_image(assertion: Assertion, credential: Credential) -> str:
        return f"assertions/{assertion.id}.{credential.image.format}"

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

    def assertion_page_url(self, assertion: Assertion) -> str:
        return self.absolute(self.assertion_page(assertion))

    def baked_image_url(self, assertion: Assertion, credential: Credential) -> str:
        return self.base + self.baked_image(assertion, credential)


def relative_root(output_path: str) -> str:
    """The prefix that leads from a page back to the site root ('' at the top)."""
    return "../" * output_path.count("/")
