"""Tasks: ADDTASK, UPDATETASK, DELTASK, GETTASK, GETTASKS and status changes.

A task names one distribution list and one message; both must exist when
it is written (``NotFound`` names the missing one), and while it exists
they cannot be deleted (``lists.py``, ``messages.py``; the foreign keys back
this up). A new task without a status is ``STOPPED``. ``transition`` is the
engine's way to record a status change (the legality table is the engine's):
the new status and a ``task_events`` row in one transaction, the row marking
whether it starts a run; ``last_run`` reads the changes of the latest run
back, so GETTASKINFO and GETREPORT survive a restart. A task's events go
with it (``ON DELETE CASCADE``).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from nabat.system.protocol.records import Task, TaskSummary
from nabat.system.protocol.values import TaskStatus, TaskType
from nabat.system.store.clock import from_db
from nabat.system.store.database import Database, exists
from nabat.system.store.errors import NotFound

_BODY = (
    "ttype", "status", "name", "list_id", "message_id", "priority", "channels", "schedule",
    "rkey", "rpin", "rsms", "confirm", "addinfo",
)  # fmt: skip
_COLUMNS = "id, " + ", ".join(_BODY)


def _values(task: Task) -> tuple[Any, ...]:
    status = TaskStatus.STOPPED if task.status is None else task.status
    return (
        int(task.ttype), int(status), task.name, task.listid, task.messageid, task.priority,
        task.channels, task.schedule, task.rkey, task.rpin, task.rsms, task.confirm,
        task.addinfo,
    )  # fmt: skip


def _task(row: tuple[Any, ...]) -> Task:
    return Task(
        id=row[0], ttype=TaskType(row[1]), status=TaskStatus(row[2]), name=row[3],
        listid=row[4], messageid=row[5], priority=row[6], channels=row[7], schedule=row[8],
        rkey=row[9], rpin=row[10], rsms=row[11], confirm=row[12], addinfo=row[13],
    )  # fmt: skip


def _when(text: str) -> datetime:
    when = from_db(text)
    assert when is not None  # event times are NOT NULL
    return when


def _summary(task: Task) -> TaskSummary:
    assert task.id is not None and task.status is not None
    return TaskSummary(id=task.id, name=task.name, ttype=task.ttype, status=task.status)


def _check_refs(conn: sqlite3.Connection, task: Task) -> None:
    if not exists(conn, "lists", task.listid):
        raise NotFound("list", task.listid)
    if not exists(conn, "messages", task.messageid):
        raise NotFound("message", task.messageid)


class Tasks:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, task: Task) -> Task:
        """ADDTASK: ``NotFound`` for an unknown list or message."""
        with self._db.transaction("task") as conn:
            _check_refs(conn, task)
            now = self._db.now()
            cur = conn.execute(
                f"INSERT INTO tasks ({', '.join(_BODY)}, create_time, edit_time)"
                f" VALUES ({', '.join('?' * (len(_BODY) + 2))})",
                (*_values(task), now, now),
            )
            new_id = cur.lastrowid
        assert new_id is not None
        return self.get(new_id)

    def update(self, task: Task) -> Task:
        """UPDATETASK: ``NotFound`` for an unknown task, list or message."""
        if task.id is None:
            raise NotFound("task")
        with self._db.transaction("task") as conn:
            if not exists(conn, "tasks", task.id):
                raise NotFound("task", task.id)
            _check_refs(conn, task)
            conn.execute(
                f"UPDATE tasks SET {', '.join(c + ' = ?' for c in _BODY)}, edit_time = ?"
                " WHERE id = ?",
                (*_values(task), self._db.now(), task.id),
            )
        return self.get(task.id)

    def delete(self, task_id: int) -> None:
        """DELTASK: ``NotFound`` for an unknown id."""
        with self._db.transaction("task") as conn:
            if conn.execute("DELETE FROM tasks WHERE id = ?", (task_id,)).rowcount == 0:
                raise NotFound("task", task_id)

    def transition(self, task_id: int, status: TaskStatus, *, starts_run: bool) -> TaskSummary:
        """Record a status change of a run (STARTTASK, STOPTASK, the engine)."""
        with self._db.transaction("task") as conn:
            now = self._db.now()
            cur = conn.execute(
                "UPDATE tasks SET status = ?, edit_time = ? WHERE id = ?",
                (int(status), now, task_id),
            )
            if cur.rowcount == 0:
                raise NotFound("task", task_id)
            conn.execute(
                "INSERT INTO task_events (task_id, time, status, starts_run) VALUES (?, ?, ?, ?)",
                (task_id, now, int(status), int(starts_run)),
            )
        return self.summary(task_id)

    def last_run(self, task_id: int) -> list[tuple[datetime, TaskStatus]]:
        """The status changes of the task's latest run, oldest first; [] if it never ran."""
        rows = self._db.fetchall(
            "SELECT time, status FROM task_events WHERE task_id = ? AND id >="
            " (SELECT MAX(id) FROM task_events WHERE task_id = ? AND starts_run = 1)"
            " ORDER BY id",
            (task_id, task_id),
        )
        return [(_when(time), TaskStatus(status)) for time, status in rows]

    def find(self, task_id: int) -> Task | None:
        row = self._db.fetchone(f"SELECT {_COLUMNS} FROM tasks WHERE id = ?", (task_id,))
        return None if row is None else _task(row)

    def get(self, task_id: int) -> Task:
        """GETTASK: ``NotFound`` for an unknown id."""
        task = self.find(task_id)
        if task is None:
            raise NotFound("task", task_id)
        return task

    def summary(self, task_id: int) -> TaskSummary:
        return _summary(self.get(task_id))

    def summaries(self) -> list[TaskSummary]:
        """GETTASKS, by id."""
        rows = self._db.fetchall(f"SELECT {_COLUMNS} FROM tasks ORDER BY id")
        return [_summary(_task(row)) for row in rows]
