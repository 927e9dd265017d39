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

from collections.abc import Callable
from typing import TypeVar

from nabat.simulators.ats.runner import tune_gc_for_serving
from nabat.simulators.control.clock import SimClock
from nabat.simulators.control.running import LoopThread, run_on_new_loop, stop_on_signals
from nabat.simulators.mfms.app import MfmsSimulator
from nabat.simulators.mfms.config import MfmsConfig
from nabat.simulators.world import World

T = TypeVar("T")


async def serve(
    config: MfmsConfig,
    on_ready: Callable[[dict[str, str | None]], None],
    world: World | None = None,
) -> None:
    """Serve until SIGINT or SIGTERM."""
    simulator = MfmsSimulator(config, world=world)
    await simulator.start()
    stop = stop_on_signals()
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
    run_on_new_loop(serve(config, on_ready, world))


class BackgroundMfmsSimulator:
    """An MFMS simulator on its own event loop in a daemon thread (a context manager)."""

    def __init__(
        self, config: MfmsConfig, clock: SimClock | None = None, world: World | None = None
    ) -> None:
        self.config = config
        self._clock = clock
        self._world = world
        self.simulator: MfmsSimulator | None = None
        self._thread = LoopThread("mfms-sim")

    def start(self) -> BackgroundMfmsSimulator:
        self._thread.start()

        async def build() -> MfmsSimulator:
            simulator = MfmsSimulator(self.config, self._clock, self._world)
            await simulator.start()
            return simulator

        self.simulator = self._thread.run(build(), timeout=20)
        return self

    def call(self, function: Callable[[], T]) -> T:
        """Run a function on the simulator's loop (for tests that poke its state)."""
        return self._thread.call(function)

    @property
    def urls(self) -> dict[str, str | None]:
        simulator: MfmsSimulator | None = self.simulator
        assert simulator is not None
        urls: dict[str, str | None] = simulator.urls()
        return urls

    def stop(self) -> None:
        if self.simulator is not None:
            self._thread.run(self.simulator.close(), timeout=10)
        self._thread.stop()

    def __enter__(self) -> BackgroundMfmsSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
