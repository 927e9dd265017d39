"""Slows down and locks out repeated bad logins (brute-force protection).

State is kept per (peer address, login text) whether or not the login
exists, so the answer never reveals which logins are real. ``delay_for``
tells how long to wait before answering a failure; ``locked`` whether the
pair is locked out now. A success clears the pair. The clock is injected;
the policy is read from its live source (``LiveSettings``) at every use.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from nabat.system.server.settings import LoginPolicy

Key = tuple[str, str]
MAX_TRACKED = 100_000  # forget the oldest pairs beyond this (bounded memory)


@dataclass(slots=True)
class _Record:
    failures: int = 0
    locked_until: float = 0.0


class LoginThrottle:
    def __init__(
        self, policy: Callable[[], LoginPolicy], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._policy = policy  # the live source: a SETCONFIG change applies to the next login
        self._clock = clock
        self._records: dict[Key, _Record] = {}

    @property
    def policy(self) -> LoginPolicy:
        """The policy in force now."""
        return self._policy()

    def locked(self, key: Key) -> bool:
        record = self._records.get(key)
        if record is None or record.locked_until == 0.0:
            return False
        if self._clock() >= record.locked_until:
            del self._records[key]  # the lockout is over: start afresh
            return False
        return True

    def failure(self, key: Key) -> float:
        """Record a failure; the delay (seconds) to wait before answering."""
        record = self._records.pop(key, None) or _Record()
        self._records[key] = record  # most recent last
        record.failures += 1
        policy = self.policy
        if record.failures >= policy.max_failures:
            record.locked_until = self._clock() + policy.lockout
        if len(self._records) > MAX_TRACKED:
            del self._records[next(iter(self._records))]
        delay = policy.delay * 2 ** (record.failures - 1)
        return float(min(delay, policy.max_delay))

    def success(self, key: Key) -> None:
        self._records.pop(key, None)
