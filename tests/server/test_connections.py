"""Connection-level hostility: too many sessions, a client that is not TLS,
one that never finishes its handshake. Sessions already open carry on."""

from __future__ import annotations

import asyncio
import time

from tests.server.conftest import Running, Start

TIMEOUT = 10.0


async def _raw(running: Running) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    host, port = running.server.address
    return await asyncio.open_connection(host, port)


async def _closed_within(reader: asyncio.StreamReader, seconds: float) -> bytes:
    """What the server sends before closing; fails if it has not closed in time."""
    return await asyncio.wait_for(reader.read(), seconds)


async def test_one_session_too_many_is_told_busy_and_closed(start_server: Start) -> None:
    server = await start_server(max_sessions=2)
    first, second = await server.client("viewer"), await server.client("oper")
    third = await server.client()
    line = await third.line()
    assert line is not None and line.command == "ERROR"
    assert line.params[0] == "ERR_BUSY" and "(2)" in line.params[1]
    assert await third.line() is None  # and closed
    assert (await first.request("PING")).ok and (await second.request("GETGROUPS")).ok
    await first.request("QUIT")
    await first.close()
    for _ in range(50):  # the slot frees once the server has seen the close
        again = await server.client()
        reply = await again.request("PING")
        await again.close()
        if reply.ok:
            break
        await asyncio.sleep(0.05)
    assert reply.ok, reply
    await second.close()


async def test_a_client_that_is_not_tls_is_dropped_and_others_go_on(running: Running) -> None:
    viewer = await running.client("viewer")
    reader, writer = await _raw(running)
    writer.write(b"LOGIN admin admin\r\n" * 10)  # plain text to a TLS port
    await writer.drain()
    await _closed_within(reader, TIMEOUT)
    writer.close()
    assert (await viewer.request("PING")).ok
    await viewer.close()


async def test_a_silent_connection_is_closed_after_the_handshake_timeout(
    start_server: Start,
) -> None:
    server = await start_server(tls_handshake_timeout=0.3)
    reader, writer = await _raw(server)
    started = time.monotonic()
    assert await _closed_within(reader, TIMEOUT) == b""
    assert time.monotonic() - started < 5
    writer.close()
    viewer = await server.client("viewer")  # the listener is fine
    assert (await viewer.request("PING")).ok
    await viewer.close()
