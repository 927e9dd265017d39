"""Identification (27.007 §5): +CGMI, +CGMM, +CGMR, +CGSN (and the V.250 +GMx
forms), +CIMI, +CCID, +CNUM, +CLAC.

The action forms print the bare value as SIM800, EC25 and Huawei do (no
``+CGMI:`` prefix); test forms answer OK. +CIMI, +CCID and +CNUM read the SIM
and fail as SIM commands do (+CME ERROR: 10/11/12/13/14). +CNUM prints
``+CNUM: "","+<msisdn>",145`` (SIMCom adds its ``,7,4`` service fields).
+CLAC lists one command per line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nabat.simulators.gsm_modem.commands.common import ACTION, TEST, Handler
from nabat.simulators.gsm_modem.errors import PlainError
from nabat.simulators.gsm_modem.reply import Reply
from nabat.system.wire.at import AtCommand

if TYPE_CHECKING:
    from nabat.simulators.gsm_modem.engine import Modem


def _value(modem: Modem, command: AtCommand, value: str) -> Reply:
    if command.kind is TEST:
        return Reply()
    if command.kind is not ACTION:
        raise PlainError()
    return Reply([value])


def manufacturer(modem: Modem, command: AtCommand) -> Reply:
    return _value(modem, command, modem.profile.manufacturer)


def model(modem: Modem, command: AtCommand) -> Reply:
    return _value(modem, command, modem.profile.model)


def revision(modem: Modem, command: AtCommand) -> Reply:
    return _value(modem, command, modem.profile.revision)


def serial_number(modem: Modem, command: AtCommand) -> Reply:
    return _value(modem, command, modem.device.imei)


def imsi(modem: Modem, command: AtCommand) -> Reply:
    if command.kind is ACTION:
        modem.sim.check_ready()
    return Reply(_value(modem, command, modem.sim.card.imsi).lines, delay=modem.timing.sim_access)


def iccid(modem: Modem, command: AtCommand) -> Reply:
    if command.kind is ACTION:
        modem.sim.check_ready()
    line = (
        f"+CCID: {modem.sim.card.iccid}"
        if modem.profile.name == "quectel"
        else modem.sim.card.iccid
    )
    return Reply(_value(modem, command, line).lines, delay=modem.timing.sim_access)


def own_number(modem: Modem, command: AtCommand) -> Reply:
    if command.kind is TEST:
        return Reply()
    if command.kind is not ACTION:
        raise PlainError()
    modem.sim.check_ready()
    line = f'+CNUM: "","+{modem.own_number}",145{modem.profile.cnum_type_suffix}'
    return Reply([line], delay=modem.timing.sim_access)


def list_commands(modem: Modem, command: AtCommand) -> Reply:
    if command.kind is TEST:
        return Reply()
    if command.kind is not ACTION:
        raise PlainError()
    from nabat.simulators.gsm_modem.commands import supported_names

    return Reply(supported_names(modem.profile))


HANDLERS: dict[str, Handler] = {
    "+CGMI": manufacturer,
    "+GMI": manufacturer,
    "+CGMM": model,
    "+GMM": model,
    "+CGMR": revision,
    "+GMR": revision,
    "+CGSN": serial_number,
    "+GSN": serial_number,
    "+CIMI": imsi,
    "+CCID": iccid,
    "+CNUM": own_number,
    "+CLAC": list_commands,
}
