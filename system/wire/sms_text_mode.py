"""Texts as the TE character set (AT+CSCS) puts them on the AT line, and SMS text-mode bodies.

How it works: ``encode_te`` turns a text into the bytes a TE sends or a modem
prints for the character set chosen with ``AT+CSCS`` (27.007 §5.5), and
``decode_te`` reads them back:

* ``GSM``: raw GSM 7-bit default alphabet, one byte per septet (an extension
  character is the escape byte 0x1B and its code);
* ``IRA``: ITU-T T.50, i.e. 7-bit ASCII;
* ``UCS2``: each UTF-16BE unit as four hex digits ("041F0440..." for "Пр"),
  characters beyond the BMP as their surrogate pair;
* ``HEX``: each GSM 7-bit septet as two hex digits (27.007: hex numbers, no
  conversion from the MT character set, which for SMS text is GSM 7-bit);
* ``8859-1``: ISO 8859-1 bytes.

Names are matched case-insensitively (modems accept ``"ucs2"``). Text-mode
SMS bodies (27.005 §3.1, +CMGS/+CMGR/+CMT with AT+CMGF=1) follow the message's
TP-DCS: GSM 7-bit texts are written in the TE character set, while 8-bit and
UCS2 messages are always hex of their octets whatever +CSCS says (for UCS2
that coincides with the ``UCS2`` set). ``encode_body``/``decode_body`` do
that given the alphabet (``sms_pdu.dcs_alphabet`` maps a +CSMP <dcs> to it).

Public API::

    class CharsetError(ValueError)
    class Charset(Enum): GSM, IRA, UCS2, HEX, LATIN1 ("8859-1")
    charset(name: str) -> Charset                    # CharsetError for unknown names
    encode_te(text: str, charset: Charset | str) -> bytes
    decode_te(raw: bytes, charset: Charset | str) -> str
    encode_body(content: str | bytes, alphabet: Alphabet, charset: Charset | str) -> bytes
    decode_body(raw: bytes, alphabet: Alphabet, charset: Charset | str) -> str | bytes

No I/O.
"""

from __future__ import annotations

import binascii
import enum

from nabat.system.wire import gsm7
from nabat.system.wire.sms_pdu import Alphabet


class CharsetError(ValueError):
    """A text the character set cannot carry, or bytes that are not in it."""


class Charset(enum.Enum):
    GSM = "GSM"
    IRA = "IRA"
    UCS2 = "UCS2"
    HEX = "HEX"
    LATIN1 = "8859-1"


def charset(name: str | Charset) -> Charset:
    if isinstance(name, Charset):
        return name
    for member in Charset:
        if member.value == name.strip().upper():
            return member
    raise CharsetError(f"unknown TE character set {name!r}")


def _hex(raw: bytes, what: str) -> bytes:
    try:
        return binascii.unhexlify(raw.strip())
    except (binascii.Error, ValueError):
        raise CharsetError(f"{what}: not an even number of hex digits") from None


def encode_te(text: str, charset_name: Charset | str) -> bytes:
    """``text`` in the TE character set, as bytes on the AT line."""
    chosen = charset(charset_name)
    try:
        if chosen is Charset.GSM:
            return gsm7.encode_septets(text)
        if chosen is Charset.HEX:
            return gsm7.encode_septets(text).hex().upper().encode("ascii")
        if chosen is Charset.UCS2:
            return text.encode("utf-16-be", "surrogatepass").hex().upper().encode("ascii")
        if chosen is Charset.IRA:
            return text.encode("ascii")
        return text.encode("latin-1")
    except (gsm7.Gsm7Error, UnicodeEncodeError) as error:
        raise CharsetError(f"{chosen.value}: {error}") from None


def decode_te(raw: bytes, charset_name: Charset | str) -> str:
    """The text that ``raw`` stands for in the TE character set."""
    chosen = charset(charset_name)
    try:
        if chosen is Charset.GSM:
            return gsm7.decode_septets(raw)
        if chosen is Charset.HEX:
            return gsm7.decode_septets(_hex(raw, "HEX"))
        if chosen is Charset.UCS2:
            units = _hex(raw, "UCS2")
            if len(units) % 2:
                raise CharsetError("UCS2: hex is not a whole number of 16-bit units")
            return units.decode("utf-16-be", "surrogatepass")
        if chosen is Charset.IRA:
            return raw.decode("ascii")
        return raw.decode("latin-1")
    except (gsm7.Gsm7Error, UnicodeDecodeError) as error:
        raise CharsetError(f"{chosen.value}: {error}") from None


def encode_body(content: str | bytes, alphabet: Alphabet, charset_name: Charset | str) -> bytes:
    """A text-mode SMS body: GSM 7-bit text in the TE set, 8-bit/UCS2 octets as hex."""
    if alphabet is Alphabet.GSM7:
        if not isinstance(content, str):
            raise CharsetError("a GSM 7-bit body is text")
        return encode_te(content, charset_name)
    if alphabet is Alphabet.UCS2:
        if not isinstance(content, str):
            raise CharsetError("a UCS2 body is text")
        return encode_te(content, Charset.UCS2)
    if not isinstance(content, bytes):
        raise CharsetError("an 8-bit body is bytes")
    return content.hex().upper().encode("ascii")


def decode_body(raw: bytes, alphabet: Alphabet, charset_name: Charset | str) -> str | bytes:
    """The content of a text-mode SMS body: str for GSM 7-bit/UCS2, bytes for 8-bit."""
    if alphabet is Alphabet.GSM7:
        return decode_te(raw, charset_name)
    if alphabet is Alphabet.UCS2:
        return decode_te(raw, Charset.UCS2)
    return _hex(raw, "8-bit body")
