"""A bank of simulated modems sharing one clock, scheduler and world: the runner.

``ModemBank(count, profile=..., world=...)`` builds ``count`` modems (modem i
has the default SIM identity of index i, see identity.py). ``await start()``
opens a pseudo-terminal per modem (``paths``; ``link_dir`` also gets symbolic
links ``modem0`` ... ``modemN-1``), registers an in-process pyserial port per
modem (``urls``: ``nabatgsm://<prefix><i>``), switches the modems on (already
booted and registered, as a modem that has long been powered; ``boot=True``:
just powered on, with the boot URCs and the registration delay) and starts
the scheduler. It also feeds the world's timeline: scripted events for
``gsm:<i>`` go to modem i when they are due (``refresh_timeline()`` after
adding events). With ``ats_url`` the world's anti-fraud link checks outgoing
calls and registers incoming ones with that ATS hub. ``await stop()`` ends it
all and removes the links.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from nabat.simulators.control.clock import SimClock
from nabat.simulators.control.scheduler import Scheduler, Timer
from nabat.simulators.gsm_modem import inprocess
from nabat.simulators.gsm_modem.engine import Modem
from nabat.simulators.gsm_modem.identity import default_sim
from nabat.simulators.gsm_modem.profiles import Profile, profile_named
from nabat.simulators.gsm_modem.pty_port import PtyPort
from nabat.simulators.gsm_modem.timing import Timing
from nabat.simulators.gsm_modem.urlhandler import register as register_url_handler
from nabat.simulators.world import AntiFraudLink, World, WorldRuntime
from nabat.system.runtime.tasks import cancel_and_wait

MAX_MODEMS = 256
SYSTEM = "gsm"


class ModemBank:
    def __init__(
        self,
        count: int = 1,
        *,
        profile: str | Profile = "generic",
        profiles: list[str | Profile] | None = None,
        world: World | None = None,
        clock: SimClock | None = None,
        timing: Timing | None = None,
        link_dir: Path | None = None,
        pty: bool = True,
        in_process: bool = True,
        name_prefix: str = "modem",
        ats_url: str | None = None,
        ats_reserve_url: str | None = None,
        pin_required: bool = False,
        confirm_key: str | None = "1",
        runtime: WorldRuntime | None = None,
        boot: bool = False,
    ) -> None:
        if not 1 <= count <= MAX_MODEMS:
            raise ValueError(f"a bank holds 1 to {MAX_MODEMS} modems")
        chosen = profiles or [profile] * count
        if len(chosen) != count:
            raise ValueError("give one profile per modem")
        self.profiles = [p if isinstance(p, Profile) else profile_named(p) for p in chosen]
        self.clock = clock or SimClock()
        self.scheduler = Scheduler(self.clock)
        self.runtime = runtime or WorldRuntime(world or World(), self.clock)
        self.timing = timing or Timing()
        self.link_dir = link_dir
        self.use_pty = pty
        self.use_in_process = in_process
        self.name_prefix = name_prefix
        self.boot = boot
        self.antifraud = (
            AntiFraudLink(self.runtime.world.plan, ats_url, ats_reserve_url, runtime=self.runtime)
            if ats_url
            else None
        )
        self.modems = [
            Modem(
                index,
                self.scheduler,
                profile=self.profiles[index],
                timing=self.timing,
                runtime=self.runtime,
                antifraud=self.antifraud,
                sim_card=default_sim(index, pin_enabled=pin_required),
                name=f"{name_prefix}{index}",
                confirm_key=confirm_key,
            )
            for index in range(count)
        ]
        self.ptys: list[PtyPort] = []
        self.ports: list[inprocess.InProcessPort] = []
        self._runner: asyncio.Task[None] | None = None
        self._timeline: Timer | None = None
        self.started = False

    # --- life ------------------------------------------------------------------------
    async def start(self) -> list[str]:
        """Open the ports, switch the modems on; returns the device paths (or URLs)."""
        if self.started:
            return self.paths
        loop = asyncio.get_running_loop()
        try:
            if self.link_dir is not None:
                self.link_dir.mkdir(parents=True, exist_ok=True)
            for modem in self.modems:
                if self.use_pty:
                    link = None if self.link_dir is None else self.link_dir / f"modem{modem.index}"
                    port = PtyPort(modem.receive, link=link)
                    port.open()
                    modem.attach(port)
                    self.ptys.append(port)
                if self.use_in_process:
                    register_url_handler()
                    local = inprocess.InProcessPort(modem.name, loop, modem.receive)
                    inprocess.register(local)
                    modem.attach(local)
                    self.ports.append(local)
                modem.power_on(boot=self.boot)
        except BaseException:
            await self.stop()
            raise
        self._runner = loop.create_task(self.scheduler.run(), name="gsm modem scheduler")
        self.started = True
        self.refresh_timeline()
        return self.paths

    async def stop(self) -> None:
        if self._timeline is not None:
            self._timeline.cancel()
        runner, self._runner = self._runner, None
        if runner is not None:
            await cancel_and_wait(runner)
        for modem in self.modems:
            modem.power_off()
            for task in list(modem.tasks):
                task.cancel()
            modem.links.clear()
        for port in self.ptys:
            port.close()
        for local in self.ports:
            inprocess.unregister(local)
        self.ptys.clear()
        self.ports.clear()
        self.scheduler.clear()
        if self.antifraud is not None:
            await self.antifraud.close()
        self.started = False

    async def __aenter__(self) -> ModemBank:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # --- what users open ----------------------------------------------------------------
    @property
    def paths(self) -> list[str]:
        """The device each modem is opened by: its pty path, else its in-process URL."""
        if self.ptys:
            return [port.path if port.present else "" for port in self.ptys]
        return self.urls

    @property
    def urls(self) -> list[str]:
        return [port.url for port in self.ports]

    def modem(self, index: int) -> Modem:
        return self.modems[index]

    # --- the world's timeline -------------------------------------------------------------
    def refresh_timeline(self) -> None:
        """Schedule the next scripted event for this bank (call after adding events)."""
        if self._timeline is not None:
            self._timeline.cancel()
            self._timeline = None
        at = self.runtime.next_event_at(SYSTEM)
        if at is None or not self.started:
            return
        delay = max(0.0, at - self.runtime.elapsed())
        self._timeline = self.scheduler.call_later(delay, self._timeline_due, "world timeline")

    def _timeline_due(self) -> None:
        self._timeline = None
        for event in self.runtime.due(SYSTEM):
            port = event.target.port
            if port.isdigit() and int(port) < len(self.modems):
                self.modems[int(port)].scripted(event)
            else:
                self.runtime.record(
                    "gsm", event.source, {"to": str(event.target)}, "no such modem: event dropped"
                )
        self.refresh_timeline()

    def state_json(self) -> dict[str, object]:
        return {
            "modems": [
                {
                    "index": modem.index,
                    "name": modem.name,
                    "profile": modem.profile.name,
                    "path": self.ptys[modem.index].path
                    if self.ptys and self.ptys[modem.index].present
                    else None,
                    "url": self.ports[modem.index].url if self.ports else None,
                    "number": modem.own_number,
                    "imsi": modem.sim.card.imsi,
                    "registration": int(modem.network.state),
                    "calls": len(modem.calls.calls),
                    "faults": modem.faults_json(),
                }
                for modem in self.modems
            ],
            "clock": self.clock.to_json(),
            "world": self.runtime.state_json(),
        }
