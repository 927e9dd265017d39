"""A scripted fake server (plain TCP or TLS) for the client's failure paths.

``FakeServer(script)`` answers each request line with the next entry of the
script: bytes to send, ``CLOSE`` (close the connection), ``HANG`` (send
nothing, keep the connection open), or a list of these in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import Sequence
from typing import Final

CLOSE: Final = "close"
HANG: Final = "hang"
Step = bytes | str


class FakeServer:
    def __init__(self, script: Sequence[Step | Sequence[Step]], *, greeting: bytes = b"") -> None:
        self.script = list(script)
        self.greeting = greeting
        self.received: list[bytes] = []
        self._server: asyncio.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []

    async def start(self, context: ssl.SSLContext | None = None) -> tuple[str, int]:
        self._server = await asyncio.start_server(self._session, "127.0.0.1", 0, ssl=context)
        host, port = self._server.sockets[0].getsockname()[:2]
        return str(host), int(port)

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.append(writer)
        if self.greeting:
            writer.write(self.greeting)
        with contextlib.suppress(OSError, ssl.SSLError, asyncio.IncompleteReadError):
            for entry in self.script:
                line = await reader.readline()
                if not line:
                    return
                self.received.append(line)
                steps = [entry] if isinstance(entry, bytes | str) else list(entry)
                for step in steps:
                    if step == CLOSE:
                        writer.close()
                        return
                    if step == HANG:
                        await asyncio.sleep(3600)
                    assert isinstance(step, bytes)
                    writer.write(step)
                    await writer.drain()
            await reader.read()

    async def stop(self) -> None:
        for writer in self._writers:
            writer.close()
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._server.wait_closed(), 2)
