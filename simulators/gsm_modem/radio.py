"""The radio's reactions to the SIM and to +CFUN: ready URCs and network registration.

When the SIM becomes ready (at power-on without a PIN lock, after the right
PIN or PUK, when a card is put back) the profile's "ready" URCs follow
(SIM800: +CPIN: READY, Call Ready, SMS Ready; EC25: +CPIN: READY, +QUSIM: 1,
+QIND: SMS DONE) and, with the radio on (+CFUN=1), the modem searches and
registers after ``Timing.registration``. Every change of <stat> gives
``+CREG: <stat>`` to a DTE that asked for it with +CREG=1 or 2. Losing the
network (no SIM, radio off) ends the calls in progress.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nabat.simulators.gsm_modem import calls_flow, sms_flow
from nabat.simulators.gsm_modem.calls import Release

if TYPE_CHECKING:
    from nabat.simulators.gsm_modem.engine import Modem


def creg_changed(modem: Modem) -> None:
    n = modem.settings.creg
    if n in (1, 2):
        modem.urc(modem.network.creg_line(n, unsolicited=True))


def radio_on(modem: Modem) -> bool:
    return modem.powered and modem.functionality == 1 and modem.sim.ready


def sim_ready_steps(modem: Modem, immediate: bool) -> None:
    if not modem.sim.ready:
        return
    if not immediate and modem.profile.ready_urcs:

        def ready_urcs() -> None:
            for line in modem.profile.ready_urcs:
                modem.urc(line)

        modem.after(modem.timing.ready_urcs, ready_urcs, "ready URCs")
    start_registration(modem, immediate)


def start_registration(modem: Modem, immediate: bool = False) -> None:
    if not radio_on(modem):
        return
    if immediate:
        modem.network.search()
        modem.network.land()
        if modem.network.registered:
            sms_flow.deliver_waiting(modem)
        return
    if modem.network.search():
        creg_changed(modem)

    def land() -> None:
        if radio_on(modem) and modem.network.land():
            creg_changed(modem)
            modem.journal.event(modem.now(), "registration", stat=int(modem.network.state))
            if modem.network.registered:
                sms_flow.deliver_waiting(modem)

    modem.after(modem.timing.registration, land, "registration")


def reregister(modem: Modem) -> None:
    """Apply a new registration outcome now (a fault), if the radio is on."""
    if not radio_on(modem):
        return
    if modem.network.state.name == "NOT_REGISTERED":
        modem.network.search()
    changed = modem.network.land()
    if changed:
        creg_changed(modem)
        if modem.network.registered:
            sms_flow.deliver_waiting(modem)
    if not modem.network.registered:
        end_all_calls(modem, Release.NO_SERVICE)


def network_lost(modem: Modem) -> None:
    """Radio off, SIM gone or locked: deregistered, calls dropped."""
    if modem.network.radio_off():
        creg_changed(modem)
    end_all_calls(modem, Release.NO_SERVICE)


def end_all_calls(modem: Modem, release: Release) -> None:
    for call in modem.calls.listing():
        calls_flow.release(modem, call, release)
