"""Fixtures: the server fixtures of tests/server, plus connected ``NabatClient``s."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from nabat.system.client import NabatClient

from tests.server.conftest import PASSWORDS, Running, Start, running, start_server

__all__ = ["PASSWORDS", "Connect", "Running", "Start", "connect", "running", "start_server"]

Connect = Callable[..., Awaitable[NabatClient]]


@pytest.fixture
async def connect(running: Running) -> AsyncIterator[Connect]:
    """``await connect("oper")``: a client logged in as that user (or not at all)."""
    clients: list[NabatClient] = []

    async def make(login: str | None = None, **options: object) -> NabatClient:
        host, port = running.server.address
        options.setdefault("cafile", running.cafile)
        options.setdefault("timeout", 10.0)
        client = await NabatClient.connect(host, port, **options)  # type: ignore[arg-type]
        clients.append(client)
        if login is not None:
            await client.login(login, PASSWORDS[login])
        return client

    yield make
    for client in clients:
        await client.close()
