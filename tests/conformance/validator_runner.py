"""Run the official Open Badges 2.0 validator (badgecheck) offline.

Runs INSIDE the validator venv (see scripts/validator-venv.sh), never in badgepress's own
environment. Reads a JSON request on stdin:

    {"routes": {"https://badges.example.org": "http://127.0.0.1:54321"},
     "items": [{"input": "<assertion URL or path to a baked PNG/SVG>", "emails": ["a@x.org"]}]}

and prints a JSON list with one result per item on stdout.
"""

import json
import os
import sys
import tempfile

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict

# The validator asks for the context by its w3id URL; w3id answers with a redirect to
# openbadgespec.org, so answer every spelling of it from the copy shipped in the package.
CONTEXT_URLS = {
    "w3id.org/openbadges/v2",
    "w3id.org/openbadges/v2/",
    "openbadgespec.org/v2/context.json",
    "www.openbadgespec.org/v2/context.json",
}
# The local server must answer quickly; no request may hang a test run.
ROUTED_TIMEOUT = 30

_routes = {}
_fetched = []  # what the current item asked for, for the result's "fetched"
_original_send = HTTPAdapter.send


def _bare(url):
    """URL without scheme, query or fragment, for matching the context URL."""
    rest = url.split("://", 1)[-1]
    return rest.split("#", 1)[0].split("?", 1)[0]


def _fake_response(request, status, body, content_type):
    response = requests.Response()
    response.status_code = status
    response.reason = "OK" if status == 200 else "Offline"
    response._content = body
    response.headers = CaseInsensitiveDict({"Content-Type": content_type})
    response.encoding = "utf-8"
    response.url = request.url
    response.request = request
    return response


def _offline_send(self, request, **kwargs):
    """HTTPAdapter.send that never leaves the machine."""
    from openbadges.verifier.openbadges_context import OPENBADGES_CONTEXT_V2_DICT

    url = request.url
    if _bare(url) in CONTEXT_URLS:
        _fetched.append({"url": url, "status": 200, "served": "bundled context"})
        body = json.dumps(OPENBADGES_CONTEXT_V2_DICT).encode()
        return _fake_response(request, 200, body, "application/ld+json")
    for prefix, origin in _routes.items():
        if url == prefix or url.startswith(prefix + "/") or url.startswith(prefix + "?"):
            local = request.copy()
            local.url = origin + url[len(prefix) :]
            # Host must name the local server, or requests re-uses the public one.
            local.headers.pop("Host", None)
            kwargs["timeout"] = kwargs.get("timeout") or ROUTED_TIMEOUT
            response = _original_send(self, local, **kwargs)
            # Report the public URL: the validator compares ids, never the transport.
            response.url = url
            _fetched.append({"url": url, "status": response.status_code, "served": local.url})
            return response
    _fetched.append({"url": url, "status": None, "served": "refused (offline)"})
    raise requests.ConnectionError(f"offline: {url} is not routed to a local server")


def _png_is_baked(data):
    """True when a PNG has an iTXt/tEXt chunk with keyword `openbadges`."""
    pos = 8
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        if kind in (b"iTXt", b"tEXt"):
            body = data[pos + 8 : pos + 8 + length]
            if body.split(b"\x00", 1)[0] == b"openbadges":
                return True
        if kind == b"IEND":
            break
        pos += 12 + length
    return False


def _file_problem(path):
    """Why a file cannot be handed to the validator, or None (it crashes on unbaked images)."""
    from openbadges_bakery import unbake

    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return None if _png_is_baked(data) else "not baked"
    if b"<svg" in data[:256]:
        try:
            with open(path, "rb") as f:
                return None if unbake(f) else "not baked"
        except Exception:
            return "not baked"
    return "not a PNG or SVG image"


def _result(item_input, report):
    rep = report["report"]
    subject = rep.get("validationSubject")
    assertions = [n for n in report.get("graph", []) if n.get("type") == "Assertion"]
    node = next(
        (n for n in assertions if n.get("id") == subject), assertions[0] if assertions else {}
    )
    return {
        "input": item_input,
        "valid": bool(rep.get("valid")),
        "errorCount": rep.get("errorCount", 0),
        "warningCount": rep.get("warningCount", 0),
        "messages": rep.get("messages", []),
        "assertion_id": node.get("id", subject),
        "revoked": node.get("revoked", False),
        "openBadgesVersion": rep.get("openBadgesVersion"),
        "recipientProfile": rep.get("recipientProfile"),
    }


def _is_url(value):
    return value.startswith(("http://", "https://"))


def verify_item(item):
    """Validate one input; never raises."""
    import openbadges

    item_input = item["input"]
    target = item_input if _is_url(item_input) else item["path"]
    emails = list(item.get("emails") or [])
    # No emails: validate the badge without checking whom it was awarded to.
    profile = {"email": emails} if emails else None
    _fetched.clear()
    try:
        if _is_url(target):
            # Caching off: every item must see the files as they are now.
            report = openbadges.verify(
                target, recipient_profile=profile, use_cache=False, cache_backend=None
            )
        else:
            problem = _file_problem(target)
            if problem:
                return {"input": item_input, "valid": False, "error": problem, "fetched": []}
            with open(target, "rb") as f:
                report = openbadges.verify(
                    f, recipient_profile=profile, use_cache=False, cache_backend=None
                )
        result = _result(item_input, report)
    except Exception as exc:  # the validator is old; report its crashes instead of dying
        result = {"input": item_input, "valid": False, "error": f"{type(exc).__name__}: {exc}"}
    result["fetched"] = list(_fetched)
    return result


def main():
    request = json.load(sys.stdin)
    _routes.update({k.rstrip("/"): v.rstrip("/") for k, v in request.get("routes", {}).items()})
    items = request["items"]
    # File paths are relative to the caller's cwd; then work in a scratch cwd so that nothing
    # the old packages write (cache files, temp files) lands in the repository.
    for item in items:
        if not _is_url(item["input"]):
            item["path"] = os.path.abspath(item["input"])
    HTTPAdapter.send = _offline_send
    out = sys.stdout
    # The validator may print; keep stdout for the JSON answer alone.
    sys.stdout = sys.stderr
    with tempfile.TemporaryDirectory(prefix="badgecheck-") as scratch:
        os.chdir(scratch)
        results = [verify_item(item) for item in items]
    json.dump(results, out, indent=1)
    out.write("\n")


if __name__ == "__main__":
    main()
