"""Simulated time for every simulator (architecture principle 10).

``SimClock.now()`` is the real monotonic clock plus an offset that tests
advance, so a 60-second window or a 12-hour rule is crossed in microseconds.
The clock can be frozen (it then stands still except for explicit advances).
It never goes backwards, and its offset stays finite and below
``MAX_OFFSET_SECONDS`` (a NaN or infinite offset would make every window
check fail). ``wall()`` is the matching wall-clock time, used only for display
(journal timestamps).

A speed factor (``set_speed``; 1.0 by default) makes unfrozen simulated time
run that many times faster than real time, for demos and fast tests.
Listeners (``add_listener``) are called after every jump of the clock
(advance, freeze, unfreeze, speed change, reset), so a scheduler waiting for
a simulated instant can wake up at once instead of polling.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

MAX_OFFSET_SECONDS = 100 * 366 * 86400.0  # a century: floats keep microseconds there
MAX_SPEED = 1_000_000.0


class ClockError(ValueError):
    """An invalid clock operation (going backwards)."""


class SimClock:
    __slots__ = ("_anchor", "_base", "_frozen_at", "_listeners", "_monotonic", "_speed", "_wall")

    def __init__(
        self,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._monotonic = monotonic
        self._wall = wall
        # Unfrozen: now = _base + (monotonic() - _anchor) * _speed.
        self._anchor = monotonic()
        self._base = self._anchor
        self._speed = 1.0
        self._frozen_at: float | None = None
        self._listeners: list[Callable[[], None]] = []

    def now(self) -> float:
        if self._frozen_at is not None:
            return self._frozen_at
        return self._base + (self._monotonic() - self._anchor) * self._speed

    def wall(self) -> float:
        return self._wall() + (self.now() - self._monotonic())

    def wall_of(self, simulated: float) -> float:
        """The wall-clock time matching an earlier ``now()`` reading."""
        return self.wall() - (self.now() - simulated)

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    @property
    def speed(self) -> float:
        """Simulated seconds per real second while the clock is not frozen."""
        return self._speed

    @property
    def offset(self) -> float:
        return self.now() - self._monotonic()

    def advance(self, seconds: float) -> None:
        if not math.isfinite(seconds):
            raise ClockError("advance must be a finite number of seconds")
        if seconds < 0:
            raise ClockError("the simulated clock cannot go backwards")
        if self.offset + seconds > MAX_OFFSET_SECONDS:
            raise ClockError(
                f"the simulated clock may run at most {MAX_OFFSET_SECONDS:.0f} s "
                "(a century) ahead of real time"
            )
        if self._frozen_at is not None:
            self._frozen_at += seconds
        else:
            self._base += seconds
        self._notify()

    def freeze(self, frozen: bool) -> None:
        if frozen and self._frozen_at is None:
            self._frozen_at = self.now()
        elif not frozen and self._frozen_at is not None:
            self._rebase(self._frozen_at)
            self._frozen_at = None
        self._notify()

    def set_speed(self, factor: float) -> None:
        """Run unfrozen time ``factor`` times faster than real time (0 < factor)."""
        if not math.isfinite(factor) or not 0 < factor <= MAX_SPEED:
            raise ClockError(f"speed must be a number above 0 and at most {MAX_SPEED:g}")
        self._rebase(self.now())
        self._speed = float(factor)
        self._notify()

    def reset(self) -> None:
        self._anchor = self._monotonic()
        self._base = self._anchor
        self._speed = 1.0
        self._frozen_at = None
        self._notify()

    def add_listener(self, listener: Callable[[], None]) -> None:
        """Call ``listener()`` after each jump of the clock (not as real time passes)."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _rebase(self, simulated_now: float) -> None:
        self._anchor = self._monotonic()
        self._base = simulated_now

    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener()

    def to_json(self) -> dict[str, object]:
        return {
            "now": self.now(),
            "wall": self.wall(),
            "offset": self.offset,
            "frozen": self.frozen,
            "speed": self.speed,
        }
