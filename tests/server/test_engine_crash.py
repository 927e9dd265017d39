"""kill -9 in the middle of a voice task: the task resumes, loses no abonent, calls
no confirmed abonent again, and the call in flight at the crash is reconciled.

Real processes (``CrashRig`` of ``loadtests/bench/engine_processes.py``):
``nabat sim ats``, ``nabat sim gsm --modems 4 --profile simcom`` at a speed
factor with its own world, and ``nabat serve`` driving the modems'
pseudo-terminals. Once some abonents are processed and a channel is BUSY
(a call in flight), the server is SIGKILLed, started again on the same data
directory and runs the task to the end; the store (read after a clean stop)
is then checked against the world's journal of voice decisions.

The recovery benchmark found a race this file also pins down in-process: a
far end hanging up right after the key cancels the driver's answer hook
while the confirmation is being written; the attempt's result must wait for
that write, or the engine retries (calls again) a confirmed abonent.
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any

import pytest
from nabat.loadtests.bench.engine_processes import (
    CrashRig,
    JournalWatch,
    abonent_number,
    busy_channels,
    create_voice_task,
    judge,
)
from nabat.loadtests.bench.processes import ProcessSupervisor
from nabat.system.channels.base import CallOutcome, CallResult
from nabat.system.engine.params import ConfirmSpec
from nabat.system.engine.voice import VoiceAttempt
from nabat.system.protocol import TaskStatus
from nabat.system.store import Store

ABONENTS = 40
MODEMS = 4
SPEED = 60.0
PROCESSED_BEFORE_KILL = 8
DEADLINE = 45.0  # seconds for each wait


def _ptys_available() -> bool:
    try:
        leader, follower = os.openpty()
    except OSError:
        return False
    os.close(leader)
    os.close(follower)
    return True


async def _wait_for(what: str, check: object, seconds: float = DEADLINE) -> None:
    deadline = time.monotonic() + seconds
    while True:
        assert callable(check)
        if await check():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds:g} s for {what}")
        await asyncio.sleep(0.05)


async def test_a_task_survives_kill_9_of_the_server() -> None:
    if not _ptys_available():
        pytest.skip("pseudo-terminals are not available here (os.openpty failed)")
    numbers = [abonent_number(index) for index in range(ABONENTS)]
    with ProcessSupervisor() as supervisor:
        rig = CrashRig(supervisor, modems=MODEMS, speed=SPEED, seed=14)
        rig.start_simulators()
        rig.start_server()
        async with rig.client() as admin:
            task_id = await create_voice_task(admin, numbers)
            started = await admin.start_task(task_id, restart=True)
            assert started.status is TaskStatus.RUNNING, started

            async def mid_task() -> bool:
                info = await admin.get_task_info(task_id)
                assert info.status is TaskStatus.RUNNING, info  # not finished before the crash
                enough = int(info.processed) >= PROCESSED_BEFORE_KILL
                return enough and await busy_channels(admin) > 0

            await _wait_for("processed abonents and a call in flight", mid_task)
            rig.kill_server()
        in_flight = rig.in_flight(task_id)
        assert in_flight >= 1, "no attempt was in flight at the kill"
        before = rig.last_attempt(task_id)

        rig.start_server()
        async with rig.client() as admin:

            async def finished() -> bool:
                info = await admin.get_task_info(task_id)
                return bool(info.status is TaskStatus.FINISHED)

            await _wait_for("the resumed task to finish", finished)
            tag, report = await admin.get_report(task_id)
        assert rig.attempts_after(task_id, before) >= 1, "nothing was tried after the restart"
        assert tag == "HTML" and "Прервано".encode() in report  # the interrupted attempt shown
        watch = JournalWatch(rig.control)
        watch.poll()
        rig.stop_server()
        with Store.open(rig.data_dir) as store:  # the scratch directory goes with the block
            targets = store.progress.report_targets(task_id)

    assert not watch.dropped and targets
    verdict = judge(targets, watch.by_address(), ABONENTS)
    assert verdict.problems == ()
    assert verdict.lost == 0 and verdict.notified_twice == 0 and verdict.unreconciled == 0
    assert verdict.interrupted == in_flight
    assert any(target.state.value == "confirmed" for target in targets)


class _HangsUpAfterTheKey:
    """A voice channel whose far end presses the key and hangs up at once: the driver
    cancels the answer hook while it writes the confirmation."""

    own_number = None

    class _Session:
        number, keys, ended = "79100000001", "1", False

        async def wait_for_keys(self, wanted: str, timeout: float) -> bool:
            return True

    async def call(self, number: str, *, on_answer: Any, dtmf_timeout: float,
                   ring_timeout: float) -> CallResult:  # fmt: skip
        hook = asyncio.ensure_future(on_answer(self._Session()))
        for _ in range(3):  # the hook reaches its write
            await asyncio.sleep(0)
        hook.cancel()
        return CallResult("gsm1", number, CallOutcome.ANSWERED, 1.0, 1.0, keys="1",
                          confirmed=True, detail="far end hung up")  # fmt: skip


async def test_a_call_result_waits_for_its_confirmation_write() -> None:
    written: list[str] = []

    async def slow_write(keys: str) -> None:
        await asyncio.sleep(0.05)  # the store's transaction in its worker thread
        written.append(keys)

    attempt = VoiceAttempt(
        _HangsUpAfterTheKey(), "79100000001", attempt_id=1, confirm=ConfirmSpec("1"),
        ring=30.0, message="текст", verification=None, on_confirmed=slow_write,
    )  # fmt: skip
    outcome = await attempt.run()
    assert outcome.confirmed_keys == "1"
    assert written == ["1"], "the attempt ended before its confirmation was written"
