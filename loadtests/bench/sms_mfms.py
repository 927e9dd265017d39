"""`nabat bench sms`, MFMS part: N messages through the system's MFMS route into `nabat sim mfms`.

How it works: the simulator runs as a child process (HTTP only, free
loopback port) pinned to the server CPU; this process, on the load CPU,
drives ``nabat.system.channels.mfms.MfmsRoute`` exactly as the server would:
one ``send_batch`` of every message (the route packs them into HPG GETs up
to ``max_url_length``, ``concurrency`` on the wire at once). A warm-up batch
of ``WARMUP`` messages opens the connections first (the simulator's counts
and the status round include it; the figures subtract it). Figures:

* messages/s accepted end to end: N over the time until ``send_batch``
  returned, every message SUBMITTED with its own providerId (checked, and
  the simulator's own count of accepted messages must agree);
* HTTP requests made (the route's counter) and messages per request;
* then the simulator's clock is advanced past every delivery and validity,
  and one status round over every providerId is timed separately
  (``StatusPoller.poll_once``: STATUS requests packed to the same limit);
  every message must then be final (none still tracked);
* CPU per message on each side (this process's ``process_time``, the
  simulator's /proc ticks) and the rate they allow with one core each (the
  busier side bounds it): on a shared machine the wall-clock rate measures
  the neighbours too, the CPU figures do not;
* peak RSS (``VmHWM``) of this process and of the simulator.

The N input messages are the benchmark's, not the route's: they are moved
out of the garbage collector's sight (``gc.freeze``) before the timed send,
so its collections walk only what the route itself keeps (as in a server,
whose engine hands the route a batch at a time).
"""

from __future__ import annotations

import gc
import os
import time
from collections import Counter
from typing import Any

from nabat.loadtests.bench.cpus import CpuPlan
from nabat.loadtests.bench.processes import ProcessSupervisor
from nabat.loadtests.bench.sms_children import (
    BenchFailed,
    peak_rss_bytes,
    reset_own_peak,
    start_simulator,
)
from nabat.loadtests.bench.sms_data import messages as bench_messages
from nabat.simulators.mfms.control_client import MfmsControlClient
from nabat.system.channels.base import SubmitOutcome
from nabat.system.channels.mfms import MfmsRoute, MfmsSettings

WARMUP = 200
SIMULATOR_URL_LIMIT = 65536  # nabat sim mfms's default max_url_bytes
ADVANCE_PAST_EVERY_STATUS = 3 * 86400.0  # beyond the 24 h validity: every message is final


async def measure_mfms(
    count: int, url_length: int, supervisor: ProcessSupervisor, plan: CpuPlan
) -> dict[str, Any]:
    reset_own_peak()
    simulator = start_simulator(
        supervisor, "mfms", ["--port", "0", "--no-tls"], plan.server, needs="http"
    )
    base = str(simulator.ready["http"])
    settings = MfmsSettings(
        base_url=f"{base}/CLIENT/connectorX",
        max_url_length=url_length,
        poll_interval=86400.0,  # the bench polls itself, timed
        timeout=120.0,
    )
    messages = bench_messages(count)
    control = MfmsControlClient(base, timeout=120.0)
    try:
        async with MfmsRoute(settings) as route:
            warm = await route.send_batch(bench_messages(WARMUP))
            if any(result.outcome is not SubmitOutcome.SUBMITTED for result in warm):
                raise BenchFailed(f"MFMS warm-up refused: {warm[0]}")
            requests_before = route.requests_made
            gc.collect()
            gc.freeze()
            simulator_cpu = simulator.cpu_seconds()
            own_cpu = time.process_time()
            started = time.perf_counter()
            results = await route.send_batch(messages)
            send_seconds = time.perf_counter() - started
            own_cpu = time.process_time() - own_cpu
            simulator_cpu = _spent(simulator_cpu, simulator.cpu_seconds())
            requests = route.requests_made - requests_before
            outcomes = Counter(result.outcome.value for result in results)
            ids = {result.provider_id for result in results if result.provider_id}
            accepted_by_simulator = sum(control.state()["statuses"].values()) - WARMUP

            control.set_clock(advance=ADVANCE_PAST_EVERY_STATUS)
            requests_before = route.requests_made
            started = time.perf_counter()
            await route.poller.poll_once()
            poll_seconds = time.perf_counter() - started
            poll_requests = route.requests_made - requests_before
            still_pending = route.poller.pending
            statuses = control.state()["statuses"]
        return {
            "messages": count,
            "url_length": url_length,
            "concurrency": settings.concurrency,
            "submitted": outcomes.get(SubmitOutcome.SUBMITTED.value, 0),
            "outcomes": dict(outcomes),
            "distinct_provider_ids": len(ids),
            "accepted_by_simulator": accepted_by_simulator,
            "seconds": send_seconds,
            "per_second": count / send_seconds if send_seconds > 0 else None,
            "route_cpu_us_per_message": 1e6 * own_cpu / count,
            "simulator_cpu_us_per_message": (
                None if simulator_cpu is None else 1e6 * simulator_cpu / count
            ),
            "per_second_one_core_each": _capacity(count, own_cpu, simulator_cpu),
            "requests": requests,
            "messages_per_request": count / requests if requests else None,
            "status_poll": {
                "seconds": poll_seconds,
                "per_second": (count + WARMUP) / poll_seconds if poll_seconds > 0 else None,
                "requests": poll_requests,
                "polled": count + WARMUP,
                "final": count + WARMUP - still_pending,
                "simulator_statuses": statuses,
            },
            "peak_rss_bytes": {
                "route": peak_rss_bytes(os.getpid()),
                "simulator": simulator.peak_rss(),
            },
        }
    finally:
        gc.unfreeze()
        control.close()
        supervisor.stop(simulator.process)


def _spent(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else after - before


def _capacity(count: int, own_cpu: float, simulator_cpu: float | None) -> float | None:
    """Messages/s if each side had a core of its own: the busier side's CPU bounds it."""
    busiest = max(own_cpu, simulator_cpu or 0.0)
    return count / busiest if busiest > 0 else None
