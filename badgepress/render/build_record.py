"""site/build.json: which commit and which badgepress built the site. No wall-clock time, so
the same commit always gives the same bytes."""

from __future__ import annotations

import json

from .. import __version__
from ..model import Catalog
from ..openbadges.ob2 import iso_datetime


def build_record(catalog: Catalog) -> bytes:
    """The build record's JSON bytes; commit fields are null outside git."""
    commit = catalog.commit
    record = {
        "badgepress": __version__,
        "commit": commit.sha if commit else None,
        "commit_time": iso_datetime(commit.time) if commit else None,
    }
    return (json.dumps(record, indent=2, sort_keys=True) + "\n").encode("utf-8")
