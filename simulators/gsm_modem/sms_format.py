"""How stored and arriving messages look on the AT line (27.005 §3.4, §4).

PDU mode: ``+CMGR: <stat>,,<length>`` / ``+CMGL: <index>,<stat>,,<length>``
/ ``+CMT: ,<length>`` / ``+CDS: <length>``, each followed by the PDU (SMSC
address first) on its own line. Text mode (+CSDH=0): ``+CMGR: "REC
UNREAD","<oa>","","yy/MM/dd,hh:mm:ss±zz"`` and the text; status reports as
``<stat>,<fo>,<mr>,"<ra>",<tora>,"<scts>","<dt>",<st>``. Addresses and GSM
7-bit texts are written in the TE character set (+CSCS); UCS2 and 8-bit
texts as hex (sms_text_mode).
"""

from __future__ import annotations

from datetime import datetime

from nabat.simulators.gsm_modem.sms_store import STATUS_TEXT, StoredMessage
from nabat.system.wire import sms_text_mode
from nabat.system.wire.sms_pdu import (
    Address,
    PduError,
    SmsDeliver,
    SmsStatusReport,
    SmsSubmit,
    TypeOfNumber,
    decode_any,
)

STATUS_REPORT_FO = 0x06


def scts_text(moment: datetime) -> str:
    """27.005 <scts>: ``yy/MM/dd,hh:mm:ss±zz`` (zz in quarters of an hour)."""
    offset = moment.utcoffset()
    quarters = 0 if offset is None else int(offset.total_seconds() // 900)
    sign = "-" if quarters < 0 else "+"
    return f"{moment:%y/%m/%d,%H:%M:%S}{sign}{abs(quarters):02d}"


def te_text(text: str, charset: str) -> str:
    """``text`` in the TE character set, as it appears between quotes on the line."""
    try:
        return sms_text_mode.encode_te(text, charset).decode("latin-1")
    except sms_text_mode.CharsetError:
        return sms_text_mode.encode_te(text, "UCS2").decode("latin-1")


def address_text(address: Address, charset: str) -> tuple[str, int]:
    return te_text(str(address), charset), address.type_octet


def body_text(pdu: SmsDeliver | SmsSubmit, charset: str) -> str:
    content: str | bytes = pdu.data if pdu.alphabet.value == "8bit" else pdu.text
    try:
        raw = sms_text_mode.encode_body(content, pdu.alphabet, charset)
    except sms_text_mode.CharsetError:
        raw = sms_text_mode.encode_body(content, pdu.alphabet, "UCS2")
    return raw.decode("latin-1")


def _decoded(message: StoredMessage) -> SmsDeliver | SmsSubmit | SmsStatusReport | None:
    try:
        return decode_any(message.pdu)
    except PduError:
        return None


def text_header(message: StoredMessage, charset: str, index: int | None) -> list[str]:
    """The text-mode lines of +CMGR (index None) or +CMGL (with index)."""
    stat = f'"{STATUS_TEXT[int(message.status)]}"'
    lead = stat if index is None else f"{index},{stat}"
    pdu = _decoded(message)
    if isinstance(pdu, SmsStatusReport):
        ra, tora = address_text(pdu.recipient, charset)
        return [
            f'{lead},{STATUS_REPORT_FO},{pdu.message_reference},"{ra}",{tora},'
            f'"{scts_text(pdu.timestamp)}","{scts_text(pdu.discharge_time)}",{pdu.status}'
        ]
    if isinstance(pdu, SmsDeliver):
        oa, _ = address_text(pdu.originator, charset)
        return [f'{lead},"{oa}","","{scts_text(pdu.timestamp)}"', body_text(pdu, charset)]
    if isinstance(pdu, SmsSubmit):
        da, _ = address_text(pdu.destination, charset)
        return [f'{lead},"{da}",""', body_text(pdu, charset)]
    return [f'{lead},"",""', ""]


def cmgr_lines(message: StoredMessage, text_mode: bool, charset: str) -> list[str]:
    if text_mode:
        header, *rest = text_header(message, charset, None)
        return [f"+CMGR: {header}", *rest]
    return [f"+CMGR: {int(message.status)},,{message.length}", message.pdu]


def cmgl_lines(message: StoredMessage, text_mode: bool, charset: str) -> list[str]:
    if text_mode:
        header, *rest = text_header(message, charset, message.index)
        return [f"+CMGL: {header}", *rest]
    return [f"+CMGL: {message.index},{int(message.status)},,{message.length}", message.pdu]


def cmt_lines(
    pdu_hex: str, length: int, deliver: SmsDeliver, text_mode: bool, charset: str
) -> list[str]:
    if not text_mode:
        return [f"+CMT: ,{length}", pdu_hex]
    oa, _ = address_text(deliver.originator, charset)
    return [f'+CMT: "{oa}","","{scts_text(deliver.timestamp)}"', body_text(deliver, charset)]


def cds_lines(
    pdu_hex: str, length: int, report: SmsStatusReport, text_mode: bool, charset: str
) -> list[str]:
    if not text_mode:
        return [f"+CDS: {length}", pdu_hex]
    ra, tora = address_text(report.recipient, charset)
    return [
        f'+CDS: {STATUS_REPORT_FO},{report.message_reference},"{ra}",{tora},'
        f'"{scts_text(report.timestamp)}","{scts_text(report.discharge_time)}",{report.status}'
    ]


def parse_te_address(value: str, type_of_address: int | None, charset: str) -> Address:
    """A <da> typed by the DTE (in the TE character set) as an SMS address."""
    try:
        text = sms_text_mode.decode_te(value.encode("latin-1"), charset)
    except (sms_text_mode.CharsetError, UnicodeEncodeError):
        raise ValueError("address not in the TE character set") from None
    text = text.strip()
    if type_of_address == 145 and not text.startswith("+"):
        text = "+" + text
    if not text or len(text) > 21:
        raise ValueError("address empty or too long")
    address = Address.parse(text)
    if address.ton is TypeOfNumber.ALPHANUMERIC:
        raise ValueError("not a phone number")
    return address
