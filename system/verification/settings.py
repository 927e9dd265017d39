"""Settings of the verification client: servers, budgets, pooling, policies.

Immutable and validated on construction (architecture principle 7). The
defaults run against a simulator on loopback and keep a verification well
inside the regulator's 500 ms budget for call setup.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal
from urllib.parse import urlsplit


class Direction(enum.Enum):
    """Why the system verifies: it decides which unavailability policy applies."""

    OUTGOING = "outgoing"  # RegisterCall before the system places a call
    INCOMING = "incoming"  # CheckCall of a call the system receives
    REMOTE_START = "remote_start"  # CheckCall of a call that would start an alert


class Policy(enum.Enum):
    FAIL_OPEN = "fail_open"  # unverifiable: proceed
    FAIL_CLOSED = "fail_closed"  # unverifiable: refuse


DEFAULT_POLICIES: Mapping[Direction, Policy] = MappingProxyType(
    {
        Direction.OUTGOING: Policy.FAIL_OPEN,
        Direction.INCOMING: Policy.FAIL_OPEN,
        # A spoofed caller must never start an alert.
        Direction.REMOTE_START: Policy.FAIL_CLOSED,
    }
)


class SettingsError(ValueError):
    """Invalid verification settings."""


def _check_url(name: str, url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(f"{name} must be an http(s) URL, got {url!r}")


@dataclass(frozen=True, slots=True)
class VerificationSettings:
    primary_url: str
    reserve_url: str | None = None
    source_address: str | None = None  # the operator is identified by it (ruling 4)
    budget: float = 0.3  # seconds for one verification, failover included
    primary_attempt_timeout: float = 0.1  # a hanging server costs at most this before failover
    ping_interval: float = 1.0  # background probe of an unhealthy primary
    healthy_pings_required: int = 2  # after 5xx / connection failures (307 needs one)
    failback: Literal["ping", "manual"] = "ping"  # after 5xx the spec advises manual return
    pool_size: int = 100  # keep-alive connections per server
    max_concurrency: int = 512  # verifications in flight; more wait their turn
    policies: Mapping[Direction, Policy] = field(default_factory=lambda: DEFAULT_POLICIES)

    def __post_init__(self) -> None:
        _check_url("primary_url", self.primary_url)
        if self.reserve_url is not None:
            _check_url("reserve_url", self.reserve_url)
        if not 0 < self.budget <= 10:
            raise SettingsError("budget must be within (0, 10] seconds")
        if not 0 < self.primary_attempt_timeout <= self.budget:
            raise SettingsError("primary_attempt_timeout must be within (0, budget]")
        if self.ping_interval <= 0:
            raise SettingsError("ping_interval must be positive")
        if self.healthy_pings_required < 1:
            raise SettingsError("healthy_pings_required must be at least 1")
        if self.failback not in ("ping", "manual"):
            raise SettingsError("failback must be 'ping' or 'manual'")
        if self.pool_size < 1 or self.max_concurrency < 1:
            raise SettingsError("pool_size and max_concurrency must be at least 1")
        missing = set(Direction) - set(self.policies)
        if missing:
            raise SettingsError(f"no policy for {', '.join(sorted(d.value for d in missing))}")
        object.__setattr__(self, "primary_url", self.primary_url.rstrip("/"))
        if self.reserve_url is not None:
            object.__setattr__(self, "reserve_url", self.reserve_url.rstrip("/"))
        object.__setattr__(self, "policies", MappingProxyType(dict(self.policies)))
