"""Request and reply objects shared by the HTTP server and the simulators.

A handler receives a ``Request`` and returns a ``Response`` or one of the
connection actions (``Close``, ``Reset``, ``RawThenClose``) — directly, or as
an awaitable when it must wait (latency, a hanging fault). Responses are
serialised once, here, into the bytes the transport writes.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass, field
from http import HTTPStatus

_REASONS: dict[int, bytes] = {s.value: s.phrase.encode("ascii") for s in HTTPStatus}


@dataclass(slots=True)
class Request:
    """One parsed HTTP request. Header names are lower-case; the last one wins."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    client_ip: str
    keep_alive: bool = True


_SERIALIZED: dict[tuple[object, ...], bytes] = {}


@dataclass(slots=True)
class Response:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    close: bool = False

    def serialize(self, date_header: bytes, keep_alive: bool, head: bool = False) -> bytes:
        """The bytes on the wire; for a HEAD request the same head without the body."""
        if not self.body and len(self.headers) <= 2:
            # Body-less answers repeat (a verification hub mostly says "200, no error").
            key = (self.status, tuple(self.headers), keep_alive and not self.close, date_header)
            cached = _SERIALIZED.get(key)
            if cached is None:
                if len(_SERIALIZED) >= 512:
                    _SERIALIZED.clear()
                cached = _SERIALIZED[key] = self._serialize(date_header, keep_alive, head)
            return cached
        return self._serialize(date_header, keep_alive, head)

    def _serialize(self, date_header: bytes, keep_alive: bool, head: bool) -> bytes:
        reason = _REASONS.get(self.status, b"Unknown")
        parts = [b"HTTP/1.1 %d %s\r\n" % (self.status, reason), date_header]
        for name, value in self.headers:
            parts.append(f"{name}: {value}\r\n".encode("latin-1"))
        if not keep_alive or self.close:
            parts.append(b"Connection: close\r\n")
        parts.append(b"Content-Length: %d\r\n\r\n" % len(self.body))
        if not head:
            parts.append(self.body)
        return b"".join(parts)


@dataclass(slots=True, frozen=True)
class Close:
    """Close the connection without answering."""


@dataclass(slots=True, frozen=True)
class Reset:
    """Abort the connection with a TCP reset."""


@dataclass(slots=True, frozen=True)
class RawThenClose:
    """Write these bytes as they are (not HTTP), then close."""

    data: bytes


Action = Response | Close | Reset | RawThenClose
HandlerResult = Action | Awaitable[Action]


def text_response(status: int, text: str, close: bool = False) -> Response:
    return Response(
        status, [("Content-Type", "text/plain; charset=utf-8")], text.encode("utf-8"), close
    )
