"""Address rules shared by protocol adapters: the suites only ever bind
loopback source addresses (operators are told apart by client IP)."""

from __future__ import annotations

import ipaddress


def require_loopback(address: str) -> str:
    """Return ``address`` if it is a loopback IP address, else raise ValueError."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        raise ValueError(f"{address!r} is not an IP address") from None
    if not parsed.is_loopback:
        raise ValueError(f"source address {address} is not a loopback address")
    return address
