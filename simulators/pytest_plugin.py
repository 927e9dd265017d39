"""Nabat's pytest plugin (entry point ``pytest11: nabat``): simulators and the server as fixtures.

``ats_simulator`` hands each test a running ATS simulator pair (primary and
reserve on free loopback ports, one per test session) reset to its start-up
state, as an ``AtsSimulatorHandle`` with the URLs and a control-API client;
with the ini option ``nabat_ats_control_token`` (or ``$NABAT_ATS_CONTROL_TOKEN``)
the simulator requires that token and the handle's client sends it
(``control_token`` is on the handle for further clients).
``nabat_server`` hands each test a running notification server on a fresh
data directory under ``tmp_path`` (``server_fixture.NabatServerHandle``:
host, port, CA file, admin login and password, data directory, and
``connect()`` for a ready ``NabatClient``); settings come from the
``@pytest.mark.nabat_server(**settings)`` marker, and
``nabat_server_factory(**settings)`` starts as many servers as a test needs.
``gsm_simulator`` hands each test a running GSM modem simulator (one per test
session, reset to its start-up state before each test) as a
``GsmSimulatorHandle``: ``paths`` (pseudo-terminals), ``links`` (stable
symbolic links to them), ``urls`` (``nabatgsm://`` in-process ports),
``control`` (``GsmControlClient``), ``world`` (its world routes) and
``call(fn)`` to run code on the simulator's loop; the ini options
``nabat_gsm_modems`` (2), ``nabat_gsm_profile`` (generic) and
``nabat_gsm_control_token`` (or ``$NABAT_GSM_CONTROL_TOKEN``) shape it, and
``gsm_simulator_factory(**options)`` starts more with any ``GsmSimConfig``
options. ``ftp_platform`` hands each test its own FTP/FTPS bulk-SMS platform
simulator (frozen clock, folders under ``tmp_path``; ``ftp_platform_factory``
for more, with any ``FtpPlatformConfig`` options). Every import of Nabat
happens inside the fixtures, under the ``nabat.`` namespace, so loading the
plugin costs nothing for runs that do not use them and never collides with a
user's own top-level packages.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import pytest

if TYPE_CHECKING:
    from nabat.simulators.ats.control_client import AtsControlClient
    from nabat.simulators.ats.runner import BackgroundAtsSimulator
    from nabat.simulators.ftp_platform.runner import BackgroundFtpPlatform
    from nabat.simulators.gsm_modem.control_client import GsmControlClient, GsmWorldControl
    from nabat.simulators.gsm_modem.runner import BackgroundGsmSimulator
    from nabat.simulators.mfms.fixture import MfmsSimulatorHandle
    from nabat.simulators.oktell.fixture import OktellSimulatorHandle
    from nabat.simulators.server_fixture import NabatServerHandle
    from nabat.simulators.smtp.fixture import SmtpSinkHandle
    from nabat.simulators.system.config import SystemConfig
    from nabat.simulators.system.stack import SystemStack

__all__ = [
    "AtsSimulatorHandle",
    "BackgroundFtpPlatform",
    "GsmSimulatorFactory",
    "GsmSimulatorHandle",
    "MfmsSimulatorHandle",
    "NabatServerFactory",
    "NabatServerHandle",
    "OktellSimulatorHandle",
    "SmtpSinkHandle",
    "SystemConfig",
    "SystemStack",
    "start_gsm_simulator",
]

# The handle types live with their simulators; importing them from here (for type
# hints in a user's tests) loads them on first use, so loading the plugin stays free.
_LAZY = {
    "BackgroundFtpPlatform": "nabat.simulators.ftp_platform.runner",
    "MfmsSimulatorHandle": "nabat.simulators.mfms.fixture",
    "NabatServerHandle": "nabat.simulators.server_fixture",
    "OktellSimulatorHandle": "nabat.simulators.oktell.fixture",
    "SmtpSinkHandle": "nabat.simulators.smtp.fixture",
    "SystemConfig": "nabat.simulators.system.config",
    "SystemStack": "nabat.simulators.system.stack",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class AtsSimulatorHandle:
    url: str
    reserve_url: str
    control: AtsControlClient
    background: BackgroundAtsSimulator
    control_token: str | None = None


T = TypeVar("T")
_gsm_names = itertools.count(1)


@dataclass(frozen=True)
class GsmSimulatorHandle:
    """A running GSM modem simulator (see the module comment)."""

    control: GsmControlClient
    background: BackgroundGsmSimulator
    links: list[Path]  # DIR/modem<i>: always point at modem i's current device
    control_url: str
    control_token: str | None = None

    @property
    def paths(self) -> list[str]:
        """Each modem's pseudo-terminal now (a modem unplugged and back gets a new one)."""
        paths: list[str] = self.background.call(lambda: list(self.background.bank.paths))
        return paths

    @property
    def urls(self) -> list[str]:
        """``nabatgsm://`` URLs of the modems (pyserial ``serial_for_url``, this process)."""
        urls: list[str] = self.background.call(lambda: list(self.background.bank.urls))
        return urls

    @property
    def world(self) -> GsmWorldControl:
        return self.control.world

    def call(self, function: Callable[..., T], *args: object) -> T:
        """Run ``function(*args)`` on the simulator's loop (to touch ``background.bank``)."""
        result: T = self.background.call(function, *args)
        return result

    def stop(self) -> None:
        self.control.close()
        self.background.stop()


class GsmSimulatorFactory(Protocol):
    """``gsm_simulator_factory(**options)``: ``GsmSimConfig`` fields (``modems``,
    ``profile``, ``world``, ``timing``, ``speed``, ``pin_required``, ...)."""

    def __call__(self, **options: Any) -> GsmSimulatorHandle: ...


class NabatServerFactory(Protocol):
    """``nabat_server_factory(**options)``: options of ``start_nabat_server``
    (``licence``, ``users``, ``synthesiser``) and ``ServerSettings`` fields."""

    def __call__(self, **options: Any) -> NabatServerHandle: ...


class _Stoppable(Protocol):
    def stop(self) -> None: ...


H = TypeVar("H", bound=_Stoppable)


def _stopped_after(handle: H) -> Iterator[H]:
    """A fixture's body: yield ``handle``, stop it after (``yield from`` this)."""
    try:
        yield handle
    finally:
        handle.stop()


def _starter(start: Callable[..., H]) -> Iterator[Callable[..., H]]:
    """A factory fixture's body: yield ``start``, then stop every handle it started."""
    started: list[H] = []

    def run(**options: Any) -> H:
        handle = start(**options)
        started.append(handle)
        return handle

    try:
        yield run
    finally:
        for handle in started:
            handle.stop()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "nabat_ats_control_token",
        "control-API token of the ats_simulator fixture (default: $NABAT_ATS_CONTROL_TOKEN)",
        default="",
    )
    parser.addini("nabat_gsm_modems", "how many modems the gsm_simulator fixture has", default="2")
    parser.addini(
        "nabat_gsm_profile",
        "profile of the gsm_simulator fixture's modems (generic, simcom, quectel, huawei; "
        "default generic)",
        default="generic",
    )
    parser.addini(
        "nabat_gsm_control_token",
        "control-API token of the gsm_simulator fixture (default: $NABAT_GSM_CONTROL_TOKEN)",
        default="",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "nabat_server(**options): options of the nabat_server fixture's server "
        "(ServerSettings fields, licence, users, synthesiser)",
    )


@pytest.fixture(scope="session")
def _ats_simulator_session(pytestconfig: pytest.Config) -> Iterator[AtsSimulatorHandle]:
    from nabat.simulators.ats.app import AtsConfig
    from nabat.simulators.ats.control_client import AtsControlClient
    from nabat.simulators.ats.runner import BackgroundAtsSimulator

    configured = str(pytestconfig.getini("nabat_ats_control_token"))
    token = configured or os.environ.get("NABAT_ATS_CONTROL_TOKEN") or None
    config = AtsConfig(port=0, reserve_port=0, control_token=token)
    simulator = BackgroundAtsSimulator(config).start()
    urls = simulator.urls
    assert urls["primary"] is not None and urls["reserve"] is not None
    control = AtsControlClient(urls["primary"], token=token)
    try:
        yield AtsSimulatorHandle(urls["primary"], urls["reserve"], control, simulator, token)
    finally:
        control.close()
        simulator.stop()


@pytest.fixture
def ats_simulator(_ats_simulator_session: AtsSimulatorHandle) -> AtsSimulatorHandle:
    """A running ATS simulator pair, reset to its start-up state for this test."""
    _ats_simulator_session.control.reset()
    return _ats_simulator_session


@pytest.fixture
def nabat_server_factory(tmp_path: Path) -> Iterator[NabatServerFactory]:
    """Starts servers (each on its own data directory); all stop after the test."""
    from nabat.simulators.server_fixture import start_nabat_server

    counter = itertools.count()

    def start(**options: Any) -> NabatServerHandle:
        return start_nabat_server(tmp_path / f"nabat-data-{next(counter)}", **options)

    yield from _starter(start)


@pytest.fixture
def nabat_server(
    nabat_server_factory: NabatServerFactory, request: pytest.FixtureRequest
) -> NabatServerHandle:
    """A running notification server with an admin login, for this test."""
    marker = request.node.get_closest_marker("nabat_server")
    return nabat_server_factory(**(marker.kwargs if marker is not None else {}))


def start_gsm_simulator(link_dir: Path, **options: Any) -> GsmSimulatorHandle:
    """A GSM simulator in a background thread: free control port, links in ``link_dir``,
    pseudo-terminals and in-process ports; ``options``: ``GsmSimConfig`` fields."""
    from nabat.simulators.gsm_modem.control_client import GsmControlClient
    from nabat.simulators.gsm_modem.runner import BackgroundGsmSimulator, GsmSimConfig

    settings: dict[str, Any] = {
        "control_port": 0,
        "link_dir": link_dir,
        "in_process": True,
        "name_prefix": f"fixture{next(_gsm_names)}-modem",
        **options,
    }
    config = GsmSimConfig(**settings)
    background = BackgroundGsmSimulator(config).start()
    control = GsmControlClient(background.control_url, token=config.control_token)
    links = [link_dir / f"modem{index}" for index in range(config.modems)]
    return GsmSimulatorHandle(
        control, background, links, background.control_url, config.control_token
    )


@pytest.fixture(scope="session")
def _gsm_simulator_session(
    pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GsmSimulatorHandle]:
    configured = str(pytestconfig.getini("nabat_gsm_control_token"))
    token = configured or os.environ.get("NABAT_GSM_CONTROL_TOKEN") or None
    modems = int(str(pytestconfig.getini("nabat_gsm_modems")))
    profile = str(pytestconfig.getini("nabat_gsm_profile"))
    handle = start_gsm_simulator(
        tmp_path_factory.mktemp("gsm") / "dev",
        modems=modems,
        profile=profile,
        control_token=token,
    )
    yield from _stopped_after(handle)


@pytest.fixture
def gsm_simulator(_gsm_simulator_session: GsmSimulatorHandle) -> GsmSimulatorHandle:
    """A running GSM modem simulator, reset to its start-up state for this test."""
    _gsm_simulator_session.control.reset()
    return _gsm_simulator_session


@pytest.fixture
def gsm_simulator_factory(tmp_path: Path) -> Iterator[GsmSimulatorFactory]:
    """Starts GSM simulators with any ``GsmSimConfig`` options; all stop after the test."""
    counter = itertools.count()

    def start(**options: Any) -> GsmSimulatorHandle:
        return start_gsm_simulator(tmp_path / f"gsm-{next(counter)}", **options)

    yield from _starter(start)


# --- the FTP bulk-SMS platform simulator (simulators/ftp_platform/fixture.py) --


@pytest.fixture
def ftp_platform(tmp_path: Path) -> Iterator[BackgroundFtpPlatform]:
    """A running FTP platform simulator for this test (``BackgroundFtpPlatform``: host,
    port, endpoints with ca_file, control), its folders under ``tmp_path``, its clock
    frozen: polls run when the test advances it (``control.advance_clock(10)``)."""
    from nabat.simulators.ftp_platform.fixture import start_ftp_platform

    yield from _stopped_after(start_ftp_platform(tmp_path / "ftp-platform"))


@pytest.fixture
def ftp_platform_factory(tmp_path: Path) -> Iterator[Callable[..., BackgroundFtpPlatform]]:
    """Starts FTP platform simulators with any ``FtpPlatformConfig`` options; all stop
    after the test."""
    from nabat.simulators.ftp_platform.fixture import start_ftp_platform

    counter = itertools.count(1)

    def start(**options: Any) -> BackgroundFtpPlatform:
        options.setdefault("root", tmp_path / f"ftp-platform-{next(counter)}")
        return start_ftp_platform(**options)

    yield from _starter(start)


# --- the MFMS HPG simulator (simulators/mfms/fixture.py) ----------------------


@pytest.fixture(scope="session")
def _mfms_simulator_session() -> Iterator[MfmsSimulatorHandle]:
    from nabat.simulators.mfms.fixture import start_mfms_simulator

    yield from _stopped_after(start_mfms_simulator())


@pytest.fixture
def mfms_simulator(_mfms_simulator_session: MfmsSimulatorHandle) -> MfmsSimulatorHandle:
    """A running MFMS HPG simulator (``MfmsSimulatorHandle``: url, tls_url, ca_file,
    control, call), reset to its start-up state for this test."""
    _mfms_simulator_session.control.reset()
    return _mfms_simulator_session


@pytest.fixture
def mfms_simulator_factory() -> Iterator[Callable[..., MfmsSimulatorHandle]]:
    """Starts MFMS simulators with any ``MfmsConfig`` options; all stop after the test."""
    from nabat.simulators.mfms.fixture import start_mfms_simulator

    yield from _starter(start_mfms_simulator)


# --- the Oktell PBX simulator (simulators/oktell/fixture.py) ------------------


@pytest.fixture(scope="session")
def _oktell_simulator_session() -> Iterator[OktellSimulatorHandle]:
    from nabat.simulators.oktell.fixture import start_oktell_simulator

    yield from _stopped_after(start_oktell_simulator())


@pytest.fixture
def oktell_simulator(_oktell_simulator_session: OktellSimulatorHandle) -> OktellSimulatorHandle:
    """A running Oktell simulator without a password (``OktellSimulatorHandle``: url,
    control, call, simulator), reset to its start-up state for this test."""
    _oktell_simulator_session.control.reset()
    return _oktell_simulator_session


@pytest.fixture
def oktell_simulator_factory() -> Iterator[Callable[..., OktellSimulatorHandle]]:
    """Starts Oktell simulators with any ``OktellConfig`` options (and clock, world,
    ats_url); all stop after the test."""
    from nabat.simulators.oktell.fixture import start_oktell_simulator

    yield from _starter(start_oktell_simulator)


# --- the SMTP sink (simulators/smtp/fixture.py) --------------------------------


@pytest.fixture(scope="session")
def _smtp_sink_session() -> Iterator[SmtpSinkHandle]:
    from nabat.simulators.smtp.fixture import start_smtp_sink

    handle = start_smtp_sink()
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture
def smtp_sink(_smtp_sink_session: SmtpSinkHandle) -> SmtpSinkHandle:
    """A running SMTP sink (``SmtpSinkHandle``: host, port, ca_file, accounts, control,
    call), reset to its start-up state for this test."""
    _smtp_sink_session.control.reset()
    return _smtp_sink_session


@pytest.fixture
def smtp_sink_factory() -> Iterator[Callable[..., SmtpSinkHandle]]:
    """Starts SMTP sinks with any ``SmtpConfig`` options; all stop after the test."""
    from nabat.simulators.smtp.fixture import start_smtp_sink

    started: list[SmtpSinkHandle] = []

    def start(**options: Any) -> SmtpSinkHandle:
        handle = start_smtp_sink(**options)
        started.append(handle)
        return handle

    try:
        yield start
    finally:
        for handle in started:
            handle.stop()


# --- the whole system (simulators/system/stack.py) -----------------------------


@pytest.fixture
def nabat_system_config() -> SystemConfig:
    """The configuration ``nabat_system`` starts: free ports everywhere, speed 50,
    instant modem timing. Override this fixture to change it (any ``SystemConfig``)."""
    from nabat.simulators.system.config import SystemConfig, with_free_ports

    config = SystemConfig(speed=50.0).replace_section("gsm", timing="instant")
    return with_free_ports(config)


@pytest.fixture
def nabat_system(nabat_system_config: SystemConfig, tmp_path: Path) -> Iterator[SystemStack]:
    """The notification server and every simulator, wired, for this test (a started
    ``SystemStack``: ``server``, ``ats``, ``gsm``, ``mfms``, ``ftp``, ``oktell``, ``smtp``,
    ``world``, ``channel_numbers()``; ``admin_client(stack)`` for a logged-in client)."""
    from nabat.simulators.system.stack import SystemStack

    yield from _stopped_after(SystemStack(nabat_system_config, tmp_path / "nabat-system").start())
