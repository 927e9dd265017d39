"""Running the GSM modem simulator: a modem bank plus its control API listener.

How it works: ``GsmSimulator(config)`` builds a ``ModemBank`` (bank.py) and
the ``GsmControl`` handler (control_api.py) on the project's HTTP server
(simulators/http/server.py). ``await start()`` opens the control listener
first (a taken port fails before any pseudo-terminal is made), then the
bank; ``await stop()`` closes both: pseudo-terminals closed, links removed,
and the link directory too when the simulator made it and it is empty.

``serve`` runs one in the foreground until SIGINT or SIGTERM (``nabat sim
gsm``, on uvloop when installed), calling ``on_ready`` once everything is up;
``BackgroundGsmSimulator`` runs one on its own event loop in a daemon thread
(the pytest plugin, tests, benchmarks): ``call(fn, *args)`` runs ``fn`` on
that loop, the only thread allowed to touch the modems.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from nabat.simulators.control.running import LoopThread, run_on_new_loop, stop_on_signals
from nabat.simulators.gsm_modem.bank import ModemBank
from nabat.simulators.gsm_modem.bank_reset import StartState
from nabat.simulators.gsm_modem.control_api import GsmControl
from nabat.simulators.gsm_modem.journal import ByteJournal
from nabat.simulators.gsm_modem.timing import Timing
from nabat.simulators.http.server import HttpLimits, HttpServer
from nabat.simulators.world import World

T = TypeVar("T")
DEFAULT_CONTROL_PORT = 8095
START_TIMEOUT = 15.0
CONTROL_LIMITS = HttpLimits(max_connections=100, max_connections_per_address=80)


@dataclass(frozen=True)
class GsmSimConfig:
    modems: int = 1
    profile: str = "generic"
    world: World | None = None
    link_dir: Path | None = None
    host: str = "127.0.0.1"
    control_port: int = DEFAULT_CONTROL_PORT  # 0: a free port
    ats_url: str | None = None
    ats_reserve_url: str | None = None
    control_token: str | None = None
    speed: float = 1.0
    frozen: bool = False
    pin_required: bool = False
    timing: Timing = field(default_factory=Timing)
    boot: bool = False  # modems just powered on (boot URCs, registration delay)
    pty: bool = True
    in_process: bool = False  # also nabatgsm:// ports (usable only inside this process)
    name_prefix: str = "modem"
    journal_entries: int = 20_000  # per modem
    journal_bytes: int = 4 << 20  # per modem
    limits: HttpLimits = CONTROL_LIMITS


class GsmSimulator:
    def __init__(self, config: GsmSimConfig) -> None:
        self.config = config
        self.bank = ModemBank(
            config.modems,
            profile=config.profile,
            world=config.world,
            timing=config.timing,
            link_dir=config.link_dir,
            pty=config.pty,
            in_process=config.in_process,
            name_prefix=config.name_prefix,
            ats_url=config.ats_url,
            ats_reserve_url=config.ats_reserve_url,
            pin_required=config.pin_required,
            boot=config.boot,
        )
        for modem in self.bank.modems:
            modem.journal = ByteJournal(config.journal_entries, config.journal_bytes)
        clock = self.bank.clock
        clock.set_speed(config.speed)
        if config.frozen:
            clock.freeze(True)
        self.control = GsmControl(self.bank, StartState.of(self.bank), config.control_token)
        self.http = HttpServer(self.control.handle, config.limits)
        self._made_link_dir = False

    async def start(self) -> None:
        await self.http.start(self.config.host, self.config.control_port)
        link_dir = self.config.link_dir
        self._made_link_dir = link_dir is not None and not link_dir.exists()
        try:
            await self.bank.start()
        except BaseException:
            await self.stop()
            raise

    async def stop(self) -> None:
        await self.http.close()
        await self.bank.stop()
        link_dir = self.config.link_dir
        if self._made_link_dir and link_dir is not None:
            with contextlib.suppress(OSError):  # not empty: someone else's files stay
                link_dir.rmdir()

    @property
    def control_url(self) -> str:
        return f"http://{self.http.host}:{self.http.port}"

    @property
    def links(self) -> list[str | None]:
        return [None if port.link is None else str(port.link) for port in self.bank.ptys]

    def ready_info(self) -> dict[str, object]:
        """What ``--ready-file`` holds: devices, links, in-process URLs, the control URL."""
        bank = self.bank
        return {
            "paths": bank.paths,
            "links": self.links,
            "urls": bank.urls,
            "control": self.control_url,
            "modems": [
                {
                    "index": modem.index,
                    "path": bank.paths[modem.index] if bank.ptys else None,
                    "number": modem.own_number,
                    "profile": modem.profile.name,
                }
                for modem in bank.modems
            ],
        }


async def serve(config: GsmSimConfig, on_ready: Callable[[GsmSimulator], None]) -> None:
    """Serve until SIGINT or SIGTERM."""
    simulator = GsmSimulator(config)
    await simulator.start()
    try:
        stop = stop_on_signals()
        on_ready(simulator)
        await stop.wait()
    finally:
        await simulator.stop()


def run_foreground(config: GsmSimConfig, on_ready: Callable[[GsmSimulator], None]) -> None:
    run_on_new_loop(serve(config, on_ready))


class BackgroundGsmSimulator:
    """A ``GsmSimulator`` on its own event loop in a daemon thread (a context manager)."""

    def __init__(self, config: GsmSimConfig) -> None:
        self.simulator = GsmSimulator(config)
        self._thread = LoopThread("gsm-sim")

    @property
    def bank(self) -> ModemBank:
        return self.simulator.bank

    @property
    def control_url(self) -> str:
        return self.simulator.control_url

    def start(self) -> BackgroundGsmSimulator:
        self._thread.start()
        try:
            self._thread.run(self.simulator.start(), START_TIMEOUT)
        except BaseException:
            self._thread.stop(START_TIMEOUT)
            raise
        return self

    def call(self, function: Callable[..., T], *args: object) -> T:
        """Run ``function(*args)`` on the simulator's loop; its result."""
        return self._thread.call(function, *args, timeout=START_TIMEOUT)

    def stop(self) -> None:
        if not self._thread.alive:
            return
        try:
            self._thread.run(self.simulator.stop(), START_TIMEOUT)
        finally:
            self._thread.stop(START_TIMEOUT)

    def __enter__(self) -> BackgroundGsmSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
