"""Which network addresses `badgepress verify` may connect to: the links it follows are a stranger's.

- Never: link-local (169.254.0.0/16, where clouds answer with their metadata and credentials;
  fe80::/10), multicast, unspecified (0.0.0.0, ::) and reserved addresses. No badge is
  published there.
- Loopback and private networks (127.0.0.0/8, 10/8, 172.16/12, 192.168/16, fc00::/7, ...):
  yes, as curl would, so you can check the badges of your own `badgepress serve` or of an
  intranet issuer; but not once a run has fetched from the public internet (a public document
  cannot send the verifier into your network: browsers' Private Network Access rule), and never
  with `--public-only` (for a service that verifies badges for others).

The address is checked after name resolution and the connection made to that very address, so a
name that resolves differently a second time (DNS rebinding) gains nothing.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

PUBLIC, PRIVATE, FORBIDDEN = "public", "private", "forbidden"


def classify(address: str) -> str:
    """PUBLIC, PRIVATE (loopback and private networks) or FORBIDDEN, for an IP address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone (fe80::1%eth0) aside
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if ip.is_loopback:
        return PRIVATE  # before is_reserved: ::1 lies in the reserved ::/8
    if ip.is_link_local or ip.is_multicast or ip.is_unspecified or ip.is_reserved:
        return FORBIDDEN
    return PUBLIC if ip.is_global else PRIVATE


class AddressPolicy:
    """One run's rule; `refusal(address)` says why an address may not be used, or None."""

    def __init__(
        self, *, public_only: bool = False, classify: Callable[[str], str] = classify
    ) -> None:
        self.public_only = public_only
        self._classify = classify
        self._went_public = False

    def refusal(self, address: str) -> str | None:
        kind = self._classify(address)
        if kind == FORBIDDEN:
            return f"{address} is a link-local, multicast or reserved address, where no badge is published"
        if kind == PRIVATE and self.public_only:
            return f"{address} is a private or loopback address (--public-only)"
        if kind == PRIVATE and self._went_public:
            return f"{address} is a private or loopback address, named by a document from the public internet"
        return None

    def connected(self, address: str) -> None:
        """Record a connection: after a public one, private addresses are refused."""
        if self._classify(address) == PUBLIC:
            self._went_public = True
