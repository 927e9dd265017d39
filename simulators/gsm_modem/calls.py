"""Voice calls of one modem: the call table and the lines that describe a call.

A ``Call`` carries its 27.007 identity (<idx> 1..7, <dir> 0 MO / 1 MT,
number and type of address) and a ``CallState`` machine (states.py). How a
call ends is a ``Release``: the result code the DTE sees (NO CARRIER, BUSY,
NO ANSWER, or none when the DTE hung up itself) and the 24.008 cause that
Huawei's ^CEND reports. ``clcc_line`` prints the +CLCC form, with the
phone-book alpha on SIMCom.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from nabat.simulators.control.scheduler import Timer
from nabat.simulators.gsm_modem.states import CALL_TABLE, CallEvent, CallState, Machine

MAX_CALLS = 7
INTERNATIONAL = 145
UNKNOWN_TYPE = 129


class Release(enum.Enum):
    """How a call ended: (result code for the DTE or None, 24.008 cause, ^CEND end status)."""

    LOCAL = (None, 16, 29)  # ATH / +CHUP
    REMOTE = ("NO CARRIER", 16, 104)  # the far end hung up
    BUSY = ("BUSY", 17, 104)
    NO_ANSWER = ("NO ANSWER", 19, 104)
    REJECTED = ("BUSY", 21, 104)  # the person declined: networks signal user busy
    UNREACHABLE = ("NO CARRIER", 18, 104)  # no user responding (switched off, no coverage)
    BLOCKED = ("NO CARRIER", 21, 104)  # the terminating operator refused (anti-fraud)
    NO_SERVICE = ("NO CARRIER", 38, 104)  # the modem is not registered
    CALLER_GAVE_UP = ("NO CARRIER", 16, 104)  # an incoming call stopped ringing

    @property
    def result(self) -> str | None:
        result: str | None = self.value[0]
        return result

    @property
    def cause(self) -> int:
        return int(self.value[1])

    @property
    def end_status(self) -> int:
        return int(self.value[2])


def address_type(number: str) -> int:
    return INTERNATIONAL if number.startswith("+") else UNKNOWN_TYPE


@dataclass(eq=False)
class Call:
    index: int
    direction: int  # 0: mobile originated, 1: mobile terminated
    number: str  # as dialled or as the network presents it (with '+' when international)
    machine: Machine[CallState, CallEvent]
    started: float
    connected: float | None = None
    timers: list[Timer] = field(default_factory=list)
    keys_sent: list[str] = field(default_factory=list)  # +VTS tones from the DTE
    far_keys: tuple[tuple[str, float], ...] = ()  # (key, seconds after the answer)
    talk_for: float = 30.0  # the far end hangs up this long after the answer

    @property
    def state(self) -> CallState:
        return self.machine.state

    @property
    def type_of_address(self) -> int:
        return address_type(self.number)

    def fire(self, event: CallEvent) -> CallState:
        return self.machine.fire(event)

    def cancel_timers(self) -> None:
        for timer in self.timers:
            timer.cancel()
        self.timers.clear()

    def clcc_line(self, alpha: bool, state: CallState | None = None) -> str:
        stat = int(self.state if state is None else state)
        line = (
            f"+CLCC: {self.index},{self.direction},{stat},0,0,"
            f'"{self.number}",{self.type_of_address}'
        )
        return line + ',""' if alpha else line


class CallTable:
    def __init__(self) -> None:
        self.calls: dict[int, Call] = {}

    def new(self, direction: int, number: str, state: CallState, now: float) -> Call:
        for index in range(1, MAX_CALLS + 1):
            if index not in self.calls:
                call = Call(
                    index, direction, number, Machine(f"call {index}", CALL_TABLE, state), now
                )
                self.calls[index] = call
                return call
        raise OverflowError("no free call index")

    def remove(self, call: Call) -> None:
        if self.calls.get(call.index) is call:
            del self.calls[call.index]

    def listing(self) -> list[Call]:
        return [self.calls[index] for index in sorted(self.calls)]

    def in_state(self, *states: CallState) -> list[Call]:
        return [call for call in self.listing() if call.state in states]

    def __bool__(self) -> bool:
        return bool(self.calls)
