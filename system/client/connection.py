"""One TLS (or plain, for tests) connection: a reader task and serialized exchanges.

A single reader task splits the byte stream into lines (``LineSplitter``,
``decode_reply_line``) and routes each one: while an exchange (a request and
its reply) is in progress every line goes to that exchange's bounded inbox,
so a slow consumer of a long listing holds the reader back (TCP
backpressure) instead of buffering the listing; between exchanges an
``UPDATETASK OK`` line is a MONITORING notification and goes to the
notification queue, and anything else is logged and dropped. ``exchange()``
takes the connection's lock, so requests never interleave. When the stream
ends, a line is malformed, a line does not arrive within ``timeout`` seconds
or an exchange is abandoned half-read, the connection is closed and every
waiter gets a ``ClientError`` (nothing waits forever).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import os
import ssl
from collections.abc import AsyncIterator
from typing import Final

from nabat.system.client.errors import (
    ClientError,
    ConnectFailed,
    ConnectionLost,
    ProtocolViolation,
    ReplyTimeout,
)
from nabat.system.protocol import (
    MAX_LINE_LENGTH,
    IncompleteLine,
    Line,
    LineSplitter,
    ProtocolError,
    TaskSummary,
    as_notification,
    decode_reply_line,
)

log = logging.getLogger(__name__)

INBOX_LINES: Final = 512  # lines read ahead of the consumer of one reply
NOTIFICATION_BUFFER: Final = 10_000  # unread notifications kept (the oldest go first)
READ_CHUNK: Final = 65536


class _Closed(enum.Enum):
    CLOSED = "closed"


CLOSED: Final = _Closed.CLOSED


def _again(error: ClientError) -> ClientError:
    """A fresh exception of the same kind (one instance is raised once)."""
    return type(error)(*error.args)


class Exchange:
    """One request and its reply, under the connection's lock."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self.completed = False

    async def send(self, data: bytes) -> None:
        await self._connection.send(data)

    async def next_line(self) -> Line:
        return await self._connection.next_line()

    def notify(self, notification: TaskSummary) -> None:
        self._connection.notify(notification)

    def fail(self, error: ClientError) -> ClientError:
        """Close the connection because of ``error``; returns it to raise."""
        self._connection.fail(error)
        return error

    def complete(self) -> None:
        self.completed = True


class Connection:
    """See the module comment. Made by ``open``; ``close`` when done."""

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        *,
        timeout: float | None,
        max_line_length: int = MAX_LINE_LENGTH,
        peer: str = "",
    ) -> None:
        self.timeout = timeout
        self.peer = peer
        self._reader = reader
        self._writer = writer
        self.max_line_length = max_line_length
        self._splitter = LineSplitter(max_line_length)
        self._inbox: asyncio.Queue[Line | _Closed] = asyncio.Queue(INBOX_LINES)
        self._notes: asyncio.Queue[TaskSummary | _Closed] = asyncio.Queue()
        self._lock = asyncio.Lock()
        self._busy = False
        self._error: ClientError | None = None
        self._closed_by_client = False
        self._reader_task = asyncio.create_task(self._read_loop(), name=f"nabat-client {peer}")

    @classmethod
    async def open(
        cls,
        host: str,
        port: int,
        *,
        context: ssl.SSLContext | None,
        server_hostname: str | None = None,
        timeout: float | None = 30.0,
        max_line_length: int = MAX_LINE_LENGTH,
    ) -> Connection:
        """Connect (TLS when ``context`` is given); ``ConnectFailed`` on failure."""
        peer = f"{host}:{port}"
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(
                    host,
                    port,
                    ssl=context,
                    server_hostname=(server_hostname or host) if context is not None else None,
                    limit=max_line_length * 2,
                ),
                timeout,
            )
        except ssl.SSLCertVerificationError as exc:
            raise ConnectFailed(
                f"TLS: the certificate of {peer} is not trusted ({exc.verify_message})",
                certificate=True,
            ) from exc
        except ssl.SSLError as exc:
            raise ConnectFailed(f"TLS handshake with {peer} failed: {exc.reason or exc}") from exc
        except TimeoutError as exc:
            raise ConnectFailed(f"connecting to {peer} timed out after {timeout} s") from exc
        except OSError as exc:
            reason = os.strerror(exc.errno) if exc.errno else str(exc)
            raise ConnectFailed(f"cannot connect to {peer}: {reason}") from exc
        return cls(reader, writer, timeout=timeout, max_line_length=max_line_length, peer=peer)

    # --- state --------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self._error is not None

    @property
    def error(self) -> ClientError | None:
        """Why the connection is closed (``None`` while open)."""
        return self._error

    def fail(self, error: ClientError) -> None:
        """Close the connection for ``error`` (the first cause is kept)."""
        if self._error is None:
            self._error = error
        self._writer.close()
        self._reader_task.cancel()

    async def close(self) -> None:
        """Close the connection; idempotent. Pending waiters get ``ConnectionLost``."""
        if self._error is None:
            self._closed_by_client = True
        self.fail(ConnectionLost(f"the connection to {self.peer} was closed by the client"))
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader_task
        with contextlib.suppress(OSError, ssl.SSLError, TimeoutError):
            await asyncio.wait_for(self._writer.wait_closed(), 2)

    # --- exchanges ----------------------------------------------------------

    @contextlib.asynccontextmanager
    async def exchange(self) -> AsyncIterator[Exchange]:
        """Hold the connection for one request and its reply. Leaving before
        the reply was read to its end closes the connection (it would be out
        of step otherwise)."""
        async with self._lock:
            if self._error is not None:
                raise ConnectionLost(f"not connected: {self._error}")
            exchange = Exchange(self)
            self._busy = True
            try:
                yield exchange
            finally:
                self._busy = False
                if not exchange.completed and self._error is None:
                    self.fail(ConnectionLost("the connection was closed: a reply was left unread"))

    async def send(self, data: bytes) -> None:
        if self._error is not None:
            raise _again(self._error)
        try:
            self._writer.write(data)
            await asyncio.wait_for(self._writer.drain(), self.timeout)
        except TimeoutError:
            error = ReplyTimeout(f"the server at {self.peer} did not take the request in time")
            self.fail(error)
            raise _again(error) from None
        except (OSError, RuntimeError) as exc:
            self.fail(ConnectionLost(f"connection to {self.peer} lost while sending: {exc}"))
            raise _again(self._error or ConnectionLost(str(exc))) from exc

    async def next_line(self) -> Line:
        """The next line of the current reply; a ``ClientError`` if none comes."""
        if not self._inbox.empty():
            item = self._inbox.get_nowait()
        else:
            try:
                item = await asyncio.wait_for(self._inbox.get(), self.timeout)
            except TimeoutError:
                self.fail(ReplyTimeout(f"no reply from {self.peer} within {self.timeout} s"))
                item = CLOSED
        if item is CLOSED:
            with contextlib.suppress(asyncio.QueueFull):
                self._inbox.put_nowait(CLOSED)  # for whoever asks next
            assert self._error is not None
            raise _again(self._error)
        return item

    # --- notifications ------------------------------------------------------

    def notify(self, notification: TaskSummary) -> None:
        if self._notes.qsize() >= NOTIFICATION_BUFFER:
            self._notes.get_nowait()
            log.warning("more than %d unread notifications: dropping the oldest",
                        NOTIFICATION_BUFFER)  # fmt: skip
        self._notes.put_nowait(notification)

    async def notifications(self) -> AsyncIterator[TaskSummary]:
        """MONITORING notifications as they arrive. Ends when the client
        closes the connection; raises ``ConnectionLost`` when it is lost."""
        while True:
            item = await self._notes.get()
            if item is CLOSED:
                self._notes.put_nowait(CLOSED)
                if self._closed_by_client or self._error is None:
                    return
                raise ConnectionLost(f"notifications ended: {self._error}")
            yield item

    # --- the reader task ----------------------------------------------------

    async def _read_loop(self) -> None:
        try:
            error = await self._read_lines()
        except asyncio.CancelledError:
            self._post_closed()
            raise
        if self._error is None:
            self._error = error
        self._writer.close()
        try:
            await self._inbox.put(CLOSED)  # after the lines still unread
        except asyncio.CancelledError:
            self._post_closed()
            raise
        self._notes.put_nowait(CLOSED)

    async def _read_lines(self) -> ClientError:
        """Read and route lines until the stream ends; returns why it ended."""
        try:
            while True:
                data = await self._reader.read(READ_CHUNK)
                if not data:
                    self._splitter.end_of_stream()
                    return ConnectionLost(f"the server at {self.peer} closed the connection")
                self._splitter.feed(data)
                while (body := self._splitter.next_line()) is not None:
                    await self._route(decode_reply_line(body, max_length=self.max_line_length))
        except IncompleteLine:
            return ConnectionLost(f"the server at {self.peer} closed the connection mid-line")
        except ProtocolError as exc:
            return ProtocolViolation(f"malformed line from {self.peer}: {exc}")
        except (OSError, EOFError) as exc:
            return ConnectionLost(f"connection to {self.peer} lost: {exc}")

    async def _route(self, line: Line) -> None:
        if self._busy:
            await self._inbox.put(line)
            return
        notification = as_notification(line) if line.command == "UPDATETASK" else None
        if notification is not None:
            self.notify(notification)
        else:
            log.warning("unexpected line from %s between replies, dropped: %s %s",
                        self.peer, line.command, " ".join(line.params)[:80])  # fmt: skip

    def _post_closed(self) -> None:
        """Wake every waiter (the connection is being torn down)."""
        if self._error is None:
            self._error = ConnectionLost(f"the connection to {self.peer} was closed")
        if self._inbox.full():
            self._inbox.get_nowait()
        self._inbox.put_nowait(CLOSED)
        self._notes.put_nowait(CLOSED)
