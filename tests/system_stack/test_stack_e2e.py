"""The ``nabat_system`` fixture end to end: a voice task with DTMF confirmation over the
simulated GSM modems (calls registered with the ATS pair) and an SMS task through the
MFMS platform, driven by ``NabatClient`` (``admin_client``) and checked with GETTASKINFO
against what the simulators' world decided for each abonent.

The world's defaults are overridden per number through the simulators' control APIs so
each outcome is known in advance: abonents answer and press the confirmation key, one
SMS number is undeliverable.
"""

from __future__ import annotations

import asyncio
import time

from nabat.simulators.system.stack import OKTELL_CALLER_ID, SystemStack, admin_client
from nabat.system.client import NabatClient
from nabat.system.protocol import (
    Abonent,
    Message,
    MessageType,
    Phone,
    Task,
    TaskProgress,
    TaskStatus,
    TaskType,
)

VOICE = ["79100000001", "79100000002"]  # operator 2 of the default plan
SMS = ["79100000011", "79100000012", "79100000013"]


def mask(numbers: list[int], total: int) -> str:
    """A task's channel mask allowing only ``numbers`` (1-based)."""
    return "".join("1" if n in numbers else "0" for n in range(1, total + 1))


async def make_task(client: NabatClient, ttype: TaskType, numbers: list[str], message: Message,
                    channels: str, **extra: str) -> int:  # fmt: skip
    group = await client.add_group("Смена")
    people = [await client.add_abonent(Abonent(gid=group.id, name=f"Сотрудник {n}",
                                               phones=(Phone(phone=n),)))
              for n in numbers]  # fmt: skip
    roster = await client.add_list(f"Список {ttype.name}")
    await client.list_add_abonents(roster.id, [p.id for p in people if p.id is not None])
    stored = await client.add_message(message)
    assert roster.id is not None and stored.id is not None
    task = Task(ttype=ttype, status=TaskStatus.WAITING, name=f"Учения {ttype.name}",
                listid=roster.id, messageid=stored.id, channels=channels, **extra)  # fmt: skip
    summary = await client.add_task(task)
    await client.start_task(summary.id)
    return int(summary.id)


async def finished(client: NabatClient, task_id: int, seconds: float = 30) -> TaskProgress:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        info = await client.get_task_info(task_id)
        if info.status == TaskStatus.FINISHED:
            return info
        await asyncio.sleep(0.1)
    raise AssertionError(f"task {task_id} did not finish: {info}")


async def test_voice_with_confirmation_and_sms_through_mfms(nabat_system: SystemStack) -> None:
    stack = nabat_system
    channels = stack.channel_numbers()
    total = sum(len(found) for found in channels.values())
    assert channels["gsm"] == [1, 2, 3, 4] and len(channels["mfms"]) == 1
    for number in VOICE:
        stack.gsm.world.add_override({"number": number, "voice": {
            "outcomes": {"answered": 1}, "dtmf": {"confirm": 1}, "ring": 1}})  # fmt: skip
    stack.mfms.control.set_clock(speed=50)
    stack.mfms.control.add_override(range=[SMS[0], SMS[1]],
                                    sms={"outcomes": {"delivered": 1}, "delivery": 1})  # fmt: skip
    undelivered = {"outcomes": {"undelivered": 1}, "failure_after": 1}
    stack.mfms.control.add_override(number=SMS[2], sms=undelivered)

    client = await admin_client(stack)
    try:
        voice = await make_task(
            client, TaskType.CALL, VOICE,
            Message(mtype=MessageType.TTS, name="Тревога", text="Внимание, учения"),
            mask(channels["gsm"], total), confirm="key=1;repeat=2;wait=10",
            addinfo="attempts=2;interval=30",
        )  # fmt: skip
        sms = await make_task(
            client, TaskType.SMS, SMS,
            Message(mtype=MessageType.SMS, name="Тревога", text="Внимание, учения"),
            mask(channels["mfms"], total), addinfo="attempts=1;sms_wait=60",
        )  # fmt: skip
        voice_info = await finished(client, voice)
        sms_info = await finished(client, sms)
    finally:
        await client.close()

    assert (voice_info.total, voice_info.processed, voice_info.confirmed) == (2, 2, 2)
    placed = [e for e in stack.gsm.world.journal(100) if e["kind"] == "voice"]
    assert sorted(e["address"] for e in placed) == VOICE  # one call each, both confirmed
    assert (sms_info.total, sms_info.processed, sms_info.confirmed, sms_info.failed) == (3, 3, 2, 1)
    accepted = {m["address"]: m["status"] for m in stack.mfms.control.messages(100)}
    assert accepted == {SMS[0]: "delivered", SMS[1]: "delivered", SMS[2]: "undelivered"}


OKTELL_VOICE = [f"7910000002{n}" for n in range(1, 7)]  # operator 2


async def test_calls_through_both_oktell_lines_are_registered_and_never_blocked(
    nabat_system: SystemStack,
) -> None:
    """Both lines call at once and the PBX picks whichever trunk is free: every trunk
    presents the site's one number, the number each Oktell channel registers from, so
    the far end's operator finds every call registered."""
    stack = nabat_system
    channels = stack.channel_numbers()
    total = sum(len(found) for found in channels.values())
    assert len(channels["oktell"]) == 2
    client = await admin_client(stack)
    try:
        task_id = await make_task(
            client, TaskType.CALL, OKTELL_VOICE,
            Message(mtype=MessageType.TTS, name="Тревога", text="Внимание, учения"),
            mask(channels["oktell"], total), addinfo="attempts=1",
        )  # fmt: skip
        info = await finished(client, task_id, seconds=60)
    finally:
        await client.close()
    assert info.processed == len(OKTELL_VOICE)
    targets = stack.server.context.store.progress.report_targets(task_id)
    attempts = [a for t in targets for a in t.attempts if a.outcome != "not_attempted"]
    assert {a.channel for a in attempts} == {f"oktell{n}" for n in channels["oktell"]}
    assert all(a.verification == "registered" for a in attempts), attempts
    checks = [e for e in stack.oktell.control.world_journal() if e["kind"] == "antifraud"]
    assert checks and all(e["allowed"] for e in checks), checks
    assert {e["address"] for e in checks} == {OKTELL_CALLER_ID}
