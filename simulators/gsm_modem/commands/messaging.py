"""SMS commands (27.005): +CSMS, +CMGF, +CSCS, +CSMP, +CSCA, +CPMS, +CNMI, +CNMA,
+CSDH, +CMGS, +CMGW, +CMSS, +CMGR, +CMGL, +CMGD.

Every SMS command that touches the SIM answers +CMS ERROR 310-316 without a
usable SIM. +CMGS and +CMGW print the ``> `` prompt (engine) and take the body
up to Ctrl-Z; Esc cancels with OK. Reading a REC UNREAD message (+CMGR,
+CMGL) makes it REC READ. Bad values answer +CMS ERROR: 302 (operation not
allowed), 304/305 (invalid PDU/text mode parameter) or 321 (invalid memory
index). +CSCS takes GSM, IRA, UCS2, HEX and 8859-1.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from nabat.simulators.gsm_modem import sms_flow, sms_format
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
    CMS_INVALID_INDEX,
    CMS_INVALID_PDU,
    CMS_INVALID_TEXT,
    CMS_MEMORY_FULL,
    CMS_OPERATION_NOT_ALLOWED,
    CMS_OPERATION_NOT_SUPPORTED,
    CmsError,
    CommandFailure,
    PlainError,
)
from nabat.simulators.gsm_modem.reply import Reply
from nabat.simulators.gsm_modem.sms_store import (
    ALL_STATUS,
    DELETE_FLAGS,
    READ_MEMORIES,
    RECEIVE_MEMORIES,
    STATUS_TEXT,
    TEXT_STATUS,
    WRITE_MEMORIES,
    SmsStatus,
)
from nabat.system.wire import sms_text_mode
from nabat.system.wire.at import AtCommand
from nabat.system.wire.sms_pdu import PduError, SmsSubmit, decode_any, has_smsc_prefix

if TYPE_CHECKING:
    from nabat.simulators.gsm_modem.engine import Modem

CHARSETS = ("GSM", "IRA", "UCS2", "HEX", "8859-1")
MAX_PDU_LENGTH = 164


def _not_allowed() -> CommandFailure:
    return CmsError(CMS_OPERATION_NOT_ALLOWED)


def _bad_pdu() -> CommandFailure:
    return CmsError(CMS_INVALID_PDU)


def _bad_text() -> CommandFailure:
    return CmsError(CMS_INVALID_TEXT)


def _mode_error(modem: Modem) -> Callable[[], CommandFailure]:
    return _bad_text if modem.settings.cmgf == 1 else _bad_pdu


def csms(modem: Modem, command: AtCommand) -> Reply:
    if command.kind is READ:
        return Reply([f"+CSMS: {modem.settings.csms},1,1,1"])
    if command.kind is TEST:
        return Reply(["+CSMS: (0,1)"])
    if command.kind is not SET:
        raise PlainError()
    modem.settings.csms = integer(command, 0, 0, 1, error=_not_allowed)
    return Reply(["+CSMS: 1,1,1"])


def cmgf(modem: Modem, command: AtCommand) -> Reply:
    if command.kind is READ:
        return Reply([f"+CMGF: {modem.settings.cmgf}"])
    if command.kind is TEST:
        return Reply(["+CMGF: (0,1)"])
    if command.kind is SET:
        at_most(command, 1, _not_allowed)
        modem.settings.cmgf = integer(command, 0, 0, 1, default=0, error=_not_allowed)
        return Reply()
    modem.settings.cmgf = 0
    return Reply()


def cscs(modem: Modem, command: AtCommand) -> Reply:
    if command.kind is READ:
        return Reply([f'+CSCS: "{modem.settings.cscs}"'])
    if command.kind is TEST:
        return Reply(["+CSCS: (" + ",".join(f'"{name}"' for name in CHARSETS) + ")"])
    if command.kind is not SET:
        raise PlainError()
    at_most(command, 1)
    try:
        chosen = sms_text_mode.charset(text(command, 0))
    except sms_text_mode.CharsetError:
        raise PlainError() from None
    modem.settings.cscs = chosen.value
    return Reply()


def csmp(modem: Modem, command: AtCommand) -> Reply:
    if command.kind is READ:
        fo, vp, pid, dcs = modem.settings.csmp
        return Reply([f"+CSMP: {fo},{vp},{pid},{dcs}"])
    if command.kind is TEST:
        return Reply()
    if command.kind is not SET:
        raise PlainError()
    at_most(command, 4, _bad_text)
    old = modem.settings.csmp
    values = tuple(
        integer(command, position, 0, 255, default=old[position], error=_bad_text)
        for position in range(4)
    )
    modem.settings.csmp = (values[0], values[1], values[2], values[3])
    return Reply()


def csca(modem: Modem, command: AtCommand) -> Reply:
    card = modem.sim.card
    if command.kind is TEST:
        return Reply()
    if command.kind is READ:
        sms_flow.check_sim(modem)
        number = sms_format.te_text(card.smsc, modem.settings.cscs)
        kind = 145 if card.smsc.startswith("+") else 129
        return Reply([f'+CSCA: "{number}",{kind}'], delay=modem.timing.sim_access)
    if command.kind is not SET:
        raise PlainError()
    sms_flow.check_sim(modem)
    at_most(command, 2, _not_allowed)
    kind = integer(command, 1, 0, 255, default=145, error=_not_allowed)
    try:
        address = sms_format.parse_te_address(text(command, 0), kind, modem.settings.cscs)
    except ValueError:
        raise CmsError(CMS_OPERATION_NOT_ALLOWED) from None
    from dataclasses import replace

    modem.sim.card = replace(card, smsc=str(address))
    return Reply(delay=modem.timing.sim_access)


def cpms(modem: Modem, command: AtCommand) -> Reply:
    storage = modem.storage
    if command.kind is TEST:
        groups = (READ_MEMORIES, WRITE_MEMORIES, RECEIVE_MEMORIES)
        listed = ",".join("(" + ",".join(f'"{name}"' for name in group) + ")" for group in groups)
        return Reply([f"+CPMS: {listed}"])
    sms_flow.check_sim(modem)
    if command.kind is READ:
        parts = []
        for name in (storage.read, storage.write, storage.receive):
            memory = storage.memories[name]
            parts.append(f'"{name}",{memory.used},{memory.capacity}')
        return Reply(["+CPMS: " + ",".join(parts)], delay=modem.timing.sim_access)
    if command.kind is not SET:
        raise PlainError()
    at_most(command, 3, _not_allowed)
    chosen = [storage.read, storage.write, storage.receive]
    allowed = (READ_MEMORIES, WRITE_MEMORIES, RECEIVE_MEMORIES)
    for position, name in enumerate(command.args):
        name = name.upper()
        if name == "" and position > 0:
            continue
        if name not in allowed[position]:
            raise CmsError(CMS_OPERATION_NOT_ALLOWED)
        chosen[position] = name
    storage.read, storage.write, storage.receive = chosen
    figures = storage.usage(*chosen)
    return Reply(["+CPMS: " + ",".join(str(f) for f in figures)], delay=modem.timing.sim_access)


def cnmi(modem: Modem, command: AtCommand) -> Reply:
    if command.kind is READ:
        return Reply(["+CNMI: " + ",".join(str(v) for v in modem.settings.cnmi)])
    if command.kind is TEST:
        return Reply(["+CNMI: (0-3),(0-3),(0,2),(0-2),(0,1)"])
    if command.kind is not SET:
        raise PlainError()
    at_most(command, 5, _not_allowed)
    ranges = ((0, 3), (0, 3), (0, 2), (0, 2), (0, 1))
    values = [
        integer(command, position, low, high, default=0, error=_not_allowed)
        for position, (low, high) in enumerate(ranges)
    ]
    if values[2] == 1:
        raise CmsError(CMS_OPERATION_NOT_SUPPORTED)
    modem.settings.cnmi = (values[0], values[1], values[2], values[3], values[4])
    return Reply()


def cnma(modem: Modem, command: AtCommand) -> Reply:
    return Reply()


def csdh(modem: Modem, command: AtCommand) -> Reply:
    if command.kind is READ:
        return Reply(["+CSDH: 0"])
    if command.kind is TEST:
        return Reply(["+CSDH: (0)"])
    if command.kind is SET:
        integer(command, 0, 0, 0, default=0, error=_not_allowed)
    return Reply()


def _prompt_checks(modem: Modem) -> None:
    sms_flow.check_sim(modem)


def cmgs(modem: Modem, command: AtCommand) -> Reply:
    if command.kind is TEST:
        return Reply()
    if command.kind is not SET:
        raise _mode_error(modem)()
    _prompt_checks(modem)
    if modem.settings.cmgf == 0:
        at_most(command, 1, _bad_pdu)
        length = integer(command, 0, 1, MAX_PDU_LENGTH, error=_bad_pdu)
        return Reply(body=sms_flow.pdu_body(modem, length))
    at_most(command, 2, _bad_text)
    kind = integer(command, 1, 0, 255, default=129, error=_bad_text)
    try:
        address = sms_format.parse_te_address(text(command, 0), kind, modem.settings.cscs)
    except ValueError:
        raise CmsError(CMS_INVALID_TEXT) from None
    return Reply(body=sms_flow.text_body(modem, address))


def _store_written(modem: Modem, status: SmsStatus, pdu_hex: str, length: int) -> Reply:
    index = modem.storage.write_memory.store(status, pdu_hex, length, modem.now())
    if index is None:
        raise CmsError(CMS_MEMORY_FULL)
    return Reply([f"+CMGW: {index}"], delay=modem.timing.sim_access)


def cmgw(modem: Modem, command: AtCommand) -> Reply:
    if command.kind is TEST:
        return Reply()
    if command.kind not in (SET, ACTION):
        raise _mode_error(modem)()
    _prompt_checks(modem)
    if modem.settings.cmgf == 0:
        if command.kind is ACTION:
            raise CmsError(CMS_INVALID_PDU)
        at_most(command, 2, _bad_pdu)
        length = integer(command, 0, 1, MAX_PDU_LENGTH, error=_bad_pdu)
        status = SmsStatus(integer(command, 1, 0, 3, default=2, error=_bad_pdu))

        def pdu_body(content: bytes) -> Reply:
            body = "".join(content.decode("latin-1").split())
            try:
                with_smsc = has_smsc_prefix(body, length)
                decode_any(body, with_smsc=with_smsc)
            except PduError:
                raise CmsError(CMS_INVALID_PDU) from None
            pdu_hex = (body if with_smsc else "00" + body).upper()
            return _store_written(modem, status, pdu_hex, length)

        return Reply(body=pdu_body)
    at_most(command, 3, _bad_text)
    kind = integer(command, 1, 0, 255, default=129, error=_bad_text)
    status_name = text(command, 2, "STO UNSENT").upper()
    if status_name not in TEXT_STATUS or status_name == "ALL":
        raise CmsError(CMS_INVALID_TEXT)
    status = SmsStatus(TEXT_STATUS[status_name])
    da = text(command, 0, "")
    try:
        address = sms_format.parse_te_address(da or "0", kind, modem.settings.cscs)
    except ValueError:
        raise CmsError(CMS_INVALID_TEXT) from None

    def text_body(content: bytes) -> Reply:
        submit = sms_flow.text_submit(modem, address, content)
        pdu_hex, length = sms_flow.stored_submit(modem, submit)
        return _store_written(modem, status, pdu_hex, length)

    return Reply(body=text_body)


def cmss(modem: Modem, command: AtCommand) -> Reply:
    if command.kind is TEST:
        return Reply()
    if command.kind is not SET:
        raise _not_allowed()
    sms_flow.check_sim(modem)
    memory = modem.storage.write_memory
    index = integer(command, 0, 0, 100_000, error=lambda: CmsError(CMS_INVALID_INDEX))
    message = memory.get(index) if memory.valid_index(index) else None
    if message is None:
        raise CmsError(CMS_INVALID_INDEX)
    try:
        pdu = decode_any(message.pdu)
    except PduError:
        raise CmsError(CMS_OPERATION_NOT_ALLOWED) from None
    if not isinstance(pdu, SmsSubmit):
        raise CmsError(CMS_OPERATION_NOT_ALLOWED)
    if len(command.args) > 1 and command.args[1]:
        kind = integer(command, 2, 0, 255, default=129, error=_not_allowed)
        try:
            destination = sms_format.parse_te_address(command.args[1], kind, modem.settings.cscs)
        except ValueError:
            raise CmsError(CMS_OPERATION_NOT_ALLOWED) from None
        from dataclasses import replace

        pdu = replace(pdu, destination=destination)
    reply = sms_flow.submit(modem, pdu, "+CMSS")
    if reply.final is None:
        message.status = SmsStatus.STO_SENT
    return reply


def _read_index(modem: Modem, command: AtCommand) -> int:
    return integer(command, 0, 0, 100_000, error=lambda: CmsError(CMS_INVALID_INDEX))


def cmgr(modem: Modem, command: AtCommand) -> Reply:
    if command.kind is TEST:
        return Reply()
    if command.kind is not SET:
        raise _not_allowed()
    sms_flow.check_sim(modem)
    memory = modem.storage.read_memory
    index = _read_index(modem, command)
    if not memory.valid_index(index):
        raise CmsError(CMS_INVALID_INDEX)
    message = memory.get(index)
    if message is None:
        return Reply(delay=modem.timing.sim_access)
    lines = sms_format.cmgr_lines(message, modem.settings.cmgf == 1, modem.settings.cscs)
    if message.status is SmsStatus.REC_UNREAD:
        message.status = SmsStatus.REC_READ
    return Reply([_one_block(lines)], delay=modem.timing.sim_access)


def _one_block(lines: list[str]) -> str:
    """27.005 §3.4.3/§4.1: a listing's header and its data are one information
    text, separated by a single CR LF (``+CMGR: ...<CR><LF><data>``), as real
    modems send it — not a blank line between them."""
    return "\r\n".join(lines)


def cmgl(modem: Modem, command: AtCommand) -> Reply:
    text_mode = modem.settings.cmgf == 1
    if command.kind is TEST:
        if text_mode:
            return Reply(["+CMGL: (" + ",".join(f'"{STATUS_TEXT[v]}"' for v in range(5)) + ")"])
        return Reply(["+CMGL: (0-4)"])
    if command.kind not in (SET, ACTION):
        raise _not_allowed()
    sms_flow.check_sim(modem)
    if command.kind is ACTION:
        status = int(SmsStatus.REC_UNREAD)
    elif text_mode:
        name = text(command, 0).upper()
        if name not in TEXT_STATUS:
            raise CmsError(CMS_INVALID_TEXT)
        status = TEXT_STATUS[name]
    else:
        status = integer(command, 0, 0, ALL_STATUS, error=_bad_pdu)
    lines: list[str] = []
    for message in modem.storage.read_memory.listing(status):
        lines += sms_format.cmgl_lines(message, text_mode, modem.settings.cscs)
        if message.status is SmsStatus.REC_UNREAD:
            message.status = SmsStatus.REC_READ
    return Reply([_one_block(lines)] if lines else [], delay=modem.timing.sim_access)


def cmgd(modem: Modem, command: AtCommand) -> Reply:
    memory = modem.storage.read_memory
    if command.kind is TEST:
        used = ",".join(str(index) for index in sorted(memory.messages))
        return Reply([f"+CMGD: ({used}),(0-4)"])
    if command.kind is not SET:
        raise _not_allowed()
    sms_flow.check_sim(modem)
    at_most(command, 2, _not_allowed)
    flag = integer(command, 1, 0, 4, default=0, error=_not_allowed)
    if flag:
        memory.delete_with(DELETE_FLAGS[flag])
        return Reply(delay=modem.timing.sim_access)
    index = _read_index(modem, command)
    if not memory.valid_index(index):
        raise CmsError(CMS_INVALID_INDEX)
    memory.delete(index)
    return Reply(delay=modem.timing.sim_access)


HANDLERS: dict[str, Handler] = {
    "+CSMS": csms,
    "+CMGF": cmgf,
    "+CSCS": cscs,
    "+CSMP": csmp,
    "+CSCA": csca,
    "+CPMS": cpms,
    "+CNMI": cnmi,
    "+CNMA": cnma,
    "+CSDH": csdh,
    "+CMGS": cmgs,
    "+CMGW": cmgw,
    "+CMSS": cmss,
    "+CMGR": cmgr,
    "+CMGL": cmgl,
    "+CMGD": cmgd,
}
