"""Line and user states of the simulated PBX, as transition tables.

Each machine is an Enum of states, an Enum of events and one table
``(state, event) -> new state``; ``LINE_TABLE`` / ``USER_TABLE`` are the only
place a transition is defined, and ``step`` raises ``IllegalTransition`` for
a pair the table lacks (architecture principle 2: a machine never drifts).

Line states carry the numeric code and the ``ls*`` name that
``wp_getabonentinfo`` shows as ``currentlinestate`` / ``currentlinestatestr``
(the spec gives lsCommutated = 32; the others are the project's, shared with
the codec's ``LINE_STATE_NAMES`` in system/wire/oktell.py: 0 lsDisconnected,
1 lsFree, 4 lsDialing, 8 lsRinging, plus 64 lsHold). User states carry the
code of ``wp_setuserstate``'s ``userstateid`` and the ``us*`` name of
``tst_getuserstate`` (the codec's ``USER_STATE_NAMES``): 1 usReady,
2 usLunch (break), 3 usNotAvailable, 5 usBusy from the spec; the service
states 0 usDisconnected, 4 usNoPhone, 6 usReserved are the project's.
"""

from __future__ import annotations

import enum
from typing import TypeVar


class IllegalTransition(ValueError):
    """An event that the current state does not accept."""


class LineState(enum.Enum):
    FREE = (1, "lsFree")
    DIALING = (4, "lsDialing")  # the line calls out; the far end has not answered
    RINGING = (8, "lsRinging")  # the line itself is being rung
    COMMUTATED = (32, "lsCommutated")  # talking
    HOLD = (64, "lsHold")  # the commutation is held after a flash
    BLOCKED = (0, "lsDisconnected")  # out of service (control API)

    @property
    def code(self) -> int:
        return int(self.value[0])

    @property
    def label(self) -> str:
        return str(self.value[1])


class LineEvent(enum.Enum):
    DIAL = "dial"
    RING = "ring"
    ANSWER = "answer"
    FLASH = "flash"
    DECLINE = "decline"
    HANGUP = "hangup"
    BLOCK = "block"
    UNBLOCK = "unblock"


_L = LineState
_LE = LineEvent
LINE_TABLE: dict[tuple[LineState, LineEvent], LineState] = {
    (_L.FREE, _LE.DIAL): _L.DIALING,
    (_L.FREE, _LE.RING): _L.RINGING,
    (_L.FREE, _LE.BLOCK): _L.BLOCKED,
    (_L.DIALING, _LE.ANSWER): _L.COMMUTATED,
    (_L.DIALING, _LE.HANGUP): _L.FREE,
    (_L.RINGING, _LE.ANSWER): _L.COMMUTATED,
    (_L.RINGING, _LE.DECLINE): _L.FREE,
    (_L.RINGING, _LE.HANGUP): _L.FREE,
    (_L.COMMUTATED, _LE.FLASH): _L.HOLD,
    (_L.COMMUTATED, _LE.HANGUP): _L.FREE,
    (_L.HOLD, _LE.FLASH): _L.COMMUTATED,
    (_L.HOLD, _LE.DIAL): _L.DIALING,  # flash-transfer: the held line dials the new number
    (_L.HOLD, _LE.HANGUP): _L.FREE,
    (_L.BLOCKED, _LE.UNBLOCK): _L.FREE,
}

ACTIVE_LINE_STATES = frozenset({_L.DIALING, _L.RINGING, _L.HOLD, _L.COMMUTATED})


class UserState(enum.Enum):
    READY = (1, "usReady")
    BREAK = (2, "usLunch")
    AWAY = (3, "usNotAvailable")
    RESERVED = (6, "usReserved")
    BUSY = (5, "usBusy")
    NO_PHONE = (4, "usNoPhone")
    DISCONNECTED = (0, "usDisconnected")

    @property
    def code(self) -> int:
        return int(self.value[0])

    @property
    def label(self) -> str:
        return str(self.value[1])

    @classmethod
    def by_code(cls, code: int) -> UserState:
        for state in cls:
            if state.code == code:
                return state
        raise KeyError(code)


# The states a request (wp_setuserstate userstateid) may ask for.
REQUESTABLE_USER_STATES = frozenset(
    {UserState.READY, UserState.BREAK, UserState.AWAY, UserState.BUSY}
)
SERVICE_USER_STATES = frozenset({UserState.RESERVED, UserState.NO_PHONE, UserState.DISCONNECTED})


class UserEvent(enum.Enum):
    SET_READY = "set_ready"
    SET_BREAK = "set_break"
    SET_AWAY = "set_away"
    SET_BUSY = "set_busy"
    CALL_START = "call_start"  # the user's line became active
    FREED = "freed"  # the user's line became free
    FREED_ON_LUNCH = "freed_on_lunch"  # ... while the lunch mode is on
    END_BREAK = "end_break"  # leaving the call-centre mode ends a break
    RESERVE = "reserve"
    RELEASE = "release"
    PHONE_LOST = "phone_lost"
    PHONE_BACK = "phone_back"
    DISCONNECT = "disconnect"
    CONNECT = "connect"


REQUEST_EVENTS: dict[UserState, UserEvent] = {
    UserState.READY: UserEvent.SET_READY,
    UserState.BREAK: UserEvent.SET_BREAK,
    UserState.AWAY: UserEvent.SET_AWAY,
    UserState.BUSY: UserEvent.SET_BUSY,
}

_U = UserState
_UE = UserEvent
_REQUESTS = {
    _UE.SET_READY: _U.READY,
    _UE.SET_BREAK: _U.BREAK,
    _UE.SET_AWAY: _U.AWAY,
    _UE.SET_BUSY: _U.BUSY,
}
_COMMON = {_UE.DISCONNECT: _U.DISCONNECTED, _UE.PHONE_LOST: _U.NO_PHONE}


def _row(
    state: UserState, moves: dict[UserEvent, UserState]
) -> dict[tuple[UserState, UserEvent], UserState]:
    return {(state, event): target for event, target in moves.items()}


USER_TABLE: dict[tuple[UserState, UserEvent], UserState] = {
    **_row(_U.READY, {**_REQUESTS, _UE.CALL_START: _U.BUSY, _UE.RESERVE: _U.RESERVED, **_COMMON}),
    **_row(_U.BREAK, {**_REQUESTS, _UE.CALL_START: _U.BUSY, _UE.END_BREAK: _U.READY, **_COMMON}),
    **_row(_U.AWAY, {**_REQUESTS, _UE.CALL_START: _U.BUSY, **_COMMON}),
    **_row(
        _U.BUSY,
        {
            **_REQUESTS,
            _UE.CALL_START: _U.BUSY,
            _UE.FREED: _U.READY,
            _UE.FREED_ON_LUNCH: _U.BREAK,
            **_COMMON,
        },
    ),
    **_row(_U.RESERVED, {_UE.RELEASE: _U.READY, _UE.CALL_START: _U.BUSY, **_COMMON}),
    **_row(_U.NO_PHONE, {_UE.PHONE_BACK: _U.READY, _UE.DISCONNECT: _U.DISCONNECTED}),
    **_row(_U.DISCONNECTED, {_UE.CONNECT: _U.READY}),
}

_S = TypeVar("_S", bound=enum.Enum)
_E = TypeVar("_E", bound=enum.Enum)


def step(table: dict[tuple[_S, _E], _S], state: _S, event: _E) -> _S:
    """The state after ``event``; ``IllegalTransition`` when the table has no such move."""
    try:
        return table[state, event]
    except KeyError:
        raise IllegalTransition(f"{event.value} is not possible in state {state.name}") from None


def line_step(state: LineState, event: LineEvent) -> LineState:
    return step(LINE_TABLE, state, event)


def user_step(state: UserState, event: UserEvent) -> UserState:
    return step(USER_TABLE, state, event)
