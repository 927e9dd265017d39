"""CPU use around a measured run: the server's own, and everyone else's.

How it works: on a shared machine other processes steal cycles from the
pinned server or from wrk and requests/s drop for reasons that have nothing
to do with the code under test. Around each measured run, ``CpuWatch``
snapshots user+system ticks of every process in /proc (kernel threads
excluded) and the ``steal`` counter of /proc/stat. After the run:

- the server's ticks give its CPU use (% of one CPU: near 100 means the
  server, not the load generator, was the limit) and its CPU time per
  answered request — a figure that other load on the machine barely moves,
  unlike requests/s;
- the ticks gained by every other process except the benchmark itself
  (the load generator is not alive at either snapshot) give "other CPU",
  in % of one CPU. It is an indicator, not an exact account: a process that
  starts and ends between the snapshots is missed, and softirq work done by
  kernel threads is not counted.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


def _ticks_per_second() -> int:
    try:
        return int(os.sysconf("SC_CLK_TCK"))
    except (AttributeError, ValueError, OSError):
        return 100


def parse_proc_stat_line(text: str) -> tuple[int, int, int] | None:
    """``(ppid, utime + stime ticks, flags)`` from the text of /proc/PID/stat."""
    # The command name is in parentheses and may contain spaces: split after it.
    close = text.rfind(")")
    if close < 0:
        return None
    fields = text[close + 2 :].split()
    # fields[0] is field 3 (state); ppid is field 4, flags 9, utime 14, stime 15.
    try:
        return int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[6])
    except (IndexError, ValueError):
        return None


PF_KTHREAD = 0x00200000


def process_ticks(proc_root: Path = PROC) -> dict[int, int]:
    """CPU ticks used so far by every user-space process."""
    result: dict[int, int] = {}
    for entry in proc_root.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text(encoding="ascii", errors="replace")
            parsed = parse_proc_stat_line(text)
        except OSError:
            continue
        if parsed is None:
            continue
        _, ticks, flags = parsed
        if flags & PF_KTHREAD:
            continue
        result[int(entry.name)] = ticks
    return result


def steal_ticks(proc_root: Path = PROC) -> int:
    """Total ``steal`` ticks of all CPUs (time the hypervisor gave to others)."""
    try:
        for line in (proc_root / "stat").read_text(encoding="ascii").splitlines():
            if line.startswith("cpu "):
                fields = line.split()
                return int(fields[8]) if len(fields) > 8 else 0
    except (OSError, ValueError):
        pass
    return 0


@dataclass
class CpuUse:
    """CPU use during one run; percentages are of one CPU."""

    server_percent: float
    server_us_per_request: float | None
    other_processes_percent: float
    steal_percent: float


class CpuWatch:
    """Snapshot before a run; ``finish`` after it."""

    def __init__(self, server_pid: int) -> None:
        self._server = server_pid
        self._exclude = {os.getpid(), server_pid}
        self._hz = _ticks_per_second()
        self._started = time.monotonic()
        self._before = process_ticks()
        self._steal_before = steal_ticks()

    def finish(self, requests: int) -> CpuUse:
        after = process_ticks()
        elapsed = max(time.monotonic() - self._started, 1e-6)
        gained = 0
        for pid, ticks in after.items():
            if pid not in self._exclude:
                # A process born during the run counts whole.
                gained += ticks - self._before.get(pid, 0)
        server_ticks = after.get(self._server, 0) - self._before.get(self._server, 0)
        server_seconds = server_ticks / self._hz
        steal = steal_ticks() - self._steal_before
        return CpuUse(
            server_percent=round(100.0 * server_seconds / elapsed, 1),
            server_us_per_request=(
                round(server_seconds / requests * 1e6, 2) if requests > 0 else None
            ),
            other_processes_percent=round(100.0 * gained / self._hz / elapsed, 1),
            steal_percent=round(100.0 * steal / self._hz / elapsed, 1),
        )


def other_cpu_percent_over(seconds: float, exclude_pids: set[int]) -> float:
    """Other processes' CPU use (% of one CPU) measured over ``seconds``."""
    exclude = {os.getpid(), *exclude_pids}
    hz = _ticks_per_second()
    before = process_ticks()
    steal_before = steal_ticks()
    started = time.monotonic()
    time.sleep(seconds)
    after = process_ticks()
    elapsed = max(time.monotonic() - started, 1e-6)
    gained = sum(t - before.get(pid, 0) for pid, t in after.items() if pid not in exclude)
    steal = steal_ticks() - steal_before
    return 100.0 * max(gained, steal) / hz / elapsed


def wait_for_quiet(
    max_wait_s: float, threshold_percent: float, exclude_pids: set[int], sample_s: float = 0.5
) -> float:
    """Sleep until other processes use less than ``threshold_percent`` of a CPU
    over one ``sample_s`` window, or ``max_wait_s`` has passed; return the
    seconds waited. With ``max_wait_s`` 0 it returns at once."""
    if max_wait_s <= 0:
        return 0.0
    started = time.monotonic()
    while True:
        if other_cpu_percent_over(sample_s, exclude_pids) < threshold_percent:
            break
        if time.monotonic() - started >= max_wait_s:
            break
    return time.monotonic() - started
