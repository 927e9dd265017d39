"""The simulated-time scheduler and the clock's speed factor and listeners."""

from __future__ import annotations

import asyncio

import pytest
from nabat.simulators.control.clock import ClockError, SimClock
from nabat.simulators.control.scheduler import Scheduler


class FakeTime:
    def __init__(self) -> None:
        self.value = 100.0

    def __call__(self) -> float:
        return self.value


def test_speed_factor_scales_real_time_and_listeners_hear_jumps() -> None:
    real = FakeTime()
    clock = SimClock(monotonic=real)
    heard: list[float] = []
    clock.add_listener(lambda: heard.append(clock.now()))
    clock.set_speed(10)
    real.value += 2
    assert clock.now() == pytest.approx(120.0)
    clock.advance(5)
    assert heard == [pytest.approx(100.0), pytest.approx(125.0)]
    clock.freeze(True)
    real.value += 50
    assert clock.now() == pytest.approx(125.0)
    with pytest.raises(ClockError):
        clock.set_speed(0)
    clock.reset()
    assert clock.speed == 1.0 and clock.now() == real.value


def test_callbacks_run_in_time_order_at_their_own_instant() -> None:
    clock = SimClock()
    clock.freeze(True)
    scheduler = Scheduler(clock)
    start = clock.now()
    seen: list[tuple[str, float]] = []

    def later() -> None:
        seen.append(("b", clock.now() - start))
        scheduler.call_later(1, lambda: seen.append(("c", clock.now() - start)))

    scheduler.call_later(2, later)
    scheduler.call_later(1, lambda: seen.append(("a", clock.now() - start)))
    cancelled = scheduler.call_later(1.5, lambda: seen.append(("x", 0)))
    cancelled.cancel()
    assert scheduler.advance(10) == 3
    assert seen == [("a", 1.0), ("b", 2.0), ("c", 3.0)]
    assert clock.now() - start == pytest.approx(10.0)


def test_a_failing_callback_does_not_stop_the_others() -> None:
    clock = SimClock()
    clock.freeze(True)
    failures: list[str] = []
    scheduler = Scheduler(clock, on_error=lambda timer, error: failures.append(str(error)))
    ran: list[int] = []
    scheduler.call_later(0, lambda: 1 / 0)
    scheduler.call_later(0, lambda: ran.append(1))
    scheduler.run_due()
    assert ran == [1] and failures == ["division by zero"]


async def test_run_wakes_when_the_clock_jumps() -> None:
    clock = SimClock()
    clock.freeze(True)
    scheduler = Scheduler(clock)
    fired = asyncio.Event()
    scheduler.call_later(3600, fired.set)
    runner = asyncio.create_task(scheduler.run())
    await asyncio.sleep(0.01)
    assert not fired.is_set()
    clock.advance(3600)
    await asyncio.wait_for(fired.wait(), 1.0)
    runner.cancel()


async def test_run_follows_real_time_at_speed() -> None:
    clock = SimClock()
    clock.set_speed(100)
    scheduler = Scheduler(clock)
    fired = asyncio.Event()
    scheduler.call_later(5, fired.set)  # 5 simulated seconds: 50 ms
    runner = asyncio.create_task(scheduler.run())
    await asyncio.wait_for(fired.wait(), 2.0)
    runner.cancel()
