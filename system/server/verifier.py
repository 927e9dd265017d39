"""Password checks (scrypt) on a few worker threads, through a bounded, fair queue.

A check costs about a third of a second of a core and 32 MiB, so only
``threads`` run at once, in their own pool (never the store's threads).
``check(address, function)`` runs ``function`` in a worker when one is free;
otherwise it waits in the queue, which holds at most ``queue`` checks
(one more raises ``VerifierBusy`` at once) for at most ``queue_timeout``
seconds (then ``VerifierBusy``): both read from the live login policy at
each use. When a worker frees up, the waiting check of the quietest
address goes first (lowest ``priority(address)``: the login throttle's
failures plus attempts in flight; ties in arrival order), so a flood of bad
logins from some addresses cannot make a real user's LOGIN from another
address wait behind it. A check whose caller gives up (cancelled) keeps its
worker until the thread is done, so the count of running checks is true.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

from nabat.system.server.settings import LoginPolicy

T = TypeVar("T")


class VerifierBusy(Exception):
    """No worker for this password check soon enough: answer 'busy', check nothing."""


@dataclass(slots=True)
class _Waiting:
    address: str
    order: int
    granted: asyncio.Future[None] = field(repr=False)


class PasswordVerifier:
    def __init__(
        self,
        threads: int,
        policy: Callable[[], LoginPolicy],
        priority: Callable[[str], int] = lambda address: 0,
    ) -> None:
        self._threads = threads
        self._policy = policy
        self._priority = priority
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="nabat-verify")
        self._running = 0
        self._waiting: list[_Waiting] = []
        self._order = itertools.count()

    @property
    def waiting(self) -> int:
        """Checks in the queue now."""
        return len(self._waiting)

    async def check(self, address: str, function: Callable[[], T]) -> T:
        """``function()`` in a worker thread; ``VerifierBusy`` if none is free soon."""
        await self._acquire(address)
        job = asyncio.get_running_loop().run_in_executor(self._pool, function)
        job.add_done_callback(lambda _: self._release())
        return await asyncio.shield(job)

    async def _acquire(self, address: str) -> None:
        if self._running < self._threads and not self._waiting:
            self._running += 1
            return
        policy = self._policy()
        if len(self._waiting) >= policy.queue:
            raise VerifierBusy(f"{len(self._waiting)} password checks are waiting")
        granted: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = _Waiting(address, next(self._order), granted)
        self._waiting.append(entry)
        try:
            await asyncio.wait_for(asyncio.shield(granted), policy.queue_timeout)
        except BaseException as exc:
            if granted.done() and not granted.cancelled():
                self._release()  # granted as we gave up: pass the worker on
            else:
                self._waiting.remove(entry)
                granted.cancel()
            if isinstance(exc, TimeoutError):
                raise VerifierBusy(f"no worker within {policy.queue_timeout} s") from None
            raise

    def _release(self) -> None:
        self._running -= 1
        while self._waiting and self._running < self._threads:
            entry = min(self._waiting, key=lambda w: (self._priority(w.address), w.order))
            self._waiting.remove(entry)
            self._running += 1
            entry.granted.set_result(None)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)
