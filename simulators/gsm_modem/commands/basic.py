"""V.250 basic commands: E, V, Q, Z, &F, &W, I, S-parameters, and the accepted no-ops.

``E``/``V``/``Q`` take 0 or 1 (no digit means 0). ``Z`` restores the profile
saved with ``&W``; ``&F`` the factory settings. ``S<n>?`` prints three digits
(``S0?`` -> ``000``); ``S<n>=<v>`` takes 0..255 for the registers a modem has.
``&C``, ``&D``, ``&K``, ``X``, ``L``, ``M`` are accepted and change nothing a
simulated line can show. ATA, ATD and ATH are in voice.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nabat.simulators.gsm_modem.commands.common import READ, SET, TEST, Handler
from nabat.simulators.gsm_modem.errors import PlainError
from nabat.simulators.gsm_modem.reply import Reply
from nabat.simulators.gsm_modem.settings import Settings
from nabat.system.wire.at import AtCommand

if TYPE_CHECKING:
    from nabat.simulators.gsm_modem.engine import Modem


def _flag(command: AtCommand) -> bool:
    value = command.args[0] if command.args else "0"
    if value not in ("0", "1"):
        raise PlainError()
    return value == "1"


def echo(modem: Modem, command: AtCommand) -> Reply:
    modem.settings.echo = _flag(command)
    return Reply()


def verbose(modem: Modem, command: AtCommand) -> Reply:
    modem.settings.verbose = _flag(command)
    return Reply()


def quiet(modem: Modem, command: AtCommand) -> Reply:
    modem.settings.quiet = _flag(command)
    return Reply()


def reset(modem: Modem, command: AtCommand) -> Reply:
    if command.args and command.args[0] != "0":
        raise PlainError()
    modem.settings = modem.saved.copy()
    return Reply()


def factory(modem: Modem, command: AtCommand) -> Reply:
    if command.args and command.args[0] != "0":
        raise PlainError()
    modem.settings = Settings()
    return Reply()


def save(modem: Modem, command: AtCommand) -> Reply:
    modem.saved = modem.settings.copy()
    return Reply()


def information(modem: Modem, command: AtCommand) -> Reply:
    profile = modem.profile
    revision = profile.revision  # SIMCom's +CGMR already reads "Revision:..."
    shown = revision if revision.startswith("Revision:") else f"Revision: {revision}"
    return Reply([profile.manufacturer, profile.model, shown])


def accepted(modem: Modem, command: AtCommand) -> Reply:
    return Reply()


def s_register(modem: Modem, command: AtCommand) -> Reply:
    number = int(command.name[1:])
    registers = modem.settings.s_registers
    if number not in registers:
        raise PlainError()
    if command.kind is READ:
        return Reply([f"{registers[number]:03d}"])
    if command.kind is TEST:
        return Reply([f"S{number}: (0-255)"])
    if command.kind is SET:
        value = int(command.args[0]) if command.args and command.args[0].isdigit() else -1
        if not 0 <= value <= 255:
            raise PlainError()
        registers[number] = value
        if number in (3, 5):
            modem.reader.s3 = registers[3]
            modem.reader.s5 = registers[5]
        return Reply()
    raise PlainError()


HANDLERS: dict[str, Handler] = {
    "E": echo,
    "V": verbose,
    "Q": quiet,
    "Z": reset,
    "&F": factory,
    "&W": save,
    "I": information,
    "&C": accepted,
    "&D": accepted,
    "&K": accepted,
    "X": accepted,
    "L": accepted,
    "M": accepted,
}
