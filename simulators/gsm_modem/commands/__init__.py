"""The command table: command name -> handler, per dialect profile.

``handler_for(profile, name)`` finds the handler of a command (basic names
such as ``E`` or ``&F``, S-parameters ``S<n>``, extended names with their
prefix, e.g. ``+CMGS``, ``^DDSETEX``); None means the modem does not know the
command. Vendor commands answer only on their own profile.
``supported_names(profile)`` is what +CLAC prints.
"""

from __future__ import annotations

from nabat.simulators.gsm_modem.commands import basic, ident, messaging, mobile, voice
from nabat.simulators.gsm_modem.commands.common import Handler
from nabat.simulators.gsm_modem.profiles import Profile

TABLE: dict[str, Handler] = {
    **basic.HANDLERS,
    **ident.HANDLERS,
    **mobile.HANDLERS,
    **messaging.HANDLERS,
    **voice.HANDLERS,
}

VENDOR = {"+DDET", "+QTONEDET", "^DDSETEX", "^DTMF"}


def handler_for(profile: Profile, name: str) -> Handler | None:
    if name.startswith("S") and name[1:].isdigit():
        return basic.s_register
    if name in VENDOR and name not in profile.extra_commands:
        return None
    return TABLE.get(name)


def supported_names(profile: Profile) -> list[str]:
    names = [name for name in TABLE if name not in VENDOR or name in profile.extra_commands]
    basic_names = sorted(n for n in names if n[0] not in "+^")
    extended = sorted(n for n in names if n[0] in "+^")
    return [*basic_names, *extended]
