"""Connection limits aiohttp lacks: slow clients, floods and peers that never read.

How it works: the console's listening socket makes a ``GuardedProtocol``
around each aiohttp ``RequestHandler`` (the protocol factory of
``web.Server``); it counts connections (at most ``max_connections``, and
``max_per_address`` from one address: the rest are aborted at once) and
notes when each last finished a request. The console's middleware marks a
request's start and end (``ConnectionGuard.begin``/``end``). ``sweep(now)``,
run twice a second, aborts a connection that has had no complete request for
``request_timeout`` (a slowloris trickling a head never reaches the
middleware; an idle keep-alive ends the same way), one whose request has run
for ``request_timeout`` without being a stream, and one whose unsent output
has stayed above ``high_water`` for ``write_timeout`` (a peer that never
reads). Streams (SSE) bound themselves too (app.py), this is the backstop.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast


@dataclass(frozen=True)
class ConsoleLimits:
    max_connections: int = 64
    max_per_address: int = 48
    request_timeout: float = 10.0
    write_timeout: float = 10.0
    high_water: int = 64 * 1024
    max_body_bytes: int = 16 * 1024
    max_line_bytes: int = 8 * 1024
    max_streams: int = 8
    stream_buffer_bytes: int = 256 * 1024
    send_buffer: int = 64 * 1024  # kernel send buffer per connection: a non-reader shows soon


@dataclass
class _Connection:
    transport: asyncio.Transport
    address: str
    idle_since: float
    in_flight: int = 0
    started: float = 0.0
    streaming: bool = False
    stuck_since: float | None = None
    requests: int = field(default=0)


class ConnectionGuard:
    def __init__(self, limits: ConsoleLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self._connections: dict[int, _Connection] = {}
        self._per_address: Counter[str] = Counter()

    def __len__(self) -> int:
        return len(self._connections)

    def admit(self, transport: asyncio.Transport) -> bool:
        peer = transport.get_extra_info("peername")
        address = str(peer[0]) if peer else ""
        if (
            len(self._connections) >= self.limits.max_connections
            or self._per_address[address] >= self.limits.max_per_address
        ):
            return False
        self._connections[id(transport)] = _Connection(transport, address, self.clock())
        self._per_address[address] += 1
        return True

    def forget(self, transport: asyncio.BaseTransport) -> None:
        connection = self._connections.pop(id(transport), None)
        if connection is not None:
            self._per_address[connection.address] -= 1
            if self._per_address[connection.address] <= 0:
                del self._per_address[connection.address]

    def begin(self, transport: object, streaming: bool = False) -> None:
        connection = self._connections.get(id(transport))
        if connection is not None:
            connection.in_flight += 1
            connection.requests += 1
            connection.started = self.clock()
            connection.streaming = streaming

    def streaming(self, transport: object) -> None:
        connection = self._connections.get(id(transport))
        if connection is not None:
            connection.streaming = True

    def end(self, transport: object) -> None:
        connection = self._connections.get(id(transport))
        if connection is not None:
            connection.in_flight = max(0, connection.in_flight - 1)
            connection.streaming = False
            connection.idle_since = self.clock()

    def sweep(self, now: float) -> int:
        """Abort the connections past a limit (see the module comment); how many."""
        limits = self.limits
        doomed = []
        for connection in self._connections.values():
            buffered = connection.transport.get_write_buffer_size()
            if buffered > limits.high_water:
                connection.stuck_since = connection.stuck_since or now
                if now - connection.stuck_since >= limits.write_timeout:
                    doomed.append(connection)
                    continue
            else:
                connection.stuck_since = None
            if connection.in_flight == 0:
                if now - connection.idle_since >= limits.request_timeout:
                    doomed.append(connection)
            elif not connection.streaming and now - connection.started >= limits.request_timeout:
                doomed.append(connection)
        for connection in doomed:
            connection.transport.abort()
            self.forget(connection.transport)
        return len(doomed)


class GuardedProtocol(asyncio.Protocol):
    """Passes everything to aiohttp's handler, after the guard has admitted the peer."""

    def __init__(self, inner: Any, guard: ConnectionGuard) -> None:
        self._inner = inner
        self._guard = guard
        self._admitted = False
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass
        if not self._guard.admit(transport):
            transport.abort()
            return
        self._admitted = True
        self._transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, self._guard.limits.send_buffer)
        self._inner.connection_made(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._admitted and self._transport is not None:
            self._guard.forget(self._transport)
            self._inner.connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._admitted:
            self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self._inner.eof_received() if self._admitted else None

    def pause_writing(self) -> None:
        if self._admitted:
            self._inner.pause_writing()

    def resume_writing(self) -> None:
        if self._admitted:
            self._inner.resume_writing()
