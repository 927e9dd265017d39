"""The whole system in this process: every simulator and the notification server, wired.

How it works: ``SystemStack(config, workdir).start()`` loads one world
(``[world]``: a file or the embedded default, its seed optionally replaced)
and starts, in this order, each on its own asyncio loop in a daemon thread
through the simulator's own background runner: the ATS pair (numbering
plan from the world), the GSM modems (pseudo-terminals plus in-process
ports, the anti-fraud path at the ATS pair), MFMS, the FTP platform, Oktell
(anti-fraud at the ATS pair), the SMTP sink, each with the same world and a
simulated clock running at ``config.speed``. Then the notification server
(``server_fixture.start_nabat_server``) on ``workdir/server`` with one
channel per simulated outside system: one ``GSM`` per modem (its stable
link), one ``OKTELL`` per configured line (``number=`` the trunk caller id
the PBX shows for it), one ``MFMS``, one ``FTP_PLATFORM``, one ``SMTP``;
``[verification]`` at the ATS pair and ``clock_speed`` at ``config.speed``.

A component that fails to start stops everything already started and
raises ``SystemStartError(component, reason)``; ``stop()`` stops everything
in reverse order, never raises, and may be called again. The handles
(``server``, ``ats``, ``gsm``, ``mfms``, ``ftp``, ``oktell``, ``smtp``) are
the pytest plugin's, each with its typed ``control`` client;
``endpoints()`` is the table ``nabat up`` prints, ``channel_numbers()`` the
server's channel numbers by kind (for task channel masks), and
``console_url`` is set by whoever serves a console for the stack.
``admin_client(stack)`` opens a ``NabatClient`` logged in as the admin.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, TypeVar

from nabat.simulators.ats.app import AtsConfig
from nabat.simulators.ats.control_client import AtsControlClient
from nabat.simulators.ats.runner import BackgroundAtsSimulator
from nabat.simulators.control.clock import SimClock
from nabat.simulators.ftp_platform.accounts import (
    DEFAULT_LOGIN,
    DEFAULT_PASSWORD,
    DEFAULT_SENDER,
)
from nabat.simulators.ftp_platform.app import FtpPlatformConfig
from nabat.simulators.ftp_platform.runner import BackgroundFtpPlatform
from nabat.simulators.gsm_modem.timing import Timing
from nabat.simulators.mfms.config import Connector, MfmsConfig
from nabat.simulators.mfms.control_client import MfmsControlClient
from nabat.simulators.mfms.fixture import MfmsSimulatorHandle
from nabat.simulators.mfms.runner import BackgroundMfmsSimulator
from nabat.simulators.oktell.config import OktellConfig
from nabat.simulators.oktell.control_client import OktellControlClient
from nabat.simulators.oktell.directory import TRUNK_CALLER_ID_BASE
from nabat.simulators.oktell.fixture import OktellSimulatorHandle
from nabat.simulators.oktell.runner import BackgroundOktellSimulator
from nabat.simulators.pytest_plugin import (
    AtsSimulatorHandle,
    GsmSimulatorHandle,
    start_gsm_simulator,
)
from nabat.simulators.server_fixture import NabatServerHandle, start_nabat_server
from nabat.simulators.smtp.config import SmtpConfig
from nabat.simulators.smtp.control_client import SmtpControlClient
from nabat.simulators.smtp.fixture import SmtpSinkHandle
from nabat.simulators.smtp.runner import BackgroundSmtpSink
from nabat.simulators.system.config import SystemConfig
from nabat.simulators.world import World
from nabat.simulators.world.loader import default_world, load_world

OKTELL_CALLER_ID = str(TRUNK_CALLER_ID_BASE)  # the site's number all Oktell trunks present

if TYPE_CHECKING:
    from nabat.system.client import NabatClient
    from nabat.system.server.channelconfig import ChannelSpec

H = TypeVar("H")
PASSWORD_COST = 12  # scrypt log2 N of the stack's passwords (`nabat demo server`'s)
POLL_SECONDS = 10.0  # the routes' default poll interval (real seconds at speed 1)
_stacks = itertools.count(1)  # in-process GSM port names are per process: keep them apart


class SystemStartError(RuntimeError):
    """A component could not start (everything started before it was stopped)."""

    def __init__(self, component: str, reason: str) -> None:
        super().__init__(f"{component}: {reason}")
        self.component = component
        self.reason = reason


@dataclass(frozen=True)
class Endpoint:
    """One row of the table ``nabat up`` prints."""

    component: str
    what: str
    address: str
    credentials: str = ""
    notes: str = ""


class _Stoppable(Protocol):
    def stop(self) -> None: ...


def _started(background: H, start: Callable[[], object], stop: Callable[[], None]) -> H:
    """``background`` started; if its start fails, what it had started is stopped."""
    try:
        start()
    except BaseException:
        with contextlib.suppress(Exception):
            stop()
        raise
    return background


def _stop(handle: _Stoppable) -> None:
    handle.stop()


def _stop_ats(handle: AtsSimulatorHandle) -> None:
    try:
        handle.control.close()
    finally:
        handle.background.stop()


def _reason(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    if isinstance(error, OSError) and error.strerror:
        text = error.strerror
        if error.errno == 98 or "address already in use" in text.lower():
            text = f"a port is in use ({text})"
    return text


class SystemStack:
    """Every simulator and the server, wired (see the module comment)."""

    def __init__(self, config: SystemConfig, workdir: Path) -> None:
        self.config = config
        self.workdir = workdir
        self.console_url: str | None = None  # set by the console that serves this stack
        self._stoppers: list[Callable[[], None]] = []  # newest last
        self._channels: list[tuple[str, ChannelSpec]] = []
        self._world: World | None = None
        self._ats: AtsSimulatorHandle | None = None
        self._gsm: GsmSimulatorHandle | None = None
        self._mfms: MfmsSimulatorHandle | None = None
        self._ftp: BackgroundFtpPlatform | None = None
        self._oktell: OktellSimulatorHandle | None = None
        self._smtp: SmtpSinkHandle | None = None
        self._server: NabatServerHandle | None = None

    # --- the handles (after start) ---------------------------------------------

    @staticmethod
    def _need(handle: H | None, name: str) -> H:
        if handle is None:
            raise RuntimeError(f"the system is not started: no {name}")
        return handle

    @property
    def world(self) -> World:
        return self._need(self._world, "world")

    @property
    def ats(self) -> AtsSimulatorHandle:
        return self._need(self._ats, "ATS simulator")

    @property
    def gsm(self) -> GsmSimulatorHandle:
        return self._need(self._gsm, "GSM simulator")

    @property
    def mfms(self) -> MfmsSimulatorHandle:
        return self._need(self._mfms, "MFMS simulator")

    @property
    def ftp(self) -> BackgroundFtpPlatform:
        return self._need(self._ftp, "FTP platform")

    @property
    def oktell(self) -> OktellSimulatorHandle:
        return self._need(self._oktell, "Oktell simulator")

    @property
    def smtp(self) -> SmtpSinkHandle:
        return self._need(self._smtp, "SMTP sink")

    @property
    def server(self) -> NabatServerHandle:
        return self._need(self._server, "notification server")

    # --- start and stop ----------------------------------------------------------

    def start(self) -> SystemStack:
        if self._stoppers or self._server is not None:
            raise RuntimeError("the system is already started")
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._world = self._step("world", self._load_world, None)
        self._ats = self._step("ATS pair", self._start_ats, _stop_ats)
        self._gsm = self._step("GSM modems", self._start_gsm, _stop)
        self._mfms = self._step("MFMS", self._start_mfms, _stop)
        self._ftp = self._step("FTP platform", self._start_ftp, _stop)
        self._oktell = self._step("Oktell", self._start_oktell, _stop)
        self._smtp = self._step("SMTP sink", self._start_smtp, _stop)
        self._server = self._step("notification server", self._start_server, _stop)
        return self

    def stop(self) -> None:
        """Stop everything started, newest first; never raises; idempotent."""
        while self._stoppers:
            stop = self._stoppers.pop()
            with contextlib.suppress(Exception):
                stop()

    def __enter__(self) -> SystemStack:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    def _step(self, component: str, start: Callable[[], H], stop: Callable[[H], None] | None) -> H:
        try:
            handle = start()
        except BaseException as error:
            self.stop()
            if not isinstance(error, Exception):
                raise
            raise SystemStartError(component, _reason(error)) from error
        if stop is not None:
            self._stoppers.append(lambda: stop(handle))
        return handle

    def _clock(self) -> SimClock:
        clock = SimClock()
        clock.set_speed(self.config.speed)
        return clock

    def _folder(self, name: str) -> Path:
        folder = self.workdir / name
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def _load_world(self) -> World:
        section = self.config.world
        world = load_world(section.file) if section.file is not None else default_world()
        if section.seed is not None:
            world = dataclasses.replace(world, seed=section.seed)
        return world

    def _start_ats(self) -> AtsSimulatorHandle:
        ats = self.config.ats
        config = AtsConfig(port=ats.primary, reserve_port=ats.reserve,
                           plan=self.world.plan.numbers)  # fmt: skip
        background = BackgroundAtsSimulator(config)
        _started(background, background.start, background.stop)
        urls = background.urls
        primary, reserve = urls["primary"], urls["reserve"]
        assert primary is not None and reserve is not None
        return AtsSimulatorHandle(primary, reserve, AtsControlClient(primary), background)

    def _start_gsm(self) -> GsmSimulatorHandle:
        gsm = self.config.gsm
        timing = Timing.instant() if gsm.timing == "instant" else Timing()
        return start_gsm_simulator(
            self.workdir / "gsm",
            modems=gsm.modems,
            profile=gsm.profile,
            world=self.world,
            control_port=gsm.control_port,
            ats_url=self.ats.url,
            ats_reserve_url=self.ats.reserve_url,
            speed=self.config.speed,
            timing=timing,
            pty=True,
            in_process=True,
            name_prefix=f"system{next(_stacks)}-modem",
        )

    def _start_mfms(self) -> MfmsSimulatorHandle:
        section = self.config.mfms
        config = MfmsConfig(port=section.port, tls_port=section.tls_port,
                            ca_dir=self._folder("mfms"))  # fmt: skip
        background = BackgroundMfmsSimulator(config, self._clock(), self.world)
        _started(background, background.start, background.stop)
        urls = background.urls
        http, https, ca_file = urls["http"], urls["https"], urls["ca_file"]
        assert http is not None and https is not None and ca_file is not None
        return MfmsSimulatorHandle(http, https, Path(ca_file), MfmsControlClient(http), background)

    def _start_ftp(self) -> BackgroundFtpPlatform:
        section = self.config.ftp
        config = FtpPlatformConfig(port=section.port, control_port=section.control,
                                   root=self._folder("ftp"), world=self.world)  # fmt: skip
        background = BackgroundFtpPlatform(config, self._clock())
        return _started(background, background.start, background.stop)

    def _start_oktell(self) -> OktellSimulatorHandle:
        section = self.config.oktell
        # every trunk presents the site's one number: the number each Oktell channel
        # registers its calls from, whichever trunk the PBX picks for the call
        config = OktellConfig(port=section.port, files_dir=self._folder("oktell"),
                              directory_spec={"trunk_caller_id": OKTELL_CALLER_ID})  # fmt: skip
        background = BackgroundOktellSimulator(config, self._clock(), self.world, self.ats.url)
        _started(background, background.start, background.stop)
        return OktellSimulatorHandle(
            background.url, OktellControlClient(background.url), background
        )

    def _start_smtp(self) -> SmtpSinkHandle:
        section = self.config.smtp
        config = SmtpConfig(port=section.port, control_port=section.control,
                            ca_dir=self._folder("smtp"))  # fmt: skip
        background = BackgroundSmtpSink(config, self._clock(), self.world)
        _started(background, background.start, background.stop)
        info = background.info
        ca = info["ca_file"]
        return SmtpSinkHandle(
            str(info["host"]),
            int(str(info["port"])),
            Path(str(ca)) if ca is not None else None,
            config.accounts,
            SmtpControlClient(str(info["control"])),
            background,
        )

    def _start_server(self) -> NabatServerHandle:
        from nabat.system.licence import load_licence
        from nabat.system.server import LoginPolicy
        from nabat.system.store import ScryptParams
        from nabat.system.verification.settings import VerificationSettings

        section = self.config.server
        licence = None
        if section.licence is not None:
            try:
                licence = load_licence(section.licence)
            except (OSError, ValueError) as error:
                raise ValueError(f"licence {section.licence}: {error}") from None
        self._channels = self._channel_specs()
        return start_nabat_server(
            self.workdir / "server",
            licence=licence,
            admin_password=section.admin_password,
            password_params=ScryptParams(n=2**PASSWORD_COST, r=8, p=1),
            login=LoginPolicy(),  # the product's throttle, not the fixture's fast one
            port=section.port,
            channels=tuple(spec for _, spec in self._channels),
            clock_speed=self.config.speed,
            verification=VerificationSettings(
                primary_url=self.ats.url, reserve_url=self.ats.reserve_url
            ),
        )

    # --- wiring ------------------------------------------------------------------

    def _channel_specs(self) -> list[tuple[str, ChannelSpec]]:
        """(kind, spec) of every server channel, in channel-number order."""
        from nabat.system.protocol import ChannelType
        from nabat.system.server.channelconfig import ChannelSpec

        specs: list[tuple[str, ChannelSpec]] = []
        for index, link in enumerate(self.gsm.links):
            specs.append(("gsm", ChannelSpec(ctype=ChannelType.GSM, name=f"GSM {index + 1}",
                                             settings=f"port={link}")))  # fmt: skip
        for line in self.config.oktell.lines:
            settings = f"url={self.oktell.url};line={line};number={OKTELL_CALLER_ID}"
            spec = ChannelSpec(ctype=ChannelType.OKTELL, name=f"Oktell {line}", settings=settings)
            specs.append(("oktell", spec))
        connector = Connector()
        mfms = (f"base_url={self.mfms.url}/{connector.client}/{connector.connector};"
                f"login={connector.login};password={connector.password};"
                f"subject={min(connector.subjects)};"
                f"poll_interval={self._poll_interval()}")  # fmt: skip
        specs.append(("mfms", ChannelSpec(ctype=ChannelType.MFMS, name="MFMS", settings=mfms)))
        ftp = (f"host={self.ftp.host};port={self.ftp.port};login={DEFAULT_LOGIN};"
               f"password={DEFAULT_PASSWORD};sender={DEFAULT_SENDER};"
               f"watch_interval={self._poll_interval()}")  # fmt: skip
        specs.append(("ftp", ChannelSpec(ctype=ChannelType.FTP_PLATFORM, name="FTP",
                                         settings=ftp)))  # fmt: skip
        smtp = f"host={self.smtp.host};port={self.smtp.port}"
        if self.smtp.ca_file is not None:
            smtp += f";ca_file={self.smtp.ca_file}"
        specs.append(("smtp", ChannelSpec(ctype=ChannelType.SMTP, name="E-mail", settings=smtp)))
        return specs

    def _poll_interval(self) -> float:
        """Real seconds between status polls of a platform: its 10 s default in
        simulated time (the platforms' clocks run at ``speed``), at least 0.2 s."""
        return float(round(max(0.2, POLL_SECONDS / self.config.speed), 3))

    def channel_numbers(self) -> dict[str, list[int]]:
        """The server's channel numbers of each kind ("gsm", "oktell", "mfms", "ftp", "smtp")."""
        numbers: dict[str, list[int]] = {k: [] for k in ("gsm", "oktell", "mfms", "ftp", "smtp")}
        for number, (kind, _) in enumerate(self._channels, start=1):
            numbers[kind].append(number)
        return numbers

    def endpoints(self) -> list[Endpoint]:
        """What listens where, with the credentials to use: ``nabat up``'s table."""
        server, ats, gsm = self.server, self.ats, self.gsm
        rows = [
            Endpoint("server", "notification server (TLS lines)", server.target,
                     f"{server.admin_login} / {server.admin_password}",
                     f"CA {server.cafile}"),
            Endpoint("ats", "verification hub, primary", ats.url, "",
                     f"control {ats.url}/__sim/"),
            Endpoint("ats", "verification hub, reserve", ats.reserve_url),
        ]  # fmt: skip
        numbers = self.channel_numbers()
        for index, (link, channel) in enumerate(zip(gsm.links, numbers["gsm"], strict=True)):
            rows.append(Endpoint("gsm", f"modem {index} (channel {channel})", str(link), "",
                                 "AT commands over a pseudo-terminal"))  # fmt: skip
        rows.append(Endpoint("gsm", "modems' control API", gsm.control_url))
        connector = Connector()
        rows.append(Endpoint("mfms", "SMS platform (HPG)",
                             f"{self.mfms.url}/{connector.client}/{connector.connector}",
                             f"{connector.login} / {connector.password}",
                             f"HTTPS {self.mfms.tls_url}, CA {self.mfms.ca_file}"))  # fmt: skip
        ftp = self.ftp
        rows.append(Endpoint("ftp", "bulk-SMS platform (FTP)", f"ftp://{ftp.host}:{ftp.port}",
                             f"{DEFAULT_LOGIN} / {DEFAULT_PASSWORD}",
                             f"control {ftp.control_url}"))  # fmt: skip
        lines = ", ".join(self.config.oktell.lines) or "none"
        rows.append(Endpoint("oktell", "PBX web server", self.oktell.url, "no password",
                             f"lines {lines}"))  # fmt: skip
        smtp = self.smtp
        accounts = ", ".join(f"{k} / {v}" for k, v in smtp.accounts.items())
        rows.append(Endpoint("smtp", "mail sink (SMTP, STARTTLS)", f"{smtp.host}:{smtp.port}",
                             accounts, f"CA {smtp.ca_file}" if smtp.ca_file else ""))  # fmt: skip
        if self.console_url is not None:
            rows.append(Endpoint("console", "web console", self.console_url))
        return rows


async def admin_client(stack: SystemStack) -> NabatClient:
    """A ``NabatClient`` on the caller's loop, logged in as the stack's administrator."""
    server = stack.server
    return await server.connect(server.admin_login, server.admin_password)
