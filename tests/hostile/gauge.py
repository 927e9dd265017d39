"""What a listener process costs while it is attacked: memory and sockets, from /proc.

``ProcessGauge(pid)`` reads the resident set size (``VmRSS``, through the
benchmark's ``rss_bytes``, the project's one reader of it) and counts the
process's open sockets (the ``socket:[...]`` links in /proc/PID/fd), so it
works for any listener run as a subprocess, whatever its language. ``PeakMemory``
samples the RSS every ``interval`` seconds while a block runs and keeps the
highest value: ``growth`` is that peak minus the value at entry, which is what
an attack made the listener hold (resident memory the allocator kept counts
too: an upper bound, which is what an operator pays for).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path
from types import TracebackType
from typing import Self

from nabat.loadtests.bench.memory import MemoryProbeError, rss_bytes

PROC = Path("/proc")


class ProcessGauge:
    """Memory and socket count of one running process."""

    def __init__(self, pid: int) -> None:
        self.pid = pid

    def alive(self) -> bool:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        status = PROC / str(self.pid) / "status"
        with contextlib.suppress(OSError):
            for line in status.read_text(encoding="ascii", errors="replace").splitlines():
                if line.startswith("State:"):
                    return "Z" not in line.split()[1]  # a zombie has exited
        return True

    def rss(self) -> int:
        """Resident memory in bytes (``MemoryProbeError`` once the process is gone)."""
        return int(rss_bytes(self.pid))

    def sockets(self) -> int:
        """Open sockets of the process (listening ones included)."""
        count = 0
        with contextlib.suppress(FileNotFoundError):
            for entry in os.scandir(PROC / str(self.pid) / "fd"):
                with contextlib.suppress(OSError):
                    if os.readlink(entry.path).startswith("socket:"):
                        count += 1
        return count

    async def sockets_at_most(self, limit: int, timeout: float) -> int:
        """Wait (bounded by ``timeout``) until the process holds at most
        ``limit`` sockets; the count at the end either way."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        count = self.sockets()
        while count > limit and loop.time() < deadline:
            await asyncio.sleep(0.05)
            count = self.sockets()
        return count


class PeakMemory:
    """``async with PeakMemory(gauge) as memory:`` samples RSS until the block ends."""

    def __init__(self, gauge: ProcessGauge, interval: float = 0.05) -> None:
        self.gauge = gauge
        self.interval = interval
        self.baseline = 0
        self.peak = 0
        self._task: asyncio.Task[None] | None = None

    @property
    def growth(self) -> int:
        return max(0, self.peak - self.baseline)

    def sample(self) -> None:
        with contextlib.suppress(MemoryProbeError):
            self.peak = max(self.peak, self.gauge.rss())

    async def _run(self) -> None:
        while True:
            self.sample()
            await asyncio.sleep(self.interval)

    async def __aenter__(self) -> Self:
        self.baseline = self.peak = self.gauge.rss()
        self._task = asyncio.create_task(self._run())
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self.sample()
