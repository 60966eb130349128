"""`badgepress verify`: check any issuer's Open Badges 2.0 hosted badge from a URL, image or JSON file.

Exit 0 valid, 1 not valid, 2 could not check. The checks live in verify_checks (pure); this module
reads the input, fetches the documents they need, and prints the report.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from . import verify_checks as vc
from .baking import PNG_SIGNATURE, NotABadge, unbake
from .bounded import TooLarge, read_bounded
from .fetch import MAX_BYTES, FetchError, NotJSON, Response, fetch, parse_json
from .verify_ob3 import Gone, credential_checks, credential_in_image, is_credential

Fetcher = Callable[[str], Response]


@dataclass
class Report:
    """Every check run, the verdict, and what is known about the badge."""

    target: str
    checks: list[vc.Check] = field(default_factory=list)
    badge: dict = field(default_factory=dict)

    @property
    def verdict(self) -> vc.Verdict:
        return vc.verdict_of(self.checks)

    def as_json(self) -> dict:
        """The report for machines (`--json`)."""
        verdict = self.verdict
        return {
            "target": self.target,
            "valid": verdict.code == "valid",
            "verdict": verdict.code,
            "label": verdict.label,
            "reason": verdict.reason,
            "checks": [
                {"name": c.name, "status": c.status, "message": c.message} for c in self.checks
            ],
            "badge": self.badge,
        }

    def as_text(self) -> str:
        """One line per check, then the verdict."""
        marks = {"pass": "ok  ", "fail": "FAIL", "skip": "skip"}
        lines = [f"[{marks[c.status]}] {c.name}: {c.message}" for c in self.checks]
        verdict = self.verdict
        if self.badge.get("name"):
            issuer = self.badge.get("issuer")
            lines.append(
                f"badge: {self.badge['name']}" + (f" (issued by {issuer})" if issuer else "")
            )
        detail = "" if verdict.code == "valid" else f" — {verdict.reason}"
        lines.append(f"verdict: {verdict.label}{detail}")
        return "\n".join(lines)


class _Stop(Exception):
    """Nothing more can be checked; the report already says why."""


def verify(
    target: str,
    email: str | None,
    now: datetime.datetime,
    fetcher: Fetcher = fetch,
) -> Report:
    """Verify a hosted assertion URL, a baked PNG/SVG (URL or file), or an assertion JSON file."""
    report = Report(target)
    with contextlib.suppress(_Stop):  # _Stop: the report already says why checking ended
        _verify(report, target, email, now, fetcher)
    return report


def _verify(
    report: Report, target: str, email: str | None, now: datetime.datetime, fetcher: Fetcher
) -> None:
    checks = report.checks
    baked, local = None, None
    if target.startswith(("http://", "https://")):
        response = _get(checks, fetcher, target, "assertion")
        data, url = response.body, target
        if _looks_like_image(data):
            checks[-1] = vc.passed("image fetched", target)
    else:
        try:
            data = read_bounded(target, MAX_BYTES)  # no more than a fetch would take
        except TooLarge:
            message = f"{target} is larger than {MAX_BYTES:,} bytes, more than any badge"
            checks.append(vc.failed("badge data", message, "not_a_badge"))
            raise _Stop from None
        except OSError as exc:
            checks.append(
                vc.Check("input", "fail", f"cannot read {target}: {exc.strerror}", "unsupported")
            )
            raise _Stop from None
        url = None
    if _looks_like_image(data):
        with contextlib.suppress(NotABadge):  # Open Badges 3.0: the image carries the credential
            return _verify_credential(report, credential_in_image(data), email, now, fetcher)
        try:
            carried = unbake(data)
        except NotABadge as exc:
            checks.append(vc.failed("badge data", str(exc), "not_a_badge"))
            raise _Stop from None
        checks.append(vc.passed("badge data", "the image carries Open Badges data"))
        baked = url = _baked_url(checks, carried)
        response = _get(checks, fetcher, url, "assertion")
    elif url is None:
        try:
            local = parse_json(data, target)
        except NotJSON:
            checks.append(
                vc.failed(
                    "badge data", f"{target} is neither a badge image nor JSON", "not_a_badge"
                )
            )
            raise _Stop from None
        if is_credential(local):
            return _verify_credential(report, local, email, now, fetcher)
        url = vc.id_of(local)
        if not url or not url.startswith(("http://", "https://")):
            checks.append(
                vc.failed(
                    "badge data", f"{target} has no http(s) id to check it against", "not_a_badge"
                )
            )
            raise _Stop from None
        checks.append(vc.passed("badge data", f"the file names its hosted record {url}"))
        response = _get(checks, fetcher, url, "assertion")

    assertion = _json(checks, response, "assertion", not_a_badge=baked is None and local is None)
    if is_credential(assertion) and baked is None and local is None:
        return _verify_credential(report, assertion, email, now, fetcher)
    _verify_assertion(report, assertion, response, baked, local, email, now, fetcher)


def _verify_assertion(report, assertion, response, baked, local, email, now, fetcher) -> None:
    checks = report.checks
    url = response.requested
    aliases = (response.url,)  # a redirect's target also names the same document
    if baked is not None:
        checks.append(vc.check_baked_url(baked, assertion.get("id")))
    if local is not None:
        checks.append(vc.check_local_copy(local, assertion))
    if assertion.get("revoked") is True:
        report.badge["revocationReason"] = assertion.get("revocationReason")
        if vc.missing_fields(assertion, "Assertion"):
            # OB 2.0: a revoked assertion may shrink to {id, revoked, revocationReason}; only its
            # id still has to hold for the answer to be the issuer's.
            checks.append(vc.check_document(assertion, url, "Assertion", aliases)[1])
            checks.append(vc.check_revoked_assertion(assertion))
            raise _Stop
    checks.extend(vc.check_document(assertion, url, "Assertion", aliases))
    checks.append(vc.check_verification_type(assertion))
    report.badge.update(
        {k: assertion[k] for k in ("id", "issuedOn", "expires", "image") if k in assertion}
    )

    badge_url = _linked(checks, assertion.get("badge"), "badge class")
    badge_response = _get(checks, fetcher, badge_url, "badge class")
    badge = _json(checks, badge_response, "badge class")
    checks.extend(vc.check_document(badge, badge_url, "BadgeClass", (badge_response.url,)))
    report.badge["name"] = badge.get("name")
    report.badge.setdefault("image", vc.id_of(badge.get("image")))

    issuer_url = _linked(checks, badge.get("issuer"), "issuer")
    issuer_response = _get(checks, fetcher, issuer_url, "issuer")
    issuer = _json(checks, issuer_response, "issuer")
    checks.extend(vc.check_document(issuer, issuer_url, "Issuer", (issuer_response.url,)))
    report.badge["issuer"] = issuer.get("name")
    checks.append(vc.check_origin(assertion.get("id") or url, issuer))

    checks.append(vc.check_revoked_assertion(assertion))
    revocations = None
    list_url = vc.id_of(issuer.get("revocationList"))
    if list_url:
        revocations = _json(
            checks, _get(checks, fetcher, list_url, "revocation list"), "revocation list"
        )
    checks.append(vc.check_revocation_list(assertion.get("id") or url, revocations))
    checks.extend(vc.check_dates(assertion, now))
    checks.append(vc.check_recipient(assertion.get("recipient"), email))


def _verify_credential(report: Report, document: dict, email, now, fetcher: Fetcher) -> None:
    """Open Badges 3.0: proof with the issuer's did:web key, status list, dates, recipient."""

    def fetch_bytes(url: str) -> bytes:
        try:
            return fetcher(url).body
        except FetchError as exc:
            raise (Gone if exc.gone else OSError)(exc.message) from None

    checks, badge = credential_checks(document, fetch_bytes, now, email)
    report.checks.extend(checks)
    report.badge.update(badge)


def _linked(checks: list[vc.Check], value: object, what: str) -> str:
    """The http(s) URL of a linked document; without one nothing further can be checked."""
    url = vc.id_of(value)
    if not url or not url.startswith(("http://", "https://")):
        checks.append(
            vc.failed(f"{what} fetched", f"no http(s) URL for the {what}: {vc.shown(value)}")
        )
        raise _Stop
    return url


_SVG_TAG = re.compile(rb"<svg[\s>]", re.IGNORECASE)


def _looks_like_image(data: bytes) -> bool:
    """A PNG, or text with an <svg> element near the start (as verify.js's isSvg decides)."""
    return data.startswith(PNG_SIGNATURE) or bool(_SVG_TAG.search(data[:4096]))


def _baked_url(checks: list[vc.Check], carried: str) -> str:
    """The assertion URL an image carries: the baked URL, or the id of a baked JSON assertion."""
    text = carried.strip()
    if text.startswith("{"):
        try:
            url = vc.id_of(json.loads(text))
        except json.JSONDecodeError:
            url = None
    elif text.startswith(("http://", "https://")):
        url = text
    else:
        # A JWS: OB 2.0 signed verification, not hosted.
        checks.append(
            vc.Check("badge data", "fail", "a signed (JWS) badge: not checked here", "unsupported")
        )
        raise _Stop
    if not url or not url.startswith(("http://", "https://")):
        checks.append(
            vc.failed("badge data", "the baked data names no assertion URL", "not_a_badge")
        )
        raise _Stop
    return url


def _get(checks: list[vc.Check], fetcher: Fetcher, url: str, what: str) -> Response:
    try:
        response = fetcher(url)
    except FetchError as exc:
        if exc.gone:
            # The issuer's own server says there is no such record (OB 2.0: treat as not valid).
            checks.append(
                vc.failed(
                    f"{what} fetched", f"the issuer has no {what} at {url} (HTTP {exc.status})"
                )
            )
        else:
            checks.append(vc.Check(f"{what} fetched", "fail", exc.message, "unreachable"))
        raise _Stop from None
    checks.append(vc.passed(f"{what} fetched", url))
    return response


def _json(checks: list[vc.Check], response: Response, what: str, not_a_badge: bool = False) -> dict:
    try:
        return parse_json(response.body, response.requested)
    except NotJSON as exc:
        checks.append(
            vc.failed(f"{what} fetched", str(exc), "not_a_badge" if not_a_badge else "invalid")
        )
        raise _Stop from None


def run(args: argparse.Namespace) -> int:
    """Run `badgepress verify` and print the report; returns the exit status."""
    email = args.email.strip() if args.email and args.email.strip() else None
    now = datetime.datetime.now(datetime.timezone.utc)
    fetcher = fetch
    if getattr(args, "site", None) is not None:
        from .verify_site import LocalSite, SiteFolderError, run_site

        try:
            site = LocalSite.open(args.site)
        except SiteFolderError as problem:
            print(f"badgepress: error: {problem}", file=sys.stderr)
            return 2
        if args.target is None:
            return run_site(site, args.json, now)
        fetcher = site.fetch
    elif args.target is None:
        print("badgepress: error: give a badge URL, image or file (or --site DIR)", file=sys.stderr)
        return 2
    report = verify(args.target, email, now, fetcher)
    if args.json:
        print(json.dumps(report.as_json(), indent=2, sort_keys=True, ensure_ascii=False))
    else:
        print(report.as_text())
    verdict = report.verdict
    if not args.json and verdict.exit_code == 2:
        print(f"badgepress: could not check: {verdict.reason}", file=sys.stderr)
    return verdict.exit_code
