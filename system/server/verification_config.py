"""The ``[verification]`` table of the server's config file -> ``VerificationSettings``.

How it works: ``parse_verification`` reads the table's keys (an unknown key,
a wrong type or a bad value is a ``ValueError`` naming the key; the
``ServerSettings`` key ``verification`` turns it into the config file's
error): ``primary_url`` (absent or empty: no verification, the function
returns None and the server places calls unregistered, warning once at
start), ``reserve_url``, ``source_address`` (the local IP address the
client's connections come from: the verification servers identify our
operator by it), ``budget`` (seconds for one verification, failover
included) and the three direction policies ``outgoing_policy``,
``incoming_policy``, ``remote_start_policy`` (``fail_open`` /
``fail_closed``: what happens when neither server can answer;
``remote_start_policy`` defaults to ``fail_closed``: a caller nobody could
verify must never start an alert). The rest of ``VerificationSettings``
keeps its defaults. It is a start-up setting: SETCONFIG cannot change it.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import math
from collections.abc import Mapping
from typing import Any

from nabat.system.verification.settings import (
    DEFAULT_POLICIES,
    Direction,
    Policy,
    SettingsError,
    VerificationSettings,
)

_POLICY_KEYS = {f"{direction.value}_policy": direction for direction in Direction}
_TEXT_KEYS = ("primary_url", "reserve_url", "source_address")
KEYS = (*_TEXT_KEYS, "budget", *_POLICY_KEYS)
_FIRST_ATTEMPT: float = next(
    item.default
    for item in dataclasses.fields(VerificationSettings)
    if item.name == "primary_attempt_timeout"
)  # type: ignore[assignment]


def _text(table: Mapping[str, Any], key: str) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{key} must be a string, got {type(value).__name__}")
    return value or None


def _policy(table: Mapping[str, Any], key: str, direction: Direction) -> Policy:
    value = table.get(key)
    if value is None:
        return DEFAULT_POLICIES[direction]
    choices = ", ".join(policy.value for policy in Policy)
    if not isinstance(value, str):
        raise ValueError(f"{key} must be one of {choices}, got {type(value).__name__}")
    try:
        return Policy(value)
    except ValueError:
        raise ValueError(f"{key} must be one of {choices}, got {value[:40]!r}") from None


def _budget(table: Mapping[str, Any]) -> float | None:
    value = table.get("budget")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"budget must be a number of seconds, got {type(value).__name__}")
    if not math.isfinite(value):
        raise ValueError("budget must be a finite number of seconds")
    return float(value)


def _address(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise ValueError(f"source_address must be an IP address, got {text[:40]!r}") from None


def parse_verification(table: Mapping[str, Any]) -> VerificationSettings | None:
    """The client's settings from the ``[verification]`` table (None: no ``primary_url``)."""
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r} (known keys: {', '.join(KEYS)})")
    primary = _text(table, "primary_url")
    reserve = _text(table, "reserve_url")
    source = _address(_text(table, "source_address"))
    budget = _budget(table)
    policies = {
        direction: _policy(table, key, direction) for key, direction in _POLICY_KEYS.items()
    }
    if primary is None:
        if reserve is not None:
            raise ValueError("reserve_url needs a primary_url")
        return None
    extra: dict[str, Any] = {}
    if budget is not None:
        # the first attempt may take the whole budget when that is below its default
        extra = {"budget": budget, "primary_attempt_timeout": min(budget, _FIRST_ATTEMPT)}
    try:
        return VerificationSettings(
            primary, reserve_url=reserve, source_address=source, policies=policies, **extra
        )
    except SettingsError as exc:
        raise ValueError(str(exc)) from None
