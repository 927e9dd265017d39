"""What a run starts from: the targets of the task's list and the content of its message.

How it works: ``plan_targets`` reads the abonents of the task's list (in id
order, page by page) and keeps, per abonent, the addresses the task type may
use, in the abonent's order: enabled phones for voice (type 0 and the
public-address type 1), enabled mobile phones for SMS, e-mail addresses for
e-mail. An abonent with none is planned FAILED with a note (reported, never
silently dropped). An abonent inside an exclusion period is planned for the
end of the period (``next_time``); one excluded with no end is FAILED.
``load_content`` turns the task's message into what the channels need: a
recorded file's WAV bytes (read through ``read_file``) or a text to speak,
the SMS text, the e-mail subject (the message's name) and body. Both are
synchronous store reads: the engine runs them in a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from nabat.system.engine.records import TargetState
from nabat.system.engine.run import Content
from nabat.system.protocol import Abonent, MessageType, PhoneType, Task, TaskType
from nabat.system.store import Store
from nabat.system.store.progress import NewTarget


class CannotRun(ValueError):
    """The task cannot run as it is (its message has nothing to send, ...)."""


def addresses_for(abonent: Abonent, ttype: TaskType) -> tuple[str, ...]:
    if ttype is TaskType.EMAIL:
        return tuple(abonent.emails)
    phones = [phone for phone in abonent.phones if phone.enabled]
    if ttype is TaskType.SMS:
        phones = [phone for phone in phones if phone.ptype is PhoneType.MOBILE]
    return tuple(phone.phone for phone in phones)


def target_of(abonent: Abonent, ttype: TaskType, now: datetime) -> NewTarget:
    assert abonent.id is not None
    addresses = addresses_for(abonent, ttype)
    base = NewTarget(abonent.id, abonent.name, abonent.priority, addresses)
    if not addresses:
        return NewTarget(abonent.id, abonent.name, abonent.priority, addresses,
                         TargetState.FAILED, "no address this task type can use")  # fmt: skip
    begin, end = abonent.experiodbegin, abonent.experiodend
    if begin is not None and begin <= now and (end is None or now < end):
        if end is None:
            return NewTarget(abonent.id, abonent.name, abonent.priority, addresses,
                             TargetState.FAILED,
                             f"excluded from notification since {begin.isoformat()}")  # fmt: skip
        return NewTarget(abonent.id, abonent.name, abonent.priority, addresses,
                         next_time=end.timestamp())  # fmt: skip
    if begin is None and end is not None and now < end:
        return NewTarget(abonent.id, abonent.name, abonent.priority, addresses,
                         next_time=end.timestamp())  # fmt: skip
    return base


def plan_targets(store: Store, task: Task, now: datetime) -> Iterator[NewTarget]:
    for abonent in store.abonents.iter(lid=task.listid):
        yield target_of(abonent, task.ttype, now)


def load_content(store: Store, task: Task, read_file: Callable[[str], bytes | None]) -> Content:
    message = store.messages.find(task.messageid)
    if message is None:
        raise CannotRun(f"message {task.messageid} does not exist")
    audio: bytes | None = None
    if message.mtype is MessageType.VOICE_FILE and message.file:
        audio = read_file(message.file)
        if audio is None:
            raise CannotRun(f"the message's file {message.file!r} is not in the file store")
    text = message.text
    if task.ttype in (TaskType.SMS, TaskType.EMAIL) and not text.strip():
        raise CannotRun(f"message {message.id} has no text to send")
    if task.ttype in (TaskType.CALL, TaskType.LOUDSPEAKER) and audio is None and not text:
        raise CannotRun(f"message {message.id} has neither a recording nor a text to speak")
    return Content(subject=message.name, text=text, audio=audio)
