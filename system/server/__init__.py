"""The notification server: asyncio TLS listener, sessions, command handlers.

``build_context`` wires the shared components; ``NabatServer`` listens.
See docs/server.md.
"""

from system.server.bootstrap import build_context
from system.server.context import ServerContext
from system.server.dispatch import HANDLERS, NOT_IMPLEMENTED
from system.server.engine import Engine, InProcessEngine
from system.server.server import NabatServer, use_uvloop
from system.server.settings import DEFAULT_HOST, DEFAULT_PORT, LoginPolicy, ServerSettings

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
