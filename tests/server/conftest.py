"""Fixtures: a real server (the plugin's ``nabat_server_factory``) with three users.

``start_server(licence=None, **settings)`` starts one more server on its own
data directory under ``tmp_path``; ``running`` is one with the defaults.
Both hand back ``Running``: the plugin's handle plus ``client(login)``, a
``WireClient`` (raw lines over ``nabat.system.client``) logged in as that
user. The login throttle is fast and locks after three failures.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from nabat.simulators.pytest_plugin import NabatServerFactory
from nabat.simulators.server_fixture import ADMIN_PASSWORD, NabatServerHandle
from nabat.system.licence import Licence
from nabat.system.protocol import Rights, User
from nabat.system.server import LoginPolicy, NabatServer
from nabat.system.server.context import ServerContext

from tests.server.wire import WireClient

PASSWORDS = {"admin": ADMIN_PASSWORD, "oper": "oper-secret", "viewer": "viewer-secret"}
USERS = (
    User(login="oper", password=PASSWORDS["oper"], rights=Rights.OPERATOR),
    User(login="viewer", password=PASSWORDS["viewer"], rights=Rights.READ_ONLY),
)
FAST_LOGIN = LoginPolicy(delay=0.01, max_delay=0.05, max_failures=3, lockout=0.6)


@dataclass(frozen=True)
class Running:
    handle: NabatServerHandle
    server: NabatServer
    context: ServerContext
    cafile: Path

    @classmethod
    def of(cls, handle: NabatServerHandle) -> Running:
        return cls(handle, handle.server, handle.context, handle.cafile)

    async def client(self, login: str | None = None) -> WireClient:
        client = await WireClient.connect(self.handle.host, self.handle.port, self.cafile)
        if login is not None:
            reply = await client.login(login, PASSWORDS[login])
            assert reply.ok, reply
        return client


Start = Callable[..., Awaitable[Running]]


@pytest.fixture
def start_server(nabat_server_factory: NabatServerFactory) -> Start:
    async def start(licence: Licence | None = None, **settings: object) -> Running:
        settings.setdefault("login", FAST_LOGIN)
        handle = await asyncio.to_thread(
            nabat_server_factory, licence=licence, users=USERS, **settings
        )
        return Running.of(handle)

    return start


@pytest.fixture
async def running(start_server: Start) -> Running:
    return await start_server()
