"""A small TLS test client built on the codec: send lines, collect replies."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import Sequence
from pathlib import Path

from nabat.system.protocol import (
    Line,
    LineSplitter,
    Reply,
    ReplyCollector,
    decode_reply_line,
    encode_line,
    encode_lines,
)
from nabat.system.tls import client_context

TIMEOUT = 10.0


class WireClient:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.splitter = LineSplitter()
        self.notifications: list[Line] = []

    @classmethod
    async def connect(cls, host: str, port: int, cafile: Path) -> WireClient:
        context: ssl.SSLContext = client_context(cafile)
        reader, writer = await asyncio.open_connection(
            host, port, ssl=context, server_hostname="localhost"
        )
        return cls(reader, writer)

    async def send_raw(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def send(self, word: str, *params: str) -> None:
        await self.send_raw(encode_line(word, params))

    async def send_lines(self, lines: Sequence[Line]) -> None:
        await self.send_raw(encode_lines(lines))

    async def line(self, timeout: float = TIMEOUT) -> Line | None:
        """The next line, or None when the server closed."""
        while True:
            body = self.splitter.next_line()
            if body is not None:
                return decode_reply_line(body)
            data = await asyncio.wait_for(self.reader.read(65536), timeout)
            if not data:
                return None
            self.splitter.feed(data)

    async def collect(self, word: str, params: Sequence[str] = ()) -> Reply:
        collector = ReplyCollector(word, params)
        while True:
            line = await self.line()
            assert line is not None, f"connection closed while waiting for {word}"
            reply = collector.feed(line)
            if reply is not None:
                self.notifications.extend(
                    Line("UPDATETASK", ("OK", *n.to_params())) for n in collector.notifications
                )
                return reply

    async def request(self, word: str, *params: str) -> Reply:
        await self.send(word, *params)
        return await self.collect(word, params)

    async def login(self, login: str, password: str) -> Reply:
        return await self.request("LOGIN", login, password)

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(OSError, ssl.SSLError, TimeoutError):
            await asyncio.wait_for(self.writer.wait_closed(), 5)
