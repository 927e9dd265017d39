"""Failure paths against scripted fake servers: drops, timeouts, bad replies."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from pathlib import Path

import pytest
from nabat.system.client import (
    ConnectFailed,
    ConnectionLost,
    NabatClient,
    ProtocolViolation,
    ReplyTimeout,
    ServerError,
)
from nabat.system.protocol import ErrorCode, TaskStatus
from nabat.system.tls import ensure_server_certificate, server_context

from tests.client.fakes import CLOSE, HANG, FakeServer, Step

Fake = Callable[..., Awaitable[NabatClient]]
GROUPS_BEGIN = b"GETGROUPS BEGIN\r\nGETGROUPS DATA 1 a \r\n"


@pytest.fixture
async def fake() -> AsyncIterator[Fake]:
    servers: list[FakeServer] = []
    clients: list[NabatClient] = []

    async def make(script: Sequence[Step | Sequence[Step]], timeout: float = 5.0) -> NabatClient:
        server = FakeServer(script)
        servers.append(server)
        host, port = await server.start()
        client = await NabatClient.connect(host, port, tls=False, timeout=timeout)
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.close()
    for server in servers:
        await server.stop()


async def test_drop_in_the_middle_of_a_listing(fake: Fake) -> None:
    client = await fake([[GROUPS_BEGIN, CLOSE]])
    with pytest.raises(ConnectionLost, match="closed the connection"):
        await client.get_groups()
    with pytest.raises(ConnectionLost, match="not connected"):
        await client.ping()


async def test_drop_in_the_middle_of_a_line(fake: Fake) -> None:
    client = await fake([[b"GETGROUPS BEGIN\r\nGETGROUPS DA", CLOSE]])
    with pytest.raises(ConnectionLost, match="mid-line"):
        await client.get_groups()


async def test_drop_in_the_middle_of_a_streamed_listing(fake: Fake) -> None:
    client = await fake([[b"GETABONENTS BEGIN\r\n", CLOSE]])
    with pytest.raises(ConnectionLost):
        async for _ in client.get_abonents():
            pass


async def test_timeout_closes_the_connection(fake: Fake) -> None:
    client = await fake([HANG], timeout=0.2)
    with pytest.raises(ReplyTimeout, match=r"within 0\.2 s"):
        await client.ping()
    with pytest.raises(ConnectionLost):
        await client.ping()


async def test_timeout_between_lines_of_a_reply(fake: Fake) -> None:
    client = await fake([[GROUPS_BEGIN, HANG]], timeout=0.2)
    with pytest.raises(ReplyTimeout):
        await client.get_groups()


async def test_error_reply_with_unescaped_text(fake: Fake) -> None:
    client = await fake([b"DELGROUP ERR_DELGROUP group 5 still has 100% abonents\r\n"])
    with pytest.raises(ServerError) as caught:
        await client.delete_group(5)
    assert caught.value.code is ErrorCode.DELGROUP
    assert caught.value.text == "group 5 still has 100% abonents"
    assert str(caught.value) == "DELGROUP ERR_DELGROUP: group 5 still has 100% abonents"


async def test_error_ends_a_listing_midway(fake: Fake) -> None:
    client = await fake([[GROUPS_BEGIN, b"GETGROUPS ERR_BADSYNTAX oops\r\n"], b"PING OK\r\n"])
    with pytest.raises(ServerError):
        await client.get_groups()
    await client.ping()  # still in step


async def test_unknown_error_code_is_kept_as_text(fake: Fake) -> None:
    client = await fake([b"PING ERR_SOMETHINGNEW why\r\n"])
    with pytest.raises(ServerError) as caught:
        await client.ping()
    assert caught.value.code == "ERR_SOMETHINGNEW" and caught.value.text == "why"


async def test_wrong_reply_word_is_a_protocol_violation(fake: Fake) -> None:
    client = await fake([b"USER OK x 0  \r\n"])
    with pytest.raises(ProtocolViolation, match="PING"):
        await client.ping()
    assert client.closed


async def test_malformed_line_is_a_protocol_violation(fake: Fake) -> None:
    client = await fake([b"PING OK\n"])
    with pytest.raises(ProtocolViolation, match="LF"):
        await client.ping()


async def test_notifications_between_and_inside_replies(fake: Fake) -> None:
    note = b"UPDATETASK OK 7 t 0 %d\r\n"
    client = await fake(
        [
            [note % 1, b"PING OK\r\n", note % 0],
            [b"STARTTASK ", b"ERR_GETTASK no\r\n"],
            [note % 2, b"UPDATETASK OK 9 x 0 1\r\n"],
        ]
    )
    await client.ping()
    with pytest.raises(ServerError):
        await client.start_task(3)
    started = await client.start_task(9)  # the line with id 9 is the reply
    assert started.id == 9 and started.status is TaskStatus.RUNNING
    notes = client.notifications()
    got = [await asyncio.wait_for(anext(notes), 2) for _ in range(3)]
    assert [(n.id, n.status) for n in got] == [
        (7, TaskStatus.RUNNING), (7, TaskStatus.STOPPED), (7, TaskStatus.WAITING),
    ]  # fmt: skip


async def test_notifications_end_when_the_server_closes(fake: Fake) -> None:
    client = await fake([[b"PING OK\r\n", CLOSE]])
    await client.ping()
    with pytest.raises(ConnectionLost):
        async for _ in client.notifications():
            pass


async def test_notifications_end_quietly_when_the_client_closes(fake: Fake) -> None:
    client = await fake([b"PING OK\r\n"])
    await client.ping()
    waiter = asyncio.create_task(anext(client.notifications(), None))
    await asyncio.sleep(0.05)
    await client.close()
    assert await asyncio.wait_for(waiter, 2) is None


async def test_concurrent_requests_are_serialized(fake: Fake) -> None:
    client = await fake([b"PING OK\r\n", b"USER OK me 2 Me \r\n", b"PING OK\r\n"])
    results = await asyncio.gather(client.ping(), client.user(), client.ping())
    assert results[1].login == "me"


async def test_connect_refused() -> None:
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()
    with pytest.raises(ConnectFailed, match="cannot connect"):
        await NabatClient.connect("127.0.0.1", port, tls=False, timeout=2)


async def test_untrusted_certificate(tmp_path: Path) -> None:
    paths = ensure_server_certificate(tmp_path)
    server = FakeServer([b"PING OK\r\n"])
    host, port = await server.start(server_context(paths.cert, paths.key))
    try:
        with pytest.raises(ConnectFailed, match="not trusted") as caught:
            await NabatClient.connect(host, port, timeout=5)  # system trust store
        assert caught.value.certificate
        async with NabatClient.connect(host, port, insecure=True, timeout=5) as client:
            await client.ping()
        async with NabatClient.connect(host, port, cafile=paths.cert, timeout=5) as client:
            await client.ping()
    finally:
        await server.stop()


async def test_abonents_are_yielded_before_the_listing_ends(fake: Fake) -> None:
    row = b"GETABONENTS DATA %d 1 0 A 0" + b" " * 11 + b"\r\n"  # 16 fields, 11 empty
    script = [b"GETABONENTS BEGIN\r\n", row % 1, b"GETABONENTS PHONE 1 +7900 0\r\n", row % 2, HANG]
    client = await fake([script], timeout=0.5)
    got = []
    with pytest.raises(ReplyTimeout):
        async for abonent in client.get_abonents():
            got.append(abonent)
    assert [(a.id, [p.phone for p in a.phones]) for a in got] == [(1, ["+7900"])]
