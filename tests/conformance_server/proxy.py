"""A mutating TLS proxy between the server suite and our server.

It terminates TLS with the server's own certificate (so the suite's --ca
still verifies), opens a TLS connection to the real server per client
connection, forwards requests unchanged and passes every reply line through
a :data:`Mutator`, which sees the line (without its CRLF) and the last
request line of that connection and returns the lines to send instead
(``None``: unchanged). A returned line that already ends in LF is sent as is,
so a mutation can also break the framing.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import Callable
from pathlib import Path

Mutator = Callable[[bytes, bytes], "list[bytes] | None"]


class MutatingProxy:
    def __init__(self, host: str, port: int, cert: Path, key: Path, cafile: Path,
                 mutate: Mutator) -> None:
        self.upstream = (host, port)
        self.mutate = mutate
        self.server_ssl = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.server_ssl.load_cert_chain(cert, key)
        self.client_ssl = ssl.create_default_context(cafile=str(cafile))
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def target(self) -> str:
        assert self._server is not None
        host, port = self._server.sockets[0].getsockname()[:2]
        return f"{host}:{port}"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0,
                                                  ssl=self.server_ssl)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in tuple(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(tuple(self._tasks), timeout=2)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            up_reader, up_writer = await asyncio.open_connection(
                *self.upstream, ssl=self.client_ssl, server_hostname=self.upstream[0])
        except OSError:
            writer.close()
            self._tasks.discard(task)
            return
        last = [b""]
        pumps = [asyncio.create_task(self._requests(reader, up_writer, last)),
                 asyncio.create_task(self._replies(up_reader, writer, last))]
        try:
            await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            pass
        finally:
            for pump in pumps:
                pump.cancel()
            for w in (writer, up_writer):
                with contextlib.suppress(OSError, RuntimeError):
                    w.close()
            self._tasks.discard(task)

    @staticmethod
    async def _requests(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                        last: list[bytes]) -> None:
        while line := await reader.readline():
            last[0] = line.rstrip(b"\r\n")
            writer.write(line)
            await writer.drain()

    async def _replies(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                       last: list[bytes]) -> None:
        while line := await reader.readline():
            body = line[:-2] if line.endswith(b"\r\n") else line.rstrip(b"\n")
            replaced = self.mutate(body, last[0])
            if replaced is None:
                writer.write(line)
            else:
                writer.write(b"".join(b if b.endswith(b"\n") else b + b"\r\n" for b in replaced))
            await writer.drain()
