"""`badgepress verify --site DIR`: check a built site's badges before it is deployed, offline.

The folder answers for the site's own URLs: everything under its base URL (read from the
folder's issuer.json, whose `id` is the base URL + `issuer.json`) and the did:web document of
its DID, whose host may differ when the build was a preview under another host. Any other URL
fails as unreachable: nothing is fetched from the network. A path the site would answer 404
for is a 404 here too, so a missing status list or DID document is caught before users see it.
"""

from __future__ import annotations

import datetime
import json
import mimetypes
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..files.bounded import TooLarge, read_bounded
from ..urls import Urls, did_web_document_url
from ..wording import counted
from .fetch import MAX_BYTES, FetchError, Response
from .ob3 import Checked
from .verifier import Report, verify

CONTENT_TYPES = {".json": "application/json", ".svg": "image/svg+xml", ".html": "text/html"}


class SiteFolderError(Exception):
    """DIR is not a folder badgepress built (the message says what was expected)."""


@dataclass(frozen=True)
class LocalSite:
    """A built site folder that answers its own URLs (`fetch`), offline."""

    folder: Path
    base: str  # the site's base URL, ending in '/'

    @classmethod
    def open(cls, folder: Path) -> LocalSite:
        """The site built into `folder`; SiteFolderError when it is not one."""
        issuer_json = Urls.issuer_json
        if not folder.is_dir():
            raise SiteFolderError(f"--site {folder}: not a folder")
        try:
            issuer = json.loads(read_bounded(folder / issuer_json, MAX_BYTES))
        except (OSError, ValueError, TooLarge):
            raise SiteFolderError(
                f"--site {folder}: no readable {issuer_json}; give the folder `badgepress build`"
                " wrote (site/ by default)"
            ) from None
        issuer_id = issuer.get("id") if isinstance(issuer, dict) else None
        if (
            not isinstance(issuer_id, str)
            or not issuer_id.startswith(("http://", "https://"))
            or not issuer_id.endswith("/" + issuer_json)
        ):
            raise SiteFolderError(
                f"--site {folder}: {issuer_json} has no id ending in /{issuer_json}, so the"
                " site's address is unknown"
            )
        return cls(folder, issuer_id[: -len(issuer_json)])

    def fetch(self, url: str) -> Response:
        """What the deployed site would answer for `url`, read from the folder."""
        path = self._path(url)
        if path is None:
            raise self._elsewhere(url)
        target = self._file(path)
        if target is None:
            missing = f"{path} is not in {self.folder}"
            raise FetchError(url, f"{url} answered HTTP 404 ({missing})", 404, reason=missing)
        try:
            body = read_bounded(target, MAX_BYTES)
        except TooLarge:
            # What the deployed site would serve, and a verifier refuse: not a badge document.
            larger = f"larger than {MAX_BYTES:,} bytes, more than any badge"
            raise FetchError(
                url, f"{url} is {larger}", kind="too_large", reason=f"it is {larger}"
            ) from None
        except OSError as exc:
            reason = f"cannot read {target}: {exc.strerror}"
            raise FetchError(url, reason, reason=reason) from None
        kind = CONTENT_TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or ""
        if not self._answers(url, path, body):
            raise self._elsewhere(url)
        return Response(url, url, kind, body)

    def _elsewhere(self, url: str) -> FetchError:
        """A URL of another site: --site fetches nothing from the network."""
        reason = f"it is not part of the site in {self.folder} (--site checks offline)"
        return FetchError(
            url,
            f"{url} is not part of the site in {self.folder} (--site checks offline)",
            reason=reason,
        )

    def _path(self, url: str) -> str | None:
        """The output path (relative to the folder) a URL of this site names, or None."""
        parts, base = urlsplit(url), urlsplit(self.base)
        if parts.scheme != base.scheme or not parts.path.startswith(base.path):
            return None
        if parts.netloc != base.netloc and not parts.path.endswith("/did.json"):
            return None  # another host: only its did:web document can be this site's (`_answers`)
        path = unquote(parts.path[len(base.path) :])
        if path == "" or path.endswith("/"):
            path += "index.html"
        segments = path.split("/")
        if any(s in ("", ".", "..") or "\\" in s or "\0" in s for s in segments):
            return None
        return path

    def _file(self, path: str) -> Path | None:
        target = self.folder / path
        # A symlink out of the folder is not part of the site.
        if not target.resolve().is_relative_to(self.folder.resolve()) or not target.is_file():
            return None
        return target

    def _answers(self, url: str, path: str, body: bytes) -> bool:
        """A did.json on another host is this site's only when its DID resolves to `url`."""
        if urlsplit(url).netloc == urlsplit(self.base).netloc:
            return True
        try:
            did = json.loads(body).get("id")
            return did_web_document_url(did) == url
        except (ValueError, AttributeError, TypeError):
            return False


def site_badges(site: LocalSite) -> list[str]:
    """The URLs of every badge in the folder: each hosted 2.0 assertion and 3.0 credential."""
    urls = Urls(site.base)
    folder = site.folder / "assertions"
    files = sorted(p.name for p in folder.glob("*.json")) if folder.is_dir() else []
    return [urls.absolute(f"assertions/{name}") for name in files]


# Verdicts that are the issuer's own decisions (a badge revoked or past its expiry date): the
# site is as it should be. Anything else means a badge that would not verify once deployed.
SETTLED = ("valid", "revoked", "expired")


def verify_site(site: LocalSite, now: datetime.datetime) -> list[Report]:
    """A report for every badge the site holds, checked offline. The site's DID document and
    status list are checked once for all its credentials."""
    checked = Checked()
    return [verify(url, None, now, site.fetch, checked) for url in site_badges(site)]


def exit_status(reports: list[Report]) -> int:
    """1 when a badge is not valid, else 2 when one could not be checked, else 0."""
    codes = {report.verdict.exit_code for report in reports if report.verdict.code not in SETTLED}
    return 1 if 1 in codes else 2 if codes else 0


def summary(site: LocalSite, reports: list[Report]) -> str:
    """One line: how many badges, and how many of each verdict."""
    counts = Counter(report.verdict.label for report in reports)
    credentials = sum(1 for r in reports if r.target.endswith(".credential.json"))
    shown = ", ".join(f"{n} {label.lower()}" for label, n in sorted(counts.items()))
    assertions = counted(len(reports) - credentials, "Open Badges 2.0 assertion")
    return (
        f"{assertions} and {counted(credentials, 'Open Badges 3.0 credential')} in"
        f" {site.folder}, checked offline as {site.base}: {shown or 'none'}"
    )


def run_site(site: LocalSite, as_json: bool, now: datetime.datetime) -> int:
    """`badgepress verify --site DIR` without a target: every badge of the build."""
    reports = verify_site(site, now)
    status = exit_status(reports)
    if as_json:
        document = {
            "site": str(site.folder),
            "base_url": site.base,
            "ok": status == 0,
            "badges": [report.as_json() for report in reports],
        }
        print(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False))
        return status
    for report in reports:
        verdict = report.verdict
        if verdict.code == "valid":
            continue
        mark = "note" if verdict.code in SETTLED else "FAIL"
        print(f"[{mark}] {report.target}: {verdict.label} — {verdict.reason}")
    print(summary(site, reports))
    if status:
        what = "are not valid" if status == 1 else "could not be checked"
        print(f"badgepress: some badges {what}; see the lines marked FAIL", file=sys.stderr)
    return status
