"""The notification server: asyncio TLS listener, sessions, command handlers.

``build_context`` wires the shared components; ``NabatServer`` listens.
See docs/server.md.
"""

from nabat.system.server.bootstrap import build_context
from nabat.system.server.context import ServerContext
from nabat.system.server.dispatch import HANDLERS, NOT_IMPLEMENTED
from nabat.system.server.engine import Engine, InProcessEngine
from nabat.system.server.server import NabatServer, use_uvloop
from nabat.system.server.settings import DEFAULT_HOST, DEFAULT_PORT, LoginPolicy, ServerSettings

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "HANDLERS",
    "NOT_IMPLEMENTED",
    "Engine",
    "InProcessEngine",
    "LoginPolicy",
    "NabatServer",
    "ServerContext",
    "ServerSettings",
    "build_context",
    "use_uvloop",
]
