"""The engine seam: what the server asks of whatever really runs tasks.

``Engine`` is the small interface the task handlers use. The real engine
(channels, calls, SMS) is another issue; ``InProcessEngine`` is the minimal
stand-in: it applies the status transition table below, records each
transition in memory with its time, stores the new status and publishes it
to MONITORING subscribers. It notifies nobody, so a task's progress shows
0 processed and its report lists only the recorded transitions.
"""

from __future__ import annotations

import asyncio
import enum
import html
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from system.protocol import TaskProgress, TaskStatus, TaskSummary
from system.server.monitor import MonitorHub
from system.store import Store


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


class IllegalTransition(Exception):
    def __init__(self, status: TaskStatus, event: Event) -> None:
        super().__init__(f"no transition from {status.name} on {event.value}")


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


@dataclass(slots=True)
class _Run:
    started: datetime
    ended: datetime | None = None
    transitions: list[tuple[datetime, TaskStatus]] = field(default_factory=list)


class InProcessEngine:
    def __init__(
        self,
        store: Store,
        hub: MonitorHub,
        *,
        gsm_modems: int = 0,
        clock: Callable[[], datetime] = lambda: datetime.now().replace(microsecond=0),
    ) -> None:
        self._store = store
        self._hub = hub
        self._gsm_modems = gsm_modems
        self._clock = clock
        self._runs: dict[int, _Run] = {}
        self._lock = asyncio.Lock()

    def available_gsm_modems(self) -> int:
        return self._gsm_modems

    async def start(self, task_id: int, restart: bool) -> TaskSummary:
        return await self._apply(task_id, Event.START, restart)

    async def stop(self, task_id: int) -> TaskSummary:
        return await self._apply(task_id, Event.STOP, False)

    async def _apply(self, task_id: int, event: Event, restart: bool) -> TaskSummary:
        async with self._lock:  # one transition at a time: no lost updates
            current = await asyncio.to_thread(self._store.tasks.summary, task_id)
            status = next_status(current.status, event)
            summary = await asyncio.to_thread(self._store.tasks.set_status, task_id, status)
            now = self._clock()
            run = self._runs.get(task_id)
            if event is Event.START and (run is None or restart or run.ended is not None):
                run = self._runs[task_id] = _Run(started=now)
            if run is not None:
                run.transitions.append((now, status))
                if event is Event.STOP:
                    run.ended = now
        self._hub.publish(summary)
        return summary

    def transitions(self, task_id: int) -> list[tuple[datetime, TaskStatus]]:
        run = self._runs.get(task_id)
        return [] if run is None else list(run.transitions)

    async def progress(self, task_id: int) -> TaskProgress:
        task = await asyncio.to_thread(self._store.tasks.get, task_id)
        summary = await asyncio.to_thread(self._store.tasks.summary, task_id)
        total = await asyncio.to_thread(self._store.abonents.count, None, task.listid)
        run = self._runs.get(task_id)
        return TaskProgress(
            id=task_id,
            status=summary.status,
            total=total,
            starttime=None if run is None else run.started,
            endtime=None if run is None else run.ended,
        )

    async def report(self, task_id: int) -> bytes | None:
        run = self._runs.get(task_id)
        if run is None:
            return None
        task = await asyncio.to_thread(self._store.tasks.get, task_id)
        rows = "".join(
            f"<tr><td>{when.isoformat()}</td><td>{status.name}</td></tr>"
            for when, status in run.transitions
        )
        page = (
            '<!DOCTYPE html><html><head><meta charset="utf-8">'
            f"<title>{html.escape(task.name)}</title></head><body>"
            f"<h1>{html.escape(task.name)}</h1>"
            "<p>In-process engine: nobody was notified; status transitions only.</p>"
            f"<table><tr><th>time</th><th>status</th></tr>{rows}</table></body></html>"
        )
        return page.encode("utf-8")
