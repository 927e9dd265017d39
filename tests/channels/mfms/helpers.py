"""Shared pieces of the MFMS route tests: an instant clock and a route on a respx router."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import respx
from nabat.system.channels.mfms import MfmsRoute, MfmsSettings

BASE = "http://127.0.0.1:9876/CLIENT/connectorX"
SEND = f"{BASE}/send"
STATUS = f"{BASE}/status"


class InstantClock:
    """Sleeps return at once (``slept`` records them: backoff delays), except sleeps of
    ``FOREVER`` or more (the status poller's, in tests that poll by hand): they never end."""

    FOREVER = 10_000.0

    def __init__(self) -> None:
        self.time = 0.0
        self.slept: list[float] = []

    def now(self) -> float:
        return self.time

    async def sleep(self, seconds: float) -> None:
        if seconds >= self.FOREVER:
            await asyncio.Event().wait()
        self.slept.append(seconds)
        self.time += seconds
        await asyncio.sleep(0)


def make_route(router: respx.MockRouter, **overrides: object) -> tuple[MfmsRoute, InstantClock]:
    clock = InstantClock()
    values: dict[str, object] = {
        "base_url": BASE,
        "batch_window": 0.0,
        "poll_interval": InstantClock.FOREVER,
    }
    values.update(overrides)
    settings = MfmsSettings.from_mapping(values)
    transport = httpx.MockTransport(router.async_handler)
    return MfmsRoute(settings, clock=clock, transport=transport), clock


def ok_lines(request: httpx.Request, first_id: int = 1001) -> httpx.Response:
    """The platform's answer accepting every message of a SEND request."""
    count = sum(1 for name, _ in request.url.params.multi_items() if name.startswith("address["))
    body = "".join(f"ok;{index};{first_id + index}\n" for index in range(count))
    return httpx.Response(200, text=body)


Step = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def steps(*answers: Step) -> Callable[[httpx.Request], httpx.Response]:
    """A side effect answering each request with the next step (raising exceptions)."""
    queue = list(answers)

    def answer(request: httpx.Request) -> httpx.Response:
        step = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(step, Exception):
            raise step
        if isinstance(step, httpx.Response):
            return step
        return step(request)

    return answer
