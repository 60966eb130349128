"""`badgepress verify`: check any issuer's Open Badges 2.0 hosted badge from a URL, image or JSON file.

Exit 0 valid, 1 not valid, 2 could not check. The checks live in verify_checks (pure); this module
reads the input, fetches the documents they need, and prints the report.

Every input gets a verdict, never a traceback: files, images and documents are read within the
limits of `bounded`, `strict_json` and `fetch`, and the whole run within one deadline (`--timeout`).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from ..files.bounded import TooLarge, read_bounded
from ..openbadges.baking import PNG_SIGNATURE, NotABadge, is_svg, unbake
from . import ob2_checks as vc
from .address_policy import AddressPolicy
from .fetch import MAX_BYTES, TIMEOUT, Fetcher, FetchError, NotJSON, Response, parse_json
from .ob3 import (
    Checked,
    Gone,
    Refused,
    Unusable,
    credential_checks,
    credential_in_image,
    is_credential,
)
from .strict_json import JSONRejected, count_values, loads

Fetch = Callable[[str], Response]
# After the deadline, how long the run may take to write its report before it is given up.
GRACE = 1.0
# The name of the check that reports an error no check foresaw (a bug: the fuzz tests fail on it).
INTERNAL_ERROR = "verifier"


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
        """One line per check, then the verdict; a stranger's text cannot add lines or control
        the terminal (see `printable`)."""
        marks = {"pass": "ok  ", "fail": "FAIL", "skip": "skip"}
        lines = [f"[{marks[c.status]}] {c.name}: {printable(c.message)}" for c in self.checks]
        verdict = self.verdict
        if self.badge.get("name"):
            issuer = self.badge.get("issuer")
            lines.append(
                f"badge: {printable(str(self.badge['name']))}"
                + (f" (issued by {printable(str(issuer))})" if issuer else "")
            )
        detail = "" if verdict.code == "valid" else f" — {printable(verdict.reason)}"
        lines.append(f"verdict: {verdict.label}{detail}")
        return "\n".join(lines)


# C0 and C1 controls (newlines, ESC sequences that move the cursor or retitle the terminal),
# bidirectional overrides and isolates (text shown in another order than it reads, CVE-2021-42574)
# and lone surrogates (not encodable).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` with what a terminal would act on written as escapes (\\x1b, \\u202e)."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class _Stop(Exception):
    """Nothing more can be checked; the report already says why."""


def verify(
    target: str,
    email: str | None,
    now: datetime.datetime,
    fetcher: Fetch | None = None,
    checked: Checked | None = None,
) -> Report:
    """Verify a hosted assertion URL, a baked PNG/SVG (URL or file), or an assertion JSON file.

    `fetcher` answers every URL the badge names; by default a Fetcher of its own (one deadline
    of fetch.TIMEOUT seconds for the run). `checked`: the DID documents and status lists this
    run has checked already, shared by the badges of one run (`verify --site`).
    """
    report = Report(target)
    try:
        _verify(report, target, email, now, fetcher or Fetcher(), checked or Checked())
    except _Stop:
        pass  # the report already says why checking ended
    except Exception as exc:
        # A case the checks above do not foresee: still a verdict, and no traceback. The fuzz
        # tests (tests/verify/test_fuzz.py) fail on this check: it marks a bug to fix.
        detail = printable(f"{type(exc).__name__}: {exc}")[:200]
        message = f"badgepress failed on this input ({detail}); please report it"
        report.checks.append(vc.Check(INTERNAL_ERROR, "fail", message, "unsupported"))
    return report


# A URL scheme (two letters at least: "C:" is a Windows drive).
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:")


def _verify(
    report: Report,
    target: str,
    email: str | None,
    now: datetime.datetime,
    fetcher: Fetch,
    checked: Checked,
) -> None:
    checks = report.checks
    baked, local = None, None
    if target.startswith(("http://", "https://")):
        response = _get(checks, fetcher, target, "assertion", first=True)
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
        except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
            if isinstance(exc, FileNotFoundError) and _SCHEME.match(target):
                # data:, file:, ftp: ... a URL of a kind never fetched, and no such file
                message = f"{target} is not an http(s) URL, nor a file"
                checks.append(vc.failed("badge data", message, "not_a_badge"))
                raise _Stop from None
            reason = getattr(exc, "strerror", None) or str(exc)
            message = f"cannot read {target}: {reason}"
            checks.append(vc.Check("input", "fail", message, "unsupported"))
            raise _Stop from None
        url = None
    if _looks_like_image(data):
        with contextlib.suppress(NotABadge):  # Open Badges 3.0: the image carries the credential
            return _verify_credential(
                report, credential_in_image(data), email, now, fetcher, checked
            )
        try:
            carried = unbake(data)
        except NotABadge as exc:
            checks.append(vc.failed("badge data", str(exc), "not_a_badge"))
            raise _Stop from None
        checks.append(vc.passed("badge data", "the image carries Open Badges data"))
        baked = url = _baked_url(checks, carried)
        response = _get(checks, fetcher, url, "assertion", first=True)
    elif url is None:
        try:
            local = parse_json(data, target)
        except NotJSON as exc:
            # JSON-shaped but beyond strict_json's limits: say which; otherwise it is just not JSON.
            message = (
                str(exc) if exc.beyond_limits else f"{target} is neither a badge image nor JSON"
            )
            checks.append(vc.failed("badge data", message, "not_a_badge"))
            raise _Stop from None
        if is_credential(local):
            return _verify_credential(report, local, email, now, fetcher, checked)
        url = vc.id_of(local)
        if not url or not url.startswith(("http://", "https://")):
            checks.append(
                vc.failed(
                    "badge data", f"{target} has no http(s) id to check it against", "not_a_badge"
                )
            )
            raise _Stop from None
        checks.append(vc.passed("badge data", f"the file names its hosted record {url}"))
        response = _get(checks, fetcher, url, "assertion", first=True)

    assertion = _json(checks, response, "assertion", not_a_badge=baked is None and local is None)
    if is_credential(assertion) and baked is None and local is None:
        return _verify_credential(report, assertion, email, now, fetcher, checked)
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
    # The id names the assertion when it is a URL at all (a failed id check already says so).
    assertion_url = (
        assertion["id"] if isinstance(assertion.get("id"), str) and assertion["id"] else url
    )
    checks.append(vc.check_origin(assertion_url, issuer))

    checks.append(vc.check_revoked_assertion(assertion))
    revocations = None
    list_url = vc.id_of(issuer.get("revocationList"))
    if list_url:
        revocations = _json(
            checks, _get(checks, fetcher, list_url, "revocation list"), "revocation list"
        )
    checks.append(vc.check_revocation_list(assertion_url, revocations))
    checks.extend(vc.check_dates(assertion, now))
    checks.append(vc.check_recipient(assertion.get("recipient"), email))


# JSON values in a 3.0 credential, or a status list, whose signature is checked. RDF dataset
# canonicalization (pyld) grows faster than the document: 600 objects took a second, 10,000
# two minutes. Badges hold about a hundred (the example's credential: 110).
MAX_CREDENTIAL_VALUES = 2000


def _verify_credential(
    report: Report, document: dict, email, now, fetcher: Fetch, checked: Checked
) -> None:
    """Open Badges 3.0: proof with the issuer's did:web key, status list, dates, recipient."""

    def too_many(what: str) -> str:
        return (
            f"{what} holds more than {MAX_CREDENTIAL_VALUES:,} JSON values, more than badgepress"
            " checks a signature over"
        )

    def fetch_bytes(url: str) -> bytes:
        try:
            body = fetcher(url).body
        except FetchError as exc:
            raise _OB3_FETCH_ERRORS[exc.kind](exc.reason) from None
        with contextlib.suppress(JSONRejected):  # verify_ob3 reads it with strict_json too
            if count_values(loads(body)) > MAX_CREDENTIAL_VALUES:
                raise Refused(too_many("it"))
        return body

    if count_values(document) > MAX_CREDENTIAL_VALUES:
        report.checks.append(
            vc.Check("credential", "fail", too_many("the credential"), "unsupported")
        )
        raise _Stop
    try:
        checks, badge = credential_checks(document, fetch_bytes, now, email, checked)
    except (AttributeError, TypeError, KeyError, IndexError) as exc:
        # A value of a type the 3.0 checks do not expect (a number where a URL belongs, a list
        # where an object does), in the credential or a document it names.
        message = f"the credential, or a document it names, is not shaped as Open Badges 3.0 defines ({type(exc).__name__})"
        report.checks.append(vc.failed("credential", message))
        raise _Stop from None
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


def _looks_like_image(data: bytes) -> bool:
    """A PNG, or text with an <svg> element near the start (as verify.js's isSvg decides)."""
    return data.startswith(PNG_SIGNATURE) or is_svg(data)


# A JWS in compact serialization (RFC 7515 §7.1): three base64url parts, the payload may be empty.
_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+")


def _baked_url(checks: list[vc.Check], carried: str) -> str:
    """The assertion URL an image carries: the baked URL, or the id of a baked JSON assertion."""
    text = carried.strip()
    url = None
    if text.startswith("{"):
        with contextlib.suppress(JSONRejected):
            url = vc.id_of(loads(text.encode("utf-8")))
    elif text.startswith(("http://", "https://")):
        url = text
    elif _JWS.fullmatch(text):
        # OB 2.0 signed verification, not hosted.
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


# What a failed fetch means for the badge (FetchError.kind → verdict): the server's own "no such
# record", a document larger than any badge's and a URL that can never be fetched are answers;
# the rest means the badge could not be checked.
_FETCH_VERDICTS = {
    "gone": "invalid",
    "too_large": "invalid",
    "malformed": "invalid",
    "refused": "unsupported",
    "unreachable": "unreachable",
}
# The same for the 3.0 checks, which take verify_ob3's exceptions (FetchError.kind → class).
_OB3_FETCH_ERRORS = {
    "gone": Gone,
    "too_large": Unusable,
    "malformed": Unusable,
    "refused": Refused,
    "unreachable": OSError,
}


def _get(
    checks: list[vc.Check], fetcher: Fetch, url: str, what: str, first: bool = False
) -> Response:
    """The document at `url`; `first`: the URL the user gave, whose answer is the badge itself."""
    try:
        response = fetcher(url)
    except FetchError as exc:
        if exc.gone:
            # The issuer's own server says there is no such record (OB 2.0: treat as not valid).
            message = f"the issuer has no {what} at {url} (HTTP {exc.status})"
        else:
            message = exc.message
        verdict = _FETCH_VERDICTS.get(exc.kind, "unreachable")
        if first and exc.kind in ("too_large", "malformed"):
            verdict = "not_a_badge"
        checks.append(vc.Check(f"{what} fetched", "fail", message, verdict))
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
    timeout = getattr(args, "timeout", None) or TIMEOUT
    now = datetime.datetime.now(datetime.timezone.utc)
    fetcher: Fetch = Fetcher(timeout, policy=AddressPolicy(public_only=args.public_only))
    if getattr(args, "site", None) is not None:
        from .site import LocalSite, SiteFolderError, run_site

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
    report = within_deadline(args.target, timeout, lambda: verify(args.target, email, now, fetcher))
    if args.json:
        text = json.dumps(report.as_json(), indent=2, sort_keys=True, ensure_ascii=False)
        _write(sys.stdout, _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))
    else:
        _write(sys.stdout, report.as_text())
    return report.verdict.exit_code


def within_deadline(target: str, timeout: float, check: Callable[[], Report]) -> Report:
    """`check()`'s report, or Could not check once `timeout` (and a moment's grace) has passed.

    Fetches end at the deadline by themselves (fetch.Fetcher); this also bounds the work between
    them (canonicalizing a crafted 3.0 credential is CPU time no socket timeout limits). The
    check runs on a daemon thread, which ends with the process when given up on.
    """
    done: list[Report] = []
    worker = threading.Thread(target=lambda: done.append(check()), daemon=True, name="verify")
    worker.start()
    worker.join(timeout + GRACE)
    if done:
        return done[0]
    report = Report(target)
    message = f"no verdict within {timeout:g} s (--timeout)"
    report.checks.append(vc.Check("deadline", "fail", message, "unsupported"))
    return report


_SURROGATE = re.compile("[\ud800-\udfff]")


def _write(stream, text: str) -> None:
    """`text` and a newline, with what the stream cannot encode written as escapes."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    stream.write(text.encode(encoding, "backslashreplace").decode(encoding) + "\n")
