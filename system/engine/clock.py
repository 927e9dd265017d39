"""The engine's time: seconds since the epoch, that it can sleep on, optionally sped up.

How it works: the engine keeps a target's next try as a number of seconds on
this clock and writes it to the store, so the clock must mean the same after
a restart: ``WallClock`` is ``time.time()`` with ``asyncio.sleep``.
``ScaledClock(speed)`` runs ``speed`` times faster than the wall from the
moment it is made (for runs against simulators whose world runs at that
speed factor: a 300-second retry interval then takes 300/speed real
seconds); it satisfies the channels' ``Clock`` too, so the drivers can be
given the same time.
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol


class EngineClock(Protocol):
    def now(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class WallClock:
    def now(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


class ScaledClock:
    def __init__(self, speed: float) -> None:
        if not speed > 0:
            raise ValueError(f"the clock speed must be above 0, got {speed}")
        self.speed = speed
        self._origin = time.time()

    def now(self) -> float:
        real = time.time()
        return self._origin + (real - self._origin) * self.speed

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds) / self.speed)
