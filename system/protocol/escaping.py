"""Parameter escaping of the line protocol (spec-rulings 1 and 2).

A parameter is windows-1251 text. On the wire ``%`` followed by two hex
digits stands for that byte. ``escape`` encodes text to cp1251 and replaces
``%``, space and every control byte (0x00-0x1F, 0x7F: tab, CR, LF included)
by ``%XX`` with upper-case hex; all other bytes, Cyrillic included, go raw.
``unescape`` reverses it: it rejects raw control bytes, accepts any ``%XX`` in
either case (an escaped ``A`` is just ``A``), rejects a stray ``%`` and then
decodes cp1251. The one byte cp1251 leaves undefined, 0x98, is an error
whether raw or escaped; nothing is ever silently replaced.
``unescape_lenient`` is for human text only (the text of an error reply).
"""

from __future__ import annotations

import re

from nabat.system.protocol.exceptions import (
    BadEscape,
    UndecodableBytes,
    UnencodableText,
    UnescapedControl,
)

ENCODING = "cp1251"
UNDEFINED_BYTE = 0x98

_MUST_ESCAPE = re.compile(rb"[\x00-\x20%\x7f]")
_CONTROL = re.compile(rb"[\x00-\x1f\x7f]")
_ESCAPES: dict[int, bytes] = {b: b"%%%02X" % b for b in range(256)}
_HEX_DIGITS = b"0123456789abcdefABCDEF"
_HEX_PAIRS: dict[bytes, int] = {
    bytes((high, low)): int(bytes((high, low)), 16) for high in _HEX_DIGITS for low in _HEX_DIGITS
}


def escape_match(match: re.Match[bytes]) -> bytes:
    return _ESCAPES[match[0][0]]


def encode_text(text: str) -> bytes:
    """``text`` as windows-1251 bytes; ``UnencodableText`` names the character."""
    try:
        return text.encode(ENCODING)
    except UnicodeEncodeError as exc:
        char = text[exc.start]
        raise UnencodableText(
            f"character {char!r} (U+{ord(char):04X}) at position {exc.start} "
            "cannot be represented in windows-1251"
        ) from None


def escape(text: str) -> bytes:
    """One parameter as it goes on the wire."""
    raw = encode_text(text)
    if _MUST_ESCAPE.search(raw) is None:
        return raw
    return _MUST_ESCAPE.sub(escape_match, raw)


def _unhex(raw: bytes, where: str) -> bytes:
    pieces = raw.split(b"%")
    out = bytearray(pieces[0])
    offset = len(pieces[0])  # where the current '%' is in raw
    for piece in pieces[1:]:
        value = _HEX_PAIRS.get(piece[:2])
        if value is None:
            after = raw[offset + 1 : offset + 3]
            detail = "at the end" if len(after) < 2 else f"followed by {after.decode('latin-1')!r}"
            raise BadEscape(
                f"{where}: stray '%' at byte {offset} {detail}; "
                "'%' must be followed by two hex digits (write '%25' for '%')"
            )
        out.append(value)
        out += piece[2:]
        offset += len(piece) + 1
    return bytes(out)


def _decode(raw: bytes, where: str) -> str:
    try:
        return raw.decode(ENCODING)
    except UnicodeDecodeError as exc:
        raise UndecodableBytes(
            f"{where}: byte 0x{raw[exc.start]:02X} is not windows-1251 text"
        ) from None


def unescape(raw: bytes, where: str = "parameter") -> str:
    """One wire parameter back to text; ``where`` prefixes error messages."""
    control = _CONTROL.search(raw)
    if control is not None:
        raise UnescapedControl(
            f"{where}: raw control byte 0x{control[0][0]:02X} at byte {control.start()}; "
            "control bytes must be written as %XX"
        )
    if b"%" in raw:
        raw = _unhex(raw, where)
    return _decode(raw, where)


def unescape_lenient(raw: bytes) -> str:
    """Human text: valid ``%XX`` decoded, anything else (stray ``%``, raw
    control bytes, spaces) kept, undecodable bytes shown as U+FFFD."""
    pieces = raw.split(b"%")
    out = bytearray(pieces[0])
    for piece in pieces[1:]:
        value = _HEX_PAIRS.get(piece[:2])
        if value is None:
            out += b"%" + piece
        else:
            out.append(value)
            out += piece[2:]
    return bytes(out).decode(ENCODING, errors="replace")
