"""One client connection: bytes in, lines decoded, commands dispatched, replies out.

The read loop feeds whatever arrives to the codec's ``LineSplitter`` and
handles each complete line in order, in the check order of docs/protocol.md:
syntax (``ERR_BADSYNTAX``, word ``ERROR`` when unreadable), known word,
access (``ERR_NOACCESS``; before LOGIN only LOGIN, PING and QUIT), parameter
count (``ERR_BADARGUMENT_COUNT``), fields, then the handler from the
dispatch table (``dispatch.run``, which also answers a handler's failure:
a refusal with its code, a bug with ``ERR_INTERNAL``). Multi-line requests
(ADDABONENT ...) go through the codec's ``RequestAssembler``; a connection
closed before END drops the partial request, so it changes nothing. A bad
line costs one error reply and the session goes on. No line for
``idle_timeout`` seconds closes the session.

Each request is handled while holding ``_turn``; unsolicited MONITORING
lines are queued and written by a separate task that takes ``_turn`` too,
so they only ever appear between replies.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterable, Iterable
from contextlib import suppress
from typing import Any

from nabat.system.protocol import (
    InterruptedRequest,
    Line,
    LineSplitter,
    MultilineRequest,
    ProtocolError,
    RequestAssembler,
    Rights,
    User,
    authorize,
    decode_args,
    decode_line,
    error_reply_for,
    lookup,
)
from nabat.system.server import dispatch
from nabat.system.server.context import Call, ServerContext

log = logging.getLogger("nabat.server.session")

READ_CHUNK = 65536
FLUSH_BYTES = 65536  # a streamed reply is written and drained in pieces this big
MAX_PENDING = 10_000  # unsolicited lines queued for a client that does not read


class Session:
    def __init__(
        self,
        context: ServerContext,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        self.context = context
        self.reader = reader
        self.writer = writer
        peer: Any = writer.get_extra_info("peername")
        self.peer_host = str(peer[0]) if isinstance(peer, tuple) else str(peer)
        self.peer = f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else str(peer)
        self.user: User | None = None
        self.monitoring = False
        self.closing = False
        self._max = context.settings.max_line_length
        self._splitter = LineSplitter(self._max)
        self._assembler = RequestAssembler()
        self._turn = asyncio.Lock()
        self._pending: list[Line] = []
        self._flusher: asyncio.Task[None] | None = None

    @property
    def rights(self) -> Rights | None:
        return None if self.user is None else self.user.rights

    def log_out(self) -> None:
        self.user = None

    # --- the read loop ------------------------------------------------------

    async def run(self) -> None:
        log.info("session %s: connected", self.peer)
        try:
            await self._read_loop()
        except (ConnectionError, asyncio.IncompleteReadError, OSError) as exc:
            log.info("session %s: connection lost (%s)", self.peer, exc)
        finally:
            await self._close()

    async def _read_loop(self) -> None:
        timeout = self.context.settings.idle_timeout
        while not self.closing:
            try:
                data = await asyncio.wait_for(self.reader.read(READ_CHUNK), timeout)
            except TimeoutError:
                log.info("session %s: idle for %s s, closing", self.peer, timeout)
                return
            if not data:
                self._end_of_stream()
                return
            self._splitter.feed(data)
            while not self.closing:
                try:
                    body = self._splitter.next_line()
                except ProtocolError as exc:
                    async with self._turn:
                        await self.send([error_reply_for(exc)])
                    continue
                if body is None:
                    break
                async with self._turn:
                    await self._handle(body)

    def _end_of_stream(self) -> None:
        try:
            self._assembler.end_of_stream()
        except ProtocolError as exc:
            log.info("session %s: %s; nothing changed", self.peer, exc.message)

    async def _handle(self, body: bytes) -> None:
        try:
            line = decode_line(body, max_length=self._max)
            if self._assembler.busy:
                try:
                    request = self._assembler.feed(line)
                except InterruptedRequest as exc:
                    await self.send([error_reply_for(exc)])  # then handle the line afresh
                else:
                    if request is not None:
                        await self._run_multiline(request)
                    return
            command = lookup(line.command)
            authorize(command, self.rights, line.command)
            if command.multiline_request:
                self._assembler.feed(line)  # the BEGIN line
                return
            args = decode_args(command, line.params, line.command)
            await self._dispatch(Call(self, command, line.command, args))
        except ProtocolError as exc:
            await self.send([error_reply_for(exc)])

    async def _run_multiline(self, request: MultilineRequest) -> None:
        command = lookup(request.word)
        authorize(command, self.rights, request.word)  # rights may have changed meanwhile
        await self._dispatch(Call(self, command, request.word, {}, request))

    async def _dispatch(self, call: Call) -> None:
        await dispatch.run(call)  # a handler's failure is answered there

    # --- writing ------------------------------------------------------------

    async def send(self, lines: Iterable[Line] | AsyncIterable[Line]) -> None:
        """Write one reply; long ones are written and drained piece by piece.
        A line that cannot be encoded ends the reply with an error line."""
        buffer = bytearray()
        try:
            if isinstance(lines, AsyncIterable):
                async for line in lines:
                    buffer += line.encode(max_length=self._max)
                    if len(buffer) >= FLUSH_BYTES:
                        await self._write(buffer)
            else:
                for line in lines:
                    buffer += line.encode(max_length=self._max)
                    if len(buffer) >= FLUSH_BYTES:
                        await self._write(buffer)
        except ProtocolError as exc:
            log.error("session %s: reply line not encodable: %s", self.peer, exc)
            buffer += error_reply_for(exc).encode(max_length=self._max)
        await self._write(buffer)

    async def _write(self, buffer: bytearray) -> None:
        if buffer:
            self.writer.write(bytes(buffer))
            buffer.clear()
        await self.writer.drain()

    def notify(self, line: Line) -> None:
        """Queue an unsolicited line (MONITORING); written between replies."""
        if self.closing:
            return
        if len(self._pending) >= MAX_PENDING:
            log.warning("session %s: does not read its MONITORING lines, closing", self.peer)
            self.closing = True
            self.writer.close()
            return
        self._pending.append(line)
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush_pending())

    async def _flush_pending(self) -> None:
        with suppress(ConnectionError, OSError):
            while self._pending and not self.writer.is_closing():
                async with self._turn:
                    lines, self._pending = self._pending, []
                    await self.send(lines)

    async def _close(self) -> None:
        self.closing = True
        self.context.hub.unsubscribe(self)
        if self._flusher is not None:
            self._flusher.cancel()
        self.writer.close()
        with suppress(Exception):
            await asyncio.wait_for(self.writer.wait_closed(), 5)
        log.info("session %s: closed", self.peer)
