"""SMS TPDUs of 3GPP TS 23.040 as AT commands carry them (27.005 PDU mode).

How it works: each PDU kind is a frozen dataclass; ``encode_*`` writes the
optional SMSC address (``00`` = the modem's default SMSC, +CSCA) followed by
the TPDU as uppercase hex, the way ``AT+CMGS=<length>`` wants it, and
``decode_*`` reads such hex (either case) back. Decoding walks the octets
with a small cursor that raises ``PduError`` — the one error type of this
module, a ``ValueError`` — on anything malformed: odd hex, truncated fields,
lengths that disagree with the data, unknown message types, reserved or
compressed data codings, impossible dates. Nothing else escapes a decoder.

Kinds: SMS-SUBMIT (MS -> SC, MTI 01), SMS-DELIVER (SC -> MS, MTI 00) and
SMS-STATUS-REPORT (SC -> MS, MTI 10). User data is GSM 7-bit (``gsm7``), 8-bit
data or UCS2 — read as UTF-16BE, so characters beyond the BMP travel as
surrogate pairs; a lone surrogate (a pair split across parts by a foreign
sender) is kept so that reassembly can join it. A user data header is a
tuple of ``InformationElement``; ``Concatenation`` reads and writes IEI 00
(8-bit reference) and IEI 08 (16-bit reference). TP-MMS is exposed as
``more_messages`` (True = "more messages are waiting", i.e. the bit is 0).

Public API::

    class PduError(ValueError)
    class Alphabet(Enum): GSM7, DATA_8BIT, UCS2
    class TypeOfNumber(IntEnum): UNKNOWN, INTERNATIONAL, NATIONAL, NETWORK_SPECIFIC,
                                 SUBSCRIBER, ALPHANUMERIC, ABBREVIATED, RESERVED
    @dataclass Address(number, ton=UNKNOWN, npi=1); Address.parse("+7900...") ; str(address)
    @dataclass DataCoding(alphabet, message_class, compressed)
    decode_dcs(dcs: int) -> DataCoding ; dcs_alphabet(dcs: int) -> Alphabet
    encode_dcs(alphabet: Alphabet, message_class: int | None = None) -> int
    relative_validity(period: timedelta) -> int ; validity_period(octet: int) -> timedelta
    @dataclass InformationElement(iei, data) ; @dataclass Concatenation(reference, total,
        sequence, wide=False) with .to_element() and Concatenation.find(udh)
    @dataclass SmsSubmit(destination, text="", data=b"", alphabet=GSM7, message_reference=0,
        validity=None, reject_duplicates=False, status_report_request=False,
        reply_path=False, protocol_id=0, message_class=None, udh=(), smsc=None)
    @dataclass SmsDeliver(originator, timestamp, text="", data=b"", alphabet=GSM7,
        more_messages=False, status_report_indication=False, reply_path=False,
        protocol_id=0, message_class=None, udh=(), smsc=None)
    @dataclass SmsStatusReport(message_reference, recipient, timestamp, discharge_time,
        status, more_messages=False, status_report_qualifier=False, parameters=b"", smsc=None)
    class StatusCategory(Enum) ; status_category(status: int) -> StatusCategory
    encode_submit(pdu, *, with_smsc=True) -> str ; decode_submit(hex_pdu, *, with_smsc=True)
    encode_deliver(pdu, *, with_smsc=True) -> str ; decode_deliver(hex_pdu, *, with_smsc=True)
    encode_status_report(pdu, *, with_smsc=True) -> str
    decode_status_report(hex_pdu, *, with_smsc=True)
    decode_any(hex_pdu, *, with_smsc=True) -> SmsDeliver | SmsSubmit | SmsStatusReport
        # by MTI, as a modem shows stored or received messages (+CMGR, +CMGL, +CMT, +CDS)
    tpdu_length(hex_pdu: str) -> int           # the <length> of AT+CMGS / +CMT / +CMGR
    has_smsc_prefix(hex_pdu: str, tpdu_octets: int) -> bool

``validity`` of a SUBMIT: ``None`` (TP-VPF 00), an ``int`` octet (relative,
TP-VPF 10), an aware ``datetime`` (absolute, 11) or 7 raw ``bytes``
(enhanced, 01). Timestamps are aware datetimes whose offset is a multiple of
15 minutes; two-digit years 90..99 are 1990s, 00..89 are 2000..2089.

No I/O: pure functions and dataclasses.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import ParamSpec, TypeVar

from nabat.system.wire import gsm7

MAX_GSM7_SEPTETS = 160
MAX_USER_DATA_OCTETS = 140

_HEX = re.compile(r"[0-9A-Fa-f]*")
_DIGITS = "0123456789*#abc"
_YEAR_PIVOT = 90

P = ParamSpec("P")
R = TypeVar("R")


class PduError(ValueError):
    """A PDU that cannot be encoded or decoded; the message says which field and why."""


class Alphabet(enum.Enum):
    GSM7 = "gsm7"
    DATA_8BIT = "8bit"
    UCS2 = "ucs2"


class TypeOfNumber(enum.IntEnum):
    UNKNOWN = 0
    INTERNATIONAL = 1
    NATIONAL = 2
    NETWORK_SPECIFIC = 3
    SUBSCRIBER = 4
    ALPHANUMERIC = 5
    ABBREVIATED = 6
    RESERVED = 7


class StatusCategory(enum.Enum):
    """TP-ST groups (TS 23.040 §9.2.3.15)."""

    COMPLETED = "completed"  # 0x00-0x1F: delivered (or forwarded, or replaced)
    TEMPORARY_RETRYING = "temporary-retrying"  # 0x20-0x3F: SC still trying
    PERMANENT = "permanent"  # 0x40-0x5F: SC gave up
    TEMPORARY_STOPPED = "temporary-stopped"  # 0x60-0x7F: SC no longer trying
    RESERVED = "reserved"  # 0x80-0xFF


def status_category(status: int) -> StatusCategory:
    if not 0 <= status <= 0xFF:
        raise PduError(f"TP-ST {status} is not an octet")
    return (
        (
            StatusCategory.COMPLETED,
            StatusCategory.TEMPORARY_RETRYING,
            StatusCategory.PERMANENT,
            StatusCategory.TEMPORARY_STOPPED,
        )[status >> 5]
        if status < 0x80
        else StatusCategory.RESERVED
    )


# ---------------------------------------------------------------- addresses


@dataclass(frozen=True)
class Address:
    """A TP-DA/TP-OA/TP-RA or SMSC address: digits (0-9 * # a b c) or alphanumeric text."""

    number: str
    ton: TypeOfNumber = TypeOfNumber.UNKNOWN
    npi: int = 1

    @classmethod
    def parse(cls, text: str) -> Address:
        """``+digits``: international/ISDN; digits, * and #: unknown/ISDN; else alphanumeric."""
        if text.startswith("+") and len(text) > 1 and _is_dialable(text[1:]):
            return cls(text[1:], TypeOfNumber.INTERNATIONAL, 1)
        if text and _is_dialable(text):
            return cls(text, TypeOfNumber.UNKNOWN, 1)
        return cls(text, TypeOfNumber.ALPHANUMERIC, 0)

    @property
    def type_octet(self) -> int:
        return 0x80 | (int(self.ton) << 4) | (self.npi & 0x0F)

    def __str__(self) -> str:
        return ("+" if self.ton is TypeOfNumber.INTERNATIONAL else "") + self.number


def _is_dialable(text: str) -> bool:
    return all(char in "0123456789*#" for char in text)


def _is_digits(text: str) -> bool:
    return all(char in _DIGITS for char in text)


def _encode_semi_octets(digits: str) -> bytes:
    nibbles = [_DIGITS.index(char) for char in digits]
    if len(nibbles) % 2:
        nibbles.append(0x0F)
    return bytes(nibbles[i] | (nibbles[i + 1] << 4) for i in range(0, len(nibbles), 2))


def _decode_semi_octets(octets: bytes, count: int, what: str) -> str:
    out: list[str] = []
    for index in range(count):
        nibble = (octets[index // 2] >> (4 * (index % 2))) & 0x0F
        if nibble == 0x0F:
            raise PduError(f"{what}: filler F inside the digits")
        out.append(_DIGITS[nibble])
    return "".join(out)


def _alphanumeric_septets(address: Address, what: str) -> bytes:
    try:
        return gsm7.encode_septets(address.number)
    except gsm7.Gsm7Error as error:
        raise PduError(f"{what}: {error}") from None


def _encode_address(address: Address, what: str) -> bytes:
    """TP-DA/OA/RA: length in useful semi-octets, type octet, value."""
    if not isinstance(address, Address):
        raise PduError(f"{what}: expected an Address, got {type(address).__name__}")
    if address.ton is TypeOfNumber.ALPHANUMERIC:
        septets = _alphanumeric_septets(address, what)
        if len(septets) > 11:
            raise PduError(f"{what}: alphanumeric address longer than 11 septets")
        value = gsm7.pack_septets(septets)
        return bytes([(len(septets) * 7 + 3) // 4, address.type_octet]) + value
    if not _is_digits(address.number):
        raise PduError(f"{what}: {address.number!r} is not a phone number")
    if len(address.number) > 20:
        raise PduError(f"{what}: more than 20 digits")
    return bytes([len(address.number), address.type_octet]) + _encode_semi_octets(address.number)


def _encode_smsc(smsc: Address | None) -> bytes:
    if smsc is None:
        return b"\x00"
    if smsc.ton is TypeOfNumber.ALPHANUMERIC or not _is_digits(smsc.number):
        raise PduError(f"SMSC address: {smsc.number!r} is not a phone number")
    value = _encode_semi_octets(smsc.number)
    if len(value) > 10:
        raise PduError("SMSC address: more than 20 digits")
    return bytes([len(value) + 1, smsc.type_octet]) + value


def _address_from(type_octet: int, value: bytes, digits: int, what: str) -> Address:
    ton = TypeOfNumber((type_octet >> 4) & 0x07)
    npi = type_octet & 0x0F
    if ton is TypeOfNumber.ALPHANUMERIC:
        septets = gsm7.unpack_septets(value, (len(value) * 8) // 7 if digits < 0 else digits)
        return Address(gsm7.decode_septets(septets), ton, npi)
    return Address(_decode_semi_octets(value, digits, what), ton, npi)


# ---------------------------------------------------------------- data coding


@dataclass(frozen=True)
class DataCoding:
    alphabet: Alphabet
    message_class: int | None = None
    compressed: bool = False


def decode_dcs(dcs: int) -> DataCoding:
    """TP-DCS (TS 23.038 §4); reserved alphabets read as GSM 7-bit as the spec says."""
    if not 0 <= dcs <= 0xFF:
        raise PduError(f"TP-DCS {dcs} is not an octet")
    group = dcs >> 4
    if group <= 0x7:  # general data coding (0x) or marked for automatic deletion (01xx)
        alphabet = (Alphabet.GSM7, Alphabet.DATA_8BIT, Alphabet.UCS2, Alphabet.GSM7)[
            (dcs >> 2) & 0x03
        ]
        message_class = dcs & 0x03 if dcs & 0x10 else None
        return DataCoding(alphabet, message_class, bool(dcs & 0x20))
    if group in (0xC, 0xD):  # message waiting indication, GSM 7-bit
        return DataCoding(Alphabet.GSM7)
    if group == 0xE:  # message waiting indication, UCS2
        return DataCoding(Alphabet.UCS2)
    if group == 0xF:  # data coding / message class
        return DataCoding(Alphabet.DATA_8BIT if dcs & 0x04 else Alphabet.GSM7, dcs & 0x03)
    return DataCoding(Alphabet.GSM7)  # 1000..1011: reserved coding groups


def dcs_alphabet(dcs: int) -> Alphabet:
    """The alphabet TP-DCS selects (also what a text-mode ``+CSMP`` <dcs> means)."""
    return decode_dcs(dcs).alphabet


def encode_dcs(alphabet: Alphabet, message_class: int | None = None) -> int:
    """General data coding group: uncompressed, with the class if one is given."""
    bits = {Alphabet.GSM7: 0x00, Alphabet.DATA_8BIT: 0x04, Alphabet.UCS2: 0x08}[alphabet]
    if message_class is None:
        return bits
    if not 0 <= message_class <= 3:
        raise PduError(f"message class {message_class} is not 0..3")
    return 0x10 | bits | message_class


# ---------------------------------------------------------------- validity and time


def validity_period(octet: int) -> timedelta:
    """The duration a relative TP-VP octet stands for (TS 23.040 §9.2.3.12.1)."""
    if not 0 <= octet <= 0xFF:
        raise PduError(f"TP-VP {octet} is not an octet")
    if octet <= 143:
        return timedelta(minutes=5 * (octet + 1))
    if octet <= 167:
        return timedelta(hours=12, minutes=30 * (octet - 143))
    if octet <= 196:
        return timedelta(days=octet - 166)
    return timedelta(weeks=octet - 192)


def relative_validity(period: timedelta) -> int:
    """The smallest relative TP-VP octet whose duration is at least ``period``."""
    if period <= timedelta(0):
        raise PduError("validity period must be positive")
    for octet in range(256):
        if validity_period(octet) >= period:
            return octet
    raise PduError("validity period longer than 63 weeks")


def _bcd(value: int) -> int:
    return (value % 10) << 4 | (value // 10)


def _encode_timestamp(moment: datetime, what: str) -> bytes:
    offset = moment.utcoffset()
    if offset is None:
        raise PduError(f"{what}: timestamp needs a time zone")
    quarters, rest = divmod(int(offset.total_seconds()), 900)
    if rest:
        raise PduError(f"{what}: time zone offset is not whole quarter hours")
    if not -79 <= quarters <= 79:
        raise PduError(f"{what}: time zone offset beyond 79 quarter hours")
    if not 1900 + _YEAR_PIVOT <= moment.year <= 2000 + _YEAR_PIVOT - 1:
        raise PduError(f"{what}: year {moment.year} outside 1990..2089")
    zone = _bcd(abs(quarters)) | (0x08 if quarters < 0 else 0)
    fields = (moment.year % 100, moment.month, moment.day, moment.hour, moment.minute)
    return bytes(_bcd(value) for value in (*fields, moment.second)) + bytes([zone])


def _decode_timestamp(octets: bytes, what: str) -> datetime:
    values: list[int] = []
    for octet in octets[:6]:
        tens, units = octet & 0x0F, octet >> 4
        if tens > 9 or units > 9:
            raise PduError(f"{what}: octet {octet:02X} is not two decimal digits")
        values.append(tens * 10 + units)
    zone = octets[6]
    tens, units = zone & 0x07, zone >> 4
    if units > 9:
        raise PduError(f"{what}: time zone octet {zone:02X} is not decimal")
    quarters = (tens * 10 + units) * (-1 if zone & 0x08 else 1)
    year = values[0] + (1900 if values[0] >= _YEAR_PIVOT else 2000)
    try:
        month, day, hour, minute, second = values[1:]
        offset = timezone(timedelta(minutes=15 * quarters))
        return datetime(year, month, day, hour, minute, second, tzinfo=offset)
    except ValueError as error:
        raise PduError(f"{what}: {error}") from None


# ---------------------------------------------------------------- user data header


@dataclass(frozen=True)
class InformationElement:
    iei: int
    data: bytes = b""


@dataclass(frozen=True)
class Concatenation:
    """Concatenated short message IE: IEI 00 (8-bit reference) or 08 (``wide``, 16-bit)."""

    reference: int
    total: int
    sequence: int
    wide: bool = False

    def to_element(self) -> InformationElement:
        if not 0 <= self.reference <= (0xFFFF if self.wide else 0xFF):
            raise PduError(f"concatenation reference {self.reference} out of range")
        if not 1 <= self.sequence <= self.total <= 255:
            raise PduError(f"concatenation part {self.sequence} of {self.total} is impossible")
        if self.wide:
            ref = self.reference.to_bytes(2, "big")
            return InformationElement(0x08, ref + bytes([self.total, self.sequence]))
        return InformationElement(0x00, bytes([self.reference, self.total, self.sequence]))

    @classmethod
    def find(cls, udh: Sequence[InformationElement]) -> Concatenation | None:
        """The usable concatenation IE of a header, if any (bad values are ignored, §9.2.3.24.1)."""
        for element in udh:
            if element.iei == 0x00 and len(element.data) == 3:
                reference, total, sequence = element.data
                wide = False
            elif element.iei == 0x08 and len(element.data) == 4:
                reference = int.from_bytes(element.data[:2], "big")
                total, sequence = element.data[2], element.data[3]
                wide = True
            else:
                continue
            if 1 <= sequence <= total:
                return cls(reference, total, sequence, wide)
        return None


def _encode_udh(udh: Sequence[InformationElement]) -> bytes:
    body = bytearray()
    for element in udh:
        if not 0 <= element.iei <= 0xFF or len(element.data) > 0xFF:
            raise PduError(f"information element {element.iei} does not fit an octet length")
        body += bytes([element.iei, len(element.data)]) + element.data
    if len(body) > MAX_USER_DATA_OCTETS - 1:
        raise PduError("user data header longer than the user data")
    return bytes([len(body)]) + bytes(body)


_CONCAT_LENGTHS = {0x00: 3, 0x08: 4}


def _decode_udh(header: bytes) -> tuple[InformationElement, ...]:
    elements: list[InformationElement] = []
    index = 0
    while index < len(header):
        if index + 2 > len(header):
            raise PduError("user data header: information element truncated")
        iei, length = header[index], header[index + 1]
        data = header[index + 2 : index + 2 + length]
        if len(data) != length:
            raise PduError(f"user data header: IEI {iei:02X} claims {length} octets")
        if _CONCAT_LENGTHS.get(iei, length) != length:
            raise PduError(f"user data header: concatenation IEI {iei:02X} with length {length}")
        elements.append(InformationElement(iei, data))
        index += 2 + length
    return tuple(elements)


# ---------------------------------------------------------------- user data


def _encode_user_data(
    alphabet: Alphabet, text: str, data: bytes, udh: Sequence[InformationElement]
) -> bytes:
    """TP-UDL followed by TP-UD."""
    header = _encode_udh(udh) if udh else b""
    if alphabet is Alphabet.DATA_8BIT:
        if text:
            raise PduError("8-bit user data goes in data, not text")
        body = header + data
        if len(body) > MAX_USER_DATA_OCTETS:
            raise PduError(f"user data of {len(body)} octets exceeds 140")
        return bytes([len(body)]) + body
    if data:
        raise PduError(f"{alphabet.name} user data goes in text, not data")
    if alphabet is Alphabet.UCS2:
        body = header + text.encode("utf-16-be", "surrogatepass")
        if len(body) > MAX_USER_DATA_OCTETS:
            raise PduError(f"user data of {len(body)} octets exceeds 140")
        return bytes([len(body)]) + body
    try:
        septets = gsm7.encode_septets(text)
    except gsm7.Gsm7Error as error:
        raise PduError(f"user data: {error}") from None
    header_septets = (len(header) * 8 + 6) // 7
    total = header_septets + len(septets)
    if total > MAX_GSM7_SEPTETS:
        raise PduError(f"user data of {total} septets exceeds 160")
    fill = header_septets * 7 - len(header) * 8
    return bytes([total]) + header + gsm7.pack_septets(septets, fill)


def _decode_user_data(
    alphabet: Alphabet, udhi: bool, udl: int, body: bytes
) -> tuple[tuple[InformationElement, ...], str, bytes]:
    """(header, text, data) from TP-UDL and the octets after it (all of them)."""
    if alphabet is Alphabet.GSM7:
        if udl > MAX_GSM7_SEPTETS:
            raise PduError(f"TP-UDL {udl} exceeds 160 septets")
        expected = gsm7.packed_length(udl)
    else:
        if udl > MAX_USER_DATA_OCTETS:
            raise PduError(f"TP-UDL {udl} exceeds 140 octets")
        expected = udl
    if len(body) != expected:
        raise PduError(f"TP-UDL {udl} needs {expected} octets of user data, found {len(body)}")
    header_octets = 0
    udh: tuple[InformationElement, ...] = ()
    if udhi:
        if not body:
            raise PduError("TP-UDHI set but the user data is empty")
        header_octets = body[0] + 1
        if header_octets > len(body):
            raise PduError(f"user data header length {body[0]} exceeds the user data")
        udh = _decode_udh(body[1:header_octets])
    if alphabet is Alphabet.GSM7:
        header_septets = (header_octets * 8 + 6) // 7
        if header_septets > udl:
            raise PduError(f"user data header takes more than TP-UDL {udl} septets")
        fill = header_septets * 7 - header_octets * 8
        septets = gsm7.unpack_septets(body[header_octets:], udl - header_septets, fill)
        return udh, gsm7.decode_septets(septets), b""
    payload = body[header_octets:]
    if alphabet is Alphabet.DATA_8BIT:
        return udh, "", payload
    if len(payload) % 2:
        raise PduError(f"UCS2 user data of odd length {len(payload)}")
    return udh, payload.decode("utf-16-be", "surrogatepass"), b""


# ---------------------------------------------------------------- the PDUs


@dataclass(frozen=True)
class SmsSubmit:
    destination: Address
    text: str = ""
    data: bytes = b""
    alphabet: Alphabet = Alphabet.GSM7
    message_reference: int = 0
    validity: int | datetime | bytes | None = None
    reject_duplicates: bool = False
    status_report_request: bool = False
    reply_path: bool = False
    protocol_id: int = 0
    message_class: int | None = None
    udh: tuple[InformationElement, ...] = ()
    smsc: Address | None = None

    @property
    def concatenation(self) -> Concatenation | None:
        return Concatenation.find(self.udh)


@dataclass(frozen=True)
class SmsDeliver:
    originator: Address
    timestamp: datetime
    text: str = ""
    data: bytes = b""
    alphabet: Alphabet = Alphabet.GSM7
    more_messages: bool = False
    status_report_indication: bool = False
    reply_path: bool = False
    protocol_id: int = 0
    message_class: int | None = None
    udh: tuple[InformationElement, ...] = ()
    smsc: Address | None = None

    @property
    def concatenation(self) -> Concatenation | None:
        return Concatenation.find(self.udh)


@dataclass(frozen=True)
class SmsStatusReport:
    message_reference: int
    recipient: Address
    timestamp: datetime
    discharge_time: datetime
    status: int
    more_messages: bool = False
    status_report_qualifier: bool = False
    parameters: bytes = b""  # TP-PI and the optional fields after it, kept raw
    smsc: Address | None = None

    @property
    def category(self) -> StatusCategory:
        return status_category(self.status)


def _octet(value: int, what: str) -> int:
    if not isinstance(value, int) or not 0 <= value <= 0xFF:
        raise PduError(f"{what} {value!r} is not an octet")
    return value


def encode_submit(pdu: SmsSubmit, *, with_smsc: bool = True) -> str:
    validity = pdu.validity
    if validity is None:
        vpf, vp = 0, b""
    elif isinstance(validity, datetime):
        vpf, vp = 3, _encode_timestamp(validity, "TP-VP")
    elif isinstance(validity, bytes):
        if len(validity) != 7:
            raise PduError("enhanced TP-VP must be 7 octets")
        vpf, vp = 1, validity
    else:
        vpf, vp = 2, bytes([_octet(validity, "TP-VP")])
    first = (
        0x01
        | (0x04 if pdu.reject_duplicates else 0)
        | vpf << 3
        | (0x20 if pdu.status_report_request else 0)
        | (0x40 if pdu.udh else 0)
        | (0x80 if pdu.reply_path else 0)
    )
    tpdu = (
        bytes([first, _octet(pdu.message_reference, "TP-MR")])
        + _encode_address(pdu.destination, "TP-DA")
        + bytes([_octet(pdu.protocol_id, "TP-PID"), encode_dcs(pdu.alphabet, pdu.message_class)])
        + vp
        + _encode_user_data(pdu.alphabet, pdu.text, pdu.data, pdu.udh)
    )
    return _to_hex(tpdu, pdu.smsc, with_smsc)


def encode_deliver(pdu: SmsDeliver, *, with_smsc: bool = True) -> str:
    first = (
        0x00
        | (0 if pdu.more_messages else 0x04)
        | (0x20 if pdu.status_report_indication else 0)
        | (0x40 if pdu.udh else 0)
        | (0x80 if pdu.reply_path else 0)
    )
    tpdu = (
        bytes([first])
        + _encode_address(pdu.originator, "TP-OA")
        + bytes([_octet(pdu.protocol_id, "TP-PID"), encode_dcs(pdu.alphabet, pdu.message_class)])
        + _encode_timestamp(pdu.timestamp, "TP-SCTS")
        + _encode_user_data(pdu.alphabet, pdu.text, pdu.data, pdu.udh)
    )
    return _to_hex(tpdu, pdu.smsc, with_smsc)


def encode_status_report(pdu: SmsStatusReport, *, with_smsc: bool = True) -> str:
    first = 0x02 | (0 if pdu.more_messages else 0x04) | (0x20 if pdu.status_report_qualifier else 0)
    tpdu = (
        bytes([first, _octet(pdu.message_reference, "TP-MR")])
        + _encode_address(pdu.recipient, "TP-RA")
        + _encode_timestamp(pdu.timestamp, "TP-SCTS")
        + _encode_timestamp(pdu.discharge_time, "TP-DT")
        + bytes([_octet(pdu.status, "TP-ST")])
        + pdu.parameters
    )
    return _to_hex(tpdu, pdu.smsc, with_smsc)


def _to_hex(tpdu: bytes, smsc: Address | None, with_smsc: bool) -> str:
    prefix = _encode_smsc(smsc) if with_smsc else b""
    return (prefix + tpdu).hex().upper()


# ---------------------------------------------------------------- decoding


class _Cursor:
    """Reads octets in order; running out of them is a PduError naming the field."""

    def __init__(self, octets: bytes) -> None:
        self._octets = octets
        self._index = 0

    def take(self, count: int, what: str) -> bytes:
        chunk = self._octets[self._index : self._index + count]
        if len(chunk) != count:
            raise PduError(f"PDU truncated in {what}")
        self._index += count
        return chunk

    def octet(self, what: str) -> int:
        return self.take(1, what)[0]

    def rest(self) -> bytes:
        chunk = self._octets[self._index :]
        self._index = len(self._octets)
        return chunk

    def address(self, what: str) -> Address:
        digits = self.octet(f"{what} length")
        if digits > 20:
            raise PduError(f"{what} length {digits} exceeds 20 semi-octets")
        type_octet = self.octet(f"{what} type")
        value = self.take((digits + 1) // 2, what)
        if (type_octet >> 4) & 0x07 == TypeOfNumber.ALPHANUMERIC:
            return _address_from(type_octet, value, digits * 4 // 7, what)
        return _address_from(type_octet, value, digits, what)

    def smsc(self) -> Address | None:
        length = self.octet("SMSC length")
        if length == 0:
            return None
        if length > 11:
            raise PduError(f"SMSC length {length} exceeds 11 octets")
        type_octet = self.octet("SMSC type")
        value = self.take(length - 1, "SMSC address")
        digits = 2 * len(value)
        if value and value[-1] >> 4 == 0x0F:
            digits -= 1
        if (type_octet >> 4) & 0x07 == TypeOfNumber.ALPHANUMERIC:
            return _address_from(type_octet, value, -1, "SMSC address")
        return _address_from(type_octet, value, digits, "SMSC address")

    def timestamp(self, what: str) -> datetime:
        return _decode_timestamp(self.take(7, what), what)


def _octets_of(hex_pdu: str) -> bytes:
    if not isinstance(hex_pdu, str):
        raise PduError(f"PDU must be a hex string, not {type(hex_pdu).__name__}")
    text = hex_pdu.strip()
    if not _HEX.fullmatch(text):
        raise PduError("PDU contains characters that are not hex digits")
    if len(text) % 2:
        raise PduError(f"PDU hex has odd length {len(text)}")
    if not text:
        raise PduError("PDU is empty")
    return bytes.fromhex(text)


def _start(hex_pdu: str, with_smsc: bool) -> tuple[_Cursor, Address | None, int]:
    cursor = _Cursor(_octets_of(hex_pdu))
    smsc = cursor.smsc() if with_smsc else None
    return cursor, smsc, cursor.octet("first octet")


def _pdu_errors(function: Callable[P, R]) -> Callable[P, R]:
    """Report a septet-level failure of ``gsm7`` as the PduError a decoder promises."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except gsm7.Gsm7Error as error:
            raise PduError(str(error)) from None

    return wrapper


_MTI_NAMES = {0: "SMS-DELIVER", 1: "SMS-SUBMIT", 2: "SMS-STATUS-REPORT"}


def _expect(first: int, mti: int) -> None:
    found = first & 0x03
    if found == 3:
        raise PduError("unknown message type indicator 11 (reserved)")
    if found != mti:
        raise PduError(f"{_MTI_NAMES[found]} PDU where {_MTI_NAMES[mti]} was expected")


def _user_data(
    cursor: _Cursor, first: int, dcs: int
) -> tuple[DataCoding, tuple[InformationElement, ...], str, bytes]:
    coding = decode_dcs(dcs)
    if coding.compressed:
        raise PduError(f"TP-DCS {dcs:02X}: compressed user data is not supported")
    udl = cursor.octet("TP-UDL")
    udh, text, data = _decode_user_data(coding.alphabet, bool(first & 0x40), udl, cursor.rest())
    return coding, udh, text, data


@_pdu_errors
def decode_submit(hex_pdu: str, *, with_smsc: bool = True) -> SmsSubmit:
    cursor, smsc, first = _start(hex_pdu, with_smsc)
    _expect(first, 1)
    reference = cursor.octet("TP-MR")
    destination = cursor.address("TP-DA")
    protocol_id = cursor.octet("TP-PID")
    dcs = cursor.octet("TP-DCS")
    vpf = (first >> 3) & 0x03
    validity: int | datetime | bytes | None = None
    if vpf == 2:
        validity = cursor.octet("TP-VP")
    elif vpf == 3:
        validity = cursor.timestamp("TP-VP")
    elif vpf == 1:
        validity = cursor.take(7, "TP-VP")
    coding, udh, text, data = _user_data(cursor, first, dcs)
    return SmsSubmit(
        destination=destination,
        text=text,
        data=data,
        alphabet=coding.alphabet,
        message_reference=reference,
        validity=validity,
        reject_duplicates=bool(first & 0x04),
        status_report_request=bool(first & 0x20),
        reply_path=bool(first & 0x80),
        protocol_id=protocol_id,
        message_class=coding.message_class,
        udh=udh,
        smsc=smsc,
    )


@_pdu_errors
def decode_deliver(hex_pdu: str, *, with_smsc: bool = True) -> SmsDeliver:
    cursor, smsc, first = _start(hex_pdu, with_smsc)
    _expect(first, 0)
    originator = cursor.address("TP-OA")
    protocol_id = cursor.octet("TP-PID")
    dcs = cursor.octet("TP-DCS")
    timestamp = cursor.timestamp("TP-SCTS")
    coding, udh, text, data = _user_data(cursor, first, dcs)
    return SmsDeliver(
        originator=originator,
        timestamp=timestamp,
        text=text,
        data=data,
        alphabet=coding.alphabet,
        more_messages=not first & 0x04,
        status_report_indication=bool(first & 0x20),
        reply_path=bool(first & 0x80),
        protocol_id=protocol_id,
        message_class=coding.message_class,
        udh=udh,
        smsc=smsc,
    )


@_pdu_errors
def decode_status_report(hex_pdu: str, *, with_smsc: bool = True) -> SmsStatusReport:
    cursor, smsc, first = _start(hex_pdu, with_smsc)
    _expect(first, 2)
    reference = cursor.octet("TP-MR")
    recipient = cursor.address("TP-RA")
    timestamp = cursor.timestamp("TP-SCTS")
    discharge = cursor.timestamp("TP-DT")
    status = cursor.octet("TP-ST")
    return SmsStatusReport(
        message_reference=reference,
        recipient=recipient,
        timestamp=timestamp,
        discharge_time=discharge,
        status=status,
        more_messages=not first & 0x04,
        status_report_qualifier=bool(first & 0x20),
        parameters=cursor.rest(),
        smsc=smsc,
    )


@_pdu_errors
def decode_any(hex_pdu: str, *, with_smsc: bool = True) -> SmsDeliver | SmsSubmit | SmsStatusReport:
    """Decode by TP-MTI as a modem reports messages: 00 DELIVER, 01 SUBMIT, 10 STATUS-REPORT."""
    _, _, first = _start(hex_pdu, with_smsc)
    mti = first & 0x03
    if mti == 0:
        return decode_deliver(hex_pdu, with_smsc=with_smsc)
    if mti == 1:
        return decode_submit(hex_pdu, with_smsc=with_smsc)
    if mti == 2:
        return decode_status_report(hex_pdu, with_smsc=with_smsc)
    raise PduError("unknown message type indicator 11 (reserved)")


def tpdu_length(hex_pdu: str) -> int:
    """Octets after the SMSC part: the <length> of AT+CMGS, +CMGW, +CMT and +CMGR."""
    octets = _octets_of(hex_pdu)
    length = octets[0]
    if 1 + length > len(octets):
        raise PduError(f"SMSC length {length} exceeds the PDU")
    return len(octets) - 1 - length


def has_smsc_prefix(hex_pdu: str, tpdu_octets: int) -> bool:
    """Whether a PDU whose TPDU is ``tpdu_octets`` long (the +CMT/+CDS/+CMGR <length>)
    starts with an SMSC address; some modems leave it out of +CDS."""
    octets = _octets_of(hex_pdu)
    if len(octets) == tpdu_octets:
        return False
    if len(octets) == tpdu_octets + 1 + octets[0]:
        return True
    raise PduError(f"PDU of {len(octets)} octets does not match TPDU length {tpdu_octets}")
