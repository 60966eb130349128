"""site/_headers: the HTTP headers Netlify and Cloudflare Pages send with the site. Pure.

Verifiers that run in a browser (VerifierPlus, another site's verify page, web wallets) fetch
the DID document, the status list, credentials and the Open Badges 2.0 JSON from another
origin, which a browser allows only with `Access-Control-Allow-Origin` (CORS). GitHub Pages
sends `Access-Control-Allow-Origin: *` with every file; Netlify and Cloudflare Pages send it
only when `_headers` asks. Both read `_headers` from the root of the deployed folder and do not
serve it. Rules use only exact paths and a final `/*`, the patterns both hosts match alike;
each header is set by one rule per path, because Cloudflare joins a header set by two matching
rules into one value ("*, *"). Both hosts already serve `.json` files as application/json;
the rules below say so for the JSON files a verifier fetches whose paths they can name.
"""

from __future__ import annotations

from ..model import SiteConfig
from ..urls import Urls

JSON = "application/json; charset=utf-8"


def headers_rules(config: SiteConfig, urls: Urls) -> list[tuple[str, dict[str, str]]]:
    """(path pattern, headers) rules, paths from the site folder's root (urls.py's paths)."""
    rules: list[tuple[str, dict[str, str]]] = [
        # Everything the site publishes is public: the same header GitHub Pages sends.
        ("/*", {"Access-Control-Allow-Origin": "*"}),
        (f"/{urls.issuer_json}", {"Content-Type": JSON}),
        (f"/{urls.revocations_json}", {"Content-Type": JSON}),
    ]
    if config.signing is not None:
        try:
            did_document = urls.did_document_json(config.signing.did)
        except ValueError:
            did_document = None  # refused by the build's checks (ob3_build.check_signing)
        if did_document is not None:
            rules.append((f"/{did_document}", {"Content-Type": JSON}))
        status_folder = urls.status_list_json.rpartition("/")[0]
        rules.append((f"/{status_folder}/*", {"Content-Type": JSON}))
    return rules


def headers_file(config: SiteConfig, urls: Urls) -> bytes:
    """The `_headers` file: a path line, then its indented `Name: value` lines, per rule."""
    lines = [
        "# HTTP headers for Netlify and Cloudflare Pages, written by badgepress build.",
        "# Browser-based Open Badges verifiers fetch the site's JSON from other origins: CORS.",
        "# GitHub Pages ignores this file and already sends Access-Control-Allow-Origin: *.",
    ]
    for path, headers in headers_rules(config, urls):
        lines.append("")
        lines.append(path)
        lines.extend(f"  {name}: {value}" for name, value in headers.items())
    return ("\n".join(lines) + "\n").encode("utf-8")
