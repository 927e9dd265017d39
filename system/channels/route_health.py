"""Health of an SMS platform route: its ``ChannelStatus``, change events and backoff.

How it works: ``RouteHealth`` keeps the route's ``Activity`` and human text,
stamps ``since`` from the injected clock when the activity changes, and
publishes ``StatusChanged`` to the route's subscribers (only on a real
change). ``SENDING`` is counted: concurrent requests keep the route SENDING
until the last one ends. ``backoff_delay(attempt)`` is the bounded
exponential backoff with full jitter both platform routes use between
retries: ``initial * 2**attempt`` capped at ``maximum``, times a random
factor in [0.5, 1] so that many routes do not retry in step.
"""

from __future__ import annotations

import random

from nabat.system.channels.base import Activity, ChannelStatus, StatusChanged
from nabat.system.channels.clock import Clock
from nabat.system.channels.events import EventHub


class RouteHealth:
    def __init__(self, name: str, clock: Clock, hub: EventHub) -> None:
        self._name = name
        self._clock = clock
        self._hub = hub
        self._activity = Activity.STARTING
        self._text = "not started"
        self._since = 0.0
        self._sending = 0

    @property
    def activity(self) -> Activity:
        return self._activity

    @property
    def failed(self) -> bool:
        return self._activity is Activity.FAILED

    def status(self) -> ChannelStatus:
        if self._sending and self._activity is Activity.IDLE:
            return ChannelStatus(self._name, Activity.SENDING, "sending", self._since)
        return ChannelStatus(self._name, self._activity, self._text, self._since)

    def set(self, activity: Activity, text: str) -> None:
        before = self.status()
        if activity is not self._activity:
            self._since = self._now()
        self._activity, self._text = activity, text
        self._announce(before)

    def begin_send(self) -> None:
        before = self.status()
        self._sending += 1
        self._announce(before)

    def end_send(self) -> None:
        before = self.status()
        self._sending = max(0, self._sending - 1)
        self._announce(before)

    def _announce(self, before: ChannelStatus) -> None:
        after = self.status()
        changed = (before.activity, before.text) != (after.activity, after.text)
        if changed and self._hub.has_subscribers:
            self._hub.publish(StatusChanged(after))

    def _now(self) -> float:
        try:
            return self._clock.now()
        except RuntimeError:  # no running loop yet (a route built outside asyncio)
            return 0.0


def backoff_delay(
    attempt: int, *, initial: float, maximum: float, rng: random.Random | None = None
) -> float:
    """Seconds to wait before retry number ``attempt`` (0 for the first retry)."""
    base = min(maximum, initial * (2.0 ** min(attempt, 30)))
    return base * (0.5 + 0.5 * (rng or random).random())
