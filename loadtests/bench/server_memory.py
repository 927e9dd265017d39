"""Server memory while a reply streams: RSS sampled from /proc/PID/status.

How it works: ``RssSampler`` is a daemon thread that reads the server's
``VmRSS`` every ``interval`` seconds (``nabat.loadtests.bench.memory``, no psutil)
between ``start`` and ``stop``. A short spike between two samples could be
missed, so it also reads ``VmHWM`` (the kernel's lifetime peak RSS) at both
ends: when ``VmHWM`` rose during the window, the new high-water mark *is* the
window's exact peak; when it did not, the window never exceeded the old mark
and the sampled maximum stands. ``RssFigures.growth_bytes`` is that peak
minus the RSS read just before the window opened.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from nabat.loadtests.bench.memory import MemoryProbeError, read_status_kb

KIB = 1024
MIB = 1024 * 1024


@dataclass(frozen=True)
class RssFigures:
    """Resident memory of one process over a window, in bytes."""

    before_bytes: int
    peak_bytes: int
    after_bytes: int
    samples: int
    hwm_rose: bool  # the kernel's high-water mark rose during the window (peak is exact)

    @property
    def growth_bytes(self) -> int:
        return max(0, self.peak_bytes - self.before_bytes)

    def to_json(self) -> dict[str, Any]:
        return {
            "before_bytes": self.before_bytes,
            "peak_bytes": self.peak_bytes,
            "after_bytes": self.after_bytes,
            "growth_bytes": self.growth_bytes,
            "before_mib": round(self.before_bytes / MIB, 2),
            "peak_mib": round(self.peak_bytes / MIB, 2),
            "growth_mib": round(self.growth_bytes / MIB, 2),
            "samples": self.samples,
            "hwm_rose": self.hwm_rose,
        }


def window_peak(sampled_peak: int, hwm_before: int, hwm_after: int) -> tuple[int, bool]:
    """The window's peak RSS from the sampled maximum and the high-water marks
    read at both ends: ``(peak, exact)``."""
    if hwm_after > hwm_before:
        return max(hwm_after, sampled_peak), True
    return sampled_peak, False


class RssSampler:
    """Samples one process's RSS in a background thread."""

    def __init__(self, pid: int, interval: float = 0.01) -> None:
        self._pid = pid
        self._interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._before = self._hwm_before = self._peak = self._last = 0
        self._samples = 0
        self._error: MemoryProbeError | None = None

    def _read(self, field: str) -> int:
        return read_status_kb(self._pid, field) * KIB

    def start(self) -> None:
        """Read the starting RSS and high-water mark, then sample until ``stop``."""
        self._before = self._peak = self._last = self._read("VmRSS")
        self._hwm_before = self._read("VmHWM")
        self._samples = 1
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                value = self._read("VmRSS")
            except MemoryProbeError as exc:  # the process died: stop() reports it
                self._error = exc
                return
            self._samples += 1
            self._last = value
            self._peak = max(self._peak, value)

    def stop(self) -> RssFigures:
        """Stop sampling; raises ``MemoryProbeError`` if the process went away."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error
        after = self._read("VmRSS")
        peak, exact = window_peak(max(self._peak, after), self._hwm_before, self._read("VmHWM"))
        return RssFigures(
            before_bytes=self._before,
            peak_bytes=peak,
            after_bytes=after,
            samples=self._samples + 1,
            hwm_rose=exact,
        )
