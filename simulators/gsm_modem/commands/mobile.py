"""The mobile equipment and its SIM and radio (27.007 §6-§9): +CMEE, +CFUN, +CPIN,
+CLCK/+CPWD for the SIM PIN, +CREG, +COPS, +CSQ.

Formats as SIM800/EC25 print them: ``+CFUN: 1``, ``+CPIN: READY`` / ``SIM PIN``
/ ``SIM PUK``, ``+CREG: 0,1`` (``+CREG: 2,1,"1A2B","00C3"`` under n=2),
``+COPS: 0,0,"Nabat Mobile"`` (EC25 adds the access technology), ``+CSQ:
21,99``. +CFUN=0 and =4 switch the radio off (deregistered, calls dropped);
+CFUN=1,1 answers OK and then reboots the modem. A right PIN or PUK makes the
SIM ready: the profile's ready URCs and network registration follow.
+COPS=? takes ``Timing.operator_scan`` seconds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nabat.simulators.gsm_modem import radio
from nabat.simulators.gsm_modem.commands.common import (
    ACTION,
    READ,
    SET,
    TEST,
    Handler,
    at_most,
    integer,
    text,
)
from nabat.simulators.gsm_modem.errors import (
    CME_OPERATION_NOT_SUPPORTED,
    CME_SIM_PUK_REQUIRED,
    CmeError,
    PlainError,
)
from nabat.simulators.gsm_modem.reply import Reply
from nabat.simulators.gsm_modem.states import SimState
from nabat.system.wire.at import AtCommand

if TYPE_CHECKING:
    from nabat.simulators.gsm_modem.engine import Modem


def cmee(modem: Modem, command: AtCommand) -> Reply:
    if command.kind is READ:
        return Reply([f"+CMEE: {modem.settings.cmee}"])
    if command.kind is TEST:
        return Reply(["+CMEE: (0-2)"])
    if command.kind is SET:
        at_most(command, 1)
        modem.settings.cmee = integer(command, 0, 0, 2, default=0)
        return Reply()
    modem.settings.cmee = 0  # V.250: a missing value is 0
    return Reply()


def cfun(modem: Modem, command: AtCommand) -> Reply:
    if command.kind is READ:
        return Reply([f"+CFUN: {modem.functionality}"])
    if command.kind is TEST:
        return Reply(["+CFUN: (0,1,4),(0,1)"])
    if command.kind is not SET:
        raise PlainError()
    at_most(command, 2)
    fun = integer(command, 0, 0, 4)
    if fun not in (0, 1, 4):
        raise CmeError(CME_OPERATION_NOT_SUPPORTED)
    reset = integer(command, 1, 0, 1, default=0)
    if reset == 1:
        modem.after(modem.timing.command + 0.01, modem.reboot, "CFUN reset")
        return Reply()
    if fun == modem.functionality:
        return Reply()
    modem.functionality = fun
    if fun == 1:
        radio.start_registration(modem)
    else:
        radio.network_lost(modem)
    return Reply(delay=modem.timing.sim_access)


def cpin(modem: Modem, command: AtCommand) -> Reply:
    if command.kind is READ:
        return Reply([f"+CPIN: {modem.sim.status_text()}"], delay=modem.timing.sim_access)
    if command.kind is TEST:
        return Reply()
    if command.kind is not SET:
        raise PlainError()
    at_most(command, 2)
    code = text(command, 0)
    if modem.sim.state is SimState.PUK:
        if len(command.args) < 2:
            raise CmeError(CME_SIM_PUK_REQUIRED)  # the PUK needs a new PIN with it
        modem.sim.enter_puk(code, text(command, 1))
    else:
        modem.sim.enter_pin(code)
    modem.journal.event(modem.now(), "SIM unlocked")
    radio.sim_ready_steps(modem, immediate=False)
    return Reply(delay=modem.timing.sim_access)


def clck(modem: Modem, command: AtCommand) -> Reply:
    if command.kind is TEST:
        return Reply(['+CLCK: ("SC")'])
    if command.kind is not SET:
        raise PlainError()
    at_most(command, 4)
    if text(command, 0).upper() != "SC":
        raise CmeError(CME_OPERATION_NOT_SUPPORTED)
    mode = integer(command, 1, 0, 2)
    if mode == 2:
        modem.sim.check_ready()
        return Reply([f"+CLCK: {int(modem.sim.pin_enabled)}"], delay=modem.timing.sim_access)
    modem.sim.set_lock(mode == 1, text(command, 2))
    return Reply(delay=modem.timing.sim_access)


def cpwd(modem: Modem, command: AtCommand) -> Reply:
    if command.kind is TEST:
        return Reply(['+CPWD: ("SC",8)'])
    if command.kind is not SET:
        raise PlainError()
    at_most(command, 3)
    if text(command, 0).upper() != "SC":
        raise CmeError(CME_OPERATION_NOT_SUPPORTED)
    modem.sim.change_pin(text(command, 1), text(command, 2))
    return Reply(delay=modem.timing.sim_access)


def creg(modem: Modem, command: AtCommand) -> Reply:
    if command.kind is READ:
        return Reply([modem.network.creg_line(modem.settings.creg)])
    if command.kind is TEST:
        return Reply(["+CREG: (0-2)"])
    if command.kind is SET:
        at_most(command, 1)
        modem.settings.creg = integer(command, 0, 0, 2, default=0)
        return Reply()
    raise PlainError()


def cops(modem: Modem, command: AtCommand) -> Reply:
    network = modem.network
    if command.kind is READ:
        mode = 2 if network.manual_off else 0
        if not network.registered:
            return Reply([f"+COPS: {mode}"])
        name = network.operator_name(modem.settings.cops_format)
        act = "" if modem.profile.cops_act is None else f",{modem.profile.cops_act}"
        return Reply([f'+COPS: {mode},{modem.settings.cops_format},"{name}"{act}'])
    if command.kind is TEST:
        if not modem.sim.ready or modem.functionality != 1:
            raise CmeError(30)  # no network service
        operator = network.operator
        status = 2 if network.registered else 1
        names = f'"{operator.long_name}","{operator.short_name}","{operator.mcc_mnc}"'
        line = f"+COPS: ({status},{names}),,(0-4),(0-2)"
        return Reply([line], delay=modem.timing.operator_scan)
    if command.kind is not SET:
        raise PlainError()
    at_most(command, 4)
    mode = integer(command, 0, 0, 4)
    if mode == 3:
        modem.settings.cops_format = integer(command, 1, 0, 2)
        return Reply()
    if mode == 2:
        network.manual_off = True
        radio.network_lost(modem)
        return Reply()
    if mode in (1, 4):
        wanted = text(command, 2)
        fmt = integer(command, 1, 0, 2)
        if wanted != network.operator_name(fmt):
            raise CmeError(32)  # network not allowed - emergency calls only
    network.manual_off = False
    if not network.registered:
        radio.start_registration(modem)
    return Reply(delay=modem.timing.sim_access)


def csq(modem: Modem, command: AtCommand) -> Reply:
    if command.kind is TEST:
        return Reply(["+CSQ: (0-31,99),(0-7,99)"])
    if command.kind is not ACTION:
        raise PlainError()
    rssi, ber = modem.network.signal()
    return Reply([f"+CSQ: {rssi},{ber}"])


HANDLERS: dict[str, Handler] = {
    "+CMEE": cmee,
    "+CFUN": cfun,
    "+CPIN": cpin,
    "+CLCK": clck,
    "+CPWD": cpwd,
    "+CREG": creg,
    "+COPS": cops,
    "+CSQ": csq,
}
