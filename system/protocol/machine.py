"""A tiny table-driven state machine for multi-line exchanges.

A grammar is a mapping ``(Phase, Event) -> Phase``; ``advance`` looks the pair
up and raises ``SequenceError`` for any pair the table does not list, so an
exchange can never drift into an undefined state. ``requests`` (multi-line
requests, server side) and ``replies`` (multi-line replies, client side)
define their grammars as such tables and share this engine and vocabulary.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from nabat.system.protocol.exceptions import SequenceError


class Phase(enum.Enum):
    IDLE = "before the first line"
    HEAD = "after BEGIN (DATA expected)"
    RECORD = "after a record line"
    PHONES = "after a PHONE line"
    EMAILS = "after an EMAIL line (only EMAIL or END may follow)"
    ROWS = "inside the BEGIN ... END block"
    HASP = "after LOGIN OK (the HASP line expected)"
    DONE = "after the last line"


class Event(enum.Enum):
    """What a line is, from its status word (``HASP`` from its command word)."""

    BEGIN = "BEGIN"
    OK = "OK"
    DATA = "DATA"
    PHONE = "PHONE"
    EMAIL = "EMAIL"
    END = "END"
    ERROR = "ERR_*"
    HASP = "HASP"


Grammar = Mapping[tuple[Phase, Event], Phase]

_BY_WORD = {event.value: event for event in Event if event is not Event.ERROR}


def event_of(status: str) -> Event | None:
    """The event a line's status word (its first parameter) stands for."""
    if status.startswith("ERR_"):
        return Event.ERROR
    return _BY_WORD.get(status)


def expected(grammar: Grammar, phase: Phase) -> list[Event]:
    return [event for (source, event) in grammar if source is phase]


def advance(grammar: Grammar, phase: Phase, event: Event, word: str) -> Phase:
    """The next phase, or ``SequenceError`` naming what was allowed."""
    try:
        return grammar[(phase, event)]
    except KeyError:
        allowed = ", ".join(e.value for e in expected(grammar, phase)) or "nothing"
        raise SequenceError(
            f"{word} {event.value} is not allowed {phase.value}; expected: {allowed}", word=word
        ) from None
