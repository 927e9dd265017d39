"""The listener completes TLS on every accepted connection, on both event loops.

The server accepts plain TCP itself (to count and refuse connections before
any TLS work) and then runs the handshake on the accepted socket. Under
uvloop, ``StreamWriter.start_tls`` stalled the server-side handshake of
connections whose ClientHello had already arrived; these tests open many
TLS connections one after another, each kept open, under the standard
asyncio loop and under uvloop (what ``nabat serve`` runs), and require every
one to finish its handshake and be answered.
"""

from __future__ import annotations

import asyncio
import os
import ssl
from collections.abc import Callable
from pathlib import Path

import pytest
from nabat.system.server import start_server
from nabat.system.server.settings import ServerSettings

CONNECTIONS = 20

LOOPS: dict[str, Callable[[], asyncio.AbstractEventLoop]] = {"asyncio": asyncio.new_event_loop}
try:
    import uvloop

    LOOPS["uvloop"] = uvloop.new_event_loop
except ImportError:  # pragma: no cover - uvloop is a dependency on Linux
    pass


async def _open_many(data_dir: Path) -> list[bytes]:
    environ = {**os.environ, "NABAT_ADMIN_PASSWORD": "tls-accept-secret"}
    settings = ServerSettings(host="127.0.0.1", port=0, tls_handshake_timeout=5.0)
    running = await start_server(settings, data_dir, environ=environ)
    writers: list[asyncio.StreamWriter] = []
    answers: list[bytes] = []
    try:
        host, port = running.address
        context = ssl.create_default_context(cafile=str(running.cafile))
        context.check_hostname = False
        for _ in range(CONNECTIONS):
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(host, port, ssl=context, server_hostname=host), 5
            )
            writers.append(writer)
            writer.write(b"PING\r\n")
            await writer.drain()
            answers.append(await asyncio.wait_for(reader.readline(), 5))
    finally:
        for writer in writers:
            writer.close()
        await running.stop()
    return answers


@pytest.mark.parametrize("loop_name", sorted(LOOPS))
def test_every_connection_completes_tls_and_is_answered(loop_name: str, tmp_path: Path) -> None:
    loop = LOOPS[loop_name]()
    try:
        answers = loop.run_until_complete(_open_many(tmp_path / "data"))
    finally:
        loop.close()
    assert answers == [b"PING OK\r\n"] * CONNECTIONS
