"""The TLS listener, and the two ways to run it: in-process or in the foreground.

``NabatServer(context, ssl_context)`` listens with ``asyncio.start_server``
(TLS handled by asyncio); every connection gets its own ``Session`` task,
so many sessions run concurrently on one loop while store calls run in
worker threads. At most ``max_sessions`` (read from the live settings at
each connection) are open at once: one more gets a single ``ERROR
ERR_BUSY`` line and is closed (a flood of connections costs file
descriptors, not the sessions already open). A connection must finish its
TLS handshake within ``tls_handshake_timeout`` seconds. ``stop`` closes the
listener and the open sessions.

``start_server(settings)`` is the whole start in-process (data directory,
store, certificate, licence, administrator, components, listener) and
returns a ``RunningServer`` (tests, fixtures). ``serve`` runs a server in
the foreground until SIGINT or SIGTERM, writing the daily log files of the
data directory (``logfiles.py``) meanwhile; ``nabat serve`` uses it.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import ssl
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from nabat.system.licence import Licence
from nabat.system.protocol import ERROR_WORD, ErrorCode, error_reply
from nabat.system.server import logfiles
from nabat.system.server.bootstrap import Prepared, build_context, prepare
from nabat.system.server.context import ServerContext
from nabat.system.server.session import Session
from nabat.system.server.settings import ServerSettings
from nabat.system.store import ScryptParams
from nabat.system.store.passwords import DEFAULT_PARAMS
from nabat.system.tls import server_context

log = logging.getLogger("nabat.server")


async def _refuse_busy(writer: asyncio.StreamWriter, limit: int) -> None:
    peer = writer.get_extra_info("peername")
    log.warning("refused %s: %d sessions open (max_sessions)", peer, limit)
    line = error_reply(ERROR_WORD, ErrorCode.BUSY, f"{ErrorCode.BUSY.text} ({limit})")
    with suppress(ConnectionError, OSError, ssl.SSLError, TimeoutError):
        writer.write(line.encode())
        await asyncio.wait_for(writer.drain(), 5)
    writer.close()
    with suppress(ConnectionError, OSError, ssl.SSLError, TimeoutError):
        await asyncio.wait_for(writer.wait_closed(), 5)


class NabatServer:
    def __init__(self, context: ServerContext, ssl_context: ssl.SSLContext) -> None:
        self.context = context
        self._ssl = ssl_context
        self._server: asyncio.Server | None = None
        self._sessions: set[asyncio.Task[None]] = set()

    @property
    def address(self) -> tuple[str, int]:
        """The host and port actually bound (port 0 picks a free one)."""
        assert self._server is not None and self._server.sockets
        name = self._server.sockets[0].getsockname()
        return str(name[0]), int(name[1])

    async def start(self) -> None:
        settings = self.context.settings
        self._server = await asyncio.start_server(
            self._accept,
            settings.host,
            settings.port,
            ssl=self._ssl,
            ssl_handshake_timeout=settings.tls_handshake_timeout,
        )
        host, port = self.address
        log.info("listening on %s:%d (TLS)", host, port)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        limit = self.context.settings.max_sessions
        if len(self._sessions) >= limit:
            await _refuse_busy(writer, limit)
            return
        self._sessions.add(task)
        try:
            await Session(self.context, reader, writer).run()
        except asyncio.CancelledError:
            pass  # stop(): the session closed itself; asyncio would log the cancellation
        finally:
            self._sessions.discard(task)

    async def stop(self) -> None:
        if self._server is None:
            return
        self._server.close()
        for task in tuple(self._sessions):
            task.cancel()
        if self._sessions:
            await asyncio.wait(tuple(self._sessions), timeout=5)
        await self._server.wait_closed()
        self._server = None
        self.context.verifier.shutdown(wait=False, cancel_futures=True)
        log.info("stopped")


@dataclass(slots=True)
class RunningServer:
    """A server started in-process by ``start_server``; ``stop`` also closes the store."""

    server: NabatServer
    context: ServerContext
    prepared: Prepared

    @property
    def address(self) -> tuple[str, int]:
        return self.server.address

    @property
    def cafile(self) -> Path:
        """The self-signed certificate clients trust (``--ca``)."""
        return self.prepared.certificate.cert

    async def stop(self) -> None:
        try:
            await self.server.stop()
        finally:
            self.prepared.store.close()


async def start_server(
    settings: ServerSettings,
    data_dir: Path | None = None,
    *,
    licence: Licence | None = None,
    environ: Mapping[str, str] | None = None,
    password_params: ScryptParams = DEFAULT_PARAMS,
) -> RunningServer:
    """Prepare ``data_dir`` (else ``settings.data_dir``) and start listening on
    ``settings.host:settings.port`` (port 0: a free one). ``licence`` defaults to
    ``settings.licence``, else the development licence; the administrator's
    password comes from ``NABAT_ADMIN_PASSWORD`` in ``environ``."""
    directory = data_dir if data_dir is not None else settings.data_dir
    if directory is None:
        raise ValueError("start_server needs a data directory (data_dir)")
    prepared = prepare(
        Path(directory), host=settings.host,
        licence_path=Path(settings.licence) if settings.licence else None,
        environ=environ, licence=licence, password_params=password_params,
    )  # fmt: skip
    try:
        context = build_context(prepared.store, prepared.licence, settings)
        certificate = prepared.certificate
        server = NabatServer(context, server_context(certificate.cert, certificate.key))
        await server.start()
    except BaseException:
        prepared.store.close()
        raise
    return RunningServer(server, context, prepared)


async def serve(
    context: ServerContext,
    ssl_context: ssl.SSLContext,
    on_ready: Callable[[tuple[str, int]], None],
) -> None:
    """Run until SIGINT or SIGTERM, then stop cleanly; ``on_ready`` gets the address."""
    log_file = logfiles.install(context.data_dir)
    try:
        server = NabatServer(context, ssl_context)
        await server.start()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        try:
            on_ready(server.address)
            await stop.wait()
        finally:
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(signum)
            await server.stop()
    finally:
        logfiles.uninstall(log_file)
