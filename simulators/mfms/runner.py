"""Running the MFMS simulator: in the foreground for `nabat sim mfms`, or in a
background thread for tests and the pytest plugin.

Both build an ``MfmsSimulator`` on the project's event loop, start HTTP and
HTTPS, and report the URLs and the CA file (printed, written to
``--ready-file`` as JSON, or returned by the handle). The foreground process
tunes its garbage collector as the ATS simulator does (fewer collections:
the simulator keeps up to a million accepted messages, which every full
collection would walk).
"""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

from nabat.simulators.ats.runner import tune_gc_for_serving
from nabat.simulators.control.clock import SimClock
from nabat.simulators.mfms.app import MfmsSimulator
from nabat.simulators.mfms.config import MfmsConfig
from nabat.simulators.world import World
from nabat.system.runtime.loop import new_event_loop

T = TypeVar("T")


async def serve(
    config: MfmsConfig,
    on_ready: Callable[[dict[str, str | None]], None],
    world: World | None = None,
) -> None:
    """Serve until SIGINT or SIGTERM."""
    simulator = MfmsSimulator(config, world=world)
    await simulator.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        on_ready(simulator.urls())
        await stop.wait()
    finally:
        await simulator.close()


def run_foreground(
    config: MfmsConfig,
    on_ready: Callable[[dict[str, str | None]], None],
    world: World | None = None,
) -> None:
    tune_gc_for_serving()
    loop = new_event_loop()
    try:
        loop.run_until_complete(serve(config, on_ready, world))
    finally:
        loop.close()


class BackgroundMfmsSimulator:
    """An MFMS simulator on its own event loop in a daemon thread (a context manager)."""

    def __init__(
        self, config: MfmsConfig, clock: SimClock | None = None, world: World | None = None
    ) -> None:
        self.config = config
        self._clock = clock
        self._world = world
        self.simulator: MfmsSimulator | None = None
        self._loop = new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="mfms-sim", daemon=True)

    def start(self) -> BackgroundMfmsSimulator:
        self._thread.start()

        async def build() -> MfmsSimulator:
            simulator = MfmsSimulator(self.config, self._clock, self._world)
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
    def urls(self) -> dict[str, str | None]:
        simulator: MfmsSimulator | None = self.simulator
        assert simulator is not None
        urls: dict[str, str | None] = simulator.urls()
        return urls

    def stop(self) -> None:
        if self.simulator is not None:
            asyncio.run_coroutine_threadsafe(self.simulator.close(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def __enter__(self) -> BackgroundMfmsSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
