"""Running the ATS simulator: in the foreground for `nabat sim ats`, or in a
background thread for tests and the pytest plugin.

Both paths build an ``AtsWorld`` on a uvloop event loop (when uvloop is
installed), start the primary and optional reserve server, and report the
URLs — printed, written to ``--ready-file`` as JSON (``nabat.system.runtime``),
or returned in a handle. In the foreground the open-files limit is raised
(up to the hard limit) to fit ``max_connections`` on each server, with a
warning on stderr when it cannot be.
"""

from __future__ import annotations

import asyncio
import gc
import resource
import signal
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future

from nabat.simulators.ats.app import AtsConfig, AtsWorld
from nabat.system.runtime.loop import new_event_loop


async def serve(config: AtsConfig, on_ready: Callable[[dict[str, str | None]], None]) -> None:
    """Serve until SIGINT or SIGTERM."""
    world = AtsWorld(config)
    await world.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    on_ready(world.urls())
    try:
        await stop.wait()
    finally:
        await world.close()


def tune_gc_for_serving() -> None:
    """Fewer, cheaper collections in a long-running simulator process.

    Start-up objects move to the permanent generation (never scanned again)
    and generation 0 is collected every 50,000 allocations instead of 700:
    per-request garbage is reclaimed by reference counting anyway.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def ensure_open_files(config: AtsConfig) -> None:
    """Raise RLIMIT_NOFILE's soft limit to fit every server's connection cap."""
    servers = 1 if config.reserve_port is None else 2
    needed = servers * config.limits.max_connections + 64
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        if target < needed:
            print(
                f"nabat sim ats: open-files limit {target} is below the {needed} that "
                "--max-connections needs: connections past it will be refused by the system",
                file=sys.stderr,
            )


def run_foreground(config: AtsConfig, on_ready: Callable[[dict[str, str | None]], None]) -> None:
    ensure_open_files(config)
    tune_gc_for_serving()
    loop = new_event_loop()
    try:
        loop.run_until_complete(serve(config, on_ready))
    finally:
        loop.close()


class BackgroundAtsSimulator:
    """An ATS simulator on its own event loop in a daemon thread.

    ``start()`` returns once both servers listen; ``stop()`` closes them.
    Usable as a context manager.
    """

    def __init__(self, config: AtsConfig) -> None:
        self.config = config
        self.world: AtsWorld | None = None
        self._loop = new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="ats-sim", daemon=True)

    def start(self) -> BackgroundAtsSimulator:
        self._thread.start()
        self.world = AtsWorld(self.config)
        future = asyncio.run_coroutine_threadsafe(self.world.start(), self._loop)
        future.result(timeout=10)
        return self

    def call(self, function: Callable[[], object]) -> object:
        """Run a function on the simulator's loop (for tests that poke its state)."""
        result: Future[object] = Future()

        def run() -> None:
            try:
                result.set_result(function())
            except BaseException as error:
                result.set_exception(error)

        self._loop.call_soon_threadsafe(run)
        return result.result(timeout=10)

    @property
    def urls(self) -> dict[str, str | None]:
        assert self.world is not None
        return self.world.urls()

    def stop(self) -> None:
        if self.world is not None:
            asyncio.run_coroutine_threadsafe(self.world.close(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def __enter__(self) -> BackgroundAtsSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
