"""Loopback connections for the attacks: opened from a chosen source address,
watched without reading, and always closed.

``Endpoint`` is where a listener listens and how its wire starts (TLS or
plain TCP, and the TLS a plain protocol may upgrade to). ``open_connection``
makes the socket itself, so an attacker can bind a source address of
127.0.0.0/8 other than the well-behaved client's (127.0.0.1): per-address
limits then tell them apart, as they would tell a hostile host from a real one.
It can shrink the receive buffer (a client that never reads fills its buffers
in a few kilobytes) and skip TLS even on a TLS endpoint (half-open handshakes).
``peer_closed`` asks the kernel for the TCP state (``TCP_INFO``), so a
connection closed by the listener is seen without reading it: a never-reading
client must stay never-reading. ``Crowd`` owns every connection an attack
opens and aborts all of them when its block ends, whatever happened inside.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from types import TracebackType
from typing import Self

ATTACKER_ADDRESS = "127.0.0.2"  # every attack's source; the well-behaved probe uses 127.0.0.1
TCP_ESTABLISHED = 1  # tcpi_state values of linux/tcp_states.h


@dataclass(frozen=True)
class Endpoint:
    """One listening socket of a listener."""

    host: str
    port: int
    tls: ssl.SSLContext | None = None  # None: plain TCP
    server_hostname: str | None = None
    # TLS the protocol turns on after plain commands (explicit FTPS: AUTH TLS); the
    # connection itself starts plain. None: no such upgrade.
    upgrade_tls: ssl.SSLContext | None = None

    def __post_init__(self) -> None:
        if not ipaddress.ip_address(self.host).is_loopback:
            raise ValueError(f"the battery attacks loopback only, not {self.host}")


@dataclass
class Connection:
    """An attacker's connection: the raw socket (for its TCP state) and its streams."""

    sock: socket.socket
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter

    def peer_closed(self) -> bool:
        """The listener closed (FIN or reset) this connection, or it failed."""
        if self.writer.transport.is_closing():
            return True
        return tcp_state(self.sock) != TCP_ESTABLISHED

    def abort(self) -> None:
        self.writer.transport.abort()  # the transport owns the socket and closes it


def tcp_state(sock: socket.socket) -> int:
    """The kernel's TCP state of ``sock`` (``TCP_ESTABLISHED`` = 1); 0 when closed."""
    try:
        info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)
    except OSError:
        return 0
    return info[0]


async def open_connection(
    endpoint: Endpoint,
    *,
    source: str = ATTACKER_ADDRESS,
    tls: bool = True,
    receive_buffer: int | None = None,
    timeout: float = 5.0,
    limit: int = 64 * 1024,
) -> Connection:
    """Connect from ``source`` (TLS when the endpoint has it and ``tls``);
    ``receive_buffer``: SO_RCVBUF in bytes, set before connecting."""
    context = endpoint.tls if tls else None
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        if receive_buffer is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        sock.bind((source, 0))
        sock.settimeout(timeout)
        await asyncio.to_thread(sock.connect, (endpoint.host, endpoint.port))
        sock.setblocking(False)
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(
                sock=sock,
                ssl=context,
                server_hostname=(endpoint.server_hostname or endpoint.host) if context else None,
                ssl_handshake_timeout=timeout if context else None,
                limit=limit,
            ),
            timeout,
        )
    except BaseException:
        sock.close()
        raise
    return Connection(sock, reader, writer)


class Crowd:
    """The connections of one attack; all are aborted when the block ends."""

    def __init__(self) -> None:
        self.connections: list[Connection] = []
        self.failed = 0  # connection attempts that did not get through

    async def open(self, endpoint: Endpoint, **options: object) -> Connection | None:
        """One more connection (``open_connection`` options), or None when it failed."""
        try:
            connection = await open_connection(endpoint, **options)  # type: ignore[arg-type]
        except (OSError, ssl.SSLError, TimeoutError, asyncio.IncompleteReadError):
            self.failed += 1
            return None
        self.connections.append(connection)
        return connection

    def held(self) -> int:
        """Connections the listener still keeps open."""
        return sum(1 for connection in self.connections if not connection.peer_closed())

    async def until_released(self, timeout: float) -> int:
        """Wait (bounded) until the listener closed every connection; how many it still holds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (held := self.held()) and loop.time() < deadline:
            await asyncio.sleep(0.05)
        return held

    def abort_all(self) -> None:
        for connection in self.connections:
            connection.abort()
        self.connections.clear()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.abort_all()
        await asyncio.sleep(0)  # let the transports run their connection_lost
