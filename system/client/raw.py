"""Raw lines over the client's own connection: for test tools and pipelining.

``RawSession.open(host, port, cafile=...)`` connects with the same
``Connection`` as ``NabatClient`` (TLS, one reader task, line splitting and
decoding by the codec) but keeps the connection for itself: it holds one
exchange open for its whole life, so every line the server sends (replies,
notifications, anything unexpected) comes back from ``next_line`` in order,
and ``send`` writes any bytes, well-formed or not. ``read_reply`` reads one
reply with the codec's ``ReplyCollector`` (MONITORING lines met on the way
go to ``notifications``); ``request`` sends one command and reads its reply.
Several requests may be sent before their replies are read (the protocol
answers a session's requests in order), which is what a benchmark needs to
keep many commands in flight on one connection. Nothing here times out on
its own: ``next_line`` takes a timeout per call, the default ``timeout``
given to ``open``.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import Sequence
from os import PathLike
from types import TracebackType
from typing import Self

from nabat.system.client.connection import Connection, Exchange
from nabat.system.client.core import DEFAULT_HOST, DEFAULT_PORT, DEFAULT_TIMEOUT, open_connection
from nabat.system.client.errors import ConnectionLost, ProtocolViolation
from nabat.system.protocol import (
    MAX_LINE_LENGTH,
    Line,
    ProtocolError,
    Reply,
    ReplyCollector,
    TaskSummary,
    encode_line,
    encode_lines,
)


class RawSession:
    """See the module comment. Made by ``open``; ``close`` when done."""

    def __init__(self, connection: Connection, timeout: float | None) -> None:
        self.connection = connection
        self.timeout = timeout
        self.notifications: list[TaskSummary] = []
        self._hold = contextlib.AsyncExitStack()
        self._exchange: Exchange | None = None

    @classmethod
    async def open(
        cls,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        *,
        cafile: str | PathLike[str] | None = None,
        insecure: bool = False,
        server_hostname: str | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        ssl_context: ssl.SSLContext | None = None,
        tls: bool = True,
        max_line_length: int = MAX_LINE_LENGTH,
    ) -> RawSession:
        """Connect as ``NabatClient.connect`` does (same options)."""
        connection = await open_connection(
            host, port, cafile=cafile, insecure=insecure,
            server_hostname=server_hostname, timeout=timeout, ssl_context=ssl_context,
            tls=tls, max_line_length=max_line_length,
        )  # fmt: skip
        connection.timeout = None  # waits are bounded per call here, not by the connection
        session = cls(connection, timeout)
        session._exchange = await session._hold.enter_async_context(connection.exchange())
        return session

    async def close(self) -> None:
        """Close the connection; idempotent."""
        if self._exchange is not None:
            self._exchange.complete()
            self._exchange = None
            await self._hold.aclose()
        await self.connection.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    # --- sending ------------------------------------------------------------

    async def send(self, data: bytes) -> None:
        """Write ``data`` as it is (malformed input included)."""
        await asyncio.wait_for(self.connection.send(data), self.timeout)

    async def send_line(self, word: str, *params: str) -> None:
        """Send ``WORD params...`` encoded by the codec."""
        await self.send(encode_line(word, params, max_length=self.connection.max_line_length))

    async def send_lines(self, lines: Sequence[Line]) -> None:
        """Send several lines (a multi-line request, or pipelined requests) in one write."""
        await self.send(encode_lines(lines, max_length=self.connection.max_line_length))

    # --- receiving ----------------------------------------------------------

    async def next_line(self, timeout: float | None = -1.0) -> Line | None:
        """The next line the server sent, or ``None`` once it closed the
        connection. ``TimeoutError`` when nothing came within ``timeout``
        seconds (default: the session's; ``None`` waits forever)."""
        wait = self.timeout if timeout is not None and timeout < 0 else timeout
        try:
            return await asyncio.wait_for(self.connection.next_line(), wait)
        except ConnectionLost:
            return None

    async def read_reply(self, word: str, params: Sequence[str] = ()) -> Reply:
        """The whole reply to the request ``word params`` (error replies
        included); ``ConnectionLost`` when the server closes first,
        ``ProtocolViolation`` when a line does not fit the reply's shape."""
        collector = ReplyCollector(word, params)
        while True:
            line = await self.next_line()
            if line is None:
                raise ConnectionLost(f"the connection closed while reading the {word} reply")
            try:
                reply = collector.feed(line)
            except ProtocolError as exc:
                raise ProtocolViolation(f"unexpected reply to {word}: {exc.message}") from exc
            if reply is not None:
                self.notifications.extend(collector.notifications)
                return reply

    async def request(self, word: str, *params: str) -> Reply:
        """Send one command and read its reply."""
        await self.send_line(word, *params)
        return await self.read_reply(word, params)
