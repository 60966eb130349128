"""openbadgeslib (PyPI, `[ldp]` extra) as a Python reference verifier, offline.

Runs in its own virtual environment (scripts/openbadgeslib-venv.sh), never in badgepress's:

    python openbadgeslib_verify.py --site DIR --base URL --now ISO FILE...

Same command line and answer as the Node verifiers (offline.mjs): one JSON object
{"results": [{"file", "verified", "checks", "error"}], "fetched", "refused"} on stdout.

`OB3LdpVerifier.verify` runs, in order and stopping at the first failure: the structural screen
and OpenBadgeCredential model, the check that the JSON is exactly the compacted form of what the
proof signs under the pinned contexts (no dropped or re-keyed term), the proof with the key the
issuer's did:web document lists, validFrom/validUntil against the clock, and the status bit. It
verifies the status list's own proof only for a JWT-VC list, so for a Data Integrity list (ours)
this script verifies it with openbadgeslib's `verify_data_integrity_proof`, bound to the badge's
issuer DID, as the library's `verify_list` does for JWT lists. The clock is frozen at --now
(time-machine): the library reads the wall clock.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import time_machine
from openbadgeslib.ob3.did import resolve_verification_method
from openbadgeslib.ob3.ldp import OB3LdpVerifier, verify_data_integrity_proof
from openbadgeslib.ob3.verifier import OB3VerificationError

# The library's messages name the step that failed (openbadgeslib/ob3/{ldp,verifier,status,
# did}.py), first match wins: the JSON-LD form message mentions the signature it protects.
STEP_PHRASES = (
    ("schema", ("compacted form", "Malformed credential", "OpenBadgeCredential", "must include")),
    ("validity", ("Credential has expired", "Credential is not yet valid")),
    ("status", ("Credential status", "status list")),
    ("signature", ("Data Integrity proof", "verificationMethod", "DID document")),
)


class OfflineWeb:
    """Answers https URLs under the site's base (or its did:web origin) from the site folder."""

    def __init__(self, site: Path, base: str) -> None:
        self.site = site.resolve()
        host_and_path = base.split("://", 1)[1]
        self.prefixes = sorted({base, "https://" + host_and_path})
        self.fetched: set[str] = set()
        self.refused: set[str] = set()

    def __call__(self, url: str, *args, **kwargs) -> bytes:
        bare = url.split("#", 1)[0]
        for prefix in self.prefixes:
            if bare.startswith(prefix):
                file = (self.site / bare[len(prefix) :]).resolve()
                if file.is_relative_to(self.site) and file.is_file():
                    self.fetched.add(bare)
                    return file.read_bytes()
        self.refused.add(url)
        raise OSError(f"the offline verifier refuses to fetch {url}")


def verify_status_list_proof(credential: dict, download: OfflineWeb) -> None:
    """The status list's Data Integrity proof verifies with a key of the badge's issuer."""
    issuer = credential["issuer"]
    issuer = issuer["id"] if isinstance(issuer, dict) else issuer
    entries = credential.get("credentialStatus", [])
    for entry in entries if isinstance(entries, list) else [entries]:
        url = entry["statusListCredential"]
        status_list = json.loads(download(url))
        list_issuer = status_list.get("issuer")
        list_issuer = list_issuer.get("id") if isinstance(list_issuer, dict) else list_issuer
        if list_issuer != issuer:
            raise OB3VerificationError(
                f"status list {url} issuer {list_issuer!r} is not {issuer!r}"
            )
        proofs = status_list.get("proof")
        proofs = proofs if isinstance(proofs, list) else [proofs]
        if len(proofs) != 1 or not isinstance(proofs[0], dict):
            raise OB3VerificationError(f"status list {url} has no single proof")
        method = proofs[0].get("verificationMethod", "")
        if method.partition("#")[0] != issuer:
            raise OB3VerificationError(
                f"status list {url} proof key {method!r} is not the issuer's"
            )
        try:
            verify_data_integrity_proof(
                status_list, resolve_verification_method(method, download=download)
            )
        except OB3VerificationError as error:
            raise OB3VerificationError(f"status list {url} proof: {error}") from error


def verify(path: Path, download: OfflineWeb) -> dict:
    raw = path.read_bytes()
    try:
        credential = json.loads(raw)
        issuer = credential["issuer"]
        did = issuer["id"] if isinstance(issuer, dict) else issuer
        OB3LdpVerifier.for_issuer_did(did).verify(
            raw, check_status=True, download=download, verify_status_list=False
        )
        verify_status_list_proof(credential, download)
    except (OB3VerificationError, ValueError, KeyError, TypeError) as error:
        message = f"{type(error).__name__}: {error}"
        return {"verified": False, "checks": {failed_step(message): False}, "error": message}
    checks = dict.fromkeys(("schema", "signature", "validity", "status"), True)
    return {"verified": True, "checks": checks, "error": None}


def failed_step(message: str) -> str:
    """The check a failure message belongs to; "unknown" makes every expectation fail."""
    for step, phrases in STEP_PHRASES:
        if any(phrase in message for phrase in phrases):
            return step
    return "unknown"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--base", required=True)
    parser.add_argument("--now", required=True)
    # Accepted like the Node verifiers' and unused: openbadgeslib has no schema step taking
    # 1EdTech's JSON Schemas and no issuer registry.
    parser.add_argument("--schemas")
    parser.add_argument("--registry")
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    base = args.base if args.base.endswith("/") else args.base + "/"
    web = OfflineWeb(args.site, base)
    with time_machine.travel(args.now, tick=False):
        results = [{"file": str(path), **verify(path, web)} for path in args.files]
    answer = {"results": results, "fetched": sorted(web.fetched), "refused": sorted(web.refused)}
    sys.stdout.write(json.dumps(answer, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
