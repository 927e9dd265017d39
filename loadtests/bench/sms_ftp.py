"""`nabat bench sms`, FTP part: one archive of N contacts through the system's FTP route.

How it works: ``nabat sim ftp`` runs as a child process (free loopback
ports, a temporary ``--root``, a poll interval of a day so that only the
benchmark starts the poller) pinned to the server CPU. This process, on the
load CPU, times building the template-variant archive alone
(``route_template_archive``, what the route does first), then
``FtpPlatformRoute.send_batch`` of every contact: build, plain-FTP upload
under a temporary name and rename (the route's atomic upload). Then it asks
the simulator to poll now (``POST /__sim/poll``): the archive record the
poller returns holds ``seconds``, measured by the simulator itself from
picking the archive up to its last message accepted into the delivery
model (the target), and ``messages``. Checks: the record is ``accepted``
with N messages, the simulator's message count is N, and the route, listing
the folder once, reports every message ``picked-up``. Peak RSS of both
processes as for MFMS.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from datetime import datetime
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
from nabat.simulators.ftp_platform.control_client import FtpControlClient
from nabat.system.channels.base import ChannelEvent, DeliveryReport, SubmitOutcome
from nabat.system.channels.ftp_platform import FtpPlatformRoute, FtpPlatformSettings
from nabat.system.channels.ftp_platform.archive import route_template_archive

SENDER = "TESTSMS"  # the guest account's registered sender
ONE_DAY = 86400.0


async def measure_ftp(
    count: int, supervisor: ProcessSupervisor, plan: CpuPlan, timeout: float
) -> dict[str, Any]:
    reset_own_peak()
    root = supervisor.workdir / "ftp-root"
    root.mkdir()
    arguments = ["--port", "0", "--control-port", "0", "--root", str(root)]
    arguments += ["--poll-interval", str(ONE_DAY)]
    simulator = start_simulator(supervisor, "ftp", arguments, plan.server, needs="control")
    settings = FtpPlatformSettings(
        host=str(simulator.ready["host"]),
        port=int(simulator.ready["port"]),
        sender=SENDER,
        max_batch=max(count, 1),
        timeout=timeout,
        watch_interval=ONE_DAY,  # the bench checks the pickup itself
    )
    messages = bench_messages(count)
    control = FtpControlClient(str(simulator.ready["control"]), timeout=timeout)
    try:
        started = time.perf_counter()
        archive = route_template_archive("bench.zip", messages, sender=SENDER)
        build_seconds = time.perf_counter() - started
        picked_up: Counter[str] = Counter()

        async def on_event(event: ChannelEvent) -> None:
            if isinstance(event, DeliveryReport):
                picked_up[event.platform_status] += 1

        async with FtpPlatformRoute(settings, wall_clock=datetime.now) as route:
            route.subscribe(on_event)
            started = time.perf_counter()
            results = await route.send_batch(messages)
            upload_seconds = time.perf_counter() - started
            outcomes = Counter(result.outcome.value for result in results)
            if outcomes.get(SubmitOutcome.SUBMITTED.value) != count:
                raise BenchFailed(f"FTP route: {dict(outcomes)} of {count} messages")
            started = time.perf_counter()
            records = await asyncio.to_thread(control.poll)
            poll_call_seconds = time.perf_counter() - started
            if len(records) != 1:
                raise BenchFailed(f"FTP simulator: {len(records)} archives picked up, not 1")
            (record,) = records
            counts = (await asyncio.to_thread(control.state))["messages"]
            await route.check_pickups()
            deadline = time.monotonic() + timeout
            while sum(picked_up.values()) < count and time.monotonic() < deadline:
                await asyncio.sleep(0.01)  # the hub hands each report over in a task
        return {
            "contacts": count,
            "archive_bytes": len(archive.data),
            "build_seconds": build_seconds,
            "build_upload_seconds": upload_seconds,
            "submitted": outcomes.get(SubmitOutcome.SUBMITTED.value, 0),
            "archive": record.get("name"),
            "outcome": record.get("outcome"),
            "problem": record.get("problem"),
            "accepted": record.get("messages", 0) if record.get("outcome") == "accepted" else 0,
            "pickup_to_accepted_seconds": record.get("seconds"),
            "poll_call_seconds": poll_call_seconds,
            "accepted_by_simulator": sum(counts.values()),
            "picked_up_reports": picked_up.get("picked-up", 0),
            "peak_rss_bytes": {
                "route": peak_rss_bytes(os.getpid()),
                "simulator": simulator.peak_rss(),
            },
        }
    finally:
        control.close()
        supervisor.stop(simulator.process)
