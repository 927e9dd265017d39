"""A minimal SMS PDU codec (3GPP TS 23.040) for what the suite sends and reads back.

The suite's own, independent of the product's (conformance/ never imports
system/). :func:`encode_submit` builds the hex of an SMS-SUBMIT with an empty
SMSC part (``00``: the modem uses its +CSCA), GSM 7-bit or UCS2 user data, an
optional concatenation header (IEI 0, 8-bit reference) and the
status-report request bit; it returns the hex and the TPDU length that
``AT+CMGS=<length>`` / ``AT+CMGW=<length>`` take. :func:`decode` reads an
SMSC-prefixed PDU as a modem prints it after ``+CMGR`` / ``+CMGL`` / ``+CDS``:
SMS-SUBMIT, SMS-DELIVER or SMS-STATUS-REPORT, with addresses, text (7-bit
with the extension table, UCS2, or 8-bit as hex) and the concatenation
header when present. Anything that does not parse raises :class:`PduError`
(never another exception), whatever the bytes.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from nabat.conformance.gsm_modem import gsm7

MAX_OCTETS = 140


class PduError(ValueError):
    """Bytes that are not a PDU this codec understands."""


class Alphabet(enum.Enum):
    GSM7 = 0
    EIGHT_BIT = 1
    UCS2 = 2


@dataclass(frozen=True)
class Concat:
    reference: int
    total: int
    sequence: int


@dataclass(frozen=True)
class Tpdu:
    kind: str  # "submit" | "deliver" | "status-report"
    first_octet: int
    address: str  # DA of a SUBMIT, OA of a DELIVER, RA of a STATUS-REPORT
    smsc: str = ""
    reference: int | None = None  # TP-MR (SUBMIT, STATUS-REPORT)
    alphabet: Alphabet = Alphabet.GSM7
    text: str = ""
    concat: Concat | None = None
    status: int | None = None  # TP-ST of a STATUS-REPORT
    status_report_request: bool = False
    tpdu_length: int = 0


# --- semi-octets and addresses ---------------------------------------------------------


def _bcd(digits: str) -> bytes:
    padded = digits + ("F" if len(digits) % 2 else "")
    return bytes.fromhex("".join(padded[i + 1] + padded[i] for i in range(0, len(padded), 2)))


def _unbcd(data: bytes, count: int) -> str:
    digits = "".join(f"{byte & 0x0F:X}{byte >> 4:X}" for byte in data)[:count]
    return digits.replace("A", "*").replace("B", "#").replace("C", "a").replace(
        "D", "b").replace("E", "c").replace("F", "")


def encode_address(number: str) -> bytes:
    """TP-DA: digit count, type (0x91 international when it starts with +), BCD digits."""
    international = number.startswith("+")
    digits = number.lstrip("+")
    if not digits or not digits.isdigit() or len(digits) > 20:
        raise PduError(f"{number!r} is not a phone number the suite can address")
    return bytes([len(digits), 0x91 if international else 0x81]) + _bcd(digits)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def take(self, count: int) -> bytes:
        if count < 0 or self.at + count > len(self.data):
            raise PduError(f"the PDU ends early (wanted {count} octets at {self.at})")
        part = self.data[self.at:self.at + count]
        self.at += count
        return part

    def octet(self) -> int:
        return self.take(1)[0]

    def address(self) -> str:
        count = self.octet()
        kind = self.octet()
        if count > 40:
            raise PduError(f"address of {count} digits")
        raw = self.take((count + 1) // 2)
        if kind & 0x70 == 0x50:  # alphanumeric (23.040 §9.1.2.5)
            return gsm7.decode(gsm7.unpack(raw, count * 4 // 7))
        digits = _unbcd(raw, count)
        return ("+" if kind & 0x70 == 0x10 else "") + digits


# --- encoding -----------------------------------------------------------------------


def _user_data(text: str, alphabet: Alphabet, udh: bytes) -> tuple[int, bytes]:
    """(TP-UDL, TP-UD) for ``text`` after the header ``udh`` (with its length octet)."""
    if alphabet is Alphabet.UCS2:
        body = udh + text.encode("utf-16-be")
        if len(body) > MAX_OCTETS:
            raise PduError("the UCS2 text does not fit one SMS")
        return len(body), body
    codes = gsm7.encode(text)
    fill = (7 - (len(udh) * 8) % 7) % 7
    septets = (len(udh) * 8 + fill) // 7 + len(codes)
    if septets > 160:
        raise PduError("the 7-bit text does not fit one SMS")
    return septets, udh + gsm7.pack(codes, fill)


def encode_submit(number: str, text: str, *, alphabet: Alphabet = Alphabet.GSM7,
                  status_report: bool = False, concat: Concat | None = None,
                  reference: int = 0) -> tuple[str, int]:
    """An SMS-SUBMIT with an empty SMSC part: (hex, TPDU length in octets)."""
    udh = b""
    if concat is not None:
        udh = bytes([5, 0x00, 3, concat.reference & 0xFF, concat.total, concat.sequence])
    first = 0x01 | 0x10  # SMS-SUBMIT, relative validity period
    first |= 0x20 if status_report else 0
    first |= 0x40 if udh else 0
    dcs = 0x08 if alphabet is Alphabet.UCS2 else 0x00
    length, data = _user_data(text, alphabet, udh)
    tpdu = (bytes([first, reference & 0xFF]) + encode_address(number)
            + bytes([0x00, dcs, 0xA7, length]) + data)
    return "00" + tpdu.hex().upper(), len(tpdu)


# --- decoding -----------------------------------------------------------------------


def _alphabet(dcs: int) -> Alphabet:
    group = dcs >> 4
    if group in (0x0, 0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x7):  # general data coding
        if dcs & 0x20:
            raise PduError(f"compressed text (DCS 0x{dcs:02X}) is not handled")
        return {0: Alphabet.GSM7, 1: Alphabet.EIGHT_BIT, 2: Alphabet.UCS2}.get(
            (dcs >> 2) & 0x03, Alphabet.GSM7)
    if group == 0xF:
        return Alphabet.EIGHT_BIT if dcs & 0x04 else Alphabet.GSM7
    if group in (0xC, 0xD):
        return Alphabet.GSM7
    if group == 0xE:
        return Alphabet.UCS2
    raise PduError(f"reserved DCS 0x{dcs:02X}")


def _concat(header: bytes) -> Concat | None:
    at = 0
    while at + 2 <= len(header):
        iei, size = header[at], header[at + 1]
        value = header[at + 2:at + 2 + size]
        if len(value) != size:
            raise PduError("a user data header element is cut short")
        if iei == 0x00 and size == 3:
            return Concat(value[0], value[1], value[2])
        if iei == 0x08 and size == 4:
            return Concat((value[0] << 8) | value[1], value[2], value[3])
        at += 2 + size
    return None


def _text(reader: _Reader, alphabet: Alphabet, has_udh: bool) -> tuple[str, Concat | None]:
    length = reader.octet()
    rest = reader.data[reader.at:]
    header = b""
    if alphabet is Alphabet.GSM7:
        octets = (length * 7 + 7) // 8
        if octets > len(rest) or octets > MAX_OCTETS:
            raise PduError(f"TP-UDL {length} septets exceeds the data")
        data = rest[:octets]
        fill = 0
        skip = 0
        if has_udh:
            if not data:
                raise PduError("a header is announced but there is no user data")
            header = data[1:1 + data[0]]
            if len(header) != data[0]:
                raise PduError("the user data header is cut short")
            bits = (data[0] + 1) * 8
            fill = (7 - bits % 7) % 7
            skip = (bits + fill) // 7
        if skip > length:
            raise PduError("the user data header is longer than the user data")
        codes = gsm7.unpack(data[(skip * 7 - fill) // 8:] if skip else data, length - skip,
                            fill if skip else 0)
        text = gsm7.decode(codes)
    else:
        if length > len(rest) or length > MAX_OCTETS:
            raise PduError(f"TP-UDL {length} octets exceeds the data")
        data = rest[:length]
        if has_udh:
            if not data or 1 + data[0] > len(data):
                raise PduError("the user data header is cut short")
            header = data[1:1 + data[0]]
            data = data[1 + data[0]:]
        if alphabet is Alphabet.UCS2:
            if len(data) % 2:
                raise PduError("UCS2 text of an odd number of octets")
            text = data.decode("utf-16-be", errors="replace")
        else:
            text = data.hex().upper()
    return text, _concat(header) if header else None


def _timestamp(reader: _Reader) -> str:
    return _unbcd(reader.take(7), 14)


def decode(pdu_hex: str) -> Tpdu:
    """Decode an SMSC-prefixed PDU (as +CMGR / +CMGL / +CDS print it)."""
    try:
        data = bytes.fromhex(pdu_hex.strip())
    except ValueError:
        raise PduError("the PDU is not hexadecimal") from None
    reader = _Reader(data)
    smsc_length = reader.octet()
    smsc = ""
    if smsc_length:
        kind = reader.octet()
        digits = _unbcd(reader.take(smsc_length - 1), 2 * (smsc_length - 1))
        smsc = ("+" if kind & 0x70 == 0x10 else "") + digits
    start = reader.at
    first = reader.octet()
    mti = first & 0x03
    try:
        if mti == 0x01:
            found = _submit(reader, first, smsc)
        elif mti == 0x00:
            found = _deliver(reader, first, smsc)
        elif mti == 0x02:
            found = _status_report(reader, first, smsc)
        else:
            raise PduError(f"reserved message type {mti}")
    except gsm7.Gsm7Error as exc:
        raise PduError(str(exc)) from None
    return _with_length(found, len(data) - start)


def _with_length(tpdu: Tpdu, length: int) -> Tpdu:
    from dataclasses import replace

    return replace(tpdu, tpdu_length=length)


def _submit(reader: _Reader, first: int, smsc: str) -> Tpdu:
    reference = reader.octet()
    address = reader.address()
    reader.octet()  # TP-PID
    alphabet = _alphabet(reader.octet())
    vpf = (first >> 3) & 0x03
    reader.take({0: 0, 2: 1}.get(vpf, 7))
    text, concat = _text(reader, alphabet, bool(first & 0x40))
    return Tpdu("submit", first, address, smsc, reference, alphabet, text, concat,
                status_report_request=bool(first & 0x20))


def _deliver(reader: _Reader, first: int, smsc: str) -> Tpdu:
    address = reader.address()
    reader.octet()  # TP-PID
    alphabet = _alphabet(reader.octet())
    _timestamp(reader)
    text, concat = _text(reader, alphabet, bool(first & 0x40))
    return Tpdu("deliver", first, address, smsc, None, alphabet, text, concat)


def _status_report(reader: _Reader, first: int, smsc: str) -> Tpdu:
    reference = reader.octet()
    address = reader.address()
    _timestamp(reader)
    _timestamp(reader)
    status = reader.octet()
    return Tpdu("status-report", first, address, smsc, reference, status=status)
