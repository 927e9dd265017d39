"""The FTP platform simulator assembled: FTP thread, poller, delivery, control API.

How it works: ``FtpPlatform`` owns the simulated clock, the world runtime,
the shared SMS delivery model (``SmsDelivery``), the accounts, the upload
tracker and faults, the FTP server thread (ftp_server.py) and, on an asyncio
loop, the control API's HTTP server and a ``Scheduler`` that runs the poller
every ``poll_interval`` simulated seconds. After a jump of the clock the
poller runs at its due instant and once more at the new time (two polls:
enough for a file placed directly in a folder to be seen stable), never once
per missed period. The delivery model and the poller are touched only on the
asyncio loop's thread; the FTP thread shares the tracker (locked) and the
faults (plain attributes). ``root`` holds a folder per login and ``.tls``
with the certificate; by default a temporary directory removed at close.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from nabat.simulators.control.clock import SimClock
from nabat.simulators.control.scheduler import Scheduler, Timer
from nabat.simulators.control.tls import certificate_file
from nabat.simulators.ftp_platform.accounts import Account, PlatformConfig
from nabat.simulators.ftp_platform.archive import ZipLimits
from nabat.simulators.ftp_platform.ftp_server import FtpFaults, FtpLimits, FtpServerThread
from nabat.simulators.ftp_platform.poller import DEFAULT_INTERVAL, ArchiveRecord, Poller
from nabat.simulators.ftp_platform.uploads import UploadTracker
from nabat.simulators.http.server import HttpLimits, HttpServer
from nabat.simulators.sms_platform.delivery import SmsDelivery
from nabat.simulators.world import World
from nabat.simulators.world.runtime import WorldRuntime
from nabat.system.runtime.tasks import cancel_and_wait

DEFAULT_FTP_PORT = 2121
DEFAULT_CONTROL_PORT = 2180


@dataclass(frozen=True)
class FtpPlatformConfig:
    host: str = "127.0.0.1"
    port: int = DEFAULT_FTP_PORT
    control_port: int = DEFAULT_CONTROL_PORT
    root: Path | None = None  # None: a temporary directory, removed at close
    poll_interval: float = DEFAULT_INTERVAL
    world: World | None = None
    platform: PlatformConfig = field(default_factory=PlatformConfig)
    passive_ports: range | None = None
    ftp_limits: FtpLimits = field(default_factory=FtpLimits)
    zip_limits: ZipLimits = field(default_factory=ZipLimits)
    control_limits: HttpLimits = field(default_factory=HttpLimits)
    control_token: str | None = None
    frozen_clock: bool = False


class FtpPlatform:
    def __init__(self, config: FtpPlatformConfig, clock: SimClock | None = None) -> None:
        self.config = config
        self.clock = clock or SimClock()
        if config.frozen_clock:
            self.clock.freeze(True)
        self.runtime = WorldRuntime(config.world, self.clock)
        self.delivery = SmsDelivery(self.runtime)
        self.accounts: dict[str, Account] = {a.login: a for a in config.platform.accounts}
        self.tracker = UploadTracker()
        self.faults = FtpFaults()
        self._temporary = config.root is None
        self.root = (config.root or Path(tempfile.mkdtemp(prefix="nabat-ftp-"))).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self.certfile, self.ca_file = certificate_file(
            config.platform.certfile, self.root / ".tls", "ftps-ca.pem", "ftps-server.pem"
        )
        self.poller = Poller(
            self.root,
            self.accounts,
            self.tracker,
            self.delivery,
            lambda: self.runtime.world.plan,
            config.zip_limits,
        )
        self.scheduler = Scheduler(self.clock)
        self.ftp: FtpServerThread | None = None
        self.control: HttpServer | None = None
        self._scheduler_task: asyncio.Task[None] | None = None
        self._next_poll: Timer | None = None

    async def start(self) -> None:
        from nabat.simulators.ftp_platform.control_api import FtpControl

        config = self.config
        self.ftp = FtpServerThread(
            self.root,
            config.host,
            config.port,
            self.certfile,
            self.faults,
            self.tracker,
            config.ftp_limits,
            config.passive_ports,
        )
        for account in self.accounts.values():
            self.ftp.add_account(account)
        self.ftp.start()
        self.control = HttpServer(FtpControl(self).handle, config.control_limits)
        await self.control.start(config.host, config.control_port)
        self._scheduler_task = asyncio.ensure_future(self.scheduler.run())
        self._schedule(self.clock.now() + config.poll_interval)

    async def close(self) -> None:
        if self._scheduler_task is not None:
            await cancel_and_wait(self._scheduler_task)
            self._scheduler_task = None
        self.scheduler.clear()
        if self.control is not None:
            await self.control.close()
        if self.ftp is not None:
            self.ftp.stop()
        if self._temporary:
            shutil.rmtree(self.root, ignore_errors=True)

    # --- polling -------------------------------------------------------------
    def _schedule(self, when: float) -> None:
        self._next_poll = self.scheduler.call_at(when, lambda: self._tick(when), "ftp poll")

    def _tick(self, when: float) -> None:
        try:
            self.poller.poll()
        finally:
            self._schedule(max(when + self.config.poll_interval, self.clock.now()))

    def poll_now(self) -> list[ArchiveRecord]:
        return self.poller.poll()

    def advance(self, seconds: float) -> None:
        """Move the simulated clock, running each poll at its own instant."""
        self.scheduler.advance(seconds)

    # --- accounts and state --------------------------------------------------
    def add_account(self, account: Account) -> None:
        self.accounts[account.login] = account
        if self.ftp is not None:
            self.ftp.add_account(account)

    def reset(self) -> None:
        self.delivery.reset()
        self.poller.reset()
        self.faults.clear()
        self.runtime.reset()

    def endpoints(self) -> dict[str, object]:
        assert self.ftp is not None and self.control is not None
        host = self.ftp.host
        return {
            "ftp": f"ftp://{host}:{self.ftp.port}",
            "ftps": f"ftps explicit (AUTH TLS) on ftp://{host}:{self.ftp.port}",
            "host": host,
            "port": self.ftp.port,
            "control": f"http://{self.control.host}:{self.control.port}/__sim/",
            "control_port": self.control.port,
            "root": str(self.root),
            "ca_file": None if self.ca_file is None else str(self.ca_file),
            "accounts": sorted(self.accounts),
            "poll_interval": self.config.poll_interval,
        }
