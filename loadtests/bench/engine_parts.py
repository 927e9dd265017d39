"""The voice and SMS parts of `nabat bench engine`, each a server child against simulator children.

How it works: each part writes its store and config (engine_data.py), starts
the simulators with ``start_simulator`` and ``nabat serve`` with
``start_bench_server`` (engine_run.py), all through the benchmark's
``ProcessSupervisor``: the server alone on the server CPU, so its CPU time
(/proc) is the engine's own; the simulators and this process on the load CPU.

* Voice: ``nabat sim ats`` (the verification hub) and ``nabat sim gsm`` with
  ``channels`` pseudo-terminal modems (profile simcom, realistic timing, the
  default world at ``speed``) whose anti-fraud link points at the hub; the
  server's engine clock runs at the same speed and registers every call with
  the hub. One voice task with DTMF confirmation over ``abonents`` abonents.
* SMS: ``nabat sim mfms`` (plain HTTP) and one MFMS channel; one SMS task
  over ``abonents`` abonents, timed from STARTTASK until every message is
  handed over (no attempt in flight in the store), then the simulator's
  clock is moved past every delivery and validity (the world decides each
  SMS's fate in simulated time) and the time until the task is FINISHED
  (every delivery report in, the route polling statuses every
  ``SMS_POLL_SECONDS``) is the end-to-end figure.

Attempts and outcomes are read from the server's store (read-only SQLite,
``task_attempts``) once the task has ended.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from nabat.loadtests.bench.cpus import CpuPlan
from nabat.loadtests.bench.engine_data import ChannelConfig, prepare_task, write_config
from nabat.loadtests.bench.engine_run import (
    connect,
    start_bench_server,
    wait_channels,
    watch_figures,
    watch_task,
)
from nabat.loadtests.bench.processes import ProcessSupervisor, python_module_command
from nabat.loadtests.bench.sms_children import start_simulator
from nabat.simulators.mfms.control_client import MfmsControlClient
from nabat.system.protocol import TaskType

VOICE_CONFIRM = "key=1;repeat=2;wait=10"
VOICE_ADDINFO = "attempts=2;interval=60"
SMS_ADDINFO = "attempts=1;sms_wait=600"  # one message each: undelivered is final
SMS_POLL_SECONDS = 1.0  # the route's status round (default 10 s)
PAST_EVERY_DELIVERY = 3 * 86400.0  # the world's SMS validity is 24 h: every status final
CHANNELS_UP_SECONDS = 60.0


def attempt_outcomes(data_dir: Path, task_id: int) -> dict[str, int]:
    """``outcome -> attempts`` of the task, read-only from the server's store."""
    uri = f"file:{data_dir / 'nabat.db'}?mode=ro"
    with sqlite3.connect(uri, uri=True, timeout=30.0) as conn:
        rows = conn.execute(
            "SELECT CASE WHEN outcome = '' THEN state ELSE outcome END, COUNT(*)"
            " FROM task_attempts WHERE task_id = ? GROUP BY 1",
            (task_id,),
        ).fetchall()
    return {str(outcome): int(count) for outcome, count in rows}


def finished_attempts(data_dir: Path, task_id: int) -> int:
    """Attempts of the task that are no longer in flight (handed over, or failed)."""
    uri = f"file:{data_dir / 'nabat.db'}?mode=ro"
    with sqlite3.connect(uri, uri=True, timeout=30.0) as conn:
        row = conn.execute(
            "SELECT COUNT(*) FROM task_attempts WHERE task_id = ? AND state != 'in_flight'",
            (task_id,),
        ).fetchone()
    return int(row[0])


def _target_states(data_dir: Path, task_id: int) -> dict[str, int]:
    uri = f"file:{data_dir / 'nabat.db'}?mode=ro"
    with sqlite3.connect(uri, uri=True, timeout=30.0) as conn:
        rows = conn.execute(
            "SELECT state, COUNT(*) FROM task_targets WHERE task_id = ? GROUP BY state", (task_id,)
        ).fetchall()
    return {str(state): int(count) for state, count in rows}


async def measure_voice(
    abonents: int,
    channels: int,
    speed: float,
    supervisor: ProcessSupervisor,
    plan: CpuPlan,
    deadline: float,
) -> dict[str, Any]:
    data_dir = supervisor.workdir / "voice-data"
    task = prepare_task(
        data_dir, TaskType.CALL, abonents, confirm=VOICE_CONFIRM, addinfo=VOICE_ADDINFO
    )
    ats = supervisor.start_server(
        "voice-ats",
        python_module_command(
            "nabat.system.cli.main", "sim", "ats", "--port", "0", "--window", "3600"
        ),
        plan.load,
    )
    gsm = start_simulator(
        supervisor,
        "gsm",
        ["--modems", str(channels), "--profile", "simcom", "--speed", f"{speed:g}",
         "--control-port", "0", "--ats", ats.url],
        plan.load,
        needs="control",
        timeout=120.0,
    )  # fmt: skip
    paths = [str(path) for path in gsm.ready["paths"]]
    config = write_config(
        supervisor.workdir / "voice.toml",
        data_dir,
        [ChannelConfig("GSM", f"Модем {n + 1}", f"port={path}") for n, path in enumerate(paths)],
        clock_speed=speed,
        verification_url=ats.url,
    )
    server = start_bench_server(supervisor, "voice-server", config, plan.server)
    client = await connect(server, task)
    try:
        nums = set(range(1, channels + 1))
        up = await wait_channels(client, nums, time.monotonic() + CHANNELS_UP_SECONDS)
        watch = await watch_task(client, server, task.task_id, nums, deadline)
    finally:
        await client.close()
    outcomes = attempt_outcomes(data_dir, task.task_id)
    attempts = sum(outcomes.values())
    cpu = watch.server_cpu_seconds
    return {
        "abonents": abonents,
        "channels": channels,
        "channels_up": up,
        "speed": speed,
        "confirm": VOICE_CONFIRM,
        "addinfo": VOICE_ADDINFO,
        **watch_figures(watch),
        "attempts": attempts,
        "outcomes": outcomes,
        "targets": _target_states(data_dir, task.task_id),
        "cpu_ms_per_attempt": None if cpu is None or not attempts else 1e3 * cpu / attempts,
        "simulated_seconds": watch.seconds * speed,
    }


async def measure_sms(
    abonents: int, supervisor: ProcessSupervisor, plan: CpuPlan, deadline: float
) -> dict[str, Any]:
    data_dir = supervisor.workdir / "sms-data"
    # channel 1, the MFMS route, alone: the licence's sms_gateway lets a working
    # platform route stand in for a GSM modem at STARTTASK
    task = prepare_task(data_dir, TaskType.SMS, abonents, channels="1", addinfo=SMS_ADDINFO)
    mfms = start_simulator(supervisor, "mfms", ["--port", "0", "--no-tls"], plan.load, needs="http")
    base_url = f"{mfms.ready['http']}/CLIENT/connectorX"
    config = write_config(
        supervisor.workdir / "sms.toml",
        data_dir,
        [
            ChannelConfig(
                "MFMS", "MFMS", f"base_url={base_url};poll_interval={SMS_POLL_SECONDS:g}"
            ),
        ],
        clock_speed=1.0,
    )
    server = start_bench_server(supervisor, "sms-server", config, plan.server)
    client = await connect(server, task)
    control = MfmsControlClient(str(mfms.ready["http"]), timeout=60.0)
    try:
        up = await wait_channels(client, {1}, time.monotonic() + CHANNELS_UP_SECONDS)
        watch = await watch_task(
            client, server, task.task_id, {1}, deadline,
            all_sent=lambda: finished_attempts(data_dir, task.task_id) >= abonents,
            when_sent=lambda: control.set_clock(advance=PAST_EVERY_DELIVERY),
        )  # fmt: skip
    finally:
        control.close()
        await client.close()
    outcomes = attempt_outcomes(data_dir, task.task_id)
    return {
        "abonents": abonents,
        "channel_up": bool(up),
        **watch_figures(watch),
        "attempts": sum(outcomes.values()),
        "outcomes": outcomes,
        "targets": _target_states(data_dir, task.task_id),
        "sent_per_second": (abonents / watch.sent_seconds if watch.sent_seconds else None),
        "cpu_us_per_message": (
            None
            if watch.server_cpu_seconds is None or not abonents
            else 1e6 * watch.server_cpu_seconds / abonents
        ),
        "simulator_peak_rss_bytes": mfms.peak_rss(),
    }
