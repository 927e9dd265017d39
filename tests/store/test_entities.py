"""Groups, lists, messages and tasks: round trips and server-set fields."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from nabat.system.protocol.records import DistributionList, Group, Message, Task, TaskSummary
from nabat.system.protocol.values import MessageType, TaskStatus, TaskType
from nabat.system.store import Store

from tests.store.conftest import FAST_HASH, FakeClock, make_list, make_message, make_task


def test_groups_and_lists_round_trip(store: Store) -> None:
    group = store.groups.add(Group(name="Дежурные 100%", description="смена А"))
    assert group.id is not None and store.groups.find(group.id) == group
    renamed = Group(id=group.id, name="Дежурные", description="")
    assert store.groups.update(renamed) == renamed and store.groups.all() == [renamed]
    dlist = store.lists.add(DistributionList(name="Все", description="весь штат"))
    assert dlist.id is not None and store.lists.all() == [dlist]
    store.lists.add_groups(dlist.id, (group.id, group.id))  # duplicates are harmless
    store.lists.add_groups(dlist.id, (group.id,))
    assert store.groups.all(dlist.id) == [renamed]
    changed = DistributionList(id=dlist.id, name="Все сотрудники")
    assert store.lists.update(changed) == changed == store.lists.find(dlist.id)


def test_message_timestamps(store: Store, clock: FakeClock) -> None:
    created = clock.now
    message = store.messages.add(
        Message(mtype=MessageType.VOICE_FILE, name="Сирена", file="siren 1.wav")
    )
    assert message.id is not None
    assert message.createtime == message.edittime == created
    assert message.file == "siren 1.wav"
    clock.advance(60)
    updated = store.messages.update(
        Message(id=message.id, mtype=MessageType.TTS, name="Голос", text="Внимание!", voice="anna")
    )
    assert updated.createtime == created and updated.edittime == clock.now
    assert store.messages.all() == [updated]


def test_task_round_trip_and_status(store: Store) -> None:
    list_id, message_id = make_list(store), make_message(store)
    task = Task(ttype=TaskType.CALL, name="Учения", listid=list_id, messageid=message_id,
                priority=5, channels="1101", schedule="daily 08:00", rkey="5", rpin="1234",
                rsms="start", confirm="1", addinfo="доп. %")  # fmt: skip
    added = store.tasks.add(task)
    assert added.id is not None and added.status is TaskStatus.STOPPED
    assert added == replace(task, id=added.id, status=TaskStatus.STOPPED)
    waiting = store.tasks.update(replace(added, status=TaskStatus.WAITING, name="Учения 2"))
    assert waiting.status is TaskStatus.WAITING and waiting.name == "Учения 2"
    summary = store.tasks.transition(added.id, TaskStatus.RUNNING, starts_run=True)
    assert summary == TaskSummary(id=added.id, name="Учения 2", ttype=TaskType.CALL,
                                  status=TaskStatus.RUNNING)  # fmt: skip
    assert store.tasks.summaries() == [summary]


def test_concurrent_writers_from_threads(store: Store) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(25):
                store.groups.add(Group(name=f"t{n}-{i}"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(store.groups.all()) == 100


def test_runs_are_recorded_per_start_and_go_with_the_task(
    tmp_path: Path, store: Store, clock: FakeClock
) -> None:
    task_id = make_task(store, make_list(store), make_message(store))
    assert store.tasks.last_run(task_id) == []
    task = store.tasks.get(task_id)
    store.tasks.update(replace(task, status=TaskStatus.WAITING))  # a client's change: no run
    assert store.tasks.last_run(task_id) == []
    first = clock.now
    store.tasks.transition(task_id, TaskStatus.RUNNING, starts_run=True)
    clock.advance(60)
    summary = store.tasks.transition(task_id, TaskStatus.STOPPED, starts_run=False)
    assert summary.status is TaskStatus.STOPPED
    assert store.tasks.last_run(task_id) == [
        (first, TaskStatus.RUNNING), (first + timedelta(seconds=60), TaskStatus.STOPPED)
    ]
    clock.advance(60)
    second = clock.now
    store.tasks.transition(task_id, TaskStatus.RUNNING, starts_run=True)
    assert store.tasks.last_run(task_id) == [(second, TaskStatus.RUNNING)]  # the latest run
    store.close()
    with Store.open(tmp_path / "data", clock=clock, password_params=FAST_HASH) as reopened:
        assert reopened.tasks.last_run(task_id) == [(second, TaskStatus.RUNNING)]
        reopened.tasks.transition(task_id, TaskStatus.STOPPED, starts_run=False)
        reopened.tasks.delete(task_id)
        count = reopened.db.fetchone("SELECT COUNT(*) FROM task_events", ())
        assert count is not None and count[0] == 0  # the events went with the task
