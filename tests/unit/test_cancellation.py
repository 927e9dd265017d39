"""A cancelled caller stays cancelled: ``cancel_and_wait`` and ``within``.

The engine's dispatcher loops on ``within(clock, wake.wait(), delay)`` and
ignores its ``TimeoutError``. When the timer won, ``within`` cancelled the
wait and awaited it with ``CancelledError`` suppressed, so a stop that landed
in that moment was swallowed: the loop ran on and ``Engine.close`` waited for
it forever (seen once as a 30 s server-stop timeout in a parallel test run).
These tests land the cancellation exactly there, with no timing involved.
"""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from nabat.system.channels.clock import LoopClock, within
from nabat.system.runtime.tasks import cancel_and_wait


class InstantClock:
    """A clock whose every sleep ends at the next loop iteration."""

    def now(self) -> float:
        return 0.0

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(0)


async def _reluctant(cancel_seen: asyncio.Event, *, fail: bool = False) -> None:
    """Waits forever; when cancelled, takes a few loop iterations to wind down."""
    try:
        await asyncio.Event().wait()
    except asyncio.CancelledError:
        cancel_seen.set()
        for _ in range(3):
            await asyncio.sleep(0)
        if fail:
            raise RuntimeError("failed while winding down") from None
        raise


async def test_cancel_and_wait_ends_the_task() -> None:
    seen = asyncio.Event()
    task = asyncio.create_task(_reluctant(seen))
    await asyncio.sleep(0)
    await cancel_and_wait(task)
    assert task.cancelled() and seen.is_set()


async def test_cancel_and_wait_raises_or_drops_the_tasks_own_error() -> None:
    task = asyncio.create_task(_reluctant(asyncio.Event(), fail=True))
    await asyncio.sleep(0)
    with pytest.raises(RuntimeError, match="winding down"):
        await cancel_and_wait(task)
    other = asyncio.create_task(_reluctant(asyncio.Event(), fail=True))
    await asyncio.sleep(0)
    await cancel_and_wait(other, errors="ignore")
    assert isinstance(other.exception(), RuntimeError)


async def test_the_callers_cancellation_is_not_swallowed() -> None:
    seen = asyncio.Event()
    inner = asyncio.create_task(_reluctant(seen))
    await asyncio.sleep(0)
    caller = asyncio.create_task(cancel_and_wait(inner))
    await seen.wait()  # the caller is now waiting for the inner task to wind down
    caller.cancel()
    await asyncio.wait({caller}, timeout=5)
    assert caller.cancelled()


async def _loop_like_the_dispatcher(clock: object, seen: asyncio.Event) -> None:
    for _ in range(200):  # bounded, so a swallowed cancellation fails the test, never hangs it
        with contextlib.suppress(TimeoutError):
            await within(clock, _reluctant(seen), 1.0)  # type: ignore[arg-type]


async def test_a_loop_around_within_stops_when_cancelled_mid_timeout() -> None:
    seen = asyncio.Event()
    loop_task = asyncio.create_task(_loop_like_the_dispatcher(InstantClock(), seen))
    await seen.wait()  # within lost the race and is cancelling its work: stop now
    loop_task.cancel()
    await asyncio.wait({loop_task}, timeout=5)
    assert loop_task.cancelled(), "the loop swallowed its cancellation and ran on"


async def test_within_on_the_loop_clock_times_out_and_passes_results() -> None:
    assert await within(LoopClock(), asyncio.sleep(0, result="done"), 1.0) == "done"
    with pytest.raises(TimeoutError):
        await within(LoopClock(), asyncio.Event().wait(), 0.01)
    assert await within(InstantClock(), asyncio.sleep(0, result=7), None) == 7
    with pytest.raises(TimeoutError, match=r"no result within 1\.0 s"):
        await within(InstantClock(), asyncio.Event().wait(), 1.0)
