"""The modem's state machines, each an Enum plus a transition table.

``Machine(table, initial)`` holds one state; ``fire(event)`` looks the
(state, event) pair up in the table and moves, or raises
``IllegalTransition`` (a state never drifts through an unplanned path).

- SIM: READY, PIN (waiting for the PIN), PUK (3 wrong PINs), BLOCKED (10 wrong
  PUKs), ABSENT. Attempt counters live in ``modem_sim.Sim``.
- Registration: the 27.007 +CREG <stat> values.
- Call: the 27.007 +CLCC <stat> values plus RELEASED (a call that is over).
- Line: what the modem does with the bytes it receives: COMMAND (reading a
  command line), EXECUTING (a command runs; input waits), SMS_BODY (after the
  ``> `` prompt of +CMGS/+CMGW, until Ctrl-Z or Esc).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Generic, TypeVar


class IllegalTransition(RuntimeError):
    """An event that the current state does not allow."""


S = TypeVar("S", bound=enum.Enum)
E = TypeVar("E", bound=enum.Enum)


class Machine(Generic[S, E]):
    __slots__ = ("name", "state", "table")

    def __init__(self, name: str, table: Mapping[tuple[S, E], S], initial: S) -> None:
        self.name = name
        self.table = table
        self.state = initial

    def can(self, event: E) -> bool:
        return (self.state, event) in self.table

    def fire(self, event: E) -> S:
        try:
            self.state = self.table[(self.state, event)]
        except KeyError:
            raise IllegalTransition(
                f"{self.name}: {event.name} is not allowed in state {self.state.name}"
            ) from None
        return self.state


# --- SIM -------------------------------------------------------------------


class SimState(enum.Enum):
    READY = "READY"
    PIN = "SIM PIN"
    PUK = "SIM PUK"
    BLOCKED = "BLOCKED"
    ABSENT = "ABSENT"


class SimEvent(enum.Enum):
    POWER_ON_LOCKED = enum.auto()  # power-on with the PIN lock enabled
    POWER_ON_OPEN = enum.auto()  # power-on with the PIN lock disabled
    PIN_OK = enum.auto()
    PIN_WRONG = enum.auto()  # a wrong PIN with attempts left
    PIN_EXHAUSTED = enum.auto()  # the last wrong PIN
    PUK_OK = enum.auto()
    PUK_WRONG = enum.auto()
    PUK_EXHAUSTED = enum.auto()
    REMOVE = enum.auto()
    INSERT_LOCKED = enum.auto()
    INSERT_OPEN = enum.auto()


_SIM_PRESENT = (SimState.READY, SimState.PIN, SimState.PUK, SimState.BLOCKED)
SIM_TABLE: dict[tuple[SimState, SimEvent], SimState] = {
    (SimState.PIN, SimEvent.PIN_OK): SimState.READY,
    (SimState.PIN, SimEvent.PIN_WRONG): SimState.PIN,
    (SimState.PIN, SimEvent.PIN_EXHAUSTED): SimState.PUK,
    # A wrong PIN while ready (AT+CLCK="SC" or +CPWD) counts too.
    (SimState.READY, SimEvent.PIN_WRONG): SimState.READY,
    (SimState.READY, SimEvent.PIN_EXHAUSTED): SimState.PUK,
    (SimState.PUK, SimEvent.PUK_OK): SimState.READY,
    (SimState.PUK, SimEvent.PUK_WRONG): SimState.PUK,
    (SimState.PUK, SimEvent.PUK_EXHAUSTED): SimState.BLOCKED,
    (SimState.ABSENT, SimEvent.INSERT_LOCKED): SimState.PIN,
    (SimState.ABSENT, SimEvent.INSERT_OPEN): SimState.READY,
    (SimState.ABSENT, SimEvent.REMOVE): SimState.ABSENT,
    **{(state, SimEvent.REMOVE): SimState.ABSENT for state in _SIM_PRESENT},
    # Power-on keeps a PUK-locked or blocked card as it is.
    (SimState.READY, SimEvent.POWER_ON_LOCKED): SimState.PIN,
    (SimState.PIN, SimEvent.POWER_ON_LOCKED): SimState.PIN,
    (SimState.READY, SimEvent.POWER_ON_OPEN): SimState.READY,
    (SimState.PIN, SimEvent.POWER_ON_OPEN): SimState.READY,
    **{
        (state, event): state
        for state in (SimState.PUK, SimState.BLOCKED, SimState.ABSENT)
        for event in (SimEvent.POWER_ON_LOCKED, SimEvent.POWER_ON_OPEN)
    },
}


# --- Network registration ---------------------------------------------------


class RegState(enum.IntEnum):
    NOT_REGISTERED = 0  # not registered, not searching
    HOME = 1
    SEARCHING = 2
    DENIED = 3
    UNKNOWN = 4
    ROAMING = 5


class RegEvent(enum.Enum):
    SEARCH = enum.auto()  # radio on: start looking for the network
    ATTACH_HOME = enum.auto()
    ATTACH_ROAMING = enum.auto()
    DENY = enum.auto()
    LOSE = enum.auto()  # coverage lost: back to searching
    RADIO_OFF = enum.auto()  # +CFUN=0/4, no SIM, deregistration (+COPS=2)
    UNKNOWN = enum.auto()


REG_TABLE: dict[tuple[RegState, RegEvent], RegState] = {
    **{(state, RegEvent.RADIO_OFF): RegState.NOT_REGISTERED for state in RegState},
    **{(state, RegEvent.UNKNOWN): RegState.UNKNOWN for state in RegState},
    **{
        (state, RegEvent.SEARCH): RegState.SEARCHING
        for state in (RegState.NOT_REGISTERED, RegState.SEARCHING, RegState.UNKNOWN)
    },
    **{
        (state, event): target
        for state in (
            RegState.SEARCHING,
            RegState.HOME,
            RegState.ROAMING,
            RegState.DENIED,
            RegState.UNKNOWN,
        )
        for event, target in (
            (RegEvent.ATTACH_HOME, RegState.HOME),
            (RegEvent.ATTACH_ROAMING, RegState.ROAMING),
            (RegEvent.DENY, RegState.DENIED),
            (RegEvent.LOSE, RegState.SEARCHING),
        )
    },
}


# --- Calls ------------------------------------------------------------------


class CallState(enum.IntEnum):
    ACTIVE = 0
    HELD = 1
    DIALING = 2
    ALERTING = 3
    INCOMING = 4
    WAITING = 5
    RELEASED = 6  # SIM800's "disconnect" value; never listed by +CLCC


class CallEvent(enum.Enum):
    ALERT = enum.auto()  # the far end rings
    CONNECT = enum.auto()  # the far end answers (MO) or the modem answers (MT)
    RELEASE = enum.auto()


CALL_TABLE: dict[tuple[CallState, CallEvent], CallState] = {
    (CallState.DIALING, CallEvent.ALERT): CallState.ALERTING,
    (CallState.DIALING, CallEvent.CONNECT): CallState.ACTIVE,
    (CallState.ALERTING, CallEvent.CONNECT): CallState.ACTIVE,
    (CallState.INCOMING, CallEvent.CONNECT): CallState.ACTIVE,
    (CallState.WAITING, CallEvent.CONNECT): CallState.ACTIVE,
    **{
        (state, CallEvent.RELEASE): CallState.RELEASED
        for state in CallState
        if state is not CallState.RELEASED
    },
}


# --- The serial line --------------------------------------------------------


class LineState(enum.Enum):
    COMMAND = enum.auto()
    EXECUTING = enum.auto()
    SMS_BODY = enum.auto()


class LineEvent(enum.Enum):
    START = enum.auto()  # a command line begins to execute
    PROMPT = enum.auto()  # +CMGS/+CMGW printed "> "
    BODY_DONE = enum.auto()  # Ctrl-Z: the message is being sent or written
    CANCEL = enum.auto()  # Esc in the body
    FINISH = enum.auto()  # the final result code went out
    RESET = enum.auto()  # power cycle, port gone


LINE_TABLE: dict[tuple[LineState, LineEvent], LineState] = {
    (LineState.COMMAND, LineEvent.START): LineState.EXECUTING,
    (LineState.EXECUTING, LineEvent.PROMPT): LineState.SMS_BODY,
    (LineState.EXECUTING, LineEvent.FINISH): LineState.COMMAND,
    (LineState.SMS_BODY, LineEvent.BODY_DONE): LineState.EXECUTING,
    (LineState.SMS_BODY, LineEvent.CANCEL): LineState.COMMAND,
    **{(state, LineEvent.RESET): LineState.COMMAND for state in LineState},
}
