"""Injected time for channel drivers (architecture principle 10).

How it works: a driver never calls ``asyncio.sleep`` or reads a clock on its
own; it is given a ``Clock`` with ``now()`` and ``sleep(seconds)``.
``LoopClock`` is the real one (the event loop's monotonic time). Tests and
benchmarks hand in a clock that follows a simulator's simulated time, so a
60-second ring timeout or a 30-second health check passes when the test
advances the simulator, not in real time.

``within(clock, awaitable, seconds)`` is ``asyncio.wait_for`` on any clock:
with a ``LoopClock`` it is ``asyncio.timeout``; otherwise the awaitable races
a ``clock.sleep`` and loses with ``TimeoutError``. Either way a cancellation
of the caller is never swallowed, even when it lands while the lost race's
work is being cancelled (a loop around ``within`` would otherwise run on
after being cancelled, and whoever stops it wait forever).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Protocol, TypeVar

from nabat.system.runtime.tasks import cancel_and_wait

T = TypeVar("T")


class Clock(Protocol):
    def now(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class LoopClock:
    """Real time: the running loop's clock."""

    def now(self) -> float:
        return asyncio.get_running_loop().time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


async def within(clock: Clock, awaitable: Awaitable[T], seconds: float | None) -> T:
    """``awaitable``'s result, or ``TimeoutError`` after ``seconds`` of ``clock`` time."""
    if seconds is None:
        return await awaitable
    if isinstance(clock, LoopClock):
        async with asyncio.timeout(max(0.0, seconds)):
            return await awaitable
    work = asyncio.ensure_future(awaitable)
    timer = asyncio.ensure_future(clock.sleep(seconds))
    try:
        await asyncio.wait({work, timer}, return_when=asyncio.FIRST_COMPLETED)
    except asyncio.CancelledError:
        work.cancel()
        raise
    finally:
        timer.cancel()
    if work.done():
        return work.result()
    await cancel_and_wait(work, errors="ignore")
    raise TimeoutError(f"no result within {seconds} s")
