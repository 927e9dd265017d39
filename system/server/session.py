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
line costs one error reply and the session goes on.

Deadlines (read from the live settings each time; ``idle_timeout`` when the
session starts): no complete line for ``idle_timeout`` seconds closes the
session (a partial line, however slowly it trickles in, does not count); a
session not logged in within ``login_timeout`` seconds of connecting (or of a failed LOGIN) gets
``ERROR ERR_NOACCESS`` and is closed; a reply the client does not read
within ``write_timeout`` seconds (each ``drain()``) closes the session at
once (``ClientNotReading``), so a client that stops reading holds nothing
longer than that. The session's ``Ticket`` (``admission.py``) follows its
login state, so sessions not logged in count against their own pool.

Each request is handled while holding ``_turn``; unsolicited MONITORING
lines are queued and written by a separate task that takes ``_turn`` too,
so they only ever appear between replies.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import struct
from collections.abc import AsyncIterable, Iterable
from contextlib import suppress
from typing import Any

from nabat.system.protocol import (
    ERROR_WORD,
    ErrorCode,
    InterruptedRequest,
    Line,
    LineSplitter,
    MultilineRequest,
    ProtocolError,
    RequestAssembler,
    RequestLimits,
    Rights,
    User,
    authorize,
    decode_args,
    decode_line,
    error_reply,
    error_reply_for,
    lookup,
)
from nabat.system.server import dispatch
from nabat.system.server.admission import Ticket
from nabat.system.server.context import Call, ServerContext, blocking

log = logging.getLogger("nabat.server.session")

READ_CHUNK = 65536
FLUSH_BYTES = 65536  # a streamed reply is written and drained in pieces this big
MAX_PENDING = 10_000  # unsolicited lines queued for a client that does not read
USER_DELETED_TEXT = "учётная запись удалена, сеанс закрыт (user deleted)"


class ClientNotReading(ConnectionError):
    """The client did not read a reply within ``write_timeout``; the session is closed."""


class Session:
    def __init__(
        self,
        context: ServerContext,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        ticket: Ticket | None = None,
    ) -> None:
        self.context = context
        self.ticket = ticket
        self.reader = reader
        self.writer = writer
        peer: Any = writer.get_extra_info("peername")
        self.peer_host = str(peer[0]) if isinstance(peer, tuple) else str(peer)
        self.peer = f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else str(peer)
        self._user: User | None = None
        self._user_generation = 0  # the store's account generation when _user was read
        self._loop = asyncio.get_running_loop()
        self._idle_timeout = context.settings.idle_timeout  # SETCONFIG: for new sessions
        self._last_line = self._loop.time()  # the last complete line read
        self._unauthenticated_since: float | None = self._last_line
        self.monitoring = False
        self.closing = False
        self._max = context.settings.max_line_length
        self._splitter = LineSplitter(self._max)
        self._assembler = RequestAssembler(
            RequestLimits(max_file_size=context.settings.max_upload_size),
            file_sink=lambda name, size: context.files.begin_upload(name),  # streamed to disk
        )
        self._turn = asyncio.Lock()
        self._pending: list[Line] = []
        self._flusher: asyncio.Task[None] | None = None

    @property
    def rights(self) -> Rights | None:
        return None if self.user is None else self.user.rights

    @property
    def user(self) -> User | None:
        return self._user

    @user.setter
    def user(self, user: User | None) -> None:
        """LOGIN sets it, a failed LOGIN clears it; the admission pools follow."""
        if (user is None) != (self._user is None):
            self._unauthenticated_since = self._loop.time() if user is None else None
            if self.ticket is not None:
                self.ticket.logged_in(user is not None)
        self._user = user
        self._user_generation = self.context.store.users.generation

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

    def _deadline(self) -> tuple[float, str]:
        """When the session is closed if no complete line comes, and why."""
        settings = self.context.settings
        deadline = self._last_line + self._idle_timeout
        reason = "idle"
        if self._unauthenticated_since is not None:
            login_deadline = self._unauthenticated_since + settings.login_timeout
            if login_deadline < deadline:
                deadline, reason = login_deadline, "login"
        return deadline, reason

    async def _read_loop(self) -> None:
        while not self.closing:
            deadline, reason = self._deadline()
            try:
                async with asyncio.timeout_at(deadline):
                    data = await self.reader.read(READ_CHUNK)
            except TimeoutError:
                if self._deadline() == (deadline, reason):  # not moved meanwhile
                    await self._expire(reason)
                    return
                continue
            if not data:
                self._end_of_stream()
                return
            self._splitter.feed(data)
            while not self.closing:
                try:
                    body = self._splitter.next_line()
                except ProtocolError as exc:
                    self._last_line = self._loop.time()
                    async with self._turn:
                        await self.send([error_reply_for(exc)])
                    continue
                if body is None:
                    break
                self._last_line = self._loop.time()
                async with self._turn:
                    await self._handle(body)
                self._last_line = self._loop.time()  # a long reply is not idleness

    async def _expire(self, reason: str) -> None:
        settings = self.context.settings
        if reason == "idle":
            log.info("session %s: no line for %s s, closing", self.peer, self._idle_timeout)
            return
        log.info("session %s: not logged in within %s s, closing", self.peer,
                 settings.login_timeout)  # fmt: skip
        text = f"not logged in within {settings.login_timeout:g} s; closing"
        async with self._turn:
            await self.send([error_reply(ERROR_WORD, ErrorCode.NOACCESS, text)])

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
            if not await self._follow_account(line.command):
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
        if not await self._follow_account(request.word):
            return
        command = lookup(request.word)
        authorize(command, self.rights, request.word)  # rights may have changed meanwhile
        await self._dispatch(Call(self, command, request.word, {}, request))

    async def _follow_account(self, word: str) -> bool:
        """Re-read the user after any account change (USERCHG, USERDEL), so each
        command runs with the rights in force now; a deleted user is answered
        ``ERR_NOACCESS`` and its session ends (False)."""
        users = self.context.store.users
        if self._user is None or self._user_generation == users.generation:
            return True  # the usual case: no account changed, no query
        generation, login = users.generation, self._user.login
        current = await blocking(users.find, login)
        if current is not None:
            self._user, self._user_generation = current, generation
            return True
        log.warning("session %s: user %r was deleted, closing", self.peer, login)
        self.user = None
        await self.send([error_reply(word, ErrorCode.NOACCESS, USER_DELETED_TEXT)])
        self.closing = True
        return False

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
        timeout = self.context.settings.write_timeout
        try:
            await asyncio.wait_for(self.writer.drain(), timeout)
        except TimeoutError:
            log.warning("session %s: did not read its reply for %s s, disconnecting",
                        self.peer, timeout)  # fmt: skip
            self.closing = True
            self._reset()
            raise ClientNotReading(f"not reading for {timeout} s") from None

    def _reset(self) -> None:
        """Close at once with a TCP reset: what is buffered for the client (ours and
        the kernel's) is dropped, not kept until a peer that does not read takes it."""
        sock = self.writer.get_extra_info("socket")
        if sock is not None:
            with suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.transport.abort()

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
        with suppress(ConnectionError, OSError):  # ClientNotReading closed the session
            while self._pending and not self.writer.is_closing():
                async with self._turn:
                    lines, self._pending = self._pending, []
                    await self.send(lines)

    async def _close(self) -> None:
        self.closing = True
        self._assembler.abandon()  # an upload left open: its temporary file goes
        self.context.hub.unsubscribe(self)
        if self._flusher is not None:
            self._flusher.cancel()
        self.writer.close()
        with suppress(Exception):
            await asyncio.wait_for(self.writer.wait_closed(), 5)
        log.info("session %s: closed", self.peer)
