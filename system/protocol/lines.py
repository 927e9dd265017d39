"""One protocol line: a command word and its parameters (spec-ruling 1).

A line is ``WORD`` (A-Z only), then each parameter preceded by exactly one
space, then CRLF. Parameters are escaped (``escaping``), so a space on the
wire is always a separator and the split is unambiguous: ``CMD a  b`` carries
``a``, ``""``, ``b``. Every separator counts, the last one too: a trailing
empty parameter is a trailing space (``CMD a `` carries ``a``, ``""``), so
encode and decode are exact inverses; never strip trailing spaces.
``decode_line`` takes one line with or without its CRLF; the maximum length
counts the CRLF. ``decode_reply_line`` is the client's variant: it also reads
an error reply whose text was sent unescaped (spec-ruling 3).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nabat.system.protocol.escaping import (
    ENCODING,
    escape,
    escape_match,
    unescape,
    unescape_lenient,
)
from nabat.system.protocol.exceptions import (
    BadCommandWord,
    BareCarriageReturn,
    BareLineFeed,
    EmptyLine,
    LineTooLong,
    ProtocolError,
)

MAX_LINE_LENGTH = 8192
TERMINATOR = b"\r\n"

_WORD = re.compile(rb"[A-Z]+")
_ERROR_CODE = re.compile(rb"ERR_[A-Z0-9_]+")
_MUST_ESCAPE_BUT_NUL = re.compile(rb"[\x01-\x20%\x7f]")  # escaping's set minus NUL


@dataclass(frozen=True, slots=True)
class Line:
    """A decoded line; ``params`` are unescaped text."""

    command: str
    params: tuple[str, ...] = ()

    def encode(self, *, max_length: int = MAX_LINE_LENGTH) -> bytes:
        return encode_line(self.command, self.params, max_length=max_length)


def _show(raw: bytes) -> str:
    return repr(raw[:40].decode("latin-1")) + ("..." if len(raw) > 40 else "")


def _word_error(raw: bytes) -> BadCommandWord:
    if not raw:
        return BadCommandWord("the line starts with a space: the command word is missing")
    if raw.isalpha() and raw.isascii():
        return BadCommandWord(f"command word {_show(raw)} must be upper-case (A-Z)")
    return BadCommandWord(f"command word {_show(raw)} must be made of the letters A-Z only")


def check_word(word: str) -> None:
    """Raise ``BadCommandWord`` unless ``word`` is a valid command word."""
    if not (word.isascii() and word.isalpha() and word.isupper()):
        if word.isascii() and word.isalpha():
            raise BadCommandWord(f"command word {word!r} must be upper-case (A-Z)")
        raise BadCommandWord(f"command word {word[:40]!r} must be made of the letters A-Z only")


def peek_word(data: bytes, *, complete: bool = True) -> str | None:
    """The command word a (possibly broken) line starts with, if it is valid;
    for a line's first bytes only (``complete=False``) the word must be
    followed by a space to be known whole."""
    end = data.find(b" ")
    if end < 0 and not complete:
        return None
    head = data if end < 0 else data[:end]
    head = head.removesuffix(b"\r\n").removesuffix(b"\r")
    return head.decode("ascii") if _WORD.fullmatch(head) else None


def _join_escaped(params: Sequence[str]) -> bytes | None:
    """All parameters escaped and joined in one pass, or None to go one by one.

    The fast path of long listings: one cp1251 encode and one regex pass per
    line instead of one per parameter. Parameters are joined with NUL, which
    every parameter must escape anyway; after escaping every other byte, the
    NULs left are exactly the separators and become spaces. A parameter that
    itself holds a NUL, or text cp1251 cannot encode, takes the
    per-parameter path (which names the offending character)."""
    text = "\x00".join(params)
    if text.count("\x00") != len(params) - 1:
        return None
    try:
        raw = text.encode(ENCODING)
    except UnicodeEncodeError:
        return None
    if _MUST_ESCAPE_BUT_NUL.search(raw) is not None:
        raw = _MUST_ESCAPE_BUT_NUL.sub(escape_match, raw)
    return raw.replace(b"\x00", b" ")


def encode_line(
    command: str, params: Sequence[str] = (), *, max_length: int = MAX_LINE_LENGTH
) -> bytes:
    """The wire form of one line, CRLF included."""
    check_word(command)
    word = command.encode("ascii")
    joined = _join_escaped(params) if params else b""
    if joined is None:
        data = b" ".join([word, *map(escape, params)]) + TERMINATOR
    elif params:
        data = b"".join((word, b" ", joined, TERMINATOR))
    else:
        data = word + TERMINATOR
    if len(data) > max_length:
        raise LineTooLong(
            f"the encoded line is {len(data)} bytes, the maximum is {max_length}", word=command
        )
    return data


def encode_lines(lines: Iterable[Line], *, max_length: int = MAX_LINE_LENGTH) -> bytes:
    """Several lines back to back (a multi-line request or reply)."""
    return b"".join(encode_line(ln.command, ln.params, max_length=max_length) for ln in lines)


def _body(data: bytes, max_length: int) -> bytes:
    body = data[:-2] if data.endswith(TERMINATOR) else data
    if len(body) + len(TERMINATOR) > max_length:
        raise LineTooLong(
            f"the line is {len(body) + 2} bytes with its CRLF, the maximum is {max_length}",
            word=peek_word(body),
        )
    lf = body.find(b"\n")
    if lf >= 0:
        raise BareLineFeed(f"LF without CR at byte {lf}: lines end with CRLF", word=peek_word(body))
    cr = body.find(b"\r")
    if cr >= 0:
        raise BareCarriageReturn(
            f"CR without LF at byte {cr}: CR may appear only as part of CRLF",
            word=peek_word(body),
        )
    if not body:
        raise EmptyLine("empty line: a command word is required")
    return body


def _split_word(body: bytes) -> tuple[str, list[bytes]]:
    parts = body.split(b" ")
    raw_word = parts[0]
    if _WORD.fullmatch(raw_word) is None:
        raise _word_error(raw_word)
    return raw_word.decode("ascii"), parts[1:]


def decode_line(data: bytes, *, max_length: int = MAX_LINE_LENGTH) -> Line:
    """One line (CRLF optional) to a ``Line``; raises a ``ProtocolError`` subclass."""
    word, raw_params = _split_word(_body(data, max_length))
    params: list[str] = []
    for index, raw in enumerate(raw_params, 1):
        try:
            params.append(unescape(raw, f"parameter {index}"))
        except ProtocolError as exc:
            exc.word = word
            raise
    return Line(word, tuple(params))


def decode_reply_line(data: bytes, *, max_length: int = MAX_LINE_LENGTH) -> Line:
    """Like ``decode_line``, but ``CMD ERR_CODE text...`` always decodes to the
    two parameters (code, text): the text is everything after the code, with
    valid ``%XX`` decoded and anything else kept as sent."""
    body = _body(data, max_length)
    first = body.find(b" ")
    if first > 0:
        second = body.find(b" ", first + 1)
        code = body[first + 1 : second] if second >= 0 else body[first + 1 :]
        if _ERROR_CODE.fullmatch(code) is not None:
            word, _ = _split_word(body[:first])
            text = unescape_lenient(body[second + 1 :]) if second >= 0 else ""
            return Line(word, (code.decode("ascii"), text))
    return decode_line(body, max_length=max_length)
