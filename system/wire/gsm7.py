"""GSM 7-bit default alphabet (3GPP TS 23.038 §6.2.1) and septet packing (§6.1.2.1).

How it works: the alphabet is two literal tables written out here — the 128
basic code points and the ten characters of the default extension table that
follow the escape code 0x1B (form feed ^ { } \\ [ ~ ] | €). The PyPI codec
``gsm0338`` was checked and not used: it maps 0x1B to U+001B so a text with
that character encodes to a bare escape that no longer decodes, it loses a
trailing escape silently, and its incremental codec does not work.

Texts become *septets* (one code point 0..127 per byte, escape sequences as
two bytes) and septets become *packed octets* (TS 23.038 §6.1.2.1: septet i
at bit 7*i of a little-endian bit stream). ``fill_bits`` puts that many zero
bits in front of the first septet, which is what user data needs after a
user data header so that the text starts on a septet boundary.

Decoding follows the receiving-entity rules of §6.2.1.1: an escape followed
by a code the extension table does not define yields that code's basic
character, and a lone escape (two in a row, or one at the very end) yields a
space.

Public API::

    ESCAPE: int                                     # 0x1B
    BASIC_TABLE: str                                # 128 characters, index = code point
    EXTENSION_TABLE: Mapping[int, str]              # code after ESCAPE -> character
    class Gsm7Error(ValueError)
    is_gsm7(text: str) -> bool                      # every character encodable
    septet_length(text: str) -> int                 # extension characters count 2
    unencodable(text: str) -> str                   # the characters that are not GSM 7-bit
    encode_septets(text: str) -> bytes              # Gsm7Error for unencodable characters
    decode_septets(septets: bytes) -> str           # Gsm7Error for a byte > 0x7F
    pack_septets(septets: bytes, fill_bits: int = 0) -> bytes
    unpack_septets(octets: bytes, count: int, fill_bits: int = 0) -> bytes
    packed_length(septet_count: int, fill_bits: int = 0) -> int   # octets needed

No I/O: pure functions over str and bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

ESCAPE = 0x1B

# Index = code point. Position 0x1B holds a placeholder: it is the escape code,
# never a character of its own (encode refuses U+00A0 there, see _ENCODE).
BASIC_TABLE = (
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞ\xa0ÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)

EXTENSION_TABLE: Mapping[int, str] = MappingProxyType(
    {
        0x0A: "\f",
        0x14: "^",
        0x28: "{",
        0x29: "}",
        0x2F: "\\",
        0x3C: "[",
        0x3D: "~",
        0x3E: "]",
        0x40: "|",
        0x65: "€",
    }
)


def _encode_table() -> dict[str, bytes]:
    table = {char: bytes([code]) for code, char in enumerate(BASIC_TABLE) if code != ESCAPE}
    for code, char in EXTENSION_TABLE.items():
        table[char] = bytes([ESCAPE, code])
    return table


_ENCODE: Mapping[str, bytes] = MappingProxyType(_encode_table())


class Gsm7Error(ValueError):
    """A text that GSM 7-bit cannot carry, or septets that are not septets."""


def is_gsm7(text: str) -> bool:
    """Whether every character of ``text`` is in the default alphabet or its extension."""
    return all(char in _ENCODE for char in text)


def unencodable(text: str) -> str:
    """The characters of ``text`` (in order, each once) that GSM 7-bit cannot carry."""
    seen: dict[str, None] = {}
    for char in text:
        if char not in _ENCODE:
            seen[char] = None
    return "".join(seen)


def septet_length(text: str) -> int:
    """Septets ``text`` takes: 1 per basic character, 2 per extension character."""
    try:
        return sum(len(_ENCODE[char]) for char in text)
    except KeyError as error:
        raise Gsm7Error(f"character {error.args[0]!r} is not in the GSM 7-bit alphabet") from None


def encode_septets(text: str) -> bytes:
    """One byte per septet (0..127); extension characters become ESCAPE + code."""
    try:
        return b"".join(_ENCODE[char] for char in text)
    except KeyError as error:
        raise Gsm7Error(f"character {error.args[0]!r} is not in the GSM 7-bit alphabet") from None


def decode_septets(septets: bytes) -> str:
    """Characters of ``septets`` (one code point per byte), per TS 23.038 §6.2.1.1."""
    out: list[str] = []
    index = 0
    length = len(septets)
    while index < length:
        code = septets[index]
        if code > 0x7F:
            raise Gsm7Error(f"byte 0x{code:02X} at {index} is not a GSM 7-bit septet")
        index += 1
        if code != ESCAPE:
            out.append(BASIC_TABLE[code])
            continue
        if index == length or septets[index] == ESCAPE:
            # A lone escape (or the reserved escape-to-another-table 0x1B 0x1B): a space.
            out.append(" ")
            index += 1 if index < length else 0
            continue
        following = septets[index]
        if following > 0x7F:
            raise Gsm7Error(f"byte 0x{following:02X} at {index} is not a GSM 7-bit septet")
        index += 1
        out.append(EXTENSION_TABLE.get(following, BASIC_TABLE[following]))
    return "".join(out)


def packed_length(septet_count: int, fill_bits: int = 0) -> int:
    """Octets needed for ``septet_count`` septets after ``fill_bits`` zero bits."""
    return (fill_bits + 7 * septet_count + 7) // 8


def pack_septets(septets: bytes, fill_bits: int = 0) -> bytes:
    """Pack septets LSB first into octets, after ``fill_bits`` (0..6) zero bits."""
    if not 0 <= fill_bits <= 6:
        raise Gsm7Error(f"fill_bits must be 0..6, not {fill_bits}")
    stream = 0
    for position, code in enumerate(septets):
        if code > 0x7F:
            raise Gsm7Error(f"byte 0x{code:02X} at {position} is not a GSM 7-bit septet")
        stream |= code << (fill_bits + 7 * position)
    return stream.to_bytes(packed_length(len(septets), fill_bits), "little")


def unpack_septets(octets: bytes, count: int, fill_bits: int = 0) -> bytes:
    """The first ``count`` septets packed in ``octets`` after ``fill_bits`` bits."""
    if not 0 <= fill_bits <= 6:
        raise Gsm7Error(f"fill_bits must be 0..6, not {fill_bits}")
    if count < 0:
        raise Gsm7Error(f"septet count must not be negative, not {count}")
    needed = packed_length(count, fill_bits)
    if len(octets) < needed:
        raise Gsm7Error(
            f"{count} septets need {needed} octets after {fill_bits} fill bits, got {len(octets)}"
        )
    stream = int.from_bytes(octets[:needed], "little") >> fill_bits
    return bytes((stream >> (7 * position)) & 0x7F for position in range(count))
