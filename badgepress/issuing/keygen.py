"""`badgepress keygen`: a new Ed25519 signing key for Open Badges 3.0, printed once."""

from __future__ import annotations

import json
from typing import TextIO
from urllib.parse import quote, urlsplit

from ..content.config import load_config
from ..content.project import Project
from ..errors import SourceError
from ..openbadges import ob3
from ..openbadges.signing import SigningKey

DEFAULT_KEY_ENV = "BADGEPRESS_SIGNING_KEY"
WORKFLOW = ".github/workflows/badgepress.yml"  # the deploy workflow `badgepress new` writes


def keygen(project: Project, did: str | None, out: TextIO, err: TextIO) -> int:
    """Print a fresh secret key, its public key and the did.json entry; writes no file."""
    key_env = DEFAULT_KEY_ENV
    errors: list[SourceError] = []  # a broken site.yaml only means no defaults from it
    config = load_config(project, errors) if project.site_yaml.is_file() else None
    if config is not None and config.signing is not None:
        did = did or config.signing.did
        key_env = config.signing.key_env
    elif config is not None and did is None:
        did = did_for(config.base_url)
    if did is None:
        print("badgepress: error: no site.yaml here; pass --did did:web:HOST", file=err)
        return 2
    key = SigningKey.generate()
    method = ob3.did_document(did, [key.public_multibase])["verificationMethod"][0]
    # The secret goes to stdout only, once: nothing is written to disk or to the repository.
    print(
        f"""Secret key (Ed25519, multibase secretKeyMultibase). Store it as the CI secret
{key_env} or in a file outside the repository; never commit it:

{key.secret_multibase}

Public key: {key.public_multibase}

Add to content/site.yaml (if not there yet):

signing:
  did: {did}
  key_env: {key_env}
{_workflow_step(project, key_env)}
Every build with {key_env} set publishes the DID document with this verification method:

{json.dumps(method, indent=2)}

When replacing an older key, list the old public key under signing.previous_keys so
credentials signed with it keep verifying.""",
        file=out,
    )
    return 0


def _workflow_step(project: Project, key_env: str) -> str:
    """Where the site's deploy gets the key: without it, the first signed deploy fails."""
    if not (project.root / WORKFLOW).is_file():
        return ""
    return f"""
Then give the deploy the secret: in {WORKFLOW}, uncomment the
`env:` lines of its `badgepress build` step ({key_env}: ${{{{ secrets.{key_env} }}}}).
"""


def did_for(base_url: str) -> str:
    """did:web for a base URL: host (port as %3A) plus path segments joined by ':'."""
    parts = urlsplit(base_url)
    segments = [quote(s, safe="") for s in parts.path.split("/") if s]
    return ":".join(["did:web", quote(parts.netloc, safe=""), *segments])
