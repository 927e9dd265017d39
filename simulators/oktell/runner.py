"""Running the Oktell simulator: in the foreground for `nabat sim oktell`, or in
a background thread for tests and the pytest plugin.

Both build an ``OktellSimulator`` on the project's event loop, start it and
report its URL (printed, written to ``--ready-file``, or returned by the
handle).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from nabat.simulators.control.clock import SimClock
from nabat.simulators.control.running import LoopThread, run_on_new_loop, stop_on_signals
from nabat.simulators.oktell.app import OktellSimulator
from nabat.simulators.oktell.config import OktellConfig
from nabat.simulators.world import World

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
    stop = stop_on_signals()
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
    run_on_new_loop(serve(config, on_ready, world, ats_url))


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
        self._thread = LoopThread("oktell-sim")

    def start(self) -> BackgroundOktellSimulator:
        self._thread.start()

        async def build() -> OktellSimulator:
            simulator = OktellSimulator(self.config, self._clock, self._world, self._ats_url)
            await simulator.start()
            return simulator

        self.simulator = self._thread.run(build(), timeout=20)
        return self

    def call(self, function: Callable[[], T]) -> T:
        """Run a function on the simulator's loop (for tests that poke its state)."""
        return self._thread.call(function)

    @property
    def url(self) -> str:
        simulator = self.simulator
        assert simulator is not None
        return simulator.url()

    def stop(self) -> None:
        if self.simulator is not None:
            self._thread.run(self.simulator.close(), timeout=10)
        self._thread.stop()

    def __enter__(self) -> BackgroundOktellSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
