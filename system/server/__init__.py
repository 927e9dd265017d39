"""The notification server: asyncio TLS listener, sessions, command handlers.

``ServerSettings`` is the configuration (``settings.py`` declares every key);
``start_server`` runs a server in-process from settings; ``build_context``
wires the shared components and ``NabatServer`` listens. See docs/server.md.
"""

from nabat.system.server.bootstrap import build_context
from nabat.system.server.context import ServerContext
from nabat.system.server.dispatch import HANDLERS, NOT_IMPLEMENTED
from nabat.system.server.engine import Engine
from nabat.system.server.server import NabatServer, RunningServer, build_server, start_server
from nabat.system.server.settings import DEFAULT_HOST, DEFAULT_PORT, LoginPolicy, ServerSettings

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "HANDLERS",
    "NOT_IMPLEMENTED",
    "Engine",
    "LoginPolicy",
    "NabatServer",
    "RunningServer",
    "ServerContext",
    "ServerSettings",
    "build_context",
    "build_server",
    "start_server",
]
