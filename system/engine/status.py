"""The task status table: every legal status change of a task, and nothing else.

``TRANSITIONS`` lists the client events (START by STARTTASK or a remote
start, STOP by STOPTASK) and the engine's own (PAUSE when the schedule
closes, RESUME when it opens, FINISH when nothing is left to try, FAIL when
a run cannot go on). ``next_status`` raises ``IllegalTransition`` for
anything else (architecture principle 2); the server answers it with the
command's own error code (``server/error_map.py``).
"""

from __future__ import annotations

import enum

from nabat.system.protocol import TaskStatus


class Event(enum.Enum):
    START = "start"
    STOP = "stop"
    PAUSE = "pause"  # the schedule closed
    RESUME = "resume"  # the schedule opened
    FINISH = "finish"
    FAIL = "fail"


S = TaskStatus
TRANSITIONS: dict[tuple[TaskStatus, Event], TaskStatus] = {
    (S.STOPPED, Event.START): S.RUNNING,
    (S.WAITING, Event.START): S.RUNNING,
    (S.FINISHED, Event.START): S.RUNNING,
    (S.FAILED, Event.START): S.RUNNING,
    (S.RUNNING, Event.STOP): S.STOPPED,
    (S.WAITING, Event.STOP): S.STOPPED,
    (S.RUNNING, Event.PAUSE): S.WAITING,
    (S.WAITING, Event.RESUME): S.RUNNING,
    (S.RUNNING, Event.FINISH): S.FINISHED,
    (S.WAITING, Event.FINISH): S.FINISHED,
    (S.RUNNING, Event.FAIL): S.FAILED,
    (S.WAITING, Event.FAIL): S.FAILED,
}
STOPPABLE = frozenset(status for status, event in TRANSITIONS if event is Event.STOP)


class IllegalTransition(RuntimeError):
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
