"""The GSM 7-bit default alphabet and its extension table (3GPP TS 23.038 §6.2.1),
and septet packing (§6.1.2.1.1), as the suite needs them.

Deliberately the suite's own (conformance/ never imports system/). ``encode``
turns text into septet codes (an extension character becomes Esc + its code)
and raises :class:`Gsm7Error` for a character the alphabet lacks;
``decode`` turns codes back into text (an unknown escape gives the
extension's "space" as 23.038 says a receiver may, here U+FFFD so it shows).
``pack`` / ``unpack`` put septets into octets after ``fill`` padding bits
(the bits that align 7-bit text after a user data header).
"""

from __future__ import annotations

BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENSION = {0x0A: "\f", 0x14: "^", 0x28: "{", 0x29: "}", 0x2F: "\\", 0x3C: "[", 0x3D: "~",
             0x3E: "]", 0x40: "|", 0x65: "€"}
ESCAPE = 0x1B
_CODE = {char: code for code, char in enumerate(BASIC) if code != ESCAPE}
_EXT_CODE = {char: code for code, char in EXTENSION.items()}

assert len(BASIC) == 128


class Gsm7Error(ValueError):
    """Text the GSM 7-bit alphabet cannot carry, or septets that do not decode."""


def encode(text: str) -> list[int]:
    codes: list[int] = []
    for char in text:
        if char in _CODE:
            codes.append(_CODE[char])
        elif char in _EXT_CODE:
            codes += [ESCAPE, _EXT_CODE[char]]
        else:
            raise Gsm7Error(f"{char!r} is not in the GSM 7-bit alphabet")
    return codes


def can_encode(text: str) -> bool:
    return all(char in _CODE or char in _EXT_CODE for char in text)


def decode(codes: list[int]) -> str:
    chars: list[str] = []
    escaped = False
    for code in codes:
        if not 0 <= code < 128:
            raise Gsm7Error(f"septet {code} is out of range")
        if escaped:
            chars.append(EXTENSION.get(code, "\ufffd"))
            escaped = False
        elif code == ESCAPE:
            escaped = True
        else:
            chars.append(BASIC[code])
    return "".join(chars)


def pack(codes: list[int], fill: int = 0) -> bytes:
    """Septets into octets, least significant bits first, after ``fill`` zero bits."""
    value = 0
    bits = fill
    for index, code in enumerate(codes):
        value |= code << (fill + 7 * index)
        bits += 7
    return value.to_bytes((bits + 7) // 8, "little") if bits else b""


def unpack(data: bytes, count: int, fill: int = 0) -> list[int]:
    """``count`` septets from octets, skipping ``fill`` bits first."""
    if fill + 7 * count > 8 * len(data):
        raise Gsm7Error(f"{count} septets do not fit in {len(data)} octets")
    value = int.from_bytes(data, "little") >> fill
    return [(value >> (7 * index)) & 0x7F for index in range(count)]
