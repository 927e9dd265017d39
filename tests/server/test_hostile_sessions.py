"""Sessions a hostile client cannot hold (issue 9, Broken 1 and 2).

Attackers connect from 127.0.0.2.. (the kit of tests/hostile), the real
client from 127.0.0.1, so per-address limits tell them apart. Each test
shows a real client served while its attack runs. Limits and timeouts are
scaled down (small ``login_timeout``, ``write_timeout``, caps of a few).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from pathlib import Path

from nabat.system.protocol import Abonent, Group, Phone, abonent_request, decode_line
from nabat.system.server.admission import State
from nabat.system.tls import client_context

from tests.hostile.sockets import Connection, Crowd, Endpoint
from tests.server.conftest import PASSWORDS, Running, Start

TIMEOUT = 10.0
ABONENTS = 5000  # a listing of ~6 MB: more than the kernel's socket buffers take
WAL_BOUND = 8 * 1024 * 1024  # docs/server.md: wal_autocheckpoint (~4 MiB) + a transaction


def endpoint(running: Running) -> Endpoint:
    host, port = running.server.address
    return Endpoint(host, port, client_context(running.cafile))


async def eventually(condition: Callable[[], bool], timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def real_client_served(running: Running, within: float = 2.0) -> None:
    started = time.monotonic()
    client = await running.client("viewer")
    assert (await client.request("PING")).ok
    await client.close()
    assert time.monotonic() - started < within


async def first_line(connection: Connection) -> bytes:
    return await asyncio.wait_for(connection.reader.readline(), TIMEOUT)


def text_of(raw: bytes) -> str:
    """An error line's decoded text parameter."""
    return str(decode_line(raw.rstrip(b"\r\n")).params[1])


async def test_a_trickled_partial_line_does_not_keep_a_session(start_server: Start) -> None:
    server = await start_server(idle_timeout=0.5, login_timeout=60)
    async with Crowd() as crowd:
        slow = await crowd.open(endpoint(server))
        assert slow is not None
        started = time.monotonic()
        while not slow.peer_closed():  # one byte every 0.1 s, never a whole line
            assert time.monotonic() - started < 5, "a partial line kept the session open"
            slow.writer.write(b"P")
            await asyncio.sleep(0.1)
        await real_client_served(server)


async def test_a_session_not_logged_in_in_time_is_told_and_closed(start_server: Start) -> None:
    server = await start_server(login_timeout=0.5)
    viewer = await server.client("viewer")  # logged in: not concerned
    async with Crowd() as crowd:
        idle = await crowd.open(endpoint(server))
        assert idle is not None
        idle.writer.write(b"PING\r\n")  # lines do not extend the login deadline
        assert (await first_line(idle)).startswith(b"PING OK")
        line = await first_line(idle)
        assert line.startswith(b"ERROR ERR_NOACCESS")
        assert "not logged in within 0.5 s" in text_of(line)
        assert await asyncio.wait_for(idle.reader.read(), TIMEOUT) == b""
    await asyncio.sleep(0.6)
    assert (await viewer.request("PING")).ok
    await viewer.close()


async def test_slowloris_from_one_address_leaves_room_for_real_clients(
    start_server: Start,
) -> None:
    server = await start_server(max_sessions=30, max_unauthenticated_per_address=5)
    async with Crowd() as crowd:
        for _ in range(50):
            connection = await crowd.open(endpoint(server))
            if connection is not None:
                connection.writer.write(b"L")
        await asyncio.sleep(0.2)
        assert crowd.held() == 5
        for connection in crowd.connections:  # keep trickling while the real client works
            if not connection.peer_closed():
                connection.writer.write(b"O")
        await real_client_served(server)
        busy = [c for c in crowd.connections if c.peer_closed()]
        line = await first_line(busy[0])
        assert line.startswith(b"ERROR ERR_BUSY")
        assert "5 sessions not logged in from" in text_of(line)


async def test_sessions_not_logged_in_have_their_own_pool(start_server: Start) -> None:
    server = await start_server(max_sessions=10, max_unauthenticated=3)
    async with Crowd() as crowd:
        for number in range(3):
            assert await crowd.open(endpoint(server), source=f"127.0.0.{number + 2}")
        await eventually(lambda: server.server.admission.counts[State.UNAUTHENTICATED] == 3)
        refused = await crowd.open(endpoint(server), source="127.0.0.9")
        assert refused is not None
        line = await first_line(refused)
        assert line.startswith(b"ERROR ERR_BUSY")
        assert "(3 sessions not logged in)" in text_of(line)
        # one of them logs in: it leaves the pool, and a new connection gets a place
        first = crowd.connections[0]
        first.writer.write(f"LOGIN viewer {PASSWORDS['viewer']}\r\n".encode())
        assert (await first_line(first)).startswith(b"LOGIN OK")
        await eventually(lambda: server.server.admission.counts[State.UNAUTHENTICATED] == 2)
        await real_client_served(server)


async def test_connections_in_the_handshake_are_capped(start_server: Start) -> None:
    server = await start_server(max_tls_handshakes=3, max_unauthenticated_per_address=2)
    admission = server.server.admission
    async with Crowd() as crowd:
        ends = endpoint(server)
        for source in ("127.0.0.2", "127.0.0.2", "127.0.0.3"):  # TCP only: never start TLS
            assert await crowd.open(ends, source=source, tls=False)
        await eventually(lambda: admission.counts[State.HANDSHAKE] == 3)
        # Closed at once: the handshake pool is full. (The reset may even beat
        # the client's own connect to completion: then open() reports a failure.)
        refused = await crowd.open(ends, source="127.0.0.4", tls=False)
        if refused is not None:
            await eventually(refused.peer_closed)
            crowd.connections.remove(refused)
        else:
            assert crowd.failed == 1
        crowd.connections.pop().abort()  # 127.0.0.3 gone: one place free
        await eventually(lambda: admission.counts[State.HANDSHAKE] == 2)
        third = await crowd.open(ends, source="127.0.0.2", tls=False)
        if third is not None:  # two from 127.0.0.2 already in the handshake: closed at once
            await eventually(third.peer_closed)
        assert admission.counts[State.HANDSHAKE] == 2
        await real_client_served(server)


def _seed(running: Running, count: int) -> int:
    store = running.handle.store
    saved = store.groups.add(Group(name="big")).id
    assert saved is not None
    gid = int(saved)
    phones = tuple(Phone(phone=f"+7900123456{digit}") for digit in range(10))
    for number in range(count):
        store.abonents.add(Abonent(gid=gid, name=f"Абонент номер {number:05d} " + "х" * 40,
                                   organization="ООО «Ромашка»", phones=phones))  # fmt: skip
    return gid


async def _write_for(running: Running, seconds: float, gid: int) -> int:
    """ADDABONENT as fast as one pipelining session can for ``seconds``; how many."""
    oper = await running.client("oper")
    request = abonent_request(Abonent(gid=gid, name="w" * 200, phones=(Phone(phone="+7900"),)))
    written = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        await oper.send_lines(list(request) * 20)
        for _ in range(20):
            assert (await oper.collect("ADDABONENT")).ok
        written += 20
    await oper.close()
    return written


async def test_a_client_that_stops_reading_pins_nothing_and_is_dropped(
    start_server: Start,
) -> None:
    server = await start_server(write_timeout=4.0, send_buffer=32768)
    gid = await asyncio.to_thread(_seed, server, ABONENTS)
    wal = Path(f"{server.handle.store.db.path}-wal")
    admission = server.server.admission
    async with Crowd() as crowd:
        reader = await crowd.open(endpoint(server), source="127.0.0.1", receive_buffer=4096,
                                  limit=1024)  # fmt: skip
        assert reader is not None
        reader.writer.write(f"LOGIN viewer {PASSWORDS['viewer']}\r\n".encode())
        assert (await first_line(reader)).startswith(b"LOGIN OK")
        reader.writer.write(f"GETABONENTS {gid} \r\n".encode())  # and never read again
        await asyncio.sleep(0.3)
        started = time.monotonic()
        largest = 0

        async def watch() -> None:
            nonlocal largest
            while True:
                largest = max(largest, os.path.getsize(wal) if wal.exists() else 0)
                await asyncio.sleep(0.02)

        watcher = asyncio.create_task(watch())
        try:
            written = await _write_for(server, 2.5, gid)
        finally:
            watcher.cancel()
        assert not reader.peer_closed()  # still within its write deadline
        assert written > 100
        assert largest < WAL_BOUND, f"WAL grew to {largest} bytes under a never-reading listing"
        await eventually(reader.peer_closed, timeout=8)
        assert 3.5 < time.monotonic() - started + 0.3 < 9  # dropped at its write deadline
        await eventually(lambda: admission.sessions == 0)
        await real_client_served(server)
