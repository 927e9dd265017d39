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

import gc
import resource
import sys
from collections.abc import Callable

from nabat.simulators.ats.app import AtsConfig, AtsWorld
from nabat.simulators.control.running import LoopThread, run_on_new_loop, stop_on_signals


async def serve(config: AtsConfig, on_ready: Callable[[dict[str, str | None]], None]) -> None:
    """Serve until SIGINT or SIGTERM."""
    world = AtsWorld(config)
    await world.start()
    stop = stop_on_signals()
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
    run_on_new_loop(serve(config, on_ready))


class BackgroundAtsSimulator:
    """An ATS simulator on its own event loop in a daemon thread.

    ``start()`` returns once both servers listen; ``stop()`` closes them.
    Usable as a context manager.
    """

    def __init__(self, config: AtsConfig) -> None:
        self.config = config
        self.world: AtsWorld | None = None
        self._thread = LoopThread("ats-sim")

    def start(self) -> BackgroundAtsSimulator:
        self._thread.start()
        self.world = AtsWorld(self.config)
        self._thread.run(self.world.start(), timeout=10)
        return self

    def call(self, function: Callable[[], object]) -> object:
        """Run a function on the simulator's loop (for tests that poke its state)."""
        return self._thread.call(function)

    @property
    def urls(self) -> dict[str, str | None]:
        assert self.world is not None
        return self.world.urls()

    def stop(self) -> None:
        if self.world is not None:
            self._thread.run(self.world.close(), timeout=10)
        self._thread.stop()

    def __enter__(self) -> BackgroundAtsSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
