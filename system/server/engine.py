"""The engine seam: what the server asks of whatever really runs tasks.

``Engine`` is the small interface the task handlers use. The real engine
(channels, calls, SMS) is another issue; ``InProcessEngine`` is the minimal
stand-in: it applies the status transition table below, stores each
transition in the store (the new status and an event of the task's current
run, in one transaction; every START begins a run) and publishes it to
MONITORING subscribers. It notifies nobody, so a task's progress shows 0
processed and its report lists only the run's status changes; both survive
a restart because they are read back from the store. Its working GSM
modems are the ``simulated_gsm_modems`` setting (channels without a port)
plus the modem drivers of ``GsmChannels`` that are IDLE or BUSY.
"""

from __future__ import annotations

import asyncio
import enum
import html
from typing import Protocol

from nabat.system.protocol import TaskProgress, TaskStatus, TaskSummary
from nabat.system.server.errors import StateConflict
from nabat.system.server.gsm_channels import GsmChannels
from nabat.system.server.monitor import MonitorHub
from nabat.system.store import Store


class Event(enum.Enum):
    START = "start"
    STOP = "stop"


S = TaskStatus
TRANSITIONS: dict[tuple[TaskStatus, Event], TaskStatus] = {
    (S.STOPPED, Event.START): S.RUNNING,
    (S.WAITING, Event.START): S.RUNNING,
    (S.FINISHED, Event.START): S.RUNNING,
    (S.FAILED, Event.START): S.RUNNING,
    (S.RUNNING, Event.STOP): S.STOPPED,
    (S.WAITING, Event.STOP): S.STOPPED,
}
STOPPABLE = frozenset(status for status, event in TRANSITIONS if event is Event.STOP)


class IllegalTransition(StateConflict):
    """A status change the table does not allow, usually a race (STOPTASK as the
    task finishes); the dispatcher answers the command's own error code."""

    def __init__(self, status: TaskStatus, event: Event) -> None:
        self.status = status
        self.event = event
        super().__init__(f"the task is {status.name}: it cannot {event.value} now")


def next_status(status: TaskStatus, event: Event) -> TaskStatus:
    try:
        return TRANSITIONS[(status, event)]
    except KeyError:
        raise IllegalTransition(status, event) from None


class Engine(Protocol):
    def available_gsm_modems(self) -> int: ...

    async def start(self, task_id: int, restart: bool) -> TaskSummary: ...

    async def stop(self, task_id: int) -> TaskSummary: ...

    async def progress(self, task_id: int) -> TaskProgress: ...

    async def report(self, task_id: int) -> bytes | None:
        """The report file (HTML), or None when the task has not run."""
        ...


class InProcessEngine:
    def __init__(
        self,
        store: Store,
        hub: MonitorHub,
        *,
        gsm_modems: int = 0,
        gsm_channels: GsmChannels | None = None,
    ) -> None:
        self._store = store
        self._hub = hub
        self._gsm_modems = gsm_modems  # simulated: channels without a port
        self._gsm_channels = gsm_channels
        self._lock = asyncio.Lock()

    def available_gsm_modems(self) -> int:
        driven = 0 if self._gsm_channels is None else self._gsm_channels.working()
        return self._gsm_modems + driven

    async def start(self, task_id: int, restart: bool) -> TaskSummary:
        # restart (from the beginning vs resume) matters to an engine that
        # notifies people; this one notifies nobody, and every start is a run
        return await self._apply(task_id, Event.START)

    async def stop(self, task_id: int) -> TaskSummary:
        return await self._apply(task_id, Event.STOP)

    async def _apply(self, task_id: int, event: Event) -> TaskSummary:
        async with self._lock:  # one transition at a time: no lost updates
            current = await asyncio.to_thread(self._store.tasks.summary, task_id)
            status = next_status(current.status, event)
            summary = await asyncio.to_thread(
                self._store.tasks.transition, task_id, status, starts_run=event is Event.START
            )
        self._hub.publish(summary)
        return summary

    async def progress(self, task_id: int) -> TaskProgress:
        task = await asyncio.to_thread(self._store.tasks.get, task_id)
        summary = await asyncio.to_thread(self._store.tasks.summary, task_id)
        total = await asyncio.to_thread(self._store.abonents.count, None, task.listid)
        run = await asyncio.to_thread(self._store.tasks.last_run, task_id)
        ended = bool(run) and run[-1][1] not in (TaskStatus.RUNNING, TaskStatus.WAITING)
        return TaskProgress(
            id=task_id,
            status=summary.status,
            total=total,
            starttime=run[0][0] if run else None,
            endtime=run[-1][0] if ended else None,
        )

    async def report(self, task_id: int) -> bytes | None:
        run = await asyncio.to_thread(self._store.tasks.last_run, task_id)
        if not run:
            return None
        task = await asyncio.to_thread(self._store.tasks.get, task_id)
        rows = "".join(
            f"<tr><td>{when.isoformat()}</td><td>{status.name}</td></tr>" for when, status in run
        )
        page = (
            '<!DOCTYPE html><html><head><meta charset="utf-8">'
            f"<title>{html.escape(task.name)}</title></head><body>"
            f"<h1>{html.escape(task.name)}</h1>"
            "<p>In-process engine: nobody was notified; status transitions only.</p>"
            f"<table><tr><th>time</th><th>status</th></tr>{rows}</table></body></html>"
        )
        return page.encode("utf-8")
