"""One bench server of `nabat bench engine`: start it, run its task, watch it to the end.

How it works: ``start_bench_server`` runs ``nabat serve --config F`` through
the benchmark's ``ProcessSupervisor`` (stopped however the run ends) pinned
by its ``Placement``, and connects a ``NabatClient`` as the bench user.
``watch_task`` sends STARTTASK, then samples every ``SAMPLE_SECONDS`` of wall
time GETTASKINFO (how many targets are processed) and GETCHANNELS (how many
of the task's channels are BUSY: dialling or in a call) until the task is
FINISHED, FAILED or STOPPED or the deadline passes (an SMS task also
probes when every message is handed over, and may then act: the bench moves
the platform's clock past every delivery). The server's CPU time
(/proc) is read at STARTTASK and at the end, so the engine's CPU covers the
task alone, not the start-up. Utilisation counts the samples taken *while
work remains*: while the unprocessed targets are at least as many as the
channels (the tail, where fewer abonents than channels are left, cannot fill
every channel whatever the engine does).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nabat.loadtests.bench.cpus import Placement
from nabat.loadtests.bench.engine_data import TaskData
from nabat.loadtests.bench.processes import ProcessSupervisor, ServerProcess, python_module_command
from nabat.loadtests.bench.sms_children import cpu_seconds, peak_rss_bytes
from nabat.system.client import NabatClient
from nabat.system.protocol import ChannelState, TaskStatus

SAMPLE_SECONDS = 0.2
ENDED = (TaskStatus.FINISHED, TaskStatus.FAILED, TaskStatus.STOPPED)


@dataclass
class TaskWatch:
    """What ``watch_task`` saw."""

    status: str = ""
    total: int = 0
    processed: int = 0
    confirmed: int = 0
    failed: int = 0
    seconds: float = 0.0
    finished: bool = False
    server_cpu_seconds: float | None = None
    peak_rss_bytes: int | None = None
    busy_samples: list[float] = field(default_factory=list)  # busy fraction while work remains
    first_processed_seconds: float | None = None
    sent_seconds: float | None = None  # every attempt handed over (``all_sent`` first true)

    @property
    def utilisation(self) -> float | None:
        samples = self.busy_samples
        return sum(samples) / len(samples) if samples else None


def start_bench_server(
    supervisor: ProcessSupervisor, name: str, config: Path, placement: Placement
) -> ServerProcess:
    command = python_module_command("nabat.system.cli.main", "serve", "--config", str(config))
    return supervisor.start_server(name, command, placement, timeout=120.0)


async def connect(server: ServerProcess, task: TaskData) -> NabatClient:
    ready = server.ready
    client = await NabatClient.connect(
        str(ready["host"]), int(str(ready["port"])), cafile=str(ready["cert"])
    )
    await client.login(task.login, task.password)
    return client


async def wait_channels(client: NabatClient, nums: set[int], deadline: float) -> int:
    """Wait until every channel of ``nums`` is IDLE (its driver up); the count that are."""
    idle = 0
    while time.monotonic() < deadline:
        channels = await client.get_channels()
        idle = sum(1 for c in channels if c.num in nums and c.state is ChannelState.IDLE)
        if idle == len(nums):
            break
        await asyncio.sleep(0.2)
    return idle


async def watch_task(
    client: NabatClient,
    server: ServerProcess,
    task_id: int,
    channel_nums: set[int],
    deadline: float,
    all_sent: Callable[[], bool] | None = None,
    when_sent: Callable[[], object] | None = None,
) -> TaskWatch:
    """STARTTASK (restart), then sample progress and busy channels until it ends.

    ``all_sent`` (run in a thread each sample until it is true) tells when every
    attempt has been handed to a channel; ``when_sent`` is then called once."""
    watch = TaskWatch()
    cpu_before = cpu_seconds(server.pid)
    started = time.perf_counter()
    await client.start_task(task_id, restart=True)
    while True:
        info = await client.get_task_info(task_id)
        channels = await client.get_channels()
        now = time.perf_counter() - started
        busy = sum(1 for c in channels if c.num in channel_nums and c.state is ChannelState.BUSY)
        watch.total, watch.processed = info.total, info.processed
        watch.confirmed, watch.failed = info.confirmed, info.failed
        watch.status = info.status.name
        if watch.processed and watch.first_processed_seconds is None:
            watch.first_processed_seconds = now
        if (
            all_sent is not None
            and watch.sent_seconds is None
            and await asyncio.to_thread(all_sent)
        ):
            watch.sent_seconds = time.perf_counter() - started
            if when_sent is not None:
                await asyncio.to_thread(when_sent)
        if info.status in ENDED:
            watch.finished = info.status is TaskStatus.FINISHED
            break
        if info.total - info.processed >= len(channel_nums) and info.total:
            watch.busy_samples.append(busy / len(channel_nums))
        if time.monotonic() >= deadline:
            break
        await asyncio.sleep(SAMPLE_SECONDS)
    watch.seconds = time.perf_counter() - started
    cpu_after = cpu_seconds(server.pid)
    if cpu_before is not None and cpu_after is not None:
        watch.server_cpu_seconds = cpu_after - cpu_before
    watch.peak_rss_bytes = peak_rss_bytes(server.pid)
    return watch


def watch_figures(watch: TaskWatch) -> dict[str, Any]:
    return {
        "status": watch.status,
        "finished": watch.finished,
        "total": watch.total,
        "processed": watch.processed,
        "confirmed": watch.confirmed,
        "failed": watch.failed,
        "seconds": watch.seconds,
        "sent_seconds": watch.sent_seconds,
        "server_cpu_seconds": watch.server_cpu_seconds,
        "server_peak_rss_bytes": watch.peak_rss_bytes,
        "utilisation": watch.utilisation,
        "utilisation_samples": len(watch.busy_samples),
    }
