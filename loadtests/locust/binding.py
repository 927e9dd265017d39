"""geventhttpclient connection pools whose sockets bind a source address.

Why: the hub (and the simulator's default plan) tells operators apart by the
client's IP address: 127.0.0.1 is operator 1, 127.0.0.2 operator 2. A
cross-operator call is registered from one address and checked from the
other, so one Locust user needs HTTP connections from two source addresses.

How: FastHttpUser's session takes a ``client_pool`` (geventhttpclient's
``HTTPClientPool``, one ``HTTPClient`` per host:port). ``SourceBoundClientPool``
creates its clients as usual and then installs, on each client's connection
pool, a socket factory that binds ``(source_address, 0)`` before connecting:
geventhttpclient documents ``ConnectionPool._create_tcp_socket`` as the TCP
socket factory to override, and both the plain and the TLS pool create their
sockets through it. Keep-alive, retries and timeouts stay geventhttpclient's.
"""

from __future__ import annotations

import ipaddress
from typing import Any

import gevent.socket
from geventhttpclient.client import HTTPClient, HTTPClientPool
from geventhttpclient.url import URL


def bound_socket_factory(source_address: str) -> Any:
    """A ``_create_tcp_socket`` replacement binding ``source_address`` (any free port)."""
    family = (
        gevent.socket.AF_INET6
        if ipaddress.ip_address(source_address).version == 6
        else gevent.socket.AF_INET
    )

    def create(sock_family: int, socktype: int, protocol: int) -> gevent.socket.socket:
        if sock_family != family:
            raise OSError(
                f"source address {source_address} cannot reach an address of family {sock_family!r}"
            )
        sock = gevent.socket.socket(sock_family, socktype, protocol)
        try:
            sock.bind((source_address, 0))
        except OSError:
            sock.close()
            raise
        return sock

    return create


def bind_client(client: HTTPClient, source_address: str) -> None:
    """Make every new connection of ``client`` come from ``source_address``."""
    pool = client._connection_pool
    pool._create_tcp_socket = bound_socket_factory(source_address)  # type: ignore[method-assign]


class SourceBoundClientPool(HTTPClientPool):
    """``HTTPClientPool`` whose clients connect from ``source_address`` (None: OS choice)."""

    def __init__(self, source_address: str | None, **client_args: Any) -> None:
        super().__init__(**client_args)
        self.source_address = source_address

    def get_client(self, url: str | URL) -> HTTPClient:
        if not isinstance(url, URL):
            url = URL(url)
        try:
            return self.clients[url.host, url.port]
        except KeyError:
            client = super().get_client(url)
            if self.source_address:
                bind_client(client, self.source_address)
            return client
