"""The benchmark's baseline: a bare uvloop + httptools HTTP/1.1 responder.

How it works: one asyncio.Protocol per connection feeds every received chunk
to an httptools request parser; each completed request queues a fixed empty
200 answer, and all answers produced by one chunk are written in a single
``transport.write`` (so pipelined requests are answered in order). Keep-alive
follows ``should_keep_alive()``: an HTTP/1.0 request without keep-alive or a
``Connection: close`` request gets ``Connection: close`` and the connection is
closed after the answer; bytes after it are ignored. Unparsable input gets 400
and close. There is no routing and no body handling: this is the ceiling a
Python server can reach on this machine, against which the simulator is
compared.

Run: ``python -m nabat.loadtests.bench.reference_responder --port 0 --ready-file F``;
the ready file receives ``{"primary": "http://127.0.0.1:PORT", "reserve": null}``
(the same shape the ATS simulator writes) once the socket listens.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import cast

import httptools
from nabat.system.runtime.loop import run, uvloop_installed
from nabat.system.runtime.ready import write_ready_file

OK_KEEP_ALIVE = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
OK_KEEP_ALIVE_HTTP10 = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n"
OK_CLOSE = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
BAD_REQUEST = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


class ResponderProtocol(asyncio.Protocol):
    """Answers every complete request on the connection with an empty 200."""

    __slots__ = ("_closing", "_parser", "_pending", "_transport")

    def __init__(self) -> None:
        self._transport: asyncio.Transport | None = None
        self._parser = httptools.HttpRequestParser(self)
        self._pending: list[bytes] = []
        self._closing = False

    # asyncio.Protocol -----------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports do not subclass asyncio.Transport; they quack alike.
        self._transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        if self._closing:
            return
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            # No upgrades here: answer what was complete, then refuse.
            self._pending.append(BAD_REQUEST)
            self._closing = True
        except httptools.HttpParserError:
            if not self._closing:
                self._pending.append(BAD_REQUEST)
                self._closing = True
        self._flush()

    def connection_lost(self, exc: Exception | None) -> None:
        self._transport = None

    # httptools callbacks ---------------------------------------------------

    def on_message_complete(self) -> None:
        if self._closing:
            return
        if not self._parser.should_keep_alive():
            self._pending.append(OK_CLOSE)
            self._closing = True
            # Stop parsing whatever follows the request that closes the connection.
            raise httptools.HttpParserError("connection closing")
        if self._parser.get_http_version() == "1.0":
            self._pending.append(OK_KEEP_ALIVE_HTTP10)
        else:
            self._pending.append(OK_KEEP_ALIVE)

    # helpers ---------------------------------------------------------------

    def _flush(self) -> None:
        transport = self._transport
        if transport is None:
            return
        pending = self._pending
        if pending:
            transport.write(pending[0] if len(pending) == 1 else b"".join(pending))
            pending.clear()
        if self._closing:
            transport.close()


async def serve(host: str, port: int, ready_file: Path | None) -> None:
    """Listen until SIGTERM/SIGINT; write the ready file once listening."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(ResponderProtocol, host, port, backlog=1024)
    bound_port = server.sockets[0].getsockname()[1]
    url = f"http://{host}:{bound_port}"
    print(f"reference responder listening on {url}", flush=True)
    if ready_file is not None:
        write_ready_file(ready_file, {"primary": url, "reserve": None})
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with server:
        await stop.wait()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m nabat.loadtests.bench.reference_responder",
        description="Bare uvloop + httptools responder: an empty 200 for every request.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--ready-file", type=Path, default=None)
    args = parser.parse_args(argv)
    if not uvloop_installed():
        print("warning: uvloop is not installed; using the default event loop", file=sys.stderr)
    run(serve(args.host, args.port, args.ready_file))
    return 0


if __name__ == "__main__":
    sys.exit(main())
