"""A running Nabat notification server for tests (the pytest plugin's ``nabat_server``).

``start_nabat_server(data_dir, **settings)`` prepares ``data_dir`` (a store
with fast password hashing, the administrator ``admin`` with a known
password plus any extra users, a self-signed certificate made there),
builds the server from ``ServerSettings`` (loopback, a free port, a fast
login throttle, then the caller's settings; all in ``_build_server``, the
one place that knows how a server is put together) and runs it on its own
asyncio loop in a daemon thread. So sync tests (blocking clients,
subprocesses) and async tests (clients on their own loop) reach it alike,
over loopback TLS. The ``NabatServerHandle`` it returns carries the address,
the CA file, the admin login and password, the data directory and the
server's components, and ``connect()`` opens a ready ``NabatClient``,
logged in as the admin (or as anyone it was given, or not at all).
``stop()`` stops the server and its loop and closes the store.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar

if TYPE_CHECKING:
    from nabat.system.client import NabatClient
    from nabat.system.licence import Licence
    from nabat.system.protocol import User
    from nabat.system.server import NabatServer, ServerContext
    from nabat.system.speech.synthesiser import Synthesiser
    from nabat.system.store import ScryptParams, Store
    from nabat.system.tls import CertificatePaths

T = TypeVar("T")

ADMIN_LOGIN: Final = "admin"
ADMIN_PASSWORD: Final = "admin-secret-password"
START_TIMEOUT: Final = 30.0


# The synthesiser the settings choose: the product's own marker
# (``nabat.system.server.server.FROM_SETTINGS``), spelled here so that loading
# the plugin imports nothing of the product.
FROM_SETTINGS: Final = "from settings"


class _LoopThread:
    """An asyncio loop running forever in a daemon thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="nabat-server",
                                       daemon=True)  # fmt: skip
        self.thread.start()

    def submit(self, coro: Coroutine[Any, Any, T]) -> Future[T]:
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        if not self.thread.is_alive():
            self.loop.close()


@dataclass(frozen=True)
class NabatServerHandle:
    """A running server: where it is, how to trust and log in to it, and its parts."""

    host: str
    port: int
    cafile: Path  # the server's self-signed certificate: trust it to connect
    keyfile: Path
    admin_login: str
    admin_password: str
    data_dir: Path
    passwords: Mapping[str, str]  # every user made at start: login -> password
    server: NabatServer
    _loop: _LoopThread = field(repr=False)

    @property
    def target(self) -> str:
        """``host:port``, as ``nabat client`` and the server suite take it."""
        return f"{self.host}:{self.port}"

    @property
    def certfile(self) -> Path:
        return self.cafile

    @property
    def context(self) -> ServerContext:
        """The server's shared components (store, settings in force, ...)."""
        return self.server.context

    @property
    def store(self) -> Store:
        return self.server.context.store

    async def connect(
        self, login: str | None = ADMIN_LOGIN, password: str | None = None, **options: Any
    ) -> NabatClient:
        """A ``NabatClient`` connected (on the caller's loop) and logged in as
        ``login`` (``None``: not logged in) with ``password`` or the one it was
        made with. ``options`` go to ``NabatClient.connect``. Close it when done."""
        from nabat.system.client import NabatClient

        options.setdefault("cafile", self.cafile)
        options.setdefault("timeout", 10.0)
        client = await NabatClient.connect(self.host, self.port, **options)
        if login is not None:
            try:
                await client.login(login, password if password is not None else
                                   self.passwords[login])  # fmt: skip
            except BaseException:
                await client.close()
                raise
        return client

    def submit(self, coro: Coroutine[Any, Any, T]) -> Future[T]:
        """Run ``coro`` on the server's loop; its future."""
        return self._loop.submit(coro)

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = START_TIMEOUT) -> T:
        """Run ``coro`` on the server's loop and wait for its result."""
        return self.submit(coro).result(timeout)

    def stop(self) -> None:
        """Stop the server and its loop, close the store; idempotent."""
        if not self._loop.thread.is_alive():
            return
        try:
            self.run(self.server.stop())
        finally:
            self._loop.stop()
            self.store.close()


def _build_server(
    data_dir: Path,
    licence: Licence | None,
    synthesiser: Synthesiser | Literal["from settings"] | None,
    settings: Mapping[str, Any],
    password_params: ScryptParams | None = None,
    admin_password: str = ADMIN_PASSWORD,
) -> tuple[NabatServer, CertificatePaths]:
    """The fixture's defaults on top of the product's ``build_server`` (loopback,
    a free port, a fast login throttle, a cheap scrypt cost, the development
    licence, the known admin password)."""
    from nabat.system.licence import Licence
    from nabat.system.server import LoginPolicy, ServerSettings, build_server
    from nabat.system.server.bootstrap import ADMIN_PASSWORD_ENV
    from nabat.system.store import ScryptParams

    options: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": 0,
        "login": LoginPolicy(delay=0.01, max_delay=0.05, max_failures=5, lockout=0.6),
        **settings,
    }
    running = build_server(
        ServerSettings(**options), data_dir,
        licence=licence or Licence.development_licence(),
        environ={ADMIN_PASSWORD_ENV: admin_password},
        password_params=password_params or ScryptParams(n=2**8, r=8, p=1),  # fast by default
        synthesiser=synthesiser,
    )  # fmt: skip
    return running.server, running.prepared.certificate


def start_nabat_server(
    data_dir: Path,
    *,
    licence: Licence | None = None,
    users: Sequence[User] = (),
    synthesiser: Synthesiser | Literal["from settings"] | None = FROM_SETTINGS,
    password_params: ScryptParams | None = None,
    admin_password: str = ADMIN_PASSWORD,
    **settings: Any,
) -> NabatServerHandle:
    """Start a server on ``data_dir`` (created if missing) in a background
    thread; see the module comment. ``users``: more accounts (with their
    passwords); ``synthesiser``: the speech synthesiser to use instead of the
    one the settings find (``None``: none); ``password_params``: the scrypt
    cost (default: a cheap one; a realistic one to measure logins under
    load); ``admin_password``: the administrator's (a fresh data directory's);
    ``settings``: ``ServerSettings``
    fields (``max_sessions=2``, ``tts_command=...``, ``login=LoginPolicy(...)``)."""
    server, paths = _build_server(
        data_dir, licence, synthesiser, settings, password_params, admin_password
    )
    loop: _LoopThread | None = None
    try:
        for user in users:
            server.context.store.users.add(user)
        loop = _LoopThread()
        loop.submit(server.start()).result(START_TIMEOUT)
    except BaseException:
        if loop is not None:
            loop.stop()
        server.context.store.close()
        raise
    host, port = server.address
    passwords = {ADMIN_LOGIN: admin_password, **{u.login: u.password or "" for u in users}}
    return NabatServerHandle(
        host=host,
        port=port,
        cafile=paths.cert,
        keyfile=paths.key,
        admin_login=ADMIN_LOGIN,
        admin_password=admin_password,
        data_dir=data_dir,
        passwords=passwords,
        server=server,
        _loop=loop,
    )
