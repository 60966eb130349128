"""Fetching other people's Open Badges documents over HTTP(S): bounded in time, size and redirects."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from . import __version__
from .strict_json import JSONRejected, loads

TIMEOUT = 10.0  # seconds per request
MAX_BYTES = 5_000_000  # a badge image or JSON document; anything larger is not a badge
MAX_REDIRECTS = 5
# A status that is the issuer's own answer "there is no such badge", not a failure to reach it.
GONE = (404, 410)


class FetchError(Exception):
    """A document could not be fetched; `status` is the HTTP status when the server answered."""

    def __init__(self, url: str, message: str, status: int | None = None):
        super().__init__(message)
        self.url, self.message, self.status = url, message, status

    @property
    def gone(self) -> bool:
        """The server answered that nothing lives at this URL (404/410)."""
        return self.status in GONE


@dataclass(frozen=True)
class Response:
    """What a URL answered: the URL asked for, the URL after redirects, and the body."""

    requested: str
    url: str
    content_type: str
    body: bytes


class _BoundedRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        # Never follow a redirect off http(s) (file:, ftp:) — the URL came from a stranger's badge.
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise urllib.error.HTTPError(newurl, code, "redirect to a non-HTTP URL", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_BoundedRedirects())


def fetch(url: str, *, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> Response:
    """GET `url` (http/https only); raises FetchError on any failure, non-200 status or oversize body."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise FetchError(url, f"not an http(s) URL: {url!r}")
    request = urllib.request.Request(
        url,
        headers={
            "Accept": "application/ld+json, application/json, image/png, image/svg+xml, */*;q=0.1",
            "User-Agent": f"badgepress-verify/{__version__}",
        },
    )
    try:
        with _OPENER.open(request, timeout=timeout) as answer:
            body = answer.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise FetchError(url, f"{url} is larger than {max_bytes} bytes")
            return Response(
                url, answer.geturl(), answer.headers.get_content_type() or "", bytes(body)
            )
    except urllib.error.HTTPError as exc:
        exc.close()
        raise FetchError(url, f"{url} answered HTTP {exc.code} {exc.reason}", exc.code) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(url, f"could not reach {url}: {reason}") from None


class NotJSON(ValueError):
    """Not a JSON object within strict_json's limits; `beyond_limits`: JSON, but past one of
    them (depth, number size, number of values)."""

    def __init__(self, message: str, beyond_limits: bool = False) -> None:
        super().__init__(message)
        self.beyond_limits = beyond_limits


def parse_json(body: bytes, source: str) -> dict:
    """`body` as a JSON object; raises NotJSON when it is not one."""
    try:
        data = loads(body)
    except JSONRejected as exc:
        raise NotJSON(f"{source} {exc}", exc.beyond_limits) from None
    if not isinstance(data, dict):
        raise NotJSON(f"{source} is not a JSON object")
    return data
