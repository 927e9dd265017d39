"""Wires the shared components of a server from a store, a licence and settings."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from system.licence import Licence
from system.server.context import ServerContext
from system.server.engine import InProcessEngine
from system.server.monitor import MonitorHub
from system.server.settings import ServerSettings
from system.server.throttle import LoginThrottle
from system.store import Store

VERIFIER_THREADS = 2  # concurrent scrypt checks (the reference machine has 2 cores)


def build_context(store: Store, licence: Licence, settings: ServerSettings) -> ServerContext:
    hub = MonitorHub()
    engine = InProcessEngine(store, hub, gsm_modems=settings.simulated_gsm_modems)
    return ServerContext(
        store=store,
        licence=licence,
        engine=engine,
        hub=hub,
        throttle=LoginThrottle(settings.login),
        settings=settings,
        verifier=ThreadPoolExecutor(VERIFIER_THREADS, thread_name_prefix="nabat-verify"),
    )
