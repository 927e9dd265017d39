"""A small, fast HTTP/1.1 server: httptools parsing inside an asyncio.Protocol.

Why not a framework: the ATS simulator must reach a quarter of a bare
uvloop+httptools responder with its full logic (performance-facts.md); uvicorn
and aiohttp cost more than that budget before any logic runs.

How it works:
- ``HttpConnection`` feeds bytes to an ``httptools.HttpRequestParser``; the
  parser's callbacks assemble a ``Request``. A synchronous handler result is
  written at once, in order; an awaitable result marks the connection busy and
  later pipelined requests queue behind it, so replies keep request order.
- Limits: request line + headers (431), body (413, checked against
  Content-Length before the body arrives), unparsable input (400). Each of
  these answers and closes the connection; nothing else is affected.
- ``HttpServer`` keeps the set of live connections and sweeps them once a
  second: a client that started a request and has not finished it within
  ``request_timeout`` is dropped (slow-loris), an idle keep-alive connection
  is closed after ``idle_timeout``. The cached Date header is refreshed there too.
- A HEAD request gets the head of the answer it would get, never a body
  (any status), so keep-alive framing holds.
- Backpressure: when the transport's write buffer is full, reading pauses.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import inspect
import socket
import struct
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

import httptools
from nabat.simulators.http.messages import (
    Action,
    Close,
    HandlerResult,
    RawThenClose,
    Request,
    Reset,
    Response,
    text_response,
)

Handler = Callable[[Request], HandlerResult]


@dataclass(frozen=True, slots=True)
class HttpLimits:
    max_head_bytes: int = 16 * 1024
    max_body_bytes: int = 64 * 1024
    request_timeout: float = 10.0
    idle_timeout: float = 75.0
    max_queued_requests: int = 64


class _RequestRejected(Exception):
    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


class HttpConnection(asyncio.Protocol):
    __slots__ = (
        "_body",
        "_busy",
        "_client_ip",
        "_closed",
        "_head_bytes",
        "_headers",
        "_last_active",
        "_parser",
        "_paused",
        "_queue",
        "_server",
        "_started",
        "_task",
        "_transport",
        "_url",
    )

    def __init__(self, server: HttpServer) -> None:
        self._server = server
        self._parser = httptools.HttpRequestParser(self)
        self._transport: asyncio.Transport | None = None
        self._client_ip = ""
        self._url = b""
        self._headers: dict[str, str] = {}
        self._body: list[bytes] = []
        self._head_bytes = 0
        self._busy = False
        self._closed = False
        self._paused = False
        self._queue: deque[Request] = deque()
        self._task: asyncio.Task[None] | None = None
        self._started: float | None = None
        self._last_active = 0.0

    # --- asyncio.Protocol ---------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport  # type: ignore[assignment]  # uvloop's is not a subclass
        peer = transport.get_extra_info("peername")
        self._client_ip = peer[0] if peer else ""
        self._last_active = self._server.now()
        self._server.connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self._closed = True
        self._server.connections.discard(self)
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._queue.clear()

    def data_received(self, data: bytes) -> None:
        if self._closed:
            return
        self._last_active = self._server.now()
        try:
            self._parser.feed_data(data)
        except _RequestRejected as rejected:
            self._reject(rejected.response)
        except httptools.HttpParserCallbackError as error:
            cause = error.__context__
            if isinstance(cause, _RequestRejected):
                self._reject(cause.response)
            else:
                self._reject(text_response(400, "bad request\n", close=True))
        except httptools.HttpParserUpgrade:
            self._reject(text_response(400, "protocol upgrade is not supported\n", close=True))
        except httptools.HttpParserError as error:
            self._reject(text_response(400, f"malformed HTTP request: {error}\n", close=True))

    def pause_writing(self) -> None:
        if self._transport is not None:
            self._transport.pause_reading()

    def resume_writing(self) -> None:
        if self._transport is not None and not self._paused:
            self._transport.resume_reading()

    # --- httptools callbacks ------------------------------------------------
    def on_message_begin(self) -> None:
        self._url = b""
        self._headers = {}
        self._body = []
        self._head_bytes = 0
        self._started = self._server.now()

    def on_url(self, url: bytes) -> None:
        self._url += url
        self._count_head(len(url))

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count_head(len(name) + len(value) + 4)
        self._headers[name.decode("latin-1").lower()] = value.decode("latin-1")

    def on_headers_complete(self) -> None:
        length = self._headers.get("content-length")
        if (
            length is not None
            and length.isdigit()
            and int(length) > self._server.limits.max_body_bytes
        ):
            raise _RequestRejected(text_response(413, "request body too large\n", close=True))

    def on_body(self, body: bytes) -> None:
        self._body.append(body)
        if sum(map(len, self._body)) > self._server.limits.max_body_bytes:
            raise _RequestRejected(text_response(413, "request body too large\n", close=True))

    def on_message_complete(self) -> None:
        self._started = None
        url = self._url
        query = ""
        if url[:1] == b"/" and b"?" not in url and b"%" not in url and url.isascii():
            path = url.decode("ascii")  # the common case: a plain origin-form path
        else:
            parsed = httptools.parse_url(url)
            raw_path: bytes = parsed.path or b"/"
            query = (parsed.query or b"").decode("latin-1")
            try:
                path = unquote_to_bytes(raw_path).decode("utf-8")
            except UnicodeDecodeError:
                raise _RequestRejected(
                    text_response(400, "request path is not UTF-8\n", close=True)
                ) from None
        request = Request(
            method=self._parser.get_method().decode("ascii"),
            path=path,
            query=query,
            headers=self._headers,
            body=b"".join(self._body) if self._body else b"",
            client_ip=self._client_ip,
            keep_alive=self._parser.should_keep_alive(),
        )
        if self._busy:
            self._queue.append(request)
            if len(self._queue) >= self._server.limits.max_queued_requests and self._transport:
                self._paused = True
                self._transport.pause_reading()
            return
        self._dispatch(request)

    # --- internals ----------------------------------------------------------
    def _count_head(self, size: int) -> None:
        self._head_bytes += size
        if self._head_bytes > self._server.limits.max_head_bytes:
            raise _RequestRejected(text_response(431, "request head too large\n", close=True))

    def _dispatch(self, request: Request) -> None:
        try:
            result = self._server.handler(request)
        except Exception as error:  # a handler bug must not kill the connection silently
            result = text_response(500, f"simulator error: {error!r}\n")
        head = request.method == "HEAD"
        if type(result) is Response:
            self._apply(result, request.keep_alive, head)
        elif inspect.isawaitable(result):
            self._busy = True
            self._task = asyncio.ensure_future(self._finish(result, request.keep_alive, head))
        else:
            self._apply(result, request.keep_alive, head)

    async def _finish(self, pending: object, keep_alive: bool, head: bool) -> None:
        try:
            result: Action = await pending  # type: ignore[misc]
        except asyncio.CancelledError:
            raise
        except Exception as error:
            result = text_response(500, f"simulator error: {error!r}\n")
        self._busy = False
        self._task = None
        if self._closed:
            return
        self._apply(result, keep_alive, head)
        while self._queue and not self._busy and not self._closed:
            self._dispatch(self._queue.popleft())
        if self._paused and not self._queue and self._transport is not None and not self._closed:
            self._paused = False
            self._transport.resume_reading()

    def _apply(self, result: Action, keep_alive: bool, head: bool = False) -> None:
        transport = self._transport
        if transport is None or self._closed:
            return
        if type(result) is Response:
            transport.write(result.serialize(self._server.date_header, keep_alive, head))
            if result.close or not keep_alive:
                self._close()
        elif isinstance(result, Reset):
            self._abort_with_reset()
        elif isinstance(result, RawThenClose):
            transport.write(result.data)
            self._close()
        elif isinstance(result, Close):
            self._close()
        else:  # pragma: no cover - a handler returned something else
            transport.write(
                text_response(500, "bad handler result\n").serialize(
                    self._server.date_header, False
                )
            )
            self._close()

    def _reject(self, response: Response) -> None:
        if self._transport is not None and not self._closed:
            self._transport.write(response.serialize(self._server.date_header, False))
        self._close()

    def _close(self) -> None:
        if not self._closed and self._transport is not None:
            self._closed = True
            self._queue.clear()
            self._transport.close()

    def _abort_with_reset(self) -> None:
        transport = self._transport
        if transport is None:
            return
        sock = transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self._closed = True
        self._queue.clear()
        transport.abort()

    def sweep(self, now: float) -> None:
        """Called once a second by the server: drop slow and idle clients."""
        limits = self._server.limits
        if self._started is not None and now - self._started > limits.request_timeout:
            self._reject(text_response(408, "request not completed in time\n", close=True))
        elif (
            self._started is None
            and not self._busy
            and now - self._last_active > limits.idle_timeout
        ):
            self._close()


class HttpServer:
    """Owns one listening socket, its connections and their periodic sweep."""

    def __init__(self, handler: Handler, limits: HttpLimits | None = None) -> None:
        self.handler = handler
        self.limits = limits or HttpLimits()
        self.connections: set[HttpConnection] = set()
        self.date_header = b""
        self._server: asyncio.base_events.Server | None = None
        self._sweeper: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.host = ""
        self.port = 0
        self._refresh_date()

    def now(self) -> float:
        assert self._loop is not None
        return self._loop.time()

    async def start(self, host: str, port: int) -> None:
        self._loop = asyncio.get_running_loop()
        self._server = await self._loop.create_server(
            lambda: HttpConnection(self), host, port, reuse_address=True, backlog=1024
        )
        sockname = self._server.sockets[0].getsockname()
        self.host, self.port = sockname[0], sockname[1]
        if self._sweeper is None:
            self._sweeper = asyncio.ensure_future(self._sweep_forever())

    @property
    def listening(self) -> bool:
        return self._server is not None

    async def stop_listening(self) -> None:
        """Close the listening socket and every live connection; new connects are refused."""
        if self._server is not None:
            self._server.close()
            for connection in list(self.connections):
                connection._close()
            await self._server.wait_closed()
            self._server = None

    async def resume_listening(self) -> None:
        if self._server is None:
            await self.start(self.host, self.port)

    async def close(self) -> None:
        await self.stop_listening()
        if self._sweeper is not None:
            self._sweeper.cancel()
            self._sweeper = None

    def _refresh_date(self) -> None:
        self.date_header = b"Date: " + email.utils.formatdate(usegmt=True).encode("ascii") + b"\r\n"

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(1.0)
            self._refresh_date()
            now = self.now()
            for connection in list(self.connections):
                connection.sweep(now)
