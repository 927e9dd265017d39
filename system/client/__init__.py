"""Asyncio client of the Nabat server's line protocol (docs/client.md).

``NabatClient.connect(host, port, cafile=...)`` opens a TLS connection (await
it or use it as ``async with``); the client has one typed method per command
(``login``, ``get_groups``, ``add_abonent``, ...), a raw ``request(word,
*params)``, and ``notifications()`` for MONITORING. Modules: ``connection``
(reader task, serialized exchanges), ``streams`` (listings item by item),
``core`` (generic requests), ``client`` (typed methods), ``errors``,
``raw`` (``RawSession``: any bytes out, every line in, over the same
connection; for test tools and pipelining benchmarks).
"""

from nabat.system.client.client import NabatClient
from nabat.system.client.core import DEFAULT_HOST, DEFAULT_PORT, DEFAULT_TIMEOUT, ClientCore
from nabat.system.client.errors import (
    ClientError,
    ConnectFailed,
    ConnectionLost,
    ProtocolViolation,
    ReplyTimeout,
    ServerError,
)
from nabat.system.client.raw import RawSession

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "DEFAULT_TIMEOUT",
    "ClientCore",
    "ClientError",
    "ConnectFailed",
    "ConnectionLost",
    "NabatClient",
    "ProtocolViolation",
    "RawSession",
    "ReplyTimeout",
    "ServerError",
]
