"""The recovery part of `nabat bench engine`: kill -9 at a random point, restart, finish.

How it works: ``run_recovery`` sets up a ``CrashRig`` (engine_processes.py:
``nabat sim ats``, ``nabat sim gsm`` with ``modems`` simcom modems at
``speed``, ``nabat serve`` with the engine's clock at the same speed), makes a
voice task with DTMF confirmation of ``abonents`` abonents over the wire and
starts it. A point is drawn from the seeded generator (between 10% and 90% of
the abonents processed); when GETTASKINFO reaches it the server is SIGKILLed,
started again on the same data directory and the task runs to the end. The
world's journal is read all along (the simulator keeps only its newest
decisions). Figures: ``lost`` and ``notified_twice`` (``judge``: the store
against the world's decisions), ``resume_seconds`` (the kill to the first new
attempt of the resumed task written by the restarted server),
``total_seconds`` (STARTTASK to FINISHED, the crash included), and for the
record ``interrupted`` (attempts in flight at the kill), ``killed_at``
(abonents processed at the kill), ``journal_dropped`` (1 when decisions went
unread: the check is then partial) and ``seed``. It prints nothing.
"""

from __future__ import annotations

import asyncio
import random
import time

from nabat.loadtests.bench.engine_processes import (
    CrashRig,
    JournalWatch,
    abonent_number,
    create_voice_task,
    judge,
)
from nabat.loadtests.bench.processes import ProcessSupervisor
from nabat.system.client import NabatClient
from nabat.system.protocol import TaskStatus
from nabat.system.store import Store

DEFAULT_SPEED = 100.0
JOURNAL_EVERY = 0.5  # seconds between reads of the world's journal
POLL = 0.05  # seconds between GETTASKINFO requests
SETTLE_LIMIT = 3600.0  # seconds any one wait may take


def run_recovery(
    abonents: int = 10_000,
    modems: int = 60,
    speed: float = DEFAULT_SPEED,
    seed: int | None = None,
) -> dict[str, float]:
    """Kill the server in the middle of a voice task and finish it; the figures."""
    if abonents < 1 or modems < 1 or speed <= 0:
        raise ValueError("abonents and modems must be >= 1, speed > 0")
    chosen = seed if seed is not None else random.SystemRandom().randrange(1, 2**31)
    with ProcessSupervisor() as supervisor:
        rig = CrashRig(supervisor, modems=modems, speed=speed, seed=chosen)
        rig.start_simulators()
        rig.start_server()
        return asyncio.run(_recover(rig, abonents, random.Random(chosen)))


async def _recover(rig: CrashRig, abonents: int, rng: random.Random) -> dict[str, float]:
    watch = JournalWatch(rig.control)
    kill_at = max(1, round(abonents * rng.uniform(0.1, 0.9)))
    async with rig.client() as admin:
        task_id = await create_voice_task(admin, (abonent_number(i) for i in range(abonents)))
        started = time.monotonic()
        await admin.start_task(task_id, restart=True)
        killed_at = await _wait(admin, task_id, watch, lambda info: info.processed >= kill_at)
        rig.kill_server()
    killed = time.monotonic()
    interrupted = rig.in_flight(task_id)
    before = rig.last_attempt(task_id)
    rig.start_server()
    while rig.attempts_after(task_id, before) == 0:
        if time.monotonic() - killed > SETTLE_LIMIT:
            raise TimeoutError("the resumed task made no attempt")
        await asyncio.sleep(0.01)
    resumed = time.monotonic()
    async with rig.client() as admin:
        await _wait(admin, task_id, watch, lambda info: info.status is TaskStatus.FINISHED)
    finished = time.monotonic()
    watch.poll()
    rig.stop_server()
    with Store.open(rig.data_dir) as store:
        targets = store.progress.report_targets(task_id)
    verdict = judge(targets, watch.by_address(), abonents)
    return {
        "abonents": float(abonents),
        "lost": float(verdict.lost),
        "notified_twice": float(verdict.notified_twice),
        "resume_seconds": resumed - killed,
        "total_seconds": finished - started,
        "interrupted": float(interrupted),
        "unreconciled": float(verdict.unreconciled),
        "killed_at": float(killed_at),
        "journal_dropped": float(watch.dropped),
        "seed": float(rig.seed),
    }


async def _wait(admin: NabatClient, task_id: int, watch: JournalWatch, done: object) -> int:
    """Poll GETTASKINFO until ``done(info)``; read the journal on the way. Processed count."""
    assert callable(done)
    deadline = time.monotonic() + SETTLE_LIMIT
    last_read = 0.0
    while True:
        info = await admin.get_task_info(task_id)
        if done(info):
            return int(info.processed)
        if info.status is TaskStatus.FINISHED:
            raise RuntimeError(f"task {task_id} finished before the point awaited")
        now = time.monotonic()
        if now - last_read >= JOURNAL_EVERY:
            await asyncio.to_thread(watch.poll)
            last_read = now
        if now > deadline:
            raise TimeoutError(f"task {task_id}: waited {SETTLE_LIMIT:g} s")
        await asyncio.sleep(POLL)
