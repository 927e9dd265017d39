"""The SIM card in a modem: PIN and PUK handling over the SIM state machine.

3 wrong PINs put the card in PUK state (27.007 "SIM PUK"); 10 wrong PUKs
block it for good (+CME ERROR: 13, SIM failure). A right PUK sets the new
PIN and resets both counters. The PIN lock (AT+CLCK="SC") decides whether
power-on asks for the PIN. ``check_ready()`` raises the +CME error a real
modem gives to a command that needs the SIM: 10 no SIM, 11 PIN, 12 PUK,
13 blocked, 14 busy (a fault: the SIM is still initialising).
"""

from __future__ import annotations

from dataclasses import replace

from nabat.simulators.gsm_modem.errors import (
    CME_INCORRECT_PASSWORD,
    CME_OPERATION_NOT_ALLOWED,
    CME_SIM_BUSY,
    CME_SIM_FAILURE,
    CME_SIM_NOT_INSERTED,
    CME_SIM_PIN_REQUIRED,
    CME_SIM_PUK_REQUIRED,
    CmeError,
)
from nabat.simulators.gsm_modem.identity import SimCard
from nabat.simulators.gsm_modem.states import SIM_TABLE, Machine, SimEvent, SimState

PIN_ATTEMPTS = 3
PUK_ATTEMPTS = 10

READY_ERRORS = {
    SimState.ABSENT: CME_SIM_NOT_INSERTED,
    SimState.PIN: CME_SIM_PIN_REQUIRED,
    SimState.PUK: CME_SIM_PUK_REQUIRED,
    SimState.BLOCKED: CME_SIM_FAILURE,
}


def _is_code(text: str, lengths: range) -> bool:
    return text.isascii() and text.isdigit() and len(text) in lengths


class Sim:
    def __init__(self, card: SimCard) -> None:
        self.card = card
        self.pin_enabled = card.pin_enabled
        self.machine: Machine[SimState, SimEvent] = Machine("SIM", SIM_TABLE, SimState.ABSENT)
        self.inserted = True
        self.pin_left = PIN_ATTEMPTS
        self.puk_left = PUK_ATTEMPTS
        self.busy = False  # fault: +CME ERROR: 14 to SIM commands

    @property
    def state(self) -> SimState:
        return self.machine.state

    @property
    def ready(self) -> bool:
        return self.state is SimState.READY and not self.busy

    def power_on(self) -> None:
        if not self.inserted:
            return
        if self.state is SimState.ABSENT:
            self.machine.fire(SimEvent.INSERT_LOCKED if self.pin_enabled else SimEvent.INSERT_OPEN)
        else:
            self.machine.fire(
                SimEvent.POWER_ON_LOCKED if self.pin_enabled else SimEvent.POWER_ON_OPEN
            )

    def power_off(self) -> None:
        """The modem is off: nothing changes on the card, it is read again at power-on."""

    def remove(self) -> None:
        self.inserted = False
        self.machine.fire(SimEvent.REMOVE)

    def insert(self) -> None:
        """Put the card back; the modem reads it at its next power-on (as real modems do)."""
        self.inserted = True

    def check_ready(self) -> None:
        if self.state is SimState.READY:
            if self.busy:
                raise CmeError(CME_SIM_BUSY)
            return
        raise CmeError(READY_ERRORS[self.state])

    def status_text(self) -> str:
        """The <code> of +CPIN?, or raises the error a modem gives instead."""
        if self.busy and self.state is not SimState.ABSENT:
            raise CmeError(CME_SIM_BUSY)
        if self.state in (SimState.ABSENT, SimState.BLOCKED):
            raise CmeError(READY_ERRORS[self.state])
        return str(self.state.value)

    def enter_pin(self, pin: str) -> None:
        if self.busy:
            raise CmeError(CME_SIM_BUSY)
        if self.state is not SimState.PIN:
            if self.state is SimState.READY:
                raise CmeError(CME_OPERATION_NOT_ALLOWED)
            raise CmeError(READY_ERRORS[self.state])
        if pin == self.card.pin:
            self.pin_left = PIN_ATTEMPTS
            self.machine.fire(SimEvent.PIN_OK)
            return
        self.pin_left -= 1
        self.machine.fire(SimEvent.PIN_WRONG if self.pin_left > 0 else SimEvent.PIN_EXHAUSTED)
        raise CmeError(CME_INCORRECT_PASSWORD)

    def enter_puk(self, puk: str, new_pin: str) -> None:
        if self.busy:
            raise CmeError(CME_SIM_BUSY)
        if self.state is not SimState.PUK:
            if self.state is SimState.READY:
                raise CmeError(CME_OPERATION_NOT_ALLOWED)
            raise CmeError(READY_ERRORS[self.state])
        if puk == self.card.puk and _is_code(new_pin, range(4, 9)):
            self.card = replace(self.card, pin=new_pin)
            self.pin_left = PIN_ATTEMPTS
            self.puk_left = PUK_ATTEMPTS
            self.machine.fire(SimEvent.PUK_OK)
            return
        self.puk_left -= 1
        self.machine.fire(SimEvent.PUK_WRONG if self.puk_left > 0 else SimEvent.PUK_EXHAUSTED)
        raise CmeError(CME_INCORRECT_PASSWORD)

    def set_lock(self, enabled: bool, pin: str) -> None:
        """AT+CLCK="SC",<mode>,<pin>: turn the PIN request at power-on on or off."""
        self.check_ready()
        if pin != self.card.pin:
            self.pin_left -= 1
            # The card locks itself up after the last wrong PIN, just as with +CPIN.
            self.machine.fire(SimEvent.PIN_WRONG if self.pin_left > 0 else SimEvent.PIN_EXHAUSTED)
            raise CmeError(CME_INCORRECT_PASSWORD)
        self.pin_left = PIN_ATTEMPTS
        self.pin_enabled = enabled

    def change_pin(self, old: str, new: str) -> None:
        """AT+CPWD="SC",<old>,<new>."""
        self.check_ready()
        if old != self.card.pin or not _is_code(new, range(4, 9)):
            raise CmeError(CME_INCORRECT_PASSWORD)
        self.card = replace(self.card, pin=new)
