"""The generic client: connect, send any request, read its reply.

``ClientCore`` owns a ``Connection`` and offers four levels, all serialized
by the connection's lock:

* ``request(word, *params)``: raw text parameters, the whole ``Reply``;
* ``request_lines(lines)``: a multi-line request (ADDABONENT, SENDRAWFILE);
* ``call(word, *values)``: Python values encoded with the command table's
  field codecs (validated before anything is sent; a trailing ``None`` leaves
  an optional parameter out);
* ``stream(word, *values)``: a listing item by item (``ListingStream``).

Replies are read with the codec's ``ReplyCollector``; an error reply raises
``ServerError`` (or is returned with ``check=False``); MONITORING lines met
on the way go to ``notifications()``. The typed methods live in
``nabat.system.client.client``.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Callable, Coroutine, Generator, Sequence
from os import PathLike
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

from nabat.system.client.connection import Connection, Exchange
from nabat.system.client.errors import ClientError, ProtocolViolation, ServerError
from nabat.system.client.streams import Item, ListingStream
from nabat.system.protocol import (
    MAX_LINE_LENGTH,
    Command,
    Line,
    ProtocolError,
    Reply,
    ReplyCollector,
    TaskSummary,
    check_arity,
    encode_lines,
    lookup,
)
from nabat.system.protocol.fields import encode_field
from nabat.system.tls import client_context

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7021
DEFAULT_TIMEOUT = 30.0


def encode_values(command: Command, values: Sequence[object]) -> tuple[str, ...]:
    """Python values to the request's text parameters, via the table's codecs.
    ``None`` is an empty parameter; trailing ``None`` optional ones are left out."""
    count = len(values)
    while count > command.min_params and values[count - 1] is None:
        count -= 1
    check_arity(command, [str(value) for value in values[:count]])
    params = []
    for name, codec, value in zip(command.params, command.codecs, values[:count], strict=False):
        params.append("" if value is None else encode_field(name, codec, value))
    return tuple(params)


C = TypeVar("C", bound="ClientCore")


class _Connecting(Generic[C]):
    """What ``connect`` returns: await it, or use it as ``async with``."""

    def __init__(self, make: Callable[[], Coroutine[Any, Any, C]]) -> None:
        self._make = make
        self._client: C | None = None

    def __await__(self) -> Generator[Any, None, C]:
        return self._make().__await__()

    async def __aenter__(self) -> C:
        self._client = await self._make()
        return self._client

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._client is not None:
            await self._client.close()


async def open_connection(
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
) -> Connection:
    """The connection every client of the protocol opens (options as ``connect``)."""
    context: ssl.SSLContext | None = None
    if tls:
        context = ssl_context or client_context(cafile, insecure=insecure)
    return await Connection.open(
        host, port, context=context, server_hostname=server_hostname,
        timeout=timeout, max_line_length=max_line_length,
    )  # fmt: skip


class ClientCore:
    """See the module comment; ``NabatClient`` adds the typed methods."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    @classmethod
    def connect(
        cls: type[C],
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
    ) -> _Connecting[C]:
        """Connect: ``client = await NabatClient.connect(...)`` or
        ``async with NabatClient.connect(...) as client``.

        TLS verifies the server against ``cafile`` (its self-signed
        certificate will do), else the system trust store; ``insecure`` turns
        verification off (tests only); ``ssl_context`` replaces both;
        ``tls=False`` speaks plain TCP (test doubles only). ``timeout``: seconds
        to connect, and to wait for each line of a reply; ``None`` waits forever.
        """

        async def make() -> C:
            connection = await open_connection(
                host, port, cafile=cafile, insecure=insecure,
                server_hostname=server_hostname, timeout=timeout, ssl_context=ssl_context,
                tls=tls, max_line_length=max_line_length,
            )  # fmt: skip
            return cls(connection)

        return _Connecting(make)

    async def close(self) -> None:
        await self.connection.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    @property
    def closed(self) -> bool:
        return self.connection.closed

    def notifications(self) -> AsyncIterator[TaskSummary]:
        """MONITORING notifications (``UPDATETASK OK`` lines) as they arrive,
        also those that came in the middle of another reply."""
        return self.connection.notifications()

    # --- generic requests ---------------------------------------------------

    async def request(self, word: str, *params: str, check: bool = True) -> Reply:
        """Send ``WORD params...`` (raw text, escaped by the codec) and read the
        reply; ``ServerError`` for an error reply unless ``check=False``."""
        return await self.request_lines([Line(word, params)], check=check)

    async def request_lines(self, lines: Sequence[Line], *, check: bool = True) -> Reply:
        """Send one request of one or more lines (all of one word) and read the
        reply; the word of the first line decides the reply's shape."""
        if not lines:
            raise ValueError("a request needs at least one line")
        first = lines[0]
        collector = ReplyCollector(first.command, first.params)  # UnknownCommand if not known
        data = encode_lines(lines, max_length=self.connection.max_line_length)
        async with self.connection.exchange() as exchange:
            await exchange.send(data)
            seen = 0
            while True:
                line = await exchange.next_line()
                try:
                    reply = collector.feed(line)
                except ProtocolError as exc:
                    raise exchange.fail(self._violation(first.command, exc)) from exc
                for notification in collector.notifications[seen:]:
                    exchange.notify(notification)
                seen = len(collector.notifications)
                if reply is not None:
                    exchange.complete()
                    break
        if check and reply.error is not None:
            raise ServerError.from_reply(reply.error)
        return reply

    async def call(self, word: str, *values: object) -> Reply:
        """``request`` with Python values encoded by the command table."""
        return await self.request(word, *encode_values(lookup(word), values))

    async def stream(self, word: str, *values: object) -> AsyncIterator[Item]:
        """A listing's items one by one: rows (tuples of text) or, for
        GETABONENTS, ``Abonent`` records. Leaving the loop early reads (and
        drops) the rest of the reply so the connection stays usable."""
        params = encode_values(lookup(word), values)
        listing = ListingStream(word)
        data = encode_lines([Line(word, params)], max_length=self.connection.max_line_length)
        async with self.connection.exchange() as exchange:
            await exchange.send(data)
            try:
                while not listing.done:
                    for item in await self._next_items(exchange, listing):
                        yield item
                exchange.complete()
            except GeneratorExit:
                await self._drain(exchange, listing)
                raise

    # --- internals ----------------------------------------------------------

    async def _next_items(self, exchange: Exchange, listing: ListingStream) -> list[Item]:
        line = await exchange.next_line()
        seen = len(listing.notifications)
        try:
            items = listing.feed(line)
        except ServerError:
            exchange.complete()
            raise
        except ProtocolError as exc:
            raise exchange.fail(self._violation(listing.word, exc)) from exc
        for notification in listing.notifications[seen:]:
            exchange.notify(notification)
        return items

    async def _drain(self, exchange: Exchange, listing: ListingStream) -> None:
        """Read the rest of an abandoned listing; on any failure the
        connection is closed by the exchange instead."""
        try:
            while not listing.done:
                await self._next_items(exchange, listing)
            exchange.complete()
        except (ClientError, ProtocolError):
            pass

    @staticmethod
    def _violation(word: str, exc: ProtocolError) -> ProtocolViolation:
        return ProtocolViolation(f"unexpected reply to {word}: {exc.message}")
