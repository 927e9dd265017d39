"""A small, fast HTTP/1.1 server: httptools parsing inside an asyncio.Protocol.

Why not a framework: the ATS simulator must reach a quarter of a bare
uvloop+httptools responder with its full logic (performance-facts.md); uvicorn
and aiohttp cost more than that budget before any logic runs.

How it works:
- ``HttpConnection`` feeds bytes to an ``httptools.HttpRequestParser``; the
  parser's callbacks assemble a ``Request``. A synchronous handler result is
  written at once, in order; an awaitable result marks the connection busy and
  later pipelined requests queue behind it, so replies keep request order.
- Back-pressure (a client that pipelines and never reads must not make the
  server buffer answers without bound): the transport's write buffer has a
  high-water mark (``write_high_water``). Above it (``pause_writing``) the
  connection stops answering: parsed requests queue, input is fed to the
  parser in slices of ``parse_slice_bytes`` and what is not yet parsed is kept
  (one read at most) while reading is paused. Reading and answering resume when
  the buffer drains (``resume_writing``). So one connection holds at most the
  high-water mark plus one answer, one read and ``max_queued_requests``.
- Limits: request line + headers (431), body (413, checked against
  Content-Length before the body arrives), unparsable input (400). Each of
  these answers and closes the connection; nothing else is affected. An
  ``Upgrade`` request (h2c, websocket) or CONNECT is answered once over
  HTTP/1.1, the upgrade ignored, and parsing goes on with a fresh parser.
- ``HttpServer`` keeps the set of live connections (at most
  ``max_connections``, and at most ``max_connections_per_address`` from one
  client address, so one flooding host never takes every slot: the next one
  gets 503, a half-close and is closed a second later; each connection's
  kernel send buffer is capped at ``send_buffer``, so a peer that does not
  read meets the high-water mark soon) and sweeps them
  once a second (``sweep(now)``, public so that tests pass their own time):
  a connection that has not completed its first request, or a started
  request, within ``request_timeout`` is dropped (slow-loris; 408 when it sent
  part of a request); one whose peer has not read for ``write_timeout`` while
  its buffer is above the high-water mark is aborted; a closing connection
  that cannot flush within ``write_timeout`` is aborted; an idle keep-alive
  connection is closed after ``idle_timeout`` (reset instead when its peer
  has not read what the kernel already holds for it: a FIN queued behind
  unread data would never arrive). The cached Date header is
  refreshed there too.
- ``max_url_bytes`` (off by default) answers 414 to a longer request target
  before the rest of the head is read. ``start(..., tls=context)`` serves
  HTTPS: the handshake must end within ``tls_handshake_timeout`` (a client
  that stalls it is dropped; connections count toward the limits only once
  the handshake is done).
- A HEAD request gets the head of the answer it would get, never a body
  (any status), so keep-alive framing holds.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import fcntl
import inspect
import socket
import ssl
import struct
import sys
import termios
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
REFUSED_LINGER_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class HttpLimits:
    max_head_bytes: int = 16 * 1024
    max_body_bytes: int = 64 * 1024
    request_timeout: float = 10.0
    idle_timeout: float = 75.0
    max_queued_requests: int = 64
    write_high_water: int = 64 * 1024
    write_timeout: float = 30.0
    max_connections: int = 1000
    max_connections_per_address: int = 800  # one client address never takes every slot
    send_buffer: int = 256 * 1024  # kernel send buffer per connection (SO_SNDBUF)
    parse_slice_bytes: int = 4096
    max_url_bytes: int = 0  # 0: the URL is bounded by max_head_bytes only (431); else 414
    tls_handshake_timeout: float = 10.0  # a TLS client must finish its handshake within this


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
        "_closing_since",
        "_feeding",
        "_head_bytes",
        "_head_done",
        "_head_raw",
        "_headers",
        "_in_message",
        "_last_active",
        "_parser",
        "_queue",
        "_reading",
        "_server",
        "_started",
        "_task",
        "_transport",
        "_unparsed",
        "_url",
        "_write_paused_since",
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
        self._head_done = False  # the current request's head is complete
        self._head_raw = 0  # bytes fed since the last request ended, while its head is open
        self._busy = False
        self._closed = False
        self._closing_since: float | None = None
        self._feeding = False
        self._in_message = False
        self._reading = True
        self._queue: deque[Request] = deque()
        self._unparsed = b""
        self._task: asyncio.Task[None] | None = None
        self._started: float | None = None
        self._last_active = 0.0
        self._write_paused_since: float | None = None

    # --- asyncio.Protocol ---------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport  # type: ignore[assignment]  # uvloop's is not a subclass
        server = self._server
        now = server.now()
        peer = transport.get_extra_info("peername")
        client_ip = peer[0] if peer else ""
        if (
            len(server.connections) >= server.limits.max_connections
            or server.per_address.get(client_ip, 0) >= server.limits.max_connections_per_address
        ):
            self._refuse(transport)
            return
        self._client_ip = client_ip
        server.per_address[client_ip] = server.per_address.get(client_ip, 0) + 1
        sock = transport.get_extra_info("socket")
        if sock is not None and server.limits.send_buffer:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, server.limits.send_buffer)
        self._last_active = now
        self._started = now  # the first request is due within request_timeout
        transport.set_write_buffer_limits(high=server.limits.write_high_water)  # type: ignore[attr-defined]
        server.connections.add(self)

    def _refuse(self, transport: asyncio.BaseTransport) -> None:
        """Over ``max_connections``: answer 503, half-close, close a second later.

        Closing at once would make the kernel reset the connection over the
        unread request and the client would lose the 503 itself."""
        server = self._server
        server.refused += 1
        self._closed = True  # input is read and dropped; never parsed
        writer: asyncio.WriteTransport = transport  # type: ignore[assignment]
        answer = text_response(503, "too many connections\n", close=True)
        writer.write(answer.serialize(server.date_header, False))
        if writer.can_write_eof():
            writer.write_eof()
        asyncio.get_running_loop().call_later(REFUSED_LINGER_SECONDS, writer.close)

    def connection_lost(self, exc: Exception | None) -> None:
        self._closed = True
        server = self._server
        if self in server.connections:
            server.connections.discard(self)
            left = server.per_address.get(self._client_ip, 1) - 1
            if left > 0:
                server.per_address[self._client_ip] = left
            else:
                server.per_address.pop(self._client_ip, None)
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._queue.clear()
        self._unparsed = b""

    def data_received(self, data: bytes) -> None:
        if self._closed:
            return
        self._last_active = self._server.now()
        if self._unparsed or self._must_wait():
            self._unparsed += data
            self._update_reading()
            return
        self._feed(data)

    def pause_writing(self) -> None:
        self._write_paused_since = self._server.now()
        self._update_reading()

    def resume_writing(self) -> None:
        self._write_paused_since = None
        self._drain()

    # --- httptools callbacks ------------------------------------------------
    def on_message_begin(self) -> None:
        self._url = b""
        self._headers = {}
        self._body = []
        self._head_bytes = 0
        self._in_message = True
        if self._started is None:
            self._started = self._server.now()

    def on_url(self, url: bytes) -> None:
        self._url += url
        limit = self._server.limits.max_url_bytes
        if limit and len(self._url) > limit:
            raise _RequestRejected(
                text_response(414, f"URI too long: at most {limit} bytes\n", close=True)
            )
        self._count_head(len(url))

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count_head(len(name) + len(value) + 4)
        self._headers[name.decode("latin-1").lower()] = value.decode("latin-1")

    def on_headers_complete(self) -> None:
        self._head_done = True
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
        self._head_done = False
        self._head_raw = 0
        self._started = None
        self._in_message = False
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
        if self._parser.should_upgrade() and (
            self._headers.get("content-length", "0") != "0" or "transfer-encoding" in self._headers
        ):
            # llhttp hands what follows an upgrade's head to the new protocol,
            # so this body would be lost: refuse rather than answer twice.
            raise _RequestRejected(
                text_response(400, "protocol upgrade with a request body\n", close=True)
            )
        if self._busy or self._queue or self._write_paused_since is not None:
            self._queue.append(request)
            return
        self._dispatch(request)

    # --- input flow ---------------------------------------------------------
    def _must_wait(self) -> bool:
        """True while answers must not be produced (write buffer full, queue full)."""
        return (
            self._write_paused_since is not None
            or len(self._queue) >= self._server.limits.max_queued_requests
        )

    def _feed(self, data: bytes) -> None:
        """Parse ``data`` slice by slice; keep the rest when answering must wait."""
        step = self._server.limits.parse_slice_bytes
        position = 0
        self._feeding = True
        try:
            while position < len(data) and not self._closed:
                if self._must_wait():
                    self._unparsed = data[position:]
                    break
                if position == 0 and len(data) <= step:
                    chunk = data  # the common case: no copy
                else:
                    chunk = data[position : position + step]
                position += self._parse(chunk)
        finally:
            self._feeding = False
        self._update_reading()

    def _parse(self, chunk: bytes) -> int:
        """Feed one slice; the number of its bytes consumed."""
        if not self._head_done:
            # httptools reports a header only once its line is complete, so an
            # endless header line would grow inside the parser unseen: bound
            # the raw bytes of an open head here (one slice of slack: it may
            # start with the end of the previous pipelined request).
            self._head_raw += len(chunk)
            limits = self._server.limits
            if self._head_raw > limits.max_head_bytes + limits.parse_slice_bytes:
                self._reject(text_response(431, "request head too large\n", close=True))
                return len(chunk)
        try:
            self._parser.feed_data(chunk)
        except _RequestRejected as rejected:
            self._reject(rejected.response)
        except httptools.HttpParserCallbackError as error:
            cause = error.__context__
            if isinstance(cause, _RequestRejected):
                self._reject(cause.response)
            else:
                self._reject(text_response(400, "bad request\n", close=True))
        except httptools.HttpParserUpgrade as upgrade:
            # The request was answered over HTTP/1.1 (we speak neither h2c nor
            # websocket); what follows it is parsed as HTTP/1.1 by a new parser.
            offset = upgrade.args[0] if upgrade.args else None
            self._parser = httptools.HttpRequestParser(self)
            if isinstance(offset, int) and 0 < offset <= len(chunk):
                return offset
        except httptools.HttpParserError as error:
            self._reject(text_response(400, f"malformed HTTP request: {error}\n", close=True))
        return len(chunk)

    def _drain(self) -> None:
        """Answer queued requests, then parse kept input, while the buffer allows."""
        while self._queue and not self._busy and not self._closed:
            if self._write_paused_since is not None:
                break
            self._dispatch(self._queue.popleft())
        if (
            self._unparsed
            and not self._feeding
            and not self._busy
            and not self._closed
            and not self._must_wait()
        ):
            data, self._unparsed = self._unparsed, b""
            self._feed(data)
            return
        self._update_reading()

    def _update_reading(self) -> None:
        transport = self._transport
        if transport is None or self._closed:
            return
        wanted = not self._unparsed and not self._must_wait()
        if wanted != self._reading:
            self._reading = wanted
            if wanted:
                transport.resume_reading()
            else:
                transport.pause_reading()

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
        self._drain()

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
            self._closing_since = self._server.now()
            self._queue.clear()
            self._unparsed = b""
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
        self._unparsed = b""
        transport.abort()

    def close_now(self) -> None:
        """Close; abort at once when answers are still unsent (the listener is going away)."""
        transport = self._transport
        if transport is not None and transport.get_write_buffer_size() > 0:
            self._closed = True
            self._queue.clear()
            self._unparsed = b""
            transport.abort()
        else:
            self._close()

    def buffered_bytes(self) -> int:
        """Bytes this connection holds for its peer: unsent answers and unparsed input."""
        transport = self._transport
        written = transport.get_write_buffer_size() if transport is not None else 0
        return written + len(self._unparsed)

    def sweep(self, now: float) -> None:
        """Called once a second by the server: drop slow, stuck and idle clients."""
        limits = self._server.limits
        transport = self._transport
        if transport is None:
            return
        if self._closed:
            # Closing but unable to flush: the peer does not read.
            if self._closing_since is not None and now - self._closing_since > limits.write_timeout:
                self._abort_with_reset()
            return
        paused_since = self._write_paused_since
        if paused_since is not None and now - paused_since > limits.write_timeout:
            # A reset, not abort() alone: closing a socket whose kernel queue
            # holds unread data would queue a FIN the peer never reads.
            self._abort_with_reset()
        elif self._started is not None and now - self._started > limits.request_timeout:
            if self._in_message:
                self._reject(text_response(408, "request not completed in time\n", close=True))
            else:
                self._close()
        elif (
            self._started is None
            and not self._busy
            and not self._queue
            and now - self._last_active > limits.idle_timeout
        ):
            if _unsent_in_kernel(transport):
                # Idle this long with answers still unread in the kernel: the
                # peer does not read, and a FIN queued behind them would never
                # reach it; reset instead.
                self._abort_with_reset()
            else:
                self._close()


def _unsent_in_kernel(transport: asyncio.BaseTransport) -> bool:
    """True when the socket's kernel send queue still holds bytes (Linux
    ``TIOCOUTQ``); False where that cannot be read."""
    sock = transport.get_extra_info("socket")
    if sock is None or not hasattr(termios, "TIOCOUTQ"):
        return False
    try:
        queued = fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, b"\0\0\0\0")
    except (OSError, ValueError):
        return False
    return int.from_bytes(queued, sys.byteorder, signed=True) > 0


class HttpServer:
    """Owns one listening socket, its connections and their periodic sweep.

    ``clock`` (default: the event loop's) times the connection deadlines.
    """

    def __init__(
        self,
        handler: Handler,
        limits: HttpLimits | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.handler = handler
        self.limits = limits or HttpLimits()
        self.connections: set[HttpConnection] = set()
        self.per_address: dict[str, int] = {}  # live connections by client address
        self.refused = 0  # connections turned away at max_connections
        self.date_header = b""
        self._server: asyncio.base_events.Server | None = None
        self._sweeper: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._clock = clock
        self._tls: ssl.SSLContext | None = None
        self.host = ""
        self.port = 0
        self._refresh_date()

    def now(self) -> float:
        if self._clock is not None:
            return self._clock()
        assert self._loop is not None
        return self._loop.time()

    def buffered_bytes(self) -> int:
        """Bytes held for all connections (unsent answers and unparsed input)."""
        return sum(connection.buffered_bytes() for connection in self.connections)

    async def start(self, host: str, port: int, tls: ssl.SSLContext | None = None) -> None:
        """Listen; with ``tls``, HTTPS (handshakes bounded by ``tls_handshake_timeout``)."""
        self._loop = asyncio.get_running_loop()
        if tls is not None:
            self._tls = tls
        self._server = await self._loop.create_server(
            lambda: HttpConnection(self),
            host,
            port,
            reuse_address=True,
            backlog=1024,
            ssl=self._tls,
            ssl_handshake_timeout=self.limits.tls_handshake_timeout if self._tls else None,
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
                connection.close_now()
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

    def sweep(self, now: float) -> None:
        """Apply every connection deadline as of ``now``."""
        for connection in list(self.connections):
            connection.sweep(now)

    def _refresh_date(self) -> None:
        self.date_header = b"Date: " + email.utils.formatdate(usegmt=True).encode("ascii") + b"\r\n"

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(1.0)
            self._refresh_date()
            self.sweep(self.now())
