"""Read a listing reply item by item instead of collecting it whole.

``ReplyCollector`` (the codec) gathers a reply in memory; for listings that
may be long (GETABONENTS, GETLOG) ``ListingStream`` walks the same grammar
tables (``nabat.system.protocol.replies.GRAMMARS``) and hands back each item as soon
as it is complete: a DATA row of a listing at once, an abonent when the line
after its PHONE/EMAIL lines arrives. ``feed`` returns the items a line
completed; an error line raises ``ServerError`` (items already handed back
stay handed back); MONITORING lines are set aside in ``notifications``.
"""

from __future__ import annotations

from dataclasses import replace

from nabat.system.client.errors import ServerError
from nabat.system.protocol import (
    Abonent,
    ArgumentCountError,
    Form,
    Line,
    Phone,
    ReplyShape,
    SequenceError,
    TaskSummary,
    as_notification,
    lookup,
    parse_error,
)
from nabat.system.protocol.fields import EMAIL, decode_field
from nabat.system.protocol.machine import Event, Phase, advance, event_of
from nabat.system.protocol.replies import GRAMMARS

Item = tuple[str, ...] | Abonent


class ListingStream:
    """The reply to one listing request (LIST or ABONENT_LIST shape)."""

    def __init__(self, word: str) -> None:
        self.command = lookup(word)
        if self.command.reply not in (ReplyShape.LIST, ReplyShape.ABONENT_LIST):
            raise ValueError(f"{word} does not answer with a listing")
        self.word = word
        self.notifications: list[TaskSummary] = []
        self.head: tuple[str, ...] = ()
        self._grammar = GRAMMARS[self.command.reply]
        self._phase = Phase.IDLE
        self._current: Abonent | None = None
        self._phones: list[Phone] = []
        self._emails: list[str] = []

    @property
    def done(self) -> bool:
        return self._phase is Phase.DONE

    def feed(self, line: Line) -> list[Item]:
        """The items ``line`` completed (usually none or one)."""
        if line.command == "UPDATETASK" and line.params[:1] == ("OK",):
            notification = as_notification(line)
            assert notification is not None
            self.notifications.append(notification)
            return []
        status = line.params[0] if line.params else ""
        event = event_of(status)
        if event is None or line.command not in (self.word, "ERROR"):
            raise SequenceError(
                f"{line.command} {status[:20]} line while reading the {self.word} listing",
                word=line.command,
            )
        self._phase = advance(self._grammar, self._phase, event, line.command)
        if event is Event.ERROR:
            raise ServerError.from_reply(parse_error(line))
        if line.command != self.word:
            raise SequenceError(f"{line.command} line inside the {self.word} listing")
        return self._take(event, line.params[1:])

    def _check(self, what: str, names: tuple[str, ...], values: tuple[str, ...]) -> None:
        if len(values) != len(names):
            raise ArgumentCountError(
                f"{self.word} {what} carries {len(names)} parameters, got {len(values)}",
                word=self.word,
            )

    def _take(self, event: Event, values: tuple[str, ...]) -> list[Item]:
        abonents = self.command.reply is ReplyShape.ABONENT_LIST
        if event is Event.BEGIN:
            self._check("BEGIN", self.command.head, values)
            self.head = values
            return []
        if event is Event.DATA:
            self._check("DATA", self.command.row, values)
            if not abonents:
                return [values]
            finished = self._finish()
            self._current = Abonent.from_params(values, Form.FULL)
            return finished
        if event is Event.PHONE:
            self._phones.append(Phone.from_params(values))
            return []
        if event is Event.EMAIL:
            self._check("EMAIL", ("email",), values)
            self._emails.append(decode_field("email", EMAIL, values[0]))
            return []
        self._check("END", (), values)
        return self._finish()

    def _finish(self) -> list[Item]:
        if self._current is None:
            return []
        done = replace(self._current, phones=tuple(self._phones), emails=tuple(self._emails))
        self._current, self._phones, self._emails = None, [], []
        return [done]
