"""The radio side of a modem: registration (+CREG), the operator (+COPS), signal (+CSQ).

Registration is the ``RegState`` machine of states.py. The radio searches
when it is on (+CFUN=1) with a ready SIM and then lands on ``outcome``: home
by default; a fault sets it to roaming, denied, searching (no coverage),
not registered or unknown. ``creg_line`` prints +CREG in the three forms of
<n> (0 and 1: ``+CREG: <n>,<stat>``; 2 adds the location area and cell id
as 4-hex-digit strings while registered). Signal is +CSQ's <rssi>,<ber>;
99 means unknown (no network, or the "signal 99" fault).
"""

from __future__ import annotations

from nabat.simulators.gsm_modem.identity import Operator
from nabat.simulators.gsm_modem.states import REG_TABLE, Machine, RegEvent, RegState

OUTCOMES: dict[str, RegState] = {
    "home": RegState.HOME,
    "roaming": RegState.ROAMING,
    "denied": RegState.DENIED,
    "searching": RegState.SEARCHING,
    "none": RegState.NOT_REGISTERED,
    "unknown": RegState.UNKNOWN,
}

_EVENT_FOR = {
    RegState.HOME: RegEvent.ATTACH_HOME,
    RegState.ROAMING: RegEvent.ATTACH_ROAMING,
    RegState.DENIED: RegEvent.DENY,
    RegState.SEARCHING: RegEvent.LOSE,
    RegState.NOT_REGISTERED: RegEvent.RADIO_OFF,
    RegState.UNKNOWN: RegEvent.UNKNOWN,
}

DEFAULT_RSSI = 21
UNKNOWN_SIGNAL = 99


class Network:
    def __init__(self, operator: Operator | None = None) -> None:
        self.operator = operator or Operator()
        self.machine: Machine[RegState, RegEvent] = Machine(
            "registration", REG_TABLE, RegState.NOT_REGISTERED
        )
        self.outcome = RegState.HOME
        self.rssi = DEFAULT_RSSI
        self.ber = UNKNOWN_SIGNAL
        self.signal_fault = False  # +CSQ: 99,99 whatever happens
        self.manual_off = False  # +COPS=2

    @property
    def state(self) -> RegState:
        return self.machine.state

    @property
    def registered(self) -> bool:
        return self.state in (RegState.HOME, RegState.ROAMING)

    def fire(self, event: RegEvent) -> bool:
        """Apply ``event``; True when the <stat> changed."""
        before = self.state
        return self.machine.fire(event) is not before

    def search(self) -> bool:
        return self.fire(RegEvent.SEARCH) if self.machine.can(RegEvent.SEARCH) else False

    def land(self) -> bool:
        """End a search on ``outcome`` (the fault or home)."""
        if self.manual_off:
            return self.fire(RegEvent.RADIO_OFF)
        event = _EVENT_FOR[self.outcome]
        if not self.machine.can(event):
            return False
        return self.fire(event)

    def radio_off(self) -> bool:
        return self.fire(RegEvent.RADIO_OFF)

    def signal(self) -> tuple[int, int]:
        if self.signal_fault or not self.registered:
            return UNKNOWN_SIGNAL, UNKNOWN_SIGNAL
        return self.rssi, self.ber

    def creg_line(self, n: int, unsolicited: bool = False) -> str:
        stat = int(self.state)
        location = ""
        if n == 2 and self.registered:
            location = f',"{self.operator.lac:04X}","{self.operator.cell_id:04X}"'
        if unsolicited:
            return f"+CREG: {stat}{location}"
        return f"+CREG: {n},{stat}{location}"

    def operator_name(self, fmt: int) -> str:
        if fmt == 1:
            return self.operator.short_name
        if fmt == 2:
            return self.operator.mcc_mnc
        return self.operator.long_name
