"""Wires the shared components of a server from a store, a licence and settings.

The data directory is the one holding the store's database. At every start
the configured channels (``settings.channels``, else the licence's default
set) are synced into the store, settings changed earlier with SETCONFIG are
applied over ``settings``, and leftover temporary upload files are removed.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from nabat.system.licence import Licence
from nabat.system.server.channelconfig import default_channels
from nabat.system.server.context import ServerContext
from nabat.system.server.engine import InProcessEngine
from nabat.system.server.filestore import FileStore
from nabat.system.server.monitor import MonitorHub
from nabat.system.server.runtime import LiveSettings
from nabat.system.server.settings import ServerSettings
from nabat.system.server.synthesis import find_synthesiser
from nabat.system.server.throttle import LoginThrottle
from nabat.system.store import Store
from nabat.system.store.channels import StoredChannel

VERIFIER_THREADS = 2  # concurrent scrypt checks (the reference machine has 2 cores)

log = logging.getLogger("nabat.server")


def _sync_channels(store: Store, licence: Licence, settings: ServerSettings) -> None:
    specs = settings.channels if settings.channels is not None else default_channels(licence)
    store.channels.sync(
        StoredChannel(num, spec.ctype, spec.name, spec.enabled, spec.settings)
        for num, spec in enumerate(specs, start=1)
    )


def build_context(store: Store, licence: Licence, settings: ServerSettings) -> ServerContext:
    data_dir = store.db.path.parent
    _sync_channels(store, licence, settings)
    live = LiveSettings(settings, store.runtime_settings.all())
    files = FileStore(data_dir)
    if files.clean():
        log.info("removed unfinished uploads from %s", files.temp)
    hub = MonitorHub()
    engine = InProcessEngine(store, hub, gsm_modems=live.current.simulated_gsm_modems)
    return ServerContext(
        store=store,
        licence=licence,
        engine=engine,
        hub=hub,
        throttle=LoginThrottle(live.current.login),
        live=live,
        verifier=ThreadPoolExecutor(VERIFIER_THREADS, thread_name_prefix="nabat-verify"),
        data_dir=data_dir,
        files=files,
        synthesiser=find_synthesiser(live.current.tts_command),
    )
