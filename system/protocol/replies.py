"""Client side: collect the line(s) of one reply into a ``Reply``.

A ``ReplyCollector`` is made for the request just sent (its word and
parameters) and fed every decoded line (``lines.decode_reply_line``) until
``feed`` returns the ``Reply``. The reply's shape comes from the command
table; the grammar tables below say which line may follow which, and any
other line raises ``SequenceError``. Success lines carry the command's reply
word (UPDATETASK for STARTTASK/STOPTASK, the alias used for UPDATLIST); error
lines carry the request's word or ``ERROR``. An error line ends a reply at
any point (what came before it is dropped). ``UPDATETASK OK`` lines that are
not this reply (MONITORING notifications, spec-ruling 9) are set aside in
``notifications``: when the reply itself is an UPDATETASK line, the one with
the requested task id is the reply.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from nabat.system.protocol.commands import Command, lookup
from nabat.system.protocol.errors import ErrorReply, parse_error
from nabat.system.protocol.exceptions import ArgumentCountError, SequenceError, TruncatedRequest
from nabat.system.protocol.fields import EMAIL as EMAIL_CODEC
from nabat.system.protocol.fields import HEX, UINT, decode_field
from nabat.system.protocol.lines import Line
from nabat.system.protocol.machine import Event, Grammar, Phase, advance, event_of
from nabat.system.protocol.messages import ERROR_WORD, HASP, OK, UPDATETASK, ReplyShape
from nabat.system.protocol.records import Abonent, Form, HaspInfo, Phone, TaskSummary, WireRecord

R = TypeVar("R", bound=WireRecord)
P = Phase


def _with_errors(table: dict[tuple[Phase, Event], Phase]) -> Grammar:
    phases = {source for source, _ in table} | set(table.values())
    return {**table, **{(phase, Event.ERROR): P.DONE for phase in phases - {P.DONE}}}


_ABONENT_TAIL = {
    (P.RECORD, Event.PHONE): P.PHONES,
    (P.RECORD, Event.EMAIL): P.EMAILS,
    (P.RECORD, Event.END): P.DONE,
    (P.PHONES, Event.PHONE): P.PHONES,
    (P.PHONES, Event.EMAIL): P.EMAILS,
    (P.PHONES, Event.END): P.DONE,
    (P.EMAILS, Event.EMAIL): P.EMAILS,
    (P.EMAILS, Event.END): P.DONE,
}
GRAMMARS: dict[ReplyShape, Grammar] = {
    ReplyShape.OK: _with_errors({(P.IDLE, Event.OK): P.DONE}),
    ReplyShape.TASK_STATUS: _with_errors({(P.IDLE, Event.OK): P.DONE}),
    ReplyShape.LOGIN: _with_errors({(P.IDLE, Event.OK): P.HASP, (P.HASP, Event.HASP): P.DONE}),
    ReplyShape.LIST: _with_errors(
        {
            (P.IDLE, Event.BEGIN): P.ROWS,
            (P.ROWS, Event.DATA): P.ROWS,
            (P.ROWS, Event.END): P.DONE,
        }
    ),
    ReplyShape.ABONENT: _with_errors({(P.IDLE, Event.OK): P.RECORD, **_ABONENT_TAIL}),
    ReplyShape.ABONENT_LIST: _with_errors(
        {
            (P.IDLE, Event.BEGIN): P.ROWS,
            (P.ROWS, Event.DATA): P.RECORD,
            (P.ROWS, Event.END): P.DONE,
            (P.RECORD, Event.DATA): P.RECORD,
            (P.PHONES, Event.DATA): P.RECORD,
            (P.EMAILS, Event.DATA): P.RECORD,
            **_ABONENT_TAIL,
        }
    ),
}
GRAMMARS[ReplyShape.FILE] = GRAMMARS[ReplyShape.LIST]


@dataclass(frozen=True, slots=True)
class Reply:
    """One complete reply. ``head``: parameters after OK/BEGIN; ``rows``: the
    parameters of each DATA line; ``abonents``: for abonent shapes."""

    request: str
    word: str
    error: ErrorReply | None = None
    head: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    abonents: tuple[Abonent, ...] = ()
    hasp: HaspInfo | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def data(self) -> bytes:
        """A file reply's bytes (its DATA rows, hex-decoded and joined)."""
        return b"".join(decode_field("data", HEX, row[0]) for row in self.rows)

    def records(self, record: type[R], form: Form = Form.FULL) -> list[R]:
        return [record.from_params(row, form) for row in self.rows]

    def head_record(self, record: type[R], form: Form = Form.FULL) -> R:
        return record.from_params(self.head, form)


def as_notification(line: Line) -> TaskSummary | None:
    """A ``UPDATETASK OK <id> <name> <ttype> <status>`` line as a task status."""
    if line.command != UPDATETASK or not line.params or line.params[0] != OK:
        return None
    return TaskSummary.from_params(line.params[1:])


class ReplyCollector:
    """Collects the reply to one request; see the module comment."""

    def __init__(self, word: str, params: Sequence[str] = ()) -> None:
        self.command: Command = lookup(word)
        self.request = word
        self.ok_word = self.command.ok_word(word)
        self.notifications: list[TaskSummary] = []
        self._grammar = GRAMMARS[self.command.reply]
        self._phase = Phase.IDLE
        self._task_id = params[0] if self.ok_word == UPDATETASK and params else None
        self._head: tuple[str, ...] = ()
        self._rows: list[tuple[str, ...]] = []
        self._abonents: list[Abonent] = []
        self._phones: list[Phone] = []
        self._emails: list[str] = []
        self._current: Abonent | None = None
        self._hasp: HaspInfo | None = None

    @property
    def done(self) -> bool:
        return self._phase is Phase.DONE

    def end_of_stream(self) -> None:
        """The server closed: ``TruncatedRequest`` unless the reply was complete
        (QUIT's reply is normally followed by the close)."""
        if not self.done:
            raise TruncatedRequest(
                f"the connection closed before the {self.request} reply was complete",
                word=self.request,
            )

    def _is_notification(self, line: Line) -> bool:
        if line.command != UPDATETASK or not line.params or line.params[0] != OK:
            return False
        if self.ok_word != UPDATETASK or self._phase is not Phase.IDLE:
            return True
        return self._task_id is not None and line.params[1:2] != (self._task_id,)

    def feed(self, line: Line) -> Reply | None:
        """The ``Reply`` once complete, else ``None``."""
        if self.done:
            raise SequenceError(f"the {self.request} reply is already complete", word=line.command)
        if self._is_notification(line):
            notification = as_notification(line)
            assert notification is not None
            self.notifications.append(notification)
            return None
        status = line.params[0] if line.params else ""
        event = event_of(status)
        if line.command == HASP:
            event = Event.HASP
        elif event is Event.ERROR:
            if line.command not in (self.request, self.ok_word, ERROR_WORD):
                raise SequenceError(
                    f"error line of {line.command} while waiting for the {self.request} reply",
                    word=line.command,
                )
        elif line.command != self.ok_word:
            raise SequenceError(
                f"{line.command} line while waiting for the {self.request} reply",
                word=line.command,
            )
        if event is None:
            raise SequenceError(
                f"{line.command} line without a status word (OK, BEGIN, DATA, END, ERR_*)",
                word=line.command,
            )
        self._phase = advance(self._grammar, self._phase, event, line.command)
        if event is Event.ERROR:
            return Reply(self.request, line.command, error=parse_error(line))
        self._take(event, line.params if event is Event.HASP else line.params[1:])
        return self._reply() if self.done else None

    def _count(self, what: str, names: tuple[str, ...], values: tuple[str, ...]) -> None:
        if len(values) != len(names):
            raise ArgumentCountError(
                f"{self.ok_word} {what} carries {len(names)} parameters "
                f"({' '.join(names) or 'none'}), got {len(values)}",
                word=self.ok_word,
            )

    def _take(self, event: Event, values: tuple[str, ...]) -> None:
        command = self.command
        if event is Event.OK:
            self._count("OK", command.head, values)
            self._head = values
            if command.reply is ReplyShape.ABONENT:
                self._start_abonent(values)
        elif event is Event.BEGIN:
            self._count("BEGIN", command.head, values)
            self._head = values
        elif event is Event.DATA:
            self._count("DATA", command.row, values)
            if command.reply is ReplyShape.ABONENT_LIST:
                self._close_abonent()
                self._start_abonent(values)
            else:
                self._rows.append(values)
        elif event is Event.PHONE:
            self._phones.append(Phone.from_params(values))
        elif event is Event.EMAIL:
            self._count("EMAIL", ("email",), values)
            self._emails.append(decode_field("email", EMAIL_CODEC, values[0]))
        elif event is Event.HASP:
            self._hasp = HaspInfo.from_params(values)
        elif event is Event.END:
            self._count("END", (), values)
            self._close_abonent()

    def _start_abonent(self, values: tuple[str, ...]) -> None:
        self._current = Abonent.from_params(values, Form.FULL)
        self._phones, self._emails = [], []

    def _close_abonent(self) -> None:
        if self._current is not None:
            self._abonents.append(
                replace(self._current, phones=tuple(self._phones), emails=tuple(self._emails))
            )
            self._current = None

    def _reply(self) -> Reply:
        if self.command.head == ("count",):
            count = decode_field("count", UINT, self._head[0])
            if count != len(self._rows):
                raise SequenceError(
                    f"{self.ok_word} BEGIN announced {count} rows, {len(self._rows)} followed",
                    word=self.ok_word,
                )
        return Reply(
            self.request,
            self.ok_word,
            head=self._head,
            rows=tuple(self._rows),
            abonents=tuple(self._abonents),
            hasp=self._hasp,
        )
