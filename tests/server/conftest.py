"""Fixtures: a real server on a free loopback port with a temp store and certificate."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from nabat.system.licence import Licence
from nabat.system.protocol import Rights, User
from nabat.system.server import LoginPolicy, NabatServer, ServerSettings, build_context
from nabat.system.server.context import ServerContext
from nabat.system.store import ScryptParams, Store
from nabat.system.tls import ensure_server_certificate, server_context

from tests.server.wire import WireClient

FAST_HASH = ScryptParams(n=2**8, r=8, p=1)
PASSWORDS = {"admin": "admin-secret", "oper": "oper-secret", "viewer": "viewer-secret"}
FAST_LOGIN = LoginPolicy(delay=0.01, max_delay=0.05, max_failures=3, lockout=0.6)


@dataclass
class Running:
    server: NabatServer
    context: ServerContext
    cafile: Path

    async def client(self, login: str | None = None) -> WireClient:
        host, port = self.server.address
        client = await WireClient.connect(host, port, self.cafile)
        if login is not None:
            reply = await client.login(login, PASSWORDS[login])
            assert reply.ok, reply
        return client


Start = Callable[..., Awaitable[Running]]


@pytest.fixture
async def start_server(tmp_path: Path) -> AsyncIterator[Start]:
    started: list[tuple[NabatServer, Store]] = []

    async def start(licence: Licence | None = None, **overrides: object) -> Running:
        data = tmp_path / f"data{len(started)}"
        store = Store.open(data, password_params=FAST_HASH)
        for login, rights in (
            ("admin", Rights.ADMINISTRATOR),
            ("oper", Rights.OPERATOR),
            ("viewer", Rights.READ_ONLY),
        ):
            store.users.add(User(login=login, password=PASSWORDS[login], rights=rights))
        paths = ensure_server_certificate(data)
        options: dict[str, object] = {"host": "127.0.0.1", "port": 0, "login": FAST_LOGIN}
        options.update(overrides)
        settings = ServerSettings(**options)  # type: ignore[arg-type]
        context = build_context(store, licence or Licence.development_licence(), settings)
        server = NabatServer(context, server_context(paths.cert, paths.key))
        await server.start()
        started.append((server, store))
        return Running(server, context, paths.cert)

    yield start
    for server, store in started:
        await server.stop()
        store.close()


@pytest.fixture
async def running(start_server: Start) -> Running:
    return await start_server()
