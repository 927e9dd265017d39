"""The life of one target (an abonent of a run) as a table, and what a result moves it to.

How it works: ``MOVES`` lists every legal (state, event) -> state; ``move``
raises ``IllegalMove`` for anything else (architecture principle 2: a
state machine never drifts). ``Target`` is the scheduler's mutable view of
one target; the functions below compute its next ``TargetUpdate`` (what the
store writes) for each event:

* ``begin``: PENDING / RETRY -> ACTIVE for the address ``next_address`` of
  round ``rounds`` (a new round starts when ``next_address`` is 0).
* ``succeeded`` / ``confirmed``: -> NOTIFIED / CONFIRMED.
* ``sent``: an SMS handed to the network -> SENT (waits for its report).
* ``failed``: the next address of the same round at once; after the last
  address, the next round after ``interval`` seconds; after the last round
  EXHAUSTED.
* ``released``: ACTIVE -> back to where it was (a channel took nothing:
  ``ChannelUnavailable``); not an attempt of the abonent's.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from nabat.system.engine.records import TargetState
from nabat.system.store.progress import TargetRow, TargetUpdate


class Event(enum.Enum):
    BEGIN = "begin"
    RELEASE = "release"
    SUCCEED = "succeed"
    CONFIRM = "confirm"
    SEND = "send"
    FAIL = "fail"
    EXHAUST = "exhaust"
    GIVE_UP = "give_up"  # no usable address, or the run can no longer tell (unknown)


T = TargetState
MOVES: dict[tuple[TargetState, Event], TargetState] = {
    (T.PENDING, Event.BEGIN): T.ACTIVE,
    (T.RETRY, Event.BEGIN): T.ACTIVE,
    (T.ACTIVE, Event.RELEASE): T.RETRY,
    (T.ACTIVE, Event.SUCCEED): T.NOTIFIED,
    (T.ACTIVE, Event.CONFIRM): T.CONFIRMED,
    (T.CONFIRMED, Event.CONFIRM): T.CONFIRMED,  # written during the call, then at its end
    (T.ACTIVE, Event.SEND): T.SENT,
    (T.ACTIVE, Event.FAIL): T.RETRY,
    (T.ACTIVE, Event.EXHAUST): T.EXHAUSTED,
    (T.ACTIVE, Event.GIVE_UP): T.UNKNOWN,
    (T.SENT, Event.SUCCEED): T.NOTIFIED,
    (T.SENT, Event.FAIL): T.RETRY,
    (T.SENT, Event.EXHAUST): T.EXHAUSTED,
    (T.SENT, Event.GIVE_UP): T.UNKNOWN,
    (T.PENDING, Event.GIVE_UP): T.FAILED,
}


class IllegalMove(RuntimeError):
    def __init__(self, state: TargetState, event: Event) -> None:
        super().__init__(f"a {state.value} target cannot {event.value}")
        self.state = state
        self.event = event


def move(state: TargetState, event: Event) -> TargetState:
    try:
        return MOVES[(state, event)]
    except KeyError:
        raise IllegalMove(state, event) from None


@dataclass(slots=True)
class Target:
    """The scheduler's view of one target (mutable; the store has the durable copy)."""

    abonent_id: int
    seq: int
    name: str
    priority: int
    addresses: tuple[str, ...]
    state: TargetState
    rounds: int  # rounds begun
    next_address: int  # index into addresses of the next attempt
    next_time: float
    confirm_key: str = ""

    @classmethod
    def from_row(cls, row: TargetRow) -> Target:
        return cls(
            row.abonent_id, row.seq, row.name, row.priority, row.addresses, row.state,
            row.rounds, row.next_address, row.next_time, row.confirm_key,
        )  # fmt: skip

    @property
    def address(self) -> str:
        return self.addresses[self.next_address]

    def update(self) -> TargetUpdate:
        return TargetUpdate(self.state, self.rounds, self.next_address, self.next_time,
                            self.confirm_key)  # fmt: skip

    def _apply(self, event: Event) -> TargetUpdate:
        self.state = move(self.state, event)
        return self.update()

    # --- events -----------------------------------------------------------------------
    def begin(self) -> TargetUpdate:
        if self.next_address == 0:
            self.rounds += 1
        return self._apply(Event.BEGIN)

    def release(self) -> TargetUpdate:
        """Nothing was attempted: undo ``begin``'s round count and wait for a channel."""
        if self.next_address == 0:
            self.rounds -= 1
        return self._apply(Event.RELEASE)

    def succeed(self) -> TargetUpdate:
        return self._apply(Event.SUCCEED)

    def confirm(self, keys: str) -> TargetUpdate:
        self.confirm_key = keys
        return self._apply(Event.CONFIRM)

    def send(self) -> TargetUpdate:
        return self._apply(Event.SEND)

    def give_up(self) -> TargetUpdate:
        return self._apply(Event.GIVE_UP)

    def fail(self, now: float, rounds_allowed: int, interval: float) -> TargetUpdate:
        """The attempt did not reach the abonent: the next address, round, or the end."""
        if self.next_address + 1 < len(self.addresses):
            self.next_address += 1
            self.next_time = now
            return self._apply(Event.FAIL)
        if self.rounds >= rounds_allowed:
            return self._apply(Event.EXHAUST)
        self.next_address = 0
        self.next_time = now + interval
        return self._apply(Event.FAIL)
