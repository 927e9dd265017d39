"""From a data directory and settings to the shared components of a server.

``prepare`` is the every-start preparation of the data directory: it
creates it, opens (creating and migrating) the store, creates or reuses the
self-signed certificate, loads the licence and, when no user exists yet,
creates the administrator ``admin`` with the password from
``NABAT_ADMIN_PASSWORD`` or a generated one (returned so the caller can
print it once; it is never logged).

``build_context`` wires the components every session shares: it syncs the
configured channels (``settings.channels``, else the licence's default set)
into the store, puts the settings changed earlier with SETCONFIG over
``settings`` in the one live source (``LiveSettings``) that every component
reads, creates the channel drivers of every type (``channel_index.py``:
GSM modems, Oktell lines, MFMS, FTP platform and SMTP routes, started and
stopped by the server, shared with the engine), the verification client
when the settings have a ``[verification]`` table (started by the server)
and removes leftover temporary upload files.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from nabat.system.engine.clock import ScaledClock
from nabat.system.engine.engine import TaskEngine
from nabat.system.licence import Licence, load_licence
from nabat.system.protocol import Rights, Task, User
from nabat.system.server.channel_index import ChannelIndex
from nabat.system.server.channelconfig import default_channels
from nabat.system.server.context import ServerContext
from nabat.system.server.filestore import FileStore
from nabat.system.server.gsm_channels import GsmChannels
from nabat.system.server.live import LiveSettings
from nabat.system.server.monitor import MonitorHub
from nabat.system.server.oktell_channels import OktellChannels
from nabat.system.server.route_channels import FtpChannels, MfmsChannels, SmtpChannels
from nabat.system.server.settings import ServerSettings
from nabat.system.server.throttle import LoginThrottle
from nabat.system.server.verifier import PasswordVerifier
from nabat.system.speech.cache import TTS_CACHE_DIR, with_cache
from nabat.system.speech.choice import find_synthesiser
from nabat.system.store import ScryptParams, Store
from nabat.system.store.channels import StoredChannel
from nabat.system.store.passwords import DEFAULT_PARAMS, new_password
from nabat.system.tls import CertificatePaths, ensure_server_certificate
from nabat.system.verification.client import VerificationClient

VERIFIER_THREADS = 2  # concurrent scrypt checks (the reference machine has 2 cores)
ADMIN_LOGIN = "admin"
ADMIN_PASSWORD_ENV = "NABAT_ADMIN_PASSWORD"

log = logging.getLogger("nabat.server")


@dataclass(slots=True)
class Prepared:
    store: Store
    certificate: CertificatePaths
    licence: Licence
    admin_created: bool = False
    generated_password: str | None = field(default=None, repr=False)


def prepare(
    data_dir: Path,
    *,
    host: str | None,
    licence_path: Path | None,
    environ: Mapping[str, str] | None = None,
    licence: Licence | None = None,
    password_params: ScryptParams = DEFAULT_PARAMS,
) -> Prepared:
    """The data directory ready to serve (``licence`` wins over ``licence_path``)."""
    env = os.environ if environ is None else environ
    if licence is None:
        licence = load_licence(licence_path, environ=env)
    data_dir.mkdir(parents=True, exist_ok=True)
    certificate = ensure_server_certificate(data_dir, host)
    store = Store.open(data_dir, password_params=password_params)
    prepared = Prepared(store, certificate, licence)
    try:
        if store.users.count() == 0:
            password = env.get(ADMIN_PASSWORD_ENV) or None
            if password is None:
                password = prepared.generated_password = new_password()
            store.users.add(User(login=ADMIN_LOGIN, password=password,
                                 rights=Rights.ADMINISTRATOR, name="Administrator"))  # fmt: skip
            prepared.admin_created = True
    except BaseException:
        store.close()
        raise
    return prepared


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
    startup = live.current  # start-up keys only below: SETCONFIG cannot change them
    # the engine's waits (retry intervals, SMS report waits) follow clock_speed; the
    # drivers' protocol timeouts stay in real time (a modem answers in real time)
    speed = startup.clock_speed
    clock = ScaledClock(speed) if speed != 1 else None
    gsm_channels = GsmChannels(store)
    synthesiser = with_cache(find_synthesiser(startup.tts_command), data_dir / TTS_CACHE_DIR)
    oktell_channels = OktellChannels(store, synthesiser=synthesiser)
    channels = ChannelIndex(gsm=gsm_channels, oktell=oktell_channels, mfms=MfmsChannels(store),
                            ftp=FtpChannels(store), smtp=SmtpChannels(store))  # fmt: skip
    verification = None if startup.verification is None else VerificationClient(
        startup.verification)  # fmt: skip
    engine = _engine(store, hub, channels, files, licence, live, verification, clock)
    throttle = LoginThrottle(live.login_policy)
    return ServerContext(
        store=store,
        licence=licence,
        engine=engine,
        hub=hub,
        throttle=throttle,
        live=live,
        verifier=PasswordVerifier(VERIFIER_THREADS, live.login_policy, throttle.load),
        data_dir=data_dir,
        files=files,
        synthesiser=synthesiser,
        gsm_channels=gsm_channels,
        channels=channels,
        oktell_channels=oktell_channels,
        verification=verification,
    )


def _engine(
    store: Store,
    hub: MonitorHub,
    channels: ChannelIndex,
    files: FileStore,
    licence: Licence,
    live: LiveSettings,
    verification: VerificationClient | None,
    clock: ScaledClock | None,
) -> TaskEngine:
    """The task engine over the server's channels, files, licence and verification client."""
    simulated = live.current.simulated_gsm_modems  # start-up key

    def read_file(name: str) -> bytes | None:
        handle = files.open(name)
        if handle is None:
            return None
        with handle:
            return handle.read()

    def gsm_modems() -> int:
        return simulated + channels.gsm.working()

    engine = TaskEngine(
        store, hub.publish, channels, clock=clock, verification=lambda: verification,
        read_file=read_file,
        gsm_modems=gsm_modems, report_format=lambda: live.current.report_format,
    )  # fmt: skip

    def check_start(task: Task) -> None:
        licence.check_start(task.ttype, gsm_modems(), sms_routes=engine.available_sms_routes())

    def own_number(channel_name: str) -> str | None:
        for source in channels.sources().values():
            if getattr(source, "name", None) == channel_name:
                number = getattr(source, "own_number", None)
                return number if isinstance(number, str) else None
        return None

    engine.remote.check_start = check_start
    engine.remote.own_number = own_number
    return engine
