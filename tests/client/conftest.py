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
        client = await running.handle.connect(login, **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.close()
