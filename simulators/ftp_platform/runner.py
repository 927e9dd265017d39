"""Running the FTP platform simulator: in the foreground for ``nabat sim ftp``,
or in a background thread for tests and the pytest plugin.

Both build an ``FtpPlatform`` on a new event loop (control API and poller
scheduler) beside its FTP thread, and report the endpoints: the foreground
run hands them to ``on_ready`` (which prints them and writes the ready file),
the background handle returns them. The foreground run stops on SIGINT or
SIGTERM and closes both threads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from nabat.simulators.control.clock import SimClock
from nabat.simulators.control.running import LoopThread, run_on_new_loop, stop_on_signals
from nabat.simulators.ftp_platform.app import FtpPlatform, FtpPlatformConfig
from nabat.simulators.ftp_platform.control_client import FtpControlClient

T = TypeVar("T")


async def serve(config: FtpPlatformConfig, on_ready: Callable[[dict[str, object]], None]) -> None:
    platform = FtpPlatform(config)
    await platform.start()
    stop = stop_on_signals()
    try:
        on_ready(platform.endpoints())
        await stop.wait()
    finally:
        await platform.close()


def run_foreground(
    config: FtpPlatformConfig, on_ready: Callable[[dict[str, object]], None]
) -> None:
    run_on_new_loop(serve(config, on_ready))


class BackgroundFtpPlatform:
    """An FTP platform simulator on its own event loop in a daemon thread (a context manager)."""

    def __init__(self, config: FtpPlatformConfig, clock: SimClock | None = None) -> None:
        self.config = config
        self._clock = clock
        self.platform: FtpPlatform | None = None
        self._thread = LoopThread("ftp-sim")
        self._client: FtpControlClient | None = None

    def start(self) -> BackgroundFtpPlatform:
        self._thread.start()
        self.platform = self.call(lambda: FtpPlatform(self.config, self._clock))
        self._thread.run(self.platform.start(), timeout=30)
        return self

    def call(self, function: Callable[[], T]) -> T:
        """Run ``function`` on the simulator's loop (where its state lives); its result."""
        return self._thread.call(function, timeout=60)

    @property
    def endpoints(self) -> dict[str, object]:
        assert self.platform is not None
        return self.platform.endpoints()

    @property
    def host(self) -> str:
        assert self.platform is not None and self.platform.ftp is not None
        return str(self.platform.ftp.host)

    @property
    def port(self) -> int:
        assert self.platform is not None and self.platform.ftp is not None
        return int(self.platform.ftp.port)

    @property
    def control_url(self) -> str:
        return str(self.endpoints["control"])

    @property
    def control(self) -> FtpControlClient:
        if self._client is None:
            self._client = FtpControlClient(self.control_url, token=self.config.control_token)
        return self._client

    def stop(self) -> None:
        if self._client is not None:
            self._client.close()
        if self.platform is not None:
            self._thread.run(self.platform.close(), timeout=30)
        self._thread.stop()

    def __enter__(self) -> BackgroundFtpPlatform:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
