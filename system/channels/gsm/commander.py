"""One AT command at a time over a link, with timeouts, and URCs interleaved.

How it works: ``AtCommander`` wraps the sans-I/O ``ResponseParser`` of
``nabat.system.wire.at``. ``run(command)`` takes the lock (V.250: one
command line at a time), tells the parser what was sent, writes the line
and waits — on the injected clock — for the final result code; the
information lines in between are the ``Response``. ``run_with_body`` does
the two-step +CMGS exchange: the line, the ``> `` prompt, then the body and
Ctrl-Z. Bytes from the link come in through ``feed``; every unsolicited
result code the parser recognises goes to ``on_urc`` at once, whether or not
a command is waiting, and an exception there is logged, never raised into
the reader. Huawei's ``COMMAND NOT SUPPORT`` ends a command as ERROR. NO
CARRIER / BUSY / NO ANSWER while a command other than ATD/ATA waits is a
call ending that crossed the command on the line: it goes to ``on_urc`` and
the command keeps waiting for its own final.

Finals map to exceptions: ``+CME/+CMS ERROR`` -> the named
``ModemReportedError`` (errors.py), ``ERROR`` -> ``CommandRejected``; NO
CARRIER / BUSY / NO ANSWER / NO DIALTONE are returned when the caller said
``expect_ok=False`` (ATD), else rejected. No final within the timeout is
``ModemTimeout`` (``SubmissionUncertain`` once an SMS body was written: the
network may have taken it); a link that goes away (``detach``) fails the waiting
command with the link's error. After either the commander stays usable for
a new link (``attach`` makes a fresh parser).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from nabat.system.channels.clock import Clock, LoopClock, within
from nabat.system.channels.gsm.errors import (
    CommandRejected,
    LinkError,
    ModemTimeout,
    PortLost,
    SubmissionUncertain,
    modem_error,
)
from nabat.system.wire.at import (
    CTRL_Z,
    Echo,
    FinalKind,
    FinalResult,
    InfoLine,
    Overflow,
    ParserState,
    ResponseParser,
    SmsPrompt,
    Urc,
)

log = logging.getLogger("nabat.channels.gsm.commander")
T = TypeVar("T")

NOT_SUPPORTED = "COMMAND NOT SUPPORT"
CALL_ENDINGS = frozenset(
    {FinalKind.NO_CARRIER, FinalKind.BUSY, FinalKind.NO_ANSWER, FinalKind.NO_DIALTONE}
)


@dataclass(frozen=True, slots=True)
class Response:
    command: str
    lines: tuple[str, ...]
    final: FinalResult

    def values(self, name: str) -> list[str]:
        """The text after ``NAME:`` of each line that starts with it (``+CSQ`` -> ``21,99``)."""
        prefix = name.upper() + ":"
        return [
            line.split(":", 1)[1].strip() for line in self.lines if line.upper().startswith(prefix)
        ]


@dataclass(slots=True)
class _Exchange:
    command: str
    final: asyncio.Future[FinalResult]
    prompt: asyncio.Future[None] | None = None
    lines: list[str] = field(default_factory=list)
    on_final: Callable[[FinalResult], None] | None = None
    answered: bool = False  # its final result code was parsed

    @property
    def dials(self) -> bool:
        """ATD / ATA: the commands whose final may be NO CARRIER, BUSY or NO ANSWER."""
        return self.command.upper().replace(" ", "").startswith(("ATD", "ATA"))


class AtCommander:
    def __init__(self, clock: Clock, on_urc: Callable[[Urc], None], name: str = "gsm") -> None:
        self._clock = clock
        self._on_urc = on_urc
        self._name = name
        self._lock = asyncio.Lock()
        self._parser = ResponseParser()
        self._write: Callable[[bytes], None] | None = None
        self._pending: _Exchange | None = None
        self.commands = 0
        self.urcs = 0

    # --- the link ------------------------------------------------------------------
    def attach(self, write: Callable[[bytes], None]) -> None:
        """A new link: a fresh parser, commands go to ``write``."""
        self._parser = ResponseParser()
        self._write = write

    def detach(self, error: LinkError) -> None:
        """The link is gone: the waiting command fails with ``error``."""
        self._write = None
        pending = self._pending
        if pending is not None:
            for future in (pending.final, pending.prompt):
                if future is not None and not future.done():
                    future.set_exception(error)

    @property
    def attached(self) -> bool:
        return self._write is not None

    @property
    def busy(self) -> bool:
        """A command is waiting for its final result code."""
        return self._pending is not None

    def feed(self, data: bytes) -> None:
        for event in self._parser.feed(data):
            if isinstance(event, Urc):
                self._dispatch(event)
            elif isinstance(event, FinalResult):
                self._finish(event)
            elif isinstance(event, InfoLine):
                self._info(event.line)
            elif isinstance(event, SmsPrompt):
                pending = self._pending
                if pending is not None and pending.prompt is not None and not pending.prompt.done():
                    pending.prompt.set_result(None)
            elif isinstance(event, Overflow):
                log.warning("%s: a line of %d bytes was dropped", self._name, event.length)
            elif isinstance(event, Echo):
                continue

    def _dispatch(self, urc: Urc) -> None:
        self.urcs += 1
        try:
            self._on_urc(urc)
        except Exception:
            log.exception("%s: handling %r failed", self._name, urc.line)

    def _info(self, line: str) -> None:
        pending = self._pending
        if pending is None:
            return
        if line.strip().upper() == NOT_SUPPORTED:
            self._parser.abort()
            self._finish(FinalResult(FinalKind.ERROR, line.strip()))
            return
        pending.lines.append(line)

    def _finish(self, final: FinalResult) -> None:
        pending = self._pending
        if pending is not None and final.kind in CALL_ENDINGS and not pending.dials:
            # V.250: only D and A end in NO CARRIER / BUSY / NO ANSWER. While another
            # command waits, such a line is the end of a call (a URC): keep waiting.
            self._parser.command_sent(pending.command)
            self._dispatch(Urc(final.kind.value, final.line, known=False))
            return
        if pending is not None and not pending.final.done():
            pending.answered = True
            if pending.on_final is not None:
                pending.on_final(final)
            pending.final.set_result(final)
            if pending.prompt is not None and not pending.prompt.done():
                pending.prompt.set_result(None)  # a final instead of the prompt: no body

    # --- commands --------------------------------------------------------------------
    def _send(self, data: bytes) -> None:
        if self._write is None:
            raise PortLost("no link to the modem")
        self._write(data)

    async def run(
        self,
        command: str,
        *,
        timeout: float,
        expect_ok: bool = True,
        on_final: Callable[[FinalResult], None] | None = None,
    ) -> Response:
        """Send ``command`` (without CR); its information lines and final result code.

        ``on_final`` runs the moment the final result code is parsed, before any
        URC that followed it in the same read (ATD: from then on call URCs count)."""
        async with self._lock:
            exchange = self._start(command, prompting=False)
            exchange.on_final = on_final
            try:
                final = await self._await(exchange.final, exchange, timeout)
            finally:
                self._done(exchange)
            return self._judge(exchange, final, expect_ok)

    async def run_with_body(self, command: str, body: str, *, timeout: float) -> Response:
        """``AT+CMGS=<n>``: the line, the ``> `` prompt, then ``body`` and Ctrl-Z."""
        async with self._lock:
            exchange = self._start(command, prompting=True)
            assert exchange.prompt is not None
            try:
                await self._await(exchange.prompt, exchange, timeout)  # the final also ends it
                if exchange.final.done():
                    final = exchange.final.result()
                else:
                    try:
                        self._send(body.encode("latin-1") + bytes([CTRL_Z]))
                        final = await self._await(exchange.final, exchange, timeout)
                    except LinkError as error:
                        raise SubmissionUncertain(str(error)) from error
            finally:
                self._done(exchange)
            return self._judge(exchange, final, expect_ok=True)

    def _done(self, exchange: _Exchange) -> None:
        """The exchange is over; cancelled before its final, the parser stops waiting."""
        self._pending = None
        if not exchange.answered:
            self._parser.abort()

    def _start(self, command: str, *, prompting: bool) -> _Exchange:
        loop = asyncio.get_running_loop()
        if self._write is None:
            raise PortLost("no link to the modem")
        if self._parser.state is not ParserState.IDLE:
            self._parser.abort()  # never expected; a parser that waits would refuse the line
        self._parser.command_sent(command)
        exchange = _Exchange(
            command, loop.create_future(), loop.create_future() if prompting else None
        )
        self._pending = exchange
        self.commands += 1
        try:
            self._send(command.encode("latin-1") + b"\r")
        except LinkError:
            self._pending = None
            self._parser.abort()
            raise
        return exchange

    async def _await(self, future: asyncio.Future[T], exchange: _Exchange, timeout: float) -> T:
        if isinstance(self._clock, LoopClock):  # real time: one timer, no extra task
            timer = asyncio.get_running_loop().call_later(
                timeout, self._expire, future, exchange, timeout
            )
            try:
                return await future
            finally:
                timer.cancel()
        try:
            return await within(self._clock, future, timeout)
        except TimeoutError:
            self._parser.abort()
            raise self._timeout(exchange, timeout) from None

    @staticmethod
    def _timeout(exchange: _Exchange, timeout: float) -> ModemTimeout:
        return ModemTimeout(f"{exchange.command}: no answer within {timeout:g} s")

    def _expire(self, future: asyncio.Future[T], exchange: _Exchange, timeout: float) -> None:
        if not future.done():
            self._parser.abort()
            future.set_exception(self._timeout(exchange, timeout))

    @staticmethod
    def _judge(exchange: _Exchange, final: FinalResult, expect_ok: bool) -> Response:
        response = Response(exchange.command, tuple(exchange.lines), final)
        if final.ok:
            return response
        if final.error is not None:
            raise modem_error(exchange.command, final.line, final.error)
        if final.kind is FinalKind.ERROR or expect_ok:
            raise CommandRejected(exchange.command, final.line)
        return response

    async def write_raw(self, data: bytes) -> None:
        """Bytes outside any command (ESC to leave a stale SMS prompt), under the lock."""
        async with self._lock:
            self._send(data)
