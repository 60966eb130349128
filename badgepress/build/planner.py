"""Planning an incremental build: from the last build's typed state and this build's digests,
which assertions must be rendered again and what is kept."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .state import BuildState, StateDamaged, bucket_of

if TYPE_CHECKING:
    from ..model import Assertion


@dataclass
class Plan:
    """Which assertions this build renders, and what it keeps from the last one."""

    render: list  # assertions whose outputs are rendered
    known: dict  # output records of the last build: unchanged files are recognised by stat
    kept_records: dict  # of kept files in the buckets read, and of the catalog files
    full: bool
    catalog_paths: frozenset = frozenset()  # kept catalog files (not `full`)
    changed: frozenset = frozenset()  # ids rendered or removed (not `full`)
    buckets: frozenset = frozenset()  # of outputs read (not `full`): those the state rewrites
    kept_files: int = 0  # output files kept as they are, in every bucket
    # Not `full`, but a credential or the catalog context changed: the catalog's files are
    # rendered again too.
    renders_catalog: bool = False
    reason: str = ""  # `full`: why every assertion renders, for the build's summary line


@dataclass(frozen=True)
class PlanInputs:
    """What this build knows when it plans (`Increment.plan` gathers it)."""

    context: str  # `earner_context_of` this build: what every earner page depends on
    catalog_context: str  # `context_of` this build: what the catalog's files depend on
    assertions: Sequence[Assertion]  # every assertion of this build
    fresh: set[str]  # ids read again: changed, added or moved files
    withdrawn: dict[str, Assertion]  # id → the assertion made from a deleted file
    credentials: dict[str, str]  # slug → `credential_digests`
    positions: dict[str, int]  # id → its place in the 3.0 status list (empty without signing)
    now: datetime.datetime | None  # this build's reference time
    # A site template reads the catalog's assertions (template_deps.TemplateUse).
    shows_other_badges: bool


NO_STATE = "no earlier build into this folder"


def full_plan(assertions, reason: str, known: dict | None = None) -> Plan:
    """Render every assertion (`reason`: why, for the build's summary line)."""
    return Plan(list(assertions), {} if known is None else known, {}, True, reason=reason)


def plan(
    state: BuildState | None,
    this: PlanInputs,
    what_changed: Callable[[], str] = lambda: "what every earner page shows changed",
) -> Plan:
    """Render every assertion when the `context` of their files changed; else only those whose
    output may differ from the last build's: read again (`fresh`), new, withdrawn unlike last
    time, whose status as of `this.now` is not the one it had, whose credential changed, or
    whose place in the 3.0 status list moved (its signed credential names it). The catalog's
    files are rendered again when a credential or anything else of their `catalog_context`
    changed. `what_changed()` names the input that changed the context, for the build's
    summary line."""
    assertions = this.assertions
    if state is None:
        return full_plan(assertions, NO_STATE)
    try:
        if state.context != this.context:
            return full_plan(assertions, what_changed(), state.all_records())
        if this.shows_other_badges:
            reason = "a site template reads the catalog's assertions: a page may show other badges"
            return full_plan(assertions, reason, state.all_records())
        credentials = this.credentials
        changed = frozenset(
            slug
            for slug in state.credentials.keys() | credentials.keys()
            if state.credentials.get(slug) != credentials.get(slug)
        )
        catalog = bool(changed) or this.catalog_context != state.catalog_context
        return _assertions_only(state, this, changed, catalog)
    except StateDamaged:  # render everything; files are compared by their bytes
        return full_plan(assertions, "the saved state of the last build is incomplete")


def _assertions_only(
    state: BuildState, this: PlanInputs, credentials: frozenset, renders_catalog: bool
) -> Plan:
    """`credentials`: the slugs of those that changed."""
    ids, published, placed = state.ids, state.withdrawn, state.positions
    assertions, fresh, now, withdrawn = this.assertions, this.fresh, this.now, this.withdrawn
    positions = this.positions
    # Read again, or moved in the 3.0 status list (their signed credentials name the place).
    again = fresh
    if placed != positions:
        again = fresh | {
            i for i in placed.keys() | positions.keys() if placed.get(i) != positions.get(i)
        }
    # A status (model.Assertion.status) differs as of the two reference times when the badge
    # expires between them: `earlier < expires <= later`, whichever way the time moved.
    earlier, later = sorted((state.now, now))
    moved = earlier != later
    render = []
    for a in assertions:
        if a.id in again or a.id not in ids or a.credential in credentials:
            render.append(a)
        elif a.id in withdrawn:
            if published.get(a.id) != a:
                render.append(a)
        elif moved and a.expires is not None and earlier < a.expires <= later and not a.revoked:
            render.append(a)
    new = sum(1 for a in render if a.id not in ids)
    # The ids of the last build that are not in this one (none when the counts say so).
    removed = (
        ids.difference(a.id for a in assertions) if len(ids) + new > len(assertions) else set()
    )
    changed = frozenset({a.id for a in render} | removed)
    buckets = frozenset(bucket_of(assertion_id) for assertion_id in changed)
    known = dict(state.site_records)
    kept_records = {}
    gone_files = 0
    try:
        for index in buckets:
            bucket = state.output_bucket(index)
            records = bucket["records"]
            known.update(records)
            for assertion_id, paths in bucket["units"].items():
                if assertion_id in changed:
                    gone_files += len(paths)
                else:
                    for path in paths:
                        kept_records[path] = records[path]
        kept_catalog = frozenset() if renders_catalog else state.catalog_paths
        for path in kept_catalog:
            kept_records[path] = state.site_records[path]
    except KeyError as missing:
        raise StateDamaged(missing) from None
    kept_files = state.unit_files - gone_files + len(kept_catalog)
    return Plan(
        render,
        known,
        kept_records,
        False,
        kept_catalog,
        changed,
        buckets,
        kept_files,
        renders_catalog=renders_catalog,
    )
