"""Fixtures: a fresh store in a temporary directory with a fake clock and cheap hashing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from nabat.system.protocol.records import DistributionList, Group, Message, Task
from nabat.system.protocol.values import MessageType, TaskType
from nabat.system.store import ScryptParams, Store

FAST_HASH = ScryptParams(n=2**8, r=8, p=1)


class FakeClock:
    """Starts at a fixed time; ``advance`` moves it."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 12, 0, 0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: int) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(tmp_path: Path, clock: FakeClock) -> Iterator[Store]:
    with Store.open(tmp_path / "data", clock=clock, password_params=FAST_HASH) as opened:
        yield opened


def make_group(store: Store, name: str = "Группа") -> int:
    group_id = store.groups.add(Group(name=name)).id
    assert group_id is not None
    return group_id


def make_list(store: Store, name: str = "Список") -> int:
    list_id = store.lists.add(DistributionList(name=name)).id
    assert list_id is not None
    return list_id


def make_message(store: Store) -> int:
    message_id = store.messages.add(Message(mtype=MessageType.SMS, name="Тревога", text="x")).id
    assert message_id is not None
    return message_id


def make_task(store: Store, list_id: int, message_id: int) -> int:
    task = Task(ttype=TaskType.SMS, name="Задание", listid=list_id, messageid=message_id)
    task_id = store.tasks.add(task).id
    assert task_id is not None
    return task_id
