"""Integrity rules and the store's own errors: which kind, which item.

The protocol codes these become are the server's (tests/server/test_error_map.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from nabat.system.protocol.errors import ErrorCode
from nabat.system.protocol.records import Abonent, DistributionList, Group, Message, Phone, Task
from nabat.system.protocol.values import MessageType, TaskStatus, TaskType
from nabat.system.store import InUse, NotFound, Store, StoreError

from tests.store.conftest import make_group, make_list, make_message, make_task


def _fails(kind: type[StoreError], entity: str, call: Callable[[], Any]) -> StoreError:
    with pytest.raises(StoreError) as info:
        call()
    assert type(info.value) is kind and info.value.entity == entity, repr(info.value)
    return info.value


def test_list_used_by_a_task_cannot_be_deleted(store: Store) -> None:
    list_id, message_id = make_list(store), make_message(store)
    task_id = make_task(store, list_id, message_id)
    used = _fails(InUse, "list", lambda: store.lists.delete(list_id))
    assert used.message == f"list {list_id} is used by task {task_id}"
    assert store.lists.find(list_id) is not None
    store.tasks.delete(task_id)
    store.lists.delete(list_id)
    assert store.lists.find(list_id) is None
    _fails(NotFound, "list", lambda: store.lists.delete(list_id))


def test_message_used_by_a_task_cannot_be_deleted(store: Store) -> None:
    list_id, message_id = make_list(store), make_message(store)
    task_id = make_task(store, list_id, message_id)
    _fails(InUse, "message", lambda: store.messages.delete(message_id))
    store.tasks.delete(task_id)
    store.messages.delete(message_id)
    assert store.messages.all() == []
    _fails(NotFound, "message", lambda: store.messages.delete(message_id))


def test_group_with_abonents_cannot_be_deleted(store: Store) -> None:
    gid = make_group(store)
    list_id = make_list(store)
    store.lists.add_groups(list_id, (gid,))
    abonent = store.abonents.add(Abonent(gid=gid, name="A"))
    assert abonent.id is not None
    _fails(InUse, "group", lambda: store.groups.delete(gid))
    store.abonents.delete((abonent.id,))
    store.groups.delete(gid)
    assert store.groups.all() == [] and store.groups.all(list_id) == []
    _fails(NotFound, "group", lambda: store.groups.delete(gid))


def test_unknown_ids_name_the_missing_item(store: Store) -> None:
    list_id, message_id = make_list(store), make_message(store)
    gid = make_group(store)
    task = Task(id=99, ttype=TaskType.CALL, name="t", listid=list_id, messageid=message_id)
    missing = _fails(NotFound, "task", lambda: store.tasks.get(99))
    assert (missing.key, missing.message) == (99, "no such task: 99")
    _fails(NotFound, "task", lambda: store.tasks.update(task))
    _fails(NotFound, "task", lambda: store.tasks.delete(99))
    _fails(
        NotFound, "task", lambda: store.tasks.transition(99, TaskStatus.RUNNING, starts_run=True)
    )
    _fails(NotFound, "abonent", lambda: store.abonents.get(99))
    _fails(NotFound, "abonent", lambda: store.abonents.update(99, Abonent(gid=gid, name="x")))
    some = store.abonents.add(Abonent(gid=gid, name="y")).id
    assert some is not None
    _fails(NotFound, "group", lambda: store.abonents.update(some, Abonent(gid=99, name="x")))
    _fails(NotFound, "abonent", lambda: store.abonents.delete((99,)))
    _fails(NotFound, "group", lambda: store.groups.update(Group(id=99, name="g")))
    _fails(NotFound, "list", lambda: store.lists.update(DistributionList(id=99, name="l")))
    _fails(
        NotFound,
        "message",
        lambda: store.messages.update(Message(id=99, mtype=MessageType.SMS, name="m")),
    )
    _fails(NotFound, "list", lambda: store.lists.clear(99))
    _fails(NotFound, "group", lambda: store.groups.move_abonents(99, (1,)))
    _fails(NotFound, "list", lambda: store.lists.add_abonents(99, (1,)))
    _fails(NotFound, "group", lambda: store.lists.add_groups(list_id, (99,)))
    _fails(NotFound, "abonent", lambda: store.lists.remove_abonents(list_id, (99,)))
    _fails(NotFound, "list", lambda: store.lists.remove_groups(99, (gid,)))
    _fails(NotFound, "group", lambda: store.abonents.add(Abonent(gid=99, name="x")))


def test_task_needs_an_existing_list_and_message(store: Store) -> None:
    list_id, message_id = make_list(store), make_message(store)
    _fails(NotFound, "list", lambda: make_task(store, 99, message_id))
    _fails(NotFound, "message", lambda: make_task(store, list_id, 99))
    task_id = make_task(store, list_id, message_id)
    bad = Task(id=task_id, ttype=TaskType.SMS, name="t", listid=99, messageid=message_id)
    _fails(NotFound, "list", lambda: store.tasks.update(bad))
    assert store.tasks.get(task_id).listid == list_id


def test_deltask_uses_the_literal_code_and_intended_alias() -> None:
    assert ErrorCode.DELTASK.code == "ERR_ADDTASK"
    assert "ERR_DELTASK" in ErrorCode.DELTASK.accepted


def test_many_ids_are_all_or_nothing(store: Store) -> None:
    gid, other = make_group(store), make_group(store, "Другая")
    ids = [store.abonents.add(Abonent(gid=gid, name=f"a{i}")).id for i in range(3)]
    known = tuple(i for i in ids if i is not None)
    assert _fails(NotFound, "abonent", lambda: store.abonents.delete((*known, 999))).key == 999
    _fails(NotFound, "abonent", lambda: store.groups.move_abonents(other, (*known, 999)))
    assert store.abonents.count() == 3 and store.abonents.count(gid=other) == 0
    list_id = make_list(store)
    _fails(NotFound, "abonent", lambda: store.lists.add_abonents(list_id, (*known, 999)))
    assert store.abonents.count(lid=list_id) == 0


def test_deleting_an_abonent_drops_its_phones_emails_and_memberships(store: Store) -> None:
    gid, list_id = make_group(store), make_list(store)
    abonent = store.abonents.add(
        Abonent(gid=gid, name="a", phones=(Phone(phone="123"),), emails=("a@b",))
    )
    assert abonent.id is not None
    store.lists.add_abonents(list_id, (abonent.id,))
    store.abonents.delete((abonent.id,))
    with store.db.locked() as conn:
        for table in ("phones", "emails", "list_abonents"):
            assert conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0
