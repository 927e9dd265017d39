"""Running the Oktell simulator: in the foreground for `nabat sim oktell`, or in
a background thread for tests and the pytest plugin.

Both build an ``OktellSimulator`` on the project's event loop, start it and
report its URL (printed, written to ``--ready-file``, or returned by the
handle).
"""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

from nabat.simulators.control.clock import SimClock
from nabat.simulators.oktell.app import OktellSimulator
from nabat.simulators.oktell.config import OktellConfig
from nabat.simulators.world import World
from nabat.system.runtime.loop import new_event_loop

T = TypeVar("T")


async def serve(
    config: OktellConfig,
    on_ready: Callable[[str], None],
    world: World | None = None,
    ats_url: str | None = None,
) -> None:
    """Serve until SIGINT or SIGTERM."""
    simulator = OktellSimulator(config, world=world, ats_url=ats_url)
    await simulator.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        on_ready(simulator.url())
        await stop.wait()
    finally:
        await simulator.close()


def run_foreground(
    config: OktellConfig,
    on_ready: Callable[[str], None],
    world: World | None = None,
    ats_url: str | None = None,
) -> None:
    loop = new_event_loop()
    try:
        loop.run_until_complete(serve(config, on_ready, world, ats_url))
    finally:
        loop.close()


class BackgroundOktellSimulator:
    """An Oktell simulator on its own event loop in a daemon thread (a context manager)."""

    def __init__(
        self,
        config: OktellConfig,
        clock: SimClock | None = None,
        world: World | None = None,
        ats_url: str | None = None,
    ) -> None:
        self.config = config
        self._clock = clock
        self._world = world
        self._ats_url = ats_url
        self.simulator: OktellSimulator | None = None
        self._loop = new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="oktell-sim", daemon=True
        )

    def start(self) -> BackgroundOktellSimulator:
        self._thread.start()

        async def build() -> OktellSimulator:
            simulator = OktellSimulator(self.config, self._clock, self._world, self._ats_url)
            await simulator.start()
            return simulator

        self.simulator = asyncio.run_coroutine_threadsafe(build(), self._loop).result(timeout=20)
        return self

    def call(self, function: Callable[[], T]) -> T:
        """Run a function on the simulator's loop (for tests that poke its state)."""
        result: Future[T] = Future()

        def run() -> None:
            try:
                result.set_result(function())
            except BaseException as error:
                result.set_exception(error)

        self._loop.call_soon_threadsafe(run)
        return result.result(timeout=10)

    @property
    def url(self) -> str:
        simulator = self.simulator
        assert simulator is not None
        return simulator.url()

    def stop(self) -> None:
        if self.simulator is not None:
            asyncio.run_coroutine_threadsafe(self.simulator.close(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def __enter__(self) -> BackgroundOktellSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
