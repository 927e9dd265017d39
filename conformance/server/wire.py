"""A small, independent codec for the notification-server line protocol.

Deliberately separate from the server's own codec (conformance/ never imports
system/): a line is windows-1251 text ending in CRLF, a command word then
parameters each preceded by one space; inside a parameter ``%XX`` stands for a
byte, and ``%``, space and control bytes must be escaped (ruling 2).
:func:`encode_line` builds request bytes, :func:`decode_line` reads a reply
line into a :class:`Line` without ever raising: problems (undecodable bytes,
stray ``%``, raw control bytes, a bad command word) are kept on the line so a
case can check them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

ENCODING = "cp1251"
CRLF = b"\r\n"
_MUST_ESCAPE = frozenset([*range(0x00, 0x20), 0x25, 0x20, 0x7F])
_WORD = re.compile(rb"^[A-Z]+$")
_HEX = b"0123456789abcdefABCDEF"


class EncodeError(ValueError):
    """Text the suite tried to send that windows-1251 cannot carry."""


def escape(text: str) -> bytes:
    """One parameter: cp1251 bytes with ``%``, space and control bytes as ``%XX``."""
    try:
        raw = text.encode(ENCODING)
    except UnicodeEncodeError as exc:
        raise EncodeError(f"{text!r} is not representable in windows-1251") from exc
    return b"".join(b"%%%02X" % byte if byte in _MUST_ESCAPE else bytes([byte]) for byte in raw)


def unescape(raw: bytes) -> tuple[bytes, str | None]:
    """Decode ``%XX``; returns the bytes and the first problem found (or None)."""
    out = bytearray()
    problem: str | None = None
    index = 0
    while index < len(raw):
        byte = raw[index]
        if byte == 0x25:
            pair = raw[index + 1:index + 3]
            if len(pair) == 2 and all(c in _HEX for c in pair):
                out.append(int(pair, 16))
                index += 3
                continue
            problem = problem or "stray %"
        elif byte < 0x20 or byte == 0x7F:
            problem = problem or f"raw control byte 0x{byte:02X}"
        out.append(byte)
        index += 1
    return bytes(out), problem


def to_text(raw: bytes) -> tuple[str, str | None]:
    """cp1251 text of ``raw``; undecodable bytes become U+FFFD and are reported."""
    try:
        return raw.decode(ENCODING), None
    except UnicodeDecodeError:
        return raw.decode(ENCODING, errors="replace"), "bytes undecodable in windows-1251"


def encode_line(word: str, params: Sequence[str] = ()) -> bytes:
    """A request line with its CRLF."""
    return b" ".join([word.encode("ascii"), *(escape(p) for p in params)]) + CRLF


@dataclass(frozen=True)
class Line:
    """One received line: its raw bytes (without CRLF) and what they mean."""

    raw: bytes
    word: str
    params: tuple[str, ...]
    problem: str | None = None
    bare_lf: bool = False

    @property
    def status(self) -> str:
        return self.params[0] if self.params else ""

    @property
    def args(self) -> tuple[str, ...]:
        """The parameters after the status word."""
        return self.params[1:]

    @property
    def is_error(self) -> bool:
        return self.status.startswith("ERR_")

    @property
    def error_text(self) -> str:
        """The text of an error line; unescaped trailing text is accepted (ruling 3)."""
        head = f"{self.word} {self.status}".encode(ENCODING, errors="replace")
        rest = self.raw[len(head) + 1:]
        data, _ = unescape(rest)
        return to_text(data)[0]

    def text(self) -> str:
        return to_text(self.raw)[0]

    def readable(self) -> str:
        """The line for a person: parameters unescaped (an error's text whole)."""
        if self.is_error:
            return f"{self.word} {self.status} {self.error_text}".rstrip()
        return " ".join((self.word, *self.params)) if self.problem is None else self.text()


def decode_line(raw: bytes, bare_lf: bool = False) -> Line:
    """Parse one line (without its terminator); never raises."""
    parts = raw.split(b" ")
    word_raw = parts[0]
    problem = None if _WORD.match(word_raw) else f"bad command word {word_raw[:20]!r}"
    params: list[str] = []
    for part in parts[1:]:
        data, bad = unescape(part)
        text, undecodable = to_text(data)
        problem = problem or bad or undecodable
        params.append(text)
    word, _ = to_text(word_raw)
    return Line(raw, word, tuple(params), problem, bare_lf)


def show_bytes(raw: bytes) -> str:
    """A printable rendering of raw bytes: ASCII as is, everything else as \\xNN."""
    return "".join(
        chr(b) if 0x20 <= b < 0x7F and b != 0x5C else ("\\\\" if b == 0x5C else f"\\x{b:02x}")
        for b in raw
    )


SECRET_PARAMS: dict[str, int] = {"LOGIN": 1, "CHECKPASSW": 1, "USERADD": 1, "USERCHG": 1}
REDACTED = "***"


def redacted(word: str, params: Sequence[str]) -> tuple[str, ...]:
    """``params`` with the password parameter of the word (if any) replaced."""
    index = SECRET_PARAMS.get(word)
    if index is None or index >= len(params):
        return tuple(params)
    return (*params[:index], REDACTED, *params[index + 1:])
