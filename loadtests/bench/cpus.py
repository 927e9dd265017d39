"""Choosing CPUs and pinning processes to them.

How it works: the benchmark wants the server under test alone on one CPU and
the load generator on another, so that neither steals the other's cycles.
``plan_cpus`` checks that both requested CPUs are usable by this process
(``os.sched_getaffinity``) and says why when they are not (then nothing is
pinned and the figures carry a warning). A ``Placement`` (CPU + nice value)
gives the ``preexec_fn`` run in the child between fork and exec: the
affinity and priority set there are inherited by the program exec'ed and by
every thread it later starts, which changing them by PID after the start
would not guarantee. A nice value that cannot be applied (no privilege) is
left alone; ``priority_of`` lets the caller check and warn.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Placement:
    """Where and how eagerly a child runs: a CPU (``None``: unpinned) and a nice value."""

    cpu: int | None = None
    nice: int = 0

    def preexec(self) -> Callable[[], None] | None:
        """A ``preexec_fn`` applying this placement, or ``None`` when there is nothing to do."""
        if self.cpu is None and self.nice == 0:
            return None
        cpus = None if self.cpu is None else {self.cpu}
        nice = self.nice

        def apply() -> None:
            if cpus is not None:
                os.sched_setaffinity(0, cpus)
            if nice:
                # Without privilege it runs at the default priority; the caller checks.
                with contextlib.suppress(OSError):
                    os.setpriority(os.PRIO_PROCESS, 0, nice)

        return apply


@dataclass(frozen=True)
class CpuPlan:
    """Where the server and the load generator run; ``None`` means unpinned."""

    server_cpu: int | None
    load_cpu: int | None
    warning: str | None = None
    nice: int = 0

    @property
    def pinned(self) -> bool:
        return self.server_cpu is not None and self.load_cpu is not None

    @property
    def server(self) -> Placement:
        return Placement(self.server_cpu, self.nice)

    @property
    def load(self) -> Placement:
        return Placement(self.load_cpu, self.nice)


def available_cpus() -> set[int]:
    """CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return set(os.sched_getaffinity(0))
    return set(range(os.cpu_count() or 1))


def plan_cpus(
    server_cpu: int, load_cpu: int, available: set[int] | None = None, nice: int = 0
) -> CpuPlan:
    """Pin the server and the load generator to two distinct usable CPUs, or explain why not."""
    cpus = available_cpus() if available is None else available
    if not hasattr(os, "sched_setaffinity"):
        return CpuPlan(None, None, "this platform cannot pin processes to CPUs; running unpinned",
                       nice)
    if server_cpu == load_cpu:
        return CpuPlan(None, None, f"server and load generator both asked for CPU {server_cpu}; "
                       "running unpinned", nice)
    missing = sorted({server_cpu, load_cpu} - cpus)
    if missing:
        return CpuPlan(None, None, f"CPU(s) {missing} not available (have {sorted(cpus)}); "
                       "running unpinned, so server and load generator share CPUs", nice)
    return CpuPlan(server_cpu, load_cpu, None, nice)


def priority_of(pid: int) -> int | None:
    """The nice value of a running process, or ``None`` when it cannot be read."""
    try:
        return os.getpriority(os.PRIO_PROCESS, pid)
    except (AttributeError, OSError):
        return None


def affinity_of(pid: int) -> set[int] | None:
    """The CPUs a running process may use, or ``None`` when that cannot be read."""
    try:
        return set(os.sched_getaffinity(pid))
    except (AttributeError, OSError):
        return None
