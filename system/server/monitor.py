"""MONITORING: fan-out of task status changes to the subscribed sessions.

A session subscribes with MONITORING 1; ``publish`` hands every subscriber
the ``UPDATETASK OK <id> <name> <ttype> <status>`` line. Each session queues
it and writes it only between replies (see ``session.py``), so an
unsolicited line never lands inside another reply.
"""

from __future__ import annotations

from typing import Protocol

from nabat.system.protocol import Line, TaskSummary, task_status_line


class Subscriber(Protocol):
    def notify(self, line: Line) -> None: ...


class MonitorHub:
    def __init__(self) -> None:
        self._subscribers: set[Subscriber] = set()

    def subscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.add(subscriber)

    def unsubscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.discard(subscriber)

    def publish(self, summary: TaskSummary) -> None:
        line = task_status_line(summary)
        for subscriber in tuple(self._subscribers):
            subscriber.notify(line)
