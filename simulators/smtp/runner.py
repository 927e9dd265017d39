"""Running the SMTP sink: in the foreground for `nabat sim smtp`, or in a
background thread for tests and the pytest plugin.

Both build an ``SmtpSink`` on the project's event loop, start the SMTP and
control listeners and report ``ready_info()`` (host, port, control URL, CA
file): printed and written to ``--ready-file``, or kept by the handle.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from nabat.simulators.control.clock import SimClock
from nabat.simulators.control.running import LoopThread, run_on_new_loop, stop_on_signals
from nabat.simulators.smtp.app import SmtpSink
from nabat.simulators.smtp.config import SmtpConfig
from nabat.simulators.world import World

T = TypeVar("T")


async def serve(
    config: SmtpConfig, on_ready: Callable[[dict[str, object]], None], world: World | None = None
) -> None:
    """Serve until SIGINT or SIGTERM."""
    sink = SmtpSink(config, world=world)
    await sink.start()
    stop = stop_on_signals()
    try:
        on_ready(sink.ready_info())
        await stop.wait()
    finally:
        await sink.close()


def run_foreground(
    config: SmtpConfig, on_ready: Callable[[dict[str, object]], None], world: World | None = None
) -> None:
    run_on_new_loop(serve(config, on_ready, world))


class BackgroundSmtpSink:
    """An SMTP sink on its own event loop in a daemon thread (a context manager)."""

    def __init__(
        self, config: SmtpConfig, clock: SimClock | None = None, world: World | None = None
    ) -> None:
        self.config = config
        self._clock = clock
        self._world = world
        self.sink: SmtpSink | None = None
        self._thread = LoopThread("smtp-sink")

    def start(self) -> BackgroundSmtpSink:
        self._thread.start()

        async def build() -> SmtpSink:
            sink = SmtpSink(self.config, self._clock, self._world)
            await sink.start()
            return sink

        self.sink = self._thread.run(build(), timeout=20)
        return self

    def call(self, function: Callable[[], T]) -> T:
        """Run a function on the sink's loop (for tests that poke its state)."""
        return self._thread.call(function)

    @property
    def info(self) -> dict[str, object]:
        assert self.sink is not None
        info: dict[str, object] = self.sink.ready_info()
        return info

    def stop(self) -> None:
        if self.sink is not None:
            self._thread.run(self.sink.close(), timeout=10)
        self._thread.stop()

    def __enter__(self) -> BackgroundSmtpSink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
