"""Our server on a free loopback port, run on an asyncio loop in a background
thread so the blocking conformance client can talk to it from the test
thread. Fast scrypt parameters and a fast login throttle keep runs short."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

from nabat.system.licence import Licence
from nabat.system.protocol import Rights, User
from nabat.system.server import LoginPolicy, NabatServer, ServerSettings, build_context
from nabat.system.store import ScryptParams, Store
from nabat.system.tls import ensure_server_certificate, server_context

T = TypeVar("T")
FAST_HASH = ScryptParams(n=2**8, r=8, p=1)
FAST_LOGIN = LoginPolicy(delay=0.01, max_delay=0.05, max_failures=5, lockout=0.6)
ADMIN, ADMIN_PASSWORD = "admin", "admin-secret-password"


class ServerThread:
    def __init__(self, data: Path, licence: Licence | None = None) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.store = Store.open(data, password_params=FAST_HASH)
        self.store.users.add(User(login=ADMIN, password=ADMIN_PASSWORD,
                                  rights=Rights.ADMINISTRATOR))
        paths = ensure_server_certificate(data)
        self.cafile, self.certfile, self.keyfile = paths.cert, paths.cert, paths.key
        settings = ServerSettings(host="127.0.0.1", port=0, login=FAST_LOGIN)
        context = build_context(self.store, licence or Licence.development_licence(), settings)
        self.server = NabatServer(context, server_context(paths.cert, paths.key))
        self.run(self.server.start())
        self.host, self.port = self.server.address

    def submit(self, coro: Coroutine[Any, Any, T]) -> Future[T]:
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        return self.submit(coro).result(timeout)

    @property
    def target(self) -> str:
        return f"{self.host}:{self.port}"

    def leftovers(self, prefix: str) -> list[str]:
        """Everything in the store whose name (or login) starts with ``prefix``."""
        store = self.store
        named = [
            *(f"task {t.name}" for t in store.tasks.summaries()),
            *(f"group {g.name}" for g in store.groups.all()),
            *(f"list {d.name}" for d in store.lists.all()),
            *(f"abonent {a.name}" for a in store.abonents.iter()),
            *(f"message {m.name}" for m in store.messages.all()),
            *(f"user {u.login}" for u in store.users.all()),
        ]
        return [item for item in named if item.split(" ", 1)[1].startswith(prefix)]

    def stop(self) -> None:
        try:
            self.run(self.server.stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(5)
            self.store.close()
