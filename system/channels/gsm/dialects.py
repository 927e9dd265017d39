"""Where real modems differ, as data: setup commands, call-progress reports, DTMF, hang-up.

How it works: a ``Dialect`` lists what the driver adds to the common
27.007/27.005 initialisation and how it follows a call:

- ``generic`` (plain 27.007): no DTMF detection (27.007 defines none), call
  progress by polling ``AT+CLCC``, hang-up ``AT+CHUP``;
- ``simcom`` (SIM800/SIM900): ``AT+CLCC=1`` for unsolicited +CLCC on every
  call state change, ``AT+DDET=1`` then ``+DTMF: <key>``, hang-up ``ATH``;
- ``quectel`` (EC25/EG25): ``AT+QTONEDET=1`` then ``+QTONEDET: <ASCII code>``,
  call progress polled, hang-up ``AT+CHUP``;
- ``huawei`` (E-series): ``^ORIG``/``^CONF``/``^CONN``/``^CEND`` call
  progress, ``AT^DDSETEX=2`` then ``^DDTMF: <key>``, hang-up ``AT+CHUP``;
  unknown commands answer ``COMMAND NOT SUPPORT`` (the commander treats it
  as ERROR for every dialect).

``detect(manufacturer, model)`` picks one from +CGMI/+CGMM. ``dtmf_key``
reads a key from any dialect's DTMF URC, so a modem that reports keys in
another vendor's form still works.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from nabat.system.wire.at import Urc

DTMF_KEYS = frozenset("0123456789*#ABCD")
REBOOT_URCS = frozenset({"RDY", "START", "^BOOT"})


class CallTracking(enum.Enum):
    POLL = "poll"  # AT+CLCC every call_poll_interval
    CLCC_URC = "clcc-urc"  # unsolicited +CLCC (SIMCom AT+CLCC=1)
    HUAWEI = "huawei"  # ^ORIG ^CONF ^CONN ^CEND


@dataclass(frozen=True, slots=True)
class Dialect:
    name: str
    tracking: CallTracking = CallTracking.POLL
    setup: tuple[str, ...] = ()  # best effort: a failure is logged, not fatal
    dtmf_setup: str | None = None  # turns DTMF detection on; None: the modem cannot
    hangup: str = "AT+CHUP"


GENERIC = Dialect("generic")
SIMCOM = Dialect(
    "simcom",
    tracking=CallTracking.CLCC_URC,
    setup=("AT+CLCC=1",),
    dtmf_setup="AT+DDET=1",
    hangup="ATH",
)
QUECTEL = Dialect("quectel", dtmf_setup="AT+QTONEDET=1")
HUAWEI = Dialect("huawei", tracking=CallTracking.HUAWEI, dtmf_setup="AT^DDSETEX=2")

DIALECTS: dict[str, Dialect] = {d.name: d for d in (GENERIC, SIMCOM, QUECTEL, HUAWEI)}


def detect(manufacturer: str, model: str) -> Dialect:
    """The dialect of a modem from its +CGMI and +CGMM answers."""
    text = f"{manufacturer} {model}".upper()
    if "SIMCOM" in text or model.upper().startswith(("SIM8", "SIM9", "SIM7")):
        return SIMCOM
    if "QUECTEL" in text or model.upper().startswith(("EC2", "EG2", "M95", "UC15", "BG9")):
        return QUECTEL
    if "HUAWEI" in text:
        return HUAWEI
    return GENERIC


def dtmf_key(urc: Urc) -> str | None:
    """The key a DTMF-detection URC reports (+DTMF, +RXDTMF, +QTONEDET, ^DDTMF), else None."""
    value = urc.value.strip().strip('"')
    if urc.name == "+QTONEDET":
        if not (value.isascii() and value.isdigit()) or len(value) > 3:
            return None
        key = chr(int(value))
    elif urc.name in ("+DTMF", "+RXDTMF", "^DDTMF"):
        key = value.split(",", 1)[0].strip().strip('"').upper()
    else:
        return None
    return key if key in DTMF_KEYS else None
