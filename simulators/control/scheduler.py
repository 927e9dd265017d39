"""Callbacks at instants of simulated time (a ``SimClock``).

``call_at(when, fn)`` / ``call_later(delay, fn)`` put a callback on a heap
ordered by (simulated time, insertion order); ``run_due()`` runs every
callback whose instant has come, including ones that earlier callbacks
scheduled for an instant already past, in that order. ``advance(s)`` moves
the clock ``s`` seconds in steps, stopping at each due instant so that every
callback runs with the clock at its own instant: a test with a frozen clock
sees exactly what happens in those ``s`` simulated seconds, without sleeping.

``run()`` is the asyncio driver for live use: it sleeps in real time until the
next instant (simulated delay divided by the clock's speed), or until woken.
It registers itself as a listener of the clock, so an ``advance`` from a
control API or a test thread wakes it at once; ``wake()`` is thread-safe.
A callback that raises is reported through ``on_error`` (by default logged)
and does not stop the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import math
from collections.abc import Callable

from nabat.simulators.control.clock import SimClock

log = logging.getLogger(__name__)

# The longest real sleep between checks: a guard against a clock that was
# moved in a way no listener reported (e.g. an injected monotonic function).
MAX_REAL_SLEEP = 1.0

MAX_CONTROL_CALLBACKS = 200_000  # callbacks one control-API clock advance may step through


class Timer:
    """A scheduled callback; ``cancel()`` stops it if it has not run yet."""

    __slots__ = ("callback", "cancelled", "label", "when")

    def __init__(self, when: float, callback: Callable[[], object], label: str) -> None:
        self.when = when
        self.callback = callback
        self.label = label
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True

    def __repr__(self) -> str:
        state = " cancelled" if self.cancelled else ""
        return f"<Timer {self.label or self.callback!r} at {self.when:.3f}{state}>"


class Scheduler:
    __slots__ = ("_counter", "_heap", "_loop", "_wakeup", "clock", "on_error")

    def __init__(
        self,
        clock: SimClock,
        on_error: Callable[[Timer, BaseException], None] | None = None,
    ) -> None:
        self.clock = clock
        self.on_error = on_error or _log_error
        self._heap: list[tuple[float, int, Timer]] = []
        self._counter = itertools.count()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wakeup: asyncio.Event | None = None

    def now(self) -> float:
        return self.clock.now()

    def call_at(self, when: float, callback: Callable[[], object], label: str = "") -> Timer:
        if math.isnan(when):
            raise ValueError("a scheduled instant cannot be NaN")
        timer = Timer(when, callback, label)
        heapq.heappush(self._heap, (when, next(self._counter), timer))
        self.wake()
        return timer

    def call_later(self, delay: float, callback: Callable[[], object], label: str = "") -> Timer:
        return self.call_at(self.clock.now() + max(0.0, delay), callback, label)

    def next_due(self) -> float | None:
        """The instant of the earliest pending callback, None when there is none."""
        heap = self._heap
        while heap and heap[0][2].cancelled:
            heapq.heappop(heap)
        return heap[0][0] if heap else None

    def pending(self) -> int:
        return sum(1 for _, _, timer in self._heap if not timer.cancelled)

    def run_due(self) -> int:
        """Run every callback due by now (in time order); returns how many ran."""
        ran = 0
        heap = self._heap
        while heap:
            when, _, timer = heap[0]
            if timer.cancelled:
                heapq.heappop(heap)
                continue
            if when > self.clock.now():
                break
            heapq.heappop(heap)
            timer.cancelled = True
            ran += 1
            try:
                timer.callback()
            except Exception as error:
                self.on_error(timer, error)
        return ran

    def advance(self, seconds: float, max_callbacks: int | None = None) -> int:
        """Move the clock ``seconds`` ahead, stopping at each due instant to run what is due.

        A callback therefore runs with the clock at its own instant, and what it
        schedules from there runs too if it falls within the ``seconds``.
        Returns how many callbacks ran. With ``max_callbacks`` (a control API
        facing untrusted input), stepping stops once that many ran and the
        clock jumps to its target, running what is due there once more.
        """
        target = self.clock.now() + seconds
        ran = 0
        while max_callbacks is None or ran < max_callbacks:
            due = self.next_due()
            if due is None or due > target:
                break
            self.clock.advance(max(0.0, due - self.clock.now()))
            ran += self.run_due()
        self.clock.advance(max(0.0, target - self.clock.now()))
        return ran + self.run_due()

    def clear(self) -> None:
        for _, _, timer in self._heap:
            timer.cancelled = True
        self._heap.clear()

    def wake(self) -> None:
        """Make ``run()`` look at the heap again (safe from any thread)."""
        loop, event = self._loop, self._wakeup
        if loop is None or event is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            event.set()
        else:
            loop.call_soon_threadsafe(event.set)

    async def run(self) -> None:
        """Run callbacks as their simulated instants arrive, until cancelled."""
        self._loop = asyncio.get_running_loop()
        self._wakeup = asyncio.Event()
        self.clock.add_listener(self.wake)
        try:
            while True:
                self._wakeup.clear()
                self.run_due()
                due = self.next_due()
                timeout: float | None = None
                if due is not None and not self.clock.frozen:
                    timeout = max(0.0, (due - self.clock.now()) / self.clock.speed)
                if timeout is None or timeout > MAX_REAL_SLEEP:
                    timeout = MAX_REAL_SLEEP
                if timeout > 0:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wakeup.wait(), timeout)
                else:
                    await asyncio.sleep(0)
        finally:
            self.clock.remove_listener(self.wake)
            self._loop = None
            self._wakeup = None


def _log_error(timer: Timer, error: BaseException) -> None:
    log.error("scheduled callback %r failed", timer, exc_info=error)
