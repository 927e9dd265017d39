"""Simulated time for every simulator (architecture principle 10).

``SimClock.now()`` is the real monotonic clock plus an offset that tests
advance, so a 60-second window or a 12-hour rule is crossed in microseconds.
The clock can be frozen (it then stands still except for explicit advances).
It never goes backwards, and its offset stays finite and below
``MAX_OFFSET_SECONDS`` (a NaN or infinite offset would make every window
check fail). ``wall()`` is the matching wall-clock time, used only for display
(journal timestamps).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

MAX_OFFSET_SECONDS = 100 * 366 * 86400.0  # a century: floats keep microseconds there


class ClockError(ValueError):
    """An invalid clock operation (going backwards)."""


class SimClock:
    __slots__ = ("_frozen_at", "_monotonic", "_offset", "_wall")

    def __init__(
        self,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._monotonic = monotonic
        self._wall = wall
        self._offset = 0.0
        self._frozen_at: float | None = None

    def now(self) -> float:
        if self._frozen_at is not None:
            return self._frozen_at
        return self._monotonic() + self._offset

    def wall(self) -> float:
        return self._wall() + (self.now() - self._monotonic())

    def wall_of(self, simulated: float) -> float:
        """The wall-clock time matching an earlier ``now()`` reading."""
        return self.wall() - (self.now() - simulated)

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    @property
    def offset(self) -> float:
        if self._frozen_at is not None:
            return self._frozen_at - self._monotonic()
        return self._offset

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
            self._offset += seconds

    def freeze(self, frozen: bool) -> None:
        if frozen and self._frozen_at is None:
            self._frozen_at = self.now()
        elif not frozen and self._frozen_at is not None:
            self._offset = self._frozen_at - self._monotonic()
            self._frozen_at = None

    def reset(self) -> None:
        self._offset = 0.0
        self._frozen_at = None

    def to_json(self) -> dict[str, object]:
        return {
            "now": self.now(),
            "wall": self.wall(),
            "offset": self.offset,
            "frozen": self.frozen,
        }
