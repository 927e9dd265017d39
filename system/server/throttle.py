"""Slows down and locks out repeated bad logins (brute-force protection).

Two kinds of record, both kept whether or not the login exists (so the
answer never reveals which logins are real): one per (peer address, login
text) and one per peer address, whatever login names it tries. A record
counts its failures and its attempts *in flight* (a password check started
and not yet answered). ``try_reserve`` takes a slot atomically (the event
loop runs it in one go) before the password is checked:

* ``LOCKED`` when the pair or the address is locked out now;
* ``FULL`` when failures plus attempts in flight already reach the limit
  (``max_failures`` for the pair, ``address_max_failures`` for the address):
  the attempt must wait until one in flight is answered (``reserve`` waits,
  up to a timeout), so parallel attempts can never get more password checks
  than the limit allows;
* else an ``Attempt``, which must end with ``failed`` (recorded; the delay
  to wait before answering), ``succeeded`` (the pair is cleared) or
  ``abandoned`` (no check was made: nothing recorded).

The pair's n-th failure waits ``min(delay * 2**(n-1), max_delay)``; the
limit's failure locks it for ``lockout`` seconds. An address is locked the
same way; its failures are forgotten ``lockout`` seconds after the last.
``load(address)`` (failures plus attempts in flight) lets the password-check
queue serve quiet addresses first. The clock is injected; the policy is
read from its live source (``LiveSettings``) at every use. At most
``MAX_TRACKED`` records of each kind are kept (the oldest are forgotten).
"""

from __future__ import annotations

import asyncio
import enum
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from nabat.system.server.settings import LoginPolicy

Key = tuple[str, str]  # (peer address, login)
MAX_TRACKED = 100_000  # records of each kind kept at most (bounded memory)
K = TypeVar("K", Key, str)


class Refusal(enum.Enum):
    LOCKED = "locked out"
    FULL = "too many attempts in flight"


@dataclass(slots=True)
class _Record:
    failures: int = 0
    in_flight: int = 0
    locked_until: float = 0.0
    last_failure: float = 0.0

    def locked(self, now: float) -> bool:
        return self.locked_until > now


class Attempt:
    """One reserved password check; end it exactly once."""

    def __init__(self, throttle: LoginThrottle, key: Key, pair: _Record, address: _Record) -> None:
        self._throttle = throttle
        self._key = key
        self._pair = pair
        self._address = address
        self._open = True

    def failed(self) -> float:
        """Record the failure; the delay (seconds) to wait before answering."""
        self._end()
        return self._throttle._failed(self._key, self._pair, self._address)

    def succeeded(self) -> None:
        self._end()
        self._throttle._succeeded(self._key)

    def abandoned(self) -> None:
        """No password was checked (busy, cancelled): nothing is recorded."""
        if self._open:
            self._end()

    def _end(self) -> None:
        if not self._open:
            raise RuntimeError("this login attempt has already ended")
        self._open = False
        self._pair.in_flight -= 1
        self._address.in_flight -= 1
        self._throttle._changed()


class LoginThrottle:
    def __init__(
        self, policy: Callable[[], LoginPolicy], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._policy = policy  # the live source: a SETCONFIG change applies to the next login
        self._clock = clock
        self._pairs: dict[Key, _Record] = {}
        self._addresses: dict[str, _Record] = {}
        self._waiters: list[asyncio.Future[None]] = []

    @property
    def policy(self) -> LoginPolicy:
        """The policy in force now."""
        return self._policy()

    def locked(self, key: Key) -> bool:
        """Whether the pair or its address is locked out now."""
        now = self._clock()
        pair, address = self._pairs.get(key), self._addresses.get(key[0])
        return any(r is not None and r.locked(now) for r in (pair, address))

    def load(self, address: str) -> int:
        """Failures plus attempts in flight from ``address`` (0 for a quiet one)."""
        record = self._addresses.get(address)
        return 0 if record is None else record.failures + record.in_flight

    def try_reserve(self, key: Key) -> Attempt | Refusal:
        """A slot for one password check now, or why not (see the module comment)."""
        now, policy = self._clock(), self.policy
        pair = self._record(self._pairs, key, now, forget_after=None)
        address = self._record(self._addresses, key[0], now, forget_after=policy.lockout)
        if pair.locked(now) or address.locked(now):
            return Refusal.LOCKED
        if (
            pair.failures + pair.in_flight >= policy.max_failures
            or address.failures + address.in_flight >= policy.address_max_failures
        ):
            return Refusal.FULL
        pair.in_flight += 1
        address.in_flight += 1
        return Attempt(self, key, pair, address)

    async def reserve(self, key: Key, timeout: float) -> Attempt | Refusal:
        """``try_reserve``, waiting up to ``timeout`` seconds while it is ``FULL``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = self.try_reserve(key)
            left = deadline - loop.time()
            if result is not Refusal.FULL or left <= 0:
                return result
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiters.append(waiter)
            try:
                await asyncio.wait_for(waiter, left)
            except TimeoutError:
                pass
            finally:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)

    # --- bookkeeping -----------------------------------------------------------

    def _record(
        self, records: dict[K, _Record], key: K, now: float, forget_after: float | None
    ) -> _Record:
        record = records.get(key)
        if record is not None and record.in_flight == 0:
            over = record.locked_until != 0.0 and now >= record.locked_until
            stale = forget_after is not None and now - record.last_failure >= forget_after
            if over or (stale and not record.locked(now)):
                del records[key]  # the lockout is over, or the failures are old: start afresh
                record = None
        if record is None:
            record = records[key] = _Record()
            if len(records) > MAX_TRACKED:
                del records[next(iter(records))]
        return record

    def _failed(self, key: Key, pair: _Record, address: _Record) -> float:
        now, policy = self._clock(), self.policy
        self._pairs.pop(key, None)
        self._pairs[key] = pair  # most recent last
        for record, limit in ((pair, policy.max_failures), (address, policy.address_max_failures)):
            record.failures += 1
            record.last_failure = now
            if record.failures >= limit:
                record.locked_until = now + policy.lockout
        delay = policy.delay * 2 ** (pair.failures - 1)
        return float(min(delay, policy.max_delay))

    def _succeeded(self, key: Key) -> None:
        pair = self._pairs.get(key)
        if pair is not None and pair.in_flight == 0:
            del self._pairs[key]
        elif pair is not None:
            pair.failures = 0

    def _changed(self) -> None:
        """An attempt ended: every waiting ``reserve`` tries again."""
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)
