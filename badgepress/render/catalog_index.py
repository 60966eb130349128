"""The catalog's search and filter index (`/catalog.json`): pure data from a validated catalog.

The home page lists every credential in HTML; `assets/catalog.js` reads this index to filter
and search them in the browser, so the page works in full without JavaScript.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from ..content.fields import FORMATS
from ..model import Catalog, Credential
from ..openbadges.pretty_json import pretty_json
from ..urls import Urls


def catalog_index(catalog: Catalog, urls: Urls) -> dict:
    """Credentials with their facets and searchable text, stacks in learning order, facet values."""
    steps = {
        slug: (stack.slug, position)
        for stack in catalog.stacks
        for position, slug in enumerate(stack.credentials, start=1)
    }
    return {
        "credentials": [
            _credential_entry(c, urls, *steps.get(c.slug, (None, None)))
            for c in catalog.credentials
        ],
        "stacks": [
            {
                "slug": stack.slug,
                "title": stack.title,
                "url": urls.absolute(urls.stack_page(stack)),
                "credentials": list(stack.credentials),
            }
            for stack in catalog.stacks
        ],
        "facets": catalog_facets(catalog),
    }


def catalog_facets(catalog: Catalog) -> dict[str, list]:
    """The values each filter offers, in the order authors tend to list them."""
    credentials = catalog.credentials
    return {
        "topics": sorted({t for c in credentials for t in c.topics}, key=str.lower),
        "grades": merge_orders(c.grades for c in credentials),
        "audience": merge_orders(c.audience for c in credentials),
        "formats": [f for f in FORMATS if any(c.format == f for c in credentials)],
        "hours": sorted({_number(c.hours) for c in credentials if c.hours is not None}),
    }


def merge_orders(lists: Iterable[tuple[str, ...]]) -> list[str]:
    """Union of lists keeping each list's order: grade bands stay youngest to oldest."""
    merged: list[str] = []
    for items in lists:
        previous = None
        for position, item in enumerate(items):
            if item not in merged:
                if previous is not None:
                    at = merged.index(previous) + 1
                else:  # before the first later item already placed, else at the end
                    later = [merged.index(i) for i in items[position + 1 :] if i in merged]
                    at = min(later, default=len(merged))
                merged.insert(at, item)
            previous = item
    return merged


def dump_index(index: dict) -> bytes:
    """Deterministic JSON bytes (sorted keys, UTF-8, trailing newline)."""
    return pretty_json(index)


def _credential_entry(
    credential: Credential, urls: Urls, stack: str | None, step: int | None
) -> dict:
    fee = credential.fee
    return {
        "slug": credential.slug,
        "name": credential.name,
        "summary": credential.summary,
        "url": urls.criteria_url(credential),
        "stack": stack,
        "step": step,
        "topics": list(credential.topics),
        "grades": list(credential.grades),
        "audience": list(credential.audience),
        "format": credential.format,
        "hours": _number(credential.hours),
        "fee": (
            {
                "members": _number(fee.members),
                "non_members": _number(fee.non_members),
                "currency": fee.currency,
            }
            if fee
            else None
        ),
        "developer": credential.developer,
        "requirements": [
            {"title": r.title, "description": r.description or ""} for r in credential.requirements
        ],
    }


def _number(value: int | Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)
