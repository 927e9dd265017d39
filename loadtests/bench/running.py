"""How a channel bench runs its parts: pinned, supervised, bounded, written out.

How it works: ``cpu_plan`` places the simulator and this process on CPUs (and
prints why it could not); ``run_pinned`` pins this process to the plan's
load CPU, runs ``measure(supervisor)`` on the project's event loop with a
``ProcessSupervisor`` that stops every child it started, and gives the
affinity back; ``bounded`` runs one part under a timeout and turns its
failure into ``{"error": ...}`` so the other parts still run;
``write_figures`` writes the options, placement, machine and figures (and
what else the bench adds) as JSON.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Callable, Coroutine
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from nabat.loadtests.bench.cpus import CpuPlan, plan_cpus
from nabat.loadtests.bench.environment import describe_environment
from nabat.loadtests.bench.processes import ProcessSupervisor, ServerStartError
from nabat.loadtests.bench.sms_children import BenchFailed
from nabat.system.runtime import loop as runtime_loop

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T")


def say(message: str) -> None:
    print(message, flush=True)


def cpu_plan(server_cpu: int, load_cpu: int) -> CpuPlan:
    """``plan_cpus``, saying its warning."""
    cpus = plan_cpus(server_cpu, load_cpu)
    if cpus.warning:
        say(f"warning: {cpus.warning}")
    return cpus


def _pin_self(cpu: int | None) -> set[int] | None:
    if cpu is None or not hasattr(os, "sched_setaffinity"):
        return None
    before = set(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return before


def run_pinned(cpus: CpuPlan, measure: Callable[[ProcessSupervisor], Coroutine[Any, Any, T]]) -> T:
    """``measure(supervisor)`` on this process's load CPU; the children stopped after."""
    previous = _pin_self(cpus.load_cpu)
    try:
        with ProcessSupervisor() as supervisor:
            return runtime_loop.run(measure(supervisor))
    finally:
        if previous is not None:
            os.sched_setaffinity(0, previous)


async def bounded(work: Coroutine[Any, Any, dict[str, Any]], timeout: float) -> dict[str, Any]:
    """One part's figures, or ``{"error": why}`` when it failed or ran out of time."""
    try:
        figures: dict[str, Any] = await asyncio.wait_for(work, timeout)
    except TimeoutError:
        return {"error": f"did not finish within {timeout:g} s (--timeout)"}
    except (BenchFailed, ServerStartError, OSError, RuntimeError, ValueError) as error:
        return {"error": f"{type(error).__name__}: {error}"}
    return figures


def write_figures(
    path: Path | None,
    options: DataclassInstance,
    cpus: CpuPlan,
    figures: dict[str, Any],
    **more: Any,
) -> None:
    """The run as JSON at ``path`` (None: nothing written)."""
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "settings": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(options).items()},
        "placement": {
            "server_cpu": cpus.server_cpu,
            "load_cpu": cpus.load_cpu,
            "warning": cpus.warning,
        },
        "environment": describe_environment(None),
        "figures": figures,
        **more,
    }
    path.write_text(json.dumps(payload, indent=1), encoding="utf-8")
    say(f"figures written to {path}")
