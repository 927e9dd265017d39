"""The TLS listener: accepts connections and runs one ``Session`` each.

``NabatServer(context, ssl_context)`` listens with ``asyncio.start_server``
(TLS handled by asyncio); every connection gets its own ``Session`` task,
so many sessions run concurrently on one loop while store calls run in
worker threads. At most ``max_sessions`` are open at once: one more gets a
single ``ERROR ERR_BUSY`` line and is closed (a flood of connections costs
file descriptors, not the sessions already open). A connection must finish
its TLS handshake within ``tls_handshake_timeout`` seconds. ``stop`` closes
the listener and the open sessions.
``use_uvloop`` installs uvloop when it is installed.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from contextlib import suppress

from nabat.system.protocol import ERROR_WORD, ErrorCode, error_reply
from nabat.system.server.context import ServerContext
from nabat.system.server.session import Session

log = logging.getLogger("nabat.server")


def use_uvloop() -> bool:
    """Make ``asyncio.run`` use uvloop when available; True when it does."""
    try:
        import uvloop
    except ImportError:
        return False
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    return True


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
