"""Running the SMTP sink: in the foreground for `nabat sim smtp`, or in a
background thread for tests and the pytest plugin.

Both build an ``SmtpSink`` on the project's event loop, start the SMTP and
control listeners and report ``ready_info()`` (host, port, control URL, CA
file): printed and written to ``--ready-file``, or kept by the handle.
"""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

from nabat.simulators.control.clock import SimClock
from nabat.simulators.smtp.app import SmtpSink
from nabat.simulators.smtp.config import SmtpConfig
from nabat.simulators.world import World
from nabat.system.runtime.loop import new_event_loop

T = TypeVar("T")


async def serve(
    config: SmtpConfig, on_ready: Callable[[dict[str, object]], None], world: World | None = None
) -> None:
    """Serve until SIGINT or SIGTERM."""
    sink = SmtpSink(config, world=world)
    await sink.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        on_ready(sink.ready_info())
        await stop.wait()
    finally:
        await sink.close()


def run_foreground(
    config: SmtpConfig, on_ready: Callable[[dict[str, object]], None], world: World | None = None
) -> None:
    loop = new_event_loop()
    try:
        loop.run_until_complete(serve(config, on_ready, world))
    finally:
        loop.close()


class BackgroundSmtpSink:
    """An SMTP sink on its own event loop in a daemon thread (a context manager)."""

    def __init__(
        self, config: SmtpConfig, clock: SimClock | None = None, world: World | None = None
    ) -> None:
        self.config = config
        self._clock = clock
        self._world = world
        self.sink: SmtpSink | None = None
        self._loop = new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="smtp-sink", daemon=True
        )

    def start(self) -> BackgroundSmtpSink:
        self._thread.start()

        async def build() -> SmtpSink:
            sink = SmtpSink(self.config, self._clock, self._world)
            await sink.start()
            return sink

        self.sink = asyncio.run_coroutine_threadsafe(build(), self._loop).result(timeout=20)
        return self

    def call(self, function: Callable[[], T]) -> T:
        """Run a function on the sink's loop (for tests that poke its state)."""
        result: Future[T] = Future()

        def run() -> None:
            try:
                result.set_result(function())
            except BaseException as error:
                result.set_exception(error)

        self._loop.call_soon_threadsafe(run)
        return result.result(timeout=10)

    @property
    def info(self) -> dict[str, object]:
        assert self.sink is not None
        info: dict[str, object] = self.sink.ready_info()
        return info

    def stop(self) -> None:
        if self.sink is not None:
            asyncio.run_coroutine_threadsafe(self.sink.close(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def __enter__(self) -> BackgroundSmtpSink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
