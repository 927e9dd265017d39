"""The client's exception tree.

Everything the client raises on purpose is a ``ClientError``: the server
answered ``WORD ERR_CODE text`` (``ServerError``), the connection went away or
could not be made (``ConnectionLost``, ``ConnectFailed``), no line arrived in
time (``ReplyTimeout``), or the server's reply broke the protocol
(``ProtocolViolation``). After anything but a ``ServerError`` the connection
is closed: its state is unknown, so later requests raise ``ConnectionLost``.
Invalid arguments are refused before anything is sent, with the codec's own
``InvalidField`` / ``UnencodableText`` (``nabat.system.protocol.ProtocolError``).
"""

from __future__ import annotations

from nabat.system.protocol import ErrorCode, ErrorReply


class ClientError(Exception):
    """Base of the client's errors."""


class ConnectFailed(ClientError):
    """The TCP connection or the TLS handshake failed."""

    def __init__(self, message: str, *, certificate: bool = False) -> None:
        super().__init__(message)
        self.certificate = certificate  # the server's certificate was not trusted


class ConnectionLost(ClientError):
    """The connection closed (or was closed after an error) before the reply ended."""


class ReplyTimeout(ClientError):
    """No line of the reply arrived within the timeout."""


class ProtocolViolation(ClientError):
    """The server sent something the protocol does not allow here."""


def _code_of(code: str) -> ErrorCode | str:
    """The ``ErrorCode`` whose literal wire code this is, else the code text."""
    return next((member for member in ErrorCode if member.code == code), code)


class ServerError(ClientError):
    """The server answered ``WORD ERR_CODE text``.

    ``code`` is the ``ErrorCode`` of the literal wire code when the table has
    one, else the code as sent; ``raw_code`` is always the wire text.
    """

    def __init__(self, word: str, code: ErrorCode | str, text: str) -> None:
        self.word = word
        self.code = code
        self.raw_code = code.code if isinstance(code, ErrorCode) else code
        self.text = text
        super().__init__(str(self))

    @classmethod
    def from_reply(cls, error: ErrorReply) -> ServerError:
        return cls(error.word, _code_of(error.code), error.text)

    def means(self, error: ErrorCode) -> bool:
        """True when the wire code is ``error``'s literal or intended code."""
        return self.raw_code in error.accepted

    def __str__(self) -> str:
        head = f"{self.word} {self.raw_code}"
        return f"{head}: {self.text}" if self.text else head
