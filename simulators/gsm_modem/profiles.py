"""Dialect profiles: where real modems differ, as data the engine consults.

- ``generic``: plain 27.007/27.005; call progress by polling +CLCC; no DTMF
  detection (27.007 defines none).
- ``simcom`` (SIM800): ``AT+DDET=1`` then ``+DTMF: <key>``; ``AT+CLCC=1``
  turns on unsolicited +CLCC lines on every call state change; +CLCC lines
  carry the phone-book alpha (``,""``); boot URCs RDY, +CFUN: 1, +CPIN: READY,
  Call Ready, SMS Ready.
- ``quectel`` (EC25): ``AT+QTONEDET=1`` then ``+QTONEDET: <ASCII code>``;
  boot URCs RDY, +CFUN: 1, +CPIN: READY, +QUSIM: 1, +QIND: SMS DONE;
  +COPS? carries the access technology.
- ``huawei`` (E-series): ``^ORIG``/``^CONF``/``^CONN``/``^CEND`` call
  progress, ``AT^DDSETEX=2`` then ``^DDTMF: <key>``, unknown commands answer
  ``COMMAND NOT SUPPORT``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class DtmfReport(enum.Enum):
    NONE = "none"
    SIMCOM = "simcom"  # AT+DDET=1 -> +DTMF: 5
    QUECTEL = "quectel"  # AT+QTONEDET=1 -> +QTONEDET: 53
    HUAWEI = "huawei"  # AT^DDSETEX=2 -> ^DDTMF: 5


class CallReport(enum.Enum):
    POLL = "poll"  # the DTE polls +CLCC
    CLCC = "clcc"  # AT+CLCC=1: +CLCC URC on each change (SIMCom)
    HUAWEI = "huawei"  # ^ORIG, ^CONF, ^CONN, ^CEND


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    manufacturer: str
    model: str
    revision: str
    unknown_reply: str = "ERROR"
    dtmf: DtmfReport = DtmfReport.NONE
    calls: CallReport = CallReport.POLL
    clcc_alpha: bool = False  # +CLCC lines end with ,"<alpha>"
    cops_act: int | None = None  # +COPS? access technology field
    boot_urcs: tuple[str, ...] = ()  # written after power-on, SIM ready or not
    ready_urcs: tuple[str, ...] = ()  # written once the SIM is ready (boot or PIN)
    cnum_type_suffix: str = ""  # text after <type> in +CNUM

    @property
    def extra_commands(self) -> tuple[str, ...]:
        """Vendor commands this profile adds to the 27.007 set (for +CLAC)."""
        names: list[str] = []
        if self.dtmf is DtmfReport.SIMCOM:
            names.append("+DDET")
        if self.dtmf is DtmfReport.QUECTEL:
            names.append("+QTONEDET")
        if self.dtmf is DtmfReport.HUAWEI:
            names += ["^DDSETEX", "^DTMF"]
        return tuple(names)


GENERIC = Profile(
    name="generic",
    manufacturer="Nabat",
    model="NBT-GSM1",
    revision="NBT-GSM1 1.0.0",
)

SIMCOM = Profile(
    name="simcom",
    manufacturer="SIMCOM_Ltd",
    model="SIMCOM_SIM800",
    revision="Revision:1418B04SIM800C24",
    dtmf=DtmfReport.SIMCOM,
    calls=CallReport.CLCC,
    clcc_alpha=True,
    boot_urcs=("RDY", "+CFUN: 1"),
    ready_urcs=("+CPIN: READY", "Call Ready", "SMS Ready"),
    cnum_type_suffix=",7,4",
)

QUECTEL = Profile(
    name="quectel",
    manufacturer="Quectel",
    model="EC25",
    revision="EC25EFAR06A06M4G",
    dtmf=DtmfReport.QUECTEL,
    cops_act=0,
    boot_urcs=("RDY", "+CFUN: 1"),
    ready_urcs=("+CPIN: READY", "+QUSIM: 1", "+QIND: SMS DONE"),
)

HUAWEI = Profile(
    name="huawei",
    manufacturer="huawei",
    model="E1550",
    revision="11.608.12.02.00",
    unknown_reply="COMMAND NOT SUPPORT",
    dtmf=DtmfReport.HUAWEI,
    calls=CallReport.HUAWEI,
)

PROFILES: dict[str, Profile] = {p.name: p for p in (GENERIC, SIMCOM, QUECTEL, HUAWEI)}


def profile_named(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(
            f"unknown modem profile {name!r}: choose one of {', '.join(PROFILES)}"
        ) from None
