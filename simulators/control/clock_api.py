"""The control APIs' ``POST /__sim/clock`` body, read the same way everywhere.

``apply_clock_body`` checks every field of ``{"advance", "freeze", "speed"}``
first (nothing changes when one is wrong), then sets the speed and the
freeze on the clock and hands back the advance (None when absent): each
simulator moves its own time by it (a plain ``clock.advance`` or a bounded
``Scheduler.advance`` that fires each timer at its instant).
"""

from __future__ import annotations

from nabat.simulators.control.clock import MAX_OFFSET_SECONDS, SimClock
from nabat.simulators.control.json_api import Body, ControlError, flag, number, only, seconds

MAX_SPEED = 10_000.0
CLOCK_FIELDS = ("advance", "freeze", "speed")


def apply_clock_body(clock: SimClock, body: Body) -> float | None:
    """Set ``body``'s speed and freeze on ``clock``; the seconds to advance, or None."""
    only(body, CLOCK_FIELDS)
    freeze = flag(body["freeze"], "freeze") if "freeze" in body else None
    speed = number(body["speed"], "speed", 0.0, MAX_SPEED) if "speed" in body else None
    advance = seconds(body["advance"], "advance", MAX_OFFSET_SECONDS) if "advance" in body else None
    if speed is not None and speed <= 0:
        raise ControlError("speed must be above 0")
    if speed is not None:
        clock.set_speed(speed)
    if freeze is not None:
        clock.freeze(freeze)
    return advance
