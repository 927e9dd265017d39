"""The TLS listener, and the two ways to run it: in-process or in the foreground.

``NabatServer(context, ssl_context)`` accepts plain TCP connections itself
(``sock_accept`` on its listening socket), decides on each before any TLS
work, and hands the admitted socket to ``loop.connect_accepted_socket``
with the TLS context, so it can count connections still in the
handshake. (``StreamWriter.start_tls`` would do the same on paper, but under
uvloop its server-side handshake stalls: tests/server/test_tls_accept.py
shows both loops.) Every connection gets its
own task, a ``Session`` once TLS is done, so many sessions run concurrently
on one loop while store calls run in worker threads. ``admission.py``
counts connections by state and peer address and decides who is let in
(limits read from the live settings at each connection): beyond
``max_tls_handshakes`` connections in the handshake (or
``max_unauthenticated_per_address`` from one address) a new connection is
closed at once, before TLS; a connection that does not finish TLS within
``tls_handshake_timeout`` seconds is dropped; after TLS, beyond
``max_sessions`` sessions, ``max_unauthenticated`` sessions not logged in,
or ``max_unauthenticated_per_address`` not logged in from this address, it
gets a single ``ERROR ERR_BUSY`` line and is closed. At start (and when
``max_sessions`` changes) the open-files limit is raised as far as the
sessions need (``open_files.py``), with a warning when it cannot be.
Each connection's kernel send buffer is bounded (``send_buffer``), so a
client that does not read costs little memory until ``write_timeout``.
Once listening, ``start`` starts the verification client (or warns once
that there is none: calls go out unregistered) and the drivers of the
configured channels of every type (``context.channels``); ``stop`` closes
the listener and every connection, then stops the drivers and closes the
verification client.

``start_server(settings)`` is the whole start in-process (data directory,
store, certificate, licence, administrator, components, listener) and
returns a ``RunningServer`` (tests, fixtures). ``serve`` runs a server in
the foreground until SIGINT or SIGTERM, writing the daily log files of the
data directory (``logfiles.py``) meanwhile; ``nabat serve`` uses it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import signal
import socket
import ssl
import struct
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from nabat.system.licence import Licence
from nabat.system.protocol import ERROR_WORD, ErrorCode, error_reply
from nabat.system.runtime.tasks import cancel_and_wait
from nabat.system.server import logfiles, open_files
from nabat.system.server.admission import Admission, State
from nabat.system.server.bootstrap import Prepared, build_context, prepare
from nabat.system.server.context import ServerContext
from nabat.system.server.session import Session
from nabat.system.server.settings import ServerSettings
from nabat.system.speech.synthesiser import Synthesiser
from nabat.system.store import ScryptParams
from nabat.system.store.passwords import DEFAULT_PARAMS
from nabat.system.tls import server_context

log = logging.getLogger("nabat.server")


REFUSAL_LOG_EVERY = 10.0  # seconds between two summaries of connections closed unseen


def _abort(sock: socket.socket) -> None:
    """Close a socket no transport owns (yet), with a reset rather than a FIN."""
    with suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


async def _refuse_busy(writer: asyncio.StreamWriter, reason: str) -> None:
    peer = writer.get_extra_info("peername")
    log.warning("refused %s: %s", peer, reason)
    line = error_reply(ERROR_WORD, ErrorCode.BUSY, f"{ErrorCode.BUSY.text} {reason}")
    with suppress(ConnectionError, OSError, ssl.SSLError, TimeoutError):
        writer.write(line.encode())
        await asyncio.wait_for(writer.drain(), 5)
    writer.close()
    with suppress(ConnectionError, OSError, ssl.SSLError, TimeoutError):
        await asyncio.wait_for(writer.wait_closed(), 5)


def _host(peer: object) -> str:
    return str(peer[0]) if isinstance(peer, tuple) else str(peer)


ACCEPT_RETRY_SECONDS = 0.1  # after accept() fails (e.g. out of file descriptors)


class NabatServer:
    def __init__(self, context: ServerContext, ssl_context: ssl.SSLContext) -> None:
        self.context = context
        self._ssl = ssl_context
        self._listener: socket.socket | None = None
        self._acceptor: asyncio.Task[None] | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self.admission = Admission(lambda: self.context.settings)
        self.closed_unseen = 0  # connections closed before TLS (handshake limits)
        self._last_refusal_log = 0.0
        self._files_checked_for = 0  # the max_sessions the open-files limit was checked for

    @property
    def address(self) -> tuple[str, int]:
        """The host and port actually bound (port 0 picks a free one)."""
        assert self._listener is not None
        name = self._listener.getsockname()
        return str(name[0]), int(name[1])

    def check_open_files(self) -> open_files.Limit | None:
        """Raise the open-files limit for ``max_sessions`` (once per value)."""
        settings = self.context.settings
        if settings.max_sessions == self._files_checked_for:
            return None
        self._files_checked_for = settings.max_sessions
        return open_files.check(settings.max_sessions, settings.max_tls_handshakes)

    async def start(self) -> None:
        settings = self.context.settings
        self.check_open_files()
        loop = asyncio.get_running_loop()
        infos = await loop.getaddrinfo(
            settings.host, settings.port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
        family, _, _, _, address = infos[0]
        listener = socket.socket(family, socket.SOCK_STREAM)
        try:
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(address)
            listener.listen(socket.SOMAXCONN)
            listener.setblocking(False)
        except BaseException:
            listener.close()
            raise
        self._listener = listener
        self._acceptor = loop.create_task(self._accept_forever(listener))
        host, port = self.address
        log.info("listening on %s:%d (TLS)", host, port)
        if self.context.verification is not None:
            await self.context.verification.start()
        else:
            log.warning("no [verification] table in the config: calls are placed unregistered "
                        "(the far end's operator may block them)")  # fmt: skip
        await self.context.channels.start()
        await self.context.engine.open()

    async def _accept_forever(self, listener: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        while True:
            try:
                sock, peer = await loop.sock_accept(listener)
            except asyncio.CancelledError:
                raise
            except OSError as exc:  # EMFILE, ENFILE, ENOBUFS...: wait, then go on
                log.warning("accept failed: %s", exc)
                await asyncio.sleep(ACCEPT_RETRY_SECONDS)
                continue
            task = loop.create_task(self._accept(sock, _host(peer)))
            self._connections.add(task)
            task.add_done_callback(self._connections.discard)

    async def _accept(self, sock: socket.socket, host: str) -> None:
        # stop() cancels: the session closed itself; asyncio would log the cancellation
        with suppress(asyncio.CancelledError):
            await self._connection(sock, host)

    async def _connection(self, sock: socket.socket, host: str) -> None:
        self.check_open_files()
        send_buffer = self.context.settings.send_buffer
        if send_buffer:
            with suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, send_buffer)
        ticket = self.admission.begin_handshake(host)
        if ticket is None:
            self._closed_unseen(host)
            _abort(sock)
            return
        try:
            streams = await self._handshake(sock, host)
            if streams is None:
                return
            reader, writer = streams
            reason = ticket.open_session()
            if reason is not None:
                await _refuse_busy(writer, reason)
                return
            await Session(self.context, reader, writer, ticket).run()
        finally:
            ticket.close()

    async def _handshake(
        self, sock: socket.socket, host: str
    ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
        """TLS on the accepted socket; the session's streams, or None (socket closed)."""
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader(loop=loop)
        protocol = asyncio.StreamReaderProtocol(reader, loop=loop)
        timeout = self.context.settings.tls_handshake_timeout
        try:
            transport, _ = await loop.connect_accepted_socket(
                lambda: protocol, sock, ssl=self._ssl, ssl_handshake_timeout=timeout
            )
        except (OSError, ssl.SSLError, TimeoutError, EOFError) as exc:
            log.info("connection from %s: no TLS session (%s)", host, exc or type(exc).__name__)
            _abort(sock)
            return None
        return reader, asyncio.StreamWriter(transport, protocol, reader, loop)

    def _closed_unseen(self, host: str) -> None:
        self.closed_unseen += 1
        now = asyncio.get_running_loop().time()
        if now - self._last_refusal_log >= REFUSAL_LOG_EVERY:
            self._last_refusal_log = now
            settings = self.context.settings
            log.warning(
                "closed a connection from %s before TLS: %d in the handshake (max_tls_handshakes "
                "%d), %d from it (max_unauthenticated_per_address %d); %d closed so far",
                host, self.admission.counts[State.HANDSHAKE], settings.max_tls_handshakes,
                self.admission.from_address(State.HANDSHAKE, host),
                settings.max_unauthenticated_per_address, self.closed_unseen,
            )  # fmt: skip

    async def stop(self) -> None:
        if self._listener is None:
            return
        if self._acceptor is not None:
            await cancel_and_wait(self._acceptor)
            self._acceptor = None
        self._listener.close()
        for task in tuple(self._connections):
            task.cancel()
        if self._connections:
            await asyncio.wait(tuple(self._connections), timeout=5)
        self._listener = None
        await self.context.engine.close()
        await self.context.channels.stop()
        if self.context.verification is not None:
            await self.context.verification.close()
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


FROM_SETTINGS: Final = "from settings"  # build_server: the synthesiser tts_command chooses


def build_server(
    settings: ServerSettings,
    data_dir: Path | None = None,
    *,
    licence: Licence | None = None,
    environ: Mapping[str, str] | None = None,
    password_params: ScryptParams = DEFAULT_PARAMS,
    synthesiser: Synthesiser | Literal["from settings"] | None = FROM_SETTINGS,
) -> RunningServer:
    """Everything but listening: prepare ``data_dir`` (else ``settings.data_dir``)
    and put the components together. ``licence`` defaults to
    ``settings.licence``, else the development licence; the administrator's
    password comes from ``NABAT_ADMIN_PASSWORD`` in ``environ``;
    ``synthesiser`` replaces the one the settings choose (``None``: none)."""
    directory = data_dir if data_dir is not None else settings.data_dir
    if directory is None:
        raise ValueError("a server needs a data directory (data_dir)")
    prepared = prepare(
        Path(directory), host=settings.host,
        licence_path=Path(settings.licence) if settings.licence else None,
        environ=environ, licence=licence, password_params=password_params,
    )  # fmt: skip
    try:
        context = build_context(prepared.store, prepared.licence, settings)
        if synthesiser != FROM_SETTINGS:
            context = dataclasses.replace(context, synthesiser=synthesiser)
        certificate = prepared.certificate
        server = NabatServer(context, server_context(certificate.cert, certificate.key))
    except BaseException:
        prepared.store.close()
        raise
    return RunningServer(server, context, prepared)


async def start_server(
    settings: ServerSettings,
    data_dir: Path | None = None,
    *,
    licence: Licence | None = None,
    environ: Mapping[str, str] | None = None,
    password_params: ScryptParams = DEFAULT_PARAMS,
    synthesiser: Synthesiser | Literal["from settings"] | None = FROM_SETTINGS,
) -> RunningServer:
    """``build_server``, then listen on ``settings.host:settings.port`` (port 0:
    a free one)."""
    running = build_server(
        settings, data_dir, licence=licence, environ=environ,
        password_params=password_params, synthesiser=synthesiser,
    )  # fmt: skip
    try:
        await running.server.start()
    except BaseException:
        running.prepared.store.close()
        raise
    return running


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
