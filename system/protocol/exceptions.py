"""The protocol codec's one exception tree.

Every failure the codec detects is a subclass of ``ProtocolError``. Each class
carries a short machine ``code`` (stable, for logs and tests), the appendix-B
``reply_code`` a server answers with, a human ``message`` and, when the line's
command word was readable, that ``word`` so the server can echo it in its
error reply (``None`` means answer with the word ``ERROR``, see
``messages.error_reply_for``).
"""

from __future__ import annotations

from typing import ClassVar

BADSYNTAX = "ERR_BADSYNTAX"
BADARGUMENT_COUNT = "ERR_BADARGUMENT_COUNT"
NOACCESS = "ERR_NOACCESS"


class ProtocolError(Exception):
    """Base of every error of the client-server line protocol codec."""

    code: ClassVar[str] = "protocol"
    reply_code: ClassVar[str] = BADSYNTAX

    def __init__(self, message: str, *, word: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.word = word

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


# --- framing: the byte stream does not split into CRLF lines -----------------


class FramingError(ProtocolError):
    """The byte stream does not split into well-formed CRLF-terminated lines."""

    code = "framing"


class BareLineFeed(FramingError):
    """An LF not preceded by CR."""

    code = "bare-lf"


class BareCarriageReturn(FramingError):
    """A CR not followed by LF."""

    code = "bare-cr"


class LineTooLong(FramingError):
    """A line (CRLF included) longer than the configured maximum."""

    code = "line-too-long"


class IncompleteLine(FramingError):
    """The stream ended in the middle of a line."""

    code = "incomplete-line"


# --- one line: command word and parameters ------------------------------------


class LineSyntaxError(ProtocolError):
    """A complete line whose content is malformed."""

    code = "line-syntax"


class BadCommandWord(LineSyntaxError):
    """The command word is empty or not made of A-Z only."""

    code = "bad-command"


class EmptyLine(BadCommandWord):
    """A line with nothing before its CRLF."""

    code = "empty-line"


class BadEscape(LineSyntaxError):
    """A ``%`` not followed by two hex digits."""

    code = "bad-escape"


class UnescapedControl(LineSyntaxError):
    """A raw control byte (0x00-0x1F, 0x7F) inside a parameter; it must be %XX."""

    code = "raw-control"


class UndecodableBytes(LineSyntaxError):
    """Bytes that are not windows-1251 text (only 0x98 is undefined there)."""

    code = "undecodable"


class UnencodableText(ProtocolError):
    """Text with a character windows-1251 cannot represent (a sender-side error)."""

    code = "unencodable"


# --- meaning: command table, fields, multi-line sequences ---------------------


class UnknownCommand(ProtocolError):
    """A well-formed command word that is not in the command table."""

    code = "unknown-command"


class ArgumentCountError(ProtocolError):
    """A line or record with the wrong number of parameters."""

    code = "bad-argument-count"
    reply_code = BADARGUMENT_COUNT


class InvalidField(ProtocolError):
    """A parameter whose value does not fit its field (names the field)."""

    code = "bad-field"

    def __init__(self, field: str, reason: str, *, word: str | None = None) -> None:
        super().__init__(f"field {field}: {reason}", word=word)
        self.field = field
        self.reason = reason


class AccessDenied(ProtocolError):
    """Not logged in, or the user's rights are below what the command needs."""

    code = "no-access"
    reply_code = NOACCESS


class SequenceError(ProtocolError):
    """A line that is illegal in the current state of a multi-line exchange."""

    code = "bad-sequence"


class InterruptedRequest(SequenceError):
    """A line of another command arrived in the middle of a multi-line request.

    The partial request is dropped; the interrupting line is still to be
    handled by the caller as a fresh line."""

    code = "interrupted"


class TruncatedRequest(SequenceError):
    """The stream ended in the middle of a multi-line request or reply."""

    code = "truncated"


class LimitExceeded(ProtocolError):
    """Too many phones or e-mails, or too much file data, in one request."""

    code = "limit"
