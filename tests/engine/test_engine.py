"""The task engine against fake channels: voice with confirmation and retries, SMS through a
platform with delivery reports, durability across a restart, progress and reports."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from nabat.system.channels.base import DeliveryStatus
from nabat.system.engine.engine import TaskEngine
from nabat.system.engine.records import AttemptKind, AttemptState, TargetState
from nabat.system.protocol import (
    Abonent,
    DistributionList,
    Group,
    Message,
    MessageType,
    Phone,
    PhoneType,
    Task,
    TaskStatus,
    TaskSummary,
    TaskType,
)
from nabat.system.store import ScryptParams, Store
from nabat.system.store.progress import AttemptStart, TargetUpdate

from tests.engine.fakes import FakeBulk, FakeSource, FakeVoice

FAST_HASH = ScryptParams(n=2**8, r=8, p=1)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "data", password_params=FAST_HASH) as opened:
        yield opened


def make_task(store: Store, ttype: TaskType, phones: list[list[str]], *, confirm: str = "",
              addinfo: str = "attempts=2;interval=0", mtype: MessageType = MessageType.TTS,
              priorities: list[int] | None = None) -> int:  # fmt: skip
    gid = store.groups.add(Group(name="Группа")).id
    lid = store.lists.add(DistributionList(name="Список")).id
    assert gid is not None and lid is not None
    ids = []
    for index, numbers in enumerate(phones):
        priority = priorities[index] if priorities else 0
        abonent = store.abonents.add(Abonent(
            gid=gid, name=f"Абонент {index}", priority=priority,
            phones=tuple(Phone(phone=n, ptype=PhoneType.MOBILE) for n in numbers)))  # fmt: skip
        assert abonent.id is not None
        ids.append(abonent.id)
    store.lists.add_abonents(lid, tuple(ids))
    mid = store.messages.add(Message(mtype=mtype, name="Тревога", text="Внимание, учения")).id
    assert mid is not None
    task = store.tasks.add(Task(ttype=ttype, name="Учения", listid=lid, messageid=mid,
                                confirm=confirm, addinfo=addinfo))  # fmt: skip
    assert task.id is not None
    return task.id


class Published(list[TaskSummary]):
    def __call__(self, summary: TaskSummary) -> None:
        self.append(summary)


async def wait_status(store: Store, task_id: int, status: TaskStatus, seconds: float = 5) -> None:
    async def poll() -> None:
        while store.tasks.summary(task_id).status is not status:
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), seconds)


async def test_voice_task_confirms_retries_and_finishes(store: Store) -> None:
    task_id = make_task(store, TaskType.CALL, [["79000000001"], ["79000000002", "79000000003"],
                                               ["79000000004"]], confirm="1")  # fmt: skip
    voice = FakeVoice("gsm1", script={
        "79000000001": ["confirm"],
        "79000000002": ["busy"], "79000000003": ["no_answer", "confirm"],
        "79000000004": ["wrong"],
    })  # fmt: skip
    published = Published()
    engine = TaskEngine(store, published, FakeSource(voice_channels={1: voice}))
    await engine.open()
    try:
        summary = await engine.start(task_id, restart=True)
        assert summary.status is TaskStatus.RUNNING
        await wait_status(store, task_id, TaskStatus.FINISHED)
    finally:
        await engine.close()
    counts = store.progress.counts(task_id)
    assert counts == {TargetState.CONFIRMED: 2, TargetState.EXHAUSTED: 1}
    # abonent 1: 2 then 3 (no answer), round 2: 2 busy again? no: the script says busy once
    numbers = [number for number, _ in voice.calls]
    assert numbers.count("79000000001") == 1  # confirmed at once: never called again
    assert numbers.count("79000000004") == 2  # two rounds of a wrong key
    progress = await engine.progress(task_id)
    assert (progress.total, progress.processed, progress.confirmed, progress.failed) == (3, 3, 2, 1)
    assert [s.status for s in published] == [TaskStatus.RUNNING, TaskStatus.FINISHED]
    report = store.progress.report_targets(task_id)
    attempts = [(a.address, a.outcome) for t in report for a in t.attempts]
    assert attempts.count(("79000000001", "answered")) == 1
    said = {"confirm": "answered", "answer": "answered", "wrong": "answered"}
    assert sorted(attempts) == sorted((n, said.get(o, o)) for n, o in voice.calls)
    tag, body = await engine.report(task_id, "XLS") or ("", b"")
    assert tag == "XLS" and body[:8] == bytes.fromhex("d0cf11e0a1b11ae1")


async def test_priorities_order_the_calls(store: Store) -> None:
    task_id = make_task(store, TaskType.CALL, [["79000000001"], ["79000000002"], ["79000000003"]],
                        priorities=[1, 5, 3])  # fmt: skip
    voice = FakeVoice("gsm1")
    engine = TaskEngine(store, Published(), FakeSource(voice_channels={1: voice}))
    await engine.open()
    try:
        await engine.start(task_id, restart=True)
        await wait_status(store, task_id, TaskStatus.FINISHED)
    finally:
        await engine.close()
    assert [n for n, _ in voice.calls] == ["79000000002", "79000000003", "79000000001"]
    assert store.progress.counts(task_id) == {TargetState.NOTIFIED: 3}


async def test_sms_through_a_platform_waits_for_reports(store: Store) -> None:
    task_id = make_task(
        store,
        TaskType.SMS,
        [["79000000001"], ["79000000002"], ["79000000003"]],
        addinfo="attempts=2;interval=0;sms_wait=600",
        mtype=MessageType.SMS,
    )
    route = FakeBulk("mfms4", reject=frozenset({"79000000003"}))
    engine = TaskEngine(store, Published(), FakeSource(bulk_routes={4: route}))
    await engine.open()
    try:
        await engine.start(task_id, restart=True)

        async def two_sent() -> None:
            while len(route.sent) < 2:
                await asyncio.sleep(0.01)

        await asyncio.wait_for(two_sent(), 5)
        await asyncio.sleep(0.05)
        assert store.tasks.summary(task_id).status is TaskStatus.RUNNING  # reports outstanding
        await route.report("1", DeliveryStatus.DELIVERED)
        await route.report("2", DeliveryStatus.DELIVERED)
        await wait_status(store, task_id, TaskStatus.FINISHED)
    finally:
        await engine.close()
    assert store.progress.counts(task_id) == {TargetState.NOTIFIED: 2, TargetState.EXHAUSTED: 1}


async def test_restart_reconciles_attempts_in_flight(store: Store) -> None:
    task_id = make_task(store, TaskType.CALL, [["79000000001"], ["79000000002"]], confirm="1")
    # as a crash would leave it: the task RUNNING, one call in flight, one SMS-like never
    store.progress.plan(task_id, [], restart=True)
    from datetime import datetime

    from nabat.system.engine.planning import plan_targets

    task = store.tasks.get(task_id)
    store.progress.plan(task_id, plan_targets(store, task, datetime.now()), restart=True)
    store.tasks.transition(task_id, TaskStatus.RUNNING, starts_run=True)
    store.progress.begin_attempts(task_id, [AttemptStart(
        store.progress.targets(task_id)[0].abonent_id, 1, AttemptKind.VOICE, "79000000001", "gsm1",
        TargetUpdate(TargetState.ACTIVE, 1, 0, 0.0))])  # fmt: skip
    voice = FakeVoice("gsm1", script={"79000000001": ["confirm"], "79000000002": ["confirm"]})
    engine = TaskEngine(store, Published(), FakeSource(voice_channels={1: voice}))
    await engine.open()
    try:
        await wait_status(store, task_id, TaskStatus.FINISHED)
    finally:
        await engine.close()
    report = store.progress.report_targets(task_id)
    first = report[0].attempts
    assert [a.state for a in first] == [AttemptState.INTERRUPTED, AttemptState.DONE]
    assert store.progress.counts(task_id) == {TargetState.CONFIRMED: 2}
