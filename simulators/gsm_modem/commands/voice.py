"""Voice commands: ATD<number>; ATA, ATH, +CHUP, +CLIP, +CRC, +COLP, +CLCC, +VTS,
+CVHU, and the vendors' DTMF-detection switches.

The call logic is in calls_flow.py. ``+CLIP: <n>,<m>`` reads with m=1 (the
network provides the caller id); ``+COLP: <n>,<m>`` likewise. +CLCC lists the
calls in progress (27.007 format; SIMCom appends the alpha ``,""`` and also
takes ``AT+CLCC=1`` for unsolicited +CLCC). +VTS needs an active call
(else +CME ERROR: 3). Vendor switches: SIMCom ``AT+DDET=1`` (+DTMF: <key>),
Quectel ``AT+QTONEDET=1`` (+QTONEDET: <ASCII code>), Huawei ``AT^DDSETEX=2``
(^DDTMF: <key>); Huawei also sends tones with ``AT^DTMF=<call>,<key>``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nabat.simulators.gsm_modem import calls_flow
from nabat.simulators.gsm_modem.commands.common import (
    ACTION,
    READ,
    SET,
    TEST,
    Handler,
    at_most,
    integer,
)
from nabat.simulators.gsm_modem.errors import NotSupported, PlainError
from nabat.simulators.gsm_modem.profiles import CallReport, DtmfReport
from nabat.simulators.gsm_modem.reply import Reply
from nabat.system.wire.at import AtCommand

if TYPE_CHECKING:
    from nabat.simulators.gsm_modem.engine import Modem

DTMF_KEYS = set("0123456789*#ABCD")


def dial(modem: Modem, command: AtCommand) -> Reply:
    dial_string = command.args[0] if command.args else ""
    if dial_string[:1] in ("L", "l") and modem.last_dialled:
        dial_string = modem.last_dialled + (";" if dial_string.endswith(";") else "")
    elif dial_string.startswith(">"):
        raise PlainError()  # phone-book dialling is not offered
    reply = calls_flow.dial(modem, dial_string)
    number, _ = calls_flow.dial_number(dial_string)
    modem.last_dialled = number
    return reply


def answer(modem: Modem, command: AtCommand) -> Reply:
    return calls_flow.answer(modem)


def hang_up(modem: Modem, command: AtCommand) -> Reply:
    if command.args and command.args[0] != "0":
        raise PlainError()
    return calls_flow.hang_up(modem, by_ath=True)


def chup(modem: Modem, command: AtCommand) -> Reply:
    if command.kind is TEST:
        return Reply()
    if command.kind is not ACTION:
        raise PlainError()
    return calls_flow.hang_up(modem, by_ath=False)


def _switch(name: str, field: str, values: tuple[int, ...], provisioned: bool = False) -> Handler:
    low, high = min(values), max(values)
    listed = ",".join(str(v) for v in values)

    def handler(modem: Modem, command: AtCommand) -> Reply:
        if command.kind is READ:
            value = getattr(modem.settings, field)
            return Reply([f"{name}: {value},1" if provisioned else f"{name}: {value}"])
        if command.kind is TEST:
            return Reply([f"{name}: ({listed})"])
        if command.kind is not SET:
            raise PlainError()
        at_most(command, 4)
        value = integer(command, 0, low, high)
        if value not in values:
            raise PlainError()
        setattr(modem.settings, field, value)
        return Reply()

    return handler


clip = _switch("+CLIP", "clip", (0, 1), provisioned=True)
crc = _switch("+CRC", "crc", (0, 1))
colp = _switch("+COLP", "colp", (0, 1), provisioned=True)
cvhu = _switch("+CVHU", "cvhu", (0, 1))
_ddet = _switch("+DDET", "ddet", (0, 1))
_qtonedet = _switch("+QTONEDET", "qtonedet", (0, 1))
_ddsetex = _switch("^DDSETEX", "ddsetex", (1, 2))
_clcc_urc = _switch("+CLCC", "clcc_urc", (0, 1))


def _only(report: DtmfReport, handler: Handler) -> Handler:
    def guarded(modem: Modem, command: AtCommand) -> Reply:
        if modem.profile.dtmf is not report:
            raise NotSupported(command.name)
        return handler(modem, command)

    return guarded


def clcc(modem: Modem, command: AtCommand) -> Reply:
    if command.kind is ACTION:
        alpha = modem.profile.clcc_alpha
        return Reply([call.clcc_line(alpha) for call in modem.calls.listing()])
    if modem.profile.calls is CallReport.CLCC:
        return _clcc_urc(modem, command)
    if command.kind is TEST:
        return Reply()
    raise PlainError()


def vts(modem: Modem, command: AtCommand) -> Reply:
    if command.kind is TEST:
        return Reply(["+VTS: (0-9,*,#,A,B,C,D)"])
    if command.kind is not SET or not command.args:
        raise PlainError()
    tones = "".join(command.args).upper()
    if not tones or any(key not in DTMF_KEYS for key in tones):
        raise PlainError()
    return calls_flow.send_tones(modem, tones)


def huawei_dtmf(modem: Modem, command: AtCommand) -> Reply:
    if modem.profile.dtmf is not DtmfReport.HUAWEI:
        raise NotSupported(command.name)
    if command.kind is TEST:
        return Reply()
    if command.kind is not SET or len(command.args) < 2:
        raise PlainError()
    tones = command.args[1].upper()
    if len(tones) != 1 or tones not in DTMF_KEYS:
        raise PlainError()
    return calls_flow.send_tones(modem, tones)


HANDLERS: dict[str, Handler] = {
    "D": dial,
    "A": answer,
    "H": hang_up,
    "+CHUP": chup,
    "+CLIP": clip,
    "+CRC": crc,
    "+COLP": colp,
    "+CVHU": cvhu,
    "+CLCC": clcc,
    "+VTS": vts,
    "+DDET": _only(DtmfReport.SIMCOM, _ddet),
    "+QTONEDET": _only(DtmfReport.QUECTEL, _qtonedet),
    "^DDSETEX": _only(DtmfReport.HUAWEI, _ddsetex),
    "^DTMF": huawei_dtmf,
}
