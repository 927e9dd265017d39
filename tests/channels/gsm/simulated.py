"""GSM drivers against the modem simulator in this process, on the simulator's clock.

``SimTime`` is the drivers' ``Clock`` following the bank's ``SimClock``: a
sleep ends when the simulated time reaches its end, whether the test
advanced the frozen clock or the clock runs at a speed factor. ``Rig`` runs
a ``ModemBank`` (in-process ports only) in its own thread with a frozen
clock (or one running at a speed factor) and ``Timing.instant()`` (or the
given timing), starts one ``GsmModem`` per simulated modem
on the test's loop, and advances simulated time in small steps, letting the
drivers settle between steps (no command in flight), so a driver's command
timeout never fires just because the test jumped the clock.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import TypeVar

from nabat.simulators.control.clock import SimClock
from nabat.simulators.gsm_modem import BankThread, Modem, ModemBank, Timing
from nabat.simulators.world import ScriptedEvent, loads_world
from nabat.system.channels.base import ChannelEvent
from nabat.system.channels.gsm import GsmModem, GsmModemSettings

T = TypeVar("T")

# Numbers with a fixed fate (everything else follows the default world).
ANSWERS = "79000000001"  # answers after 4 s, presses 1 at 3 s after the answer, listens 20 s
BUSY = "79000000002"
NO_ANSWER = "79000000003"  # the network gives up after 45 s
UNREACHABLE = "79000000004"
REJECTS = "79000000005"  # declines after 5 s of ringing
DELIVERED = "79000000011"  # SMS delivered after 10 s, report always
CALLER = "79000000020"  # scripted incoming traffic comes from here

ANSWERING_VOICE = (
    "{ outcomes = { answered = 1 }, ring = 4, listen = 20, dtmf = { confirm = 1 }, "
    "first_key = 3, key_gap = 0.5 }"
)
WORLD = f"""
seed = 7

[[override]]
number = "{ANSWERS}"
voice = {ANSWERING_VOICE}

[[override]]
number = "{BUSY}"
voice = {{ outcomes = {{ busy = 1 }} }}

[[override]]
number = "{NO_ANSWER}"
voice = {{ outcomes = {{ no_answer = 1 }}, give_up = 45 }}

[[override]]
number = "{UNREACHABLE}"
voice = {{ outcomes = {{ unreachable = 1 }} }}

[[override]]
number = "{REJECTS}"
voice = {{ outcomes = {{ rejected = 1 }}, reject_ring = 5 }}

[[override]]
number = "{DELIVERED}"
sms = {{ outcomes = {{ delivered = 1 }}, delivery = 10, report = 1.0 }}
"""


class SimTime:
    """A driver ``Clock`` on a ``SimClock`` that another thread advances."""

    def __init__(self, clock: SimClock, loop: asyncio.AbstractEventLoop) -> None:
        self._clock = clock
        self._loop = loop
        self._waiters: set[asyncio.Future[None]] = set()
        clock.add_listener(self._jumped)

    def close(self) -> None:
        self._clock.remove_listener(self._jumped)

    def now(self) -> float:
        return self._clock.now()

    async def sleep(self, seconds: float) -> None:
        target = self._clock.now() + max(0.0, seconds)
        await asyncio.sleep(0)
        while self._clock.now() < target:
            waiter = self._loop.create_future()
            self._waiters.add(waiter)
            try:
                if self._clock.frozen:
                    await waiter
                else:
                    real = (target - self._clock.now()) / self._clock.speed + 0.0005
                    await asyncio.wait({waiter}, timeout=max(real, 0.0005))
            finally:
                self._waiters.discard(waiter)

    def _jumped(self) -> None:
        with contextlib.suppress(RuntimeError):  # the test's loop is closed
            self._loop.call_soon_threadsafe(self._wake)

    def _wake(self) -> None:
        for waiter in list(self._waiters):
            if not waiter.done():
                waiter.set_result(None)


def step_bank(bank: ModemBank, seconds: float) -> None:
    """On the bank's loop: let ``seconds`` pass, running what falls due in time order."""
    clock, scheduler = bank.clock, bank.scheduler
    target = clock.now() + seconds
    while True:
        due = scheduler.next_due()
        if due is None or due > target:
            break
        clock.advance(max(0.0, due - clock.now()))
        scheduler.run_due()
    clock.advance(max(0.0, target - clock.now()))
    scheduler.run_due()


class Rig:
    def __init__(
        self,
        profiles: list[str],
        *,
        world: str = WORLD,
        timing: Timing | None = None,
        pin_required: bool = False,
        speed: float | None = None,
        **settings: object,
    ) -> None:
        self.bank = ModemBank(
            len(profiles),
            profiles=list(profiles),  # type: ignore[arg-type]
            world=loads_world(world),
            timing=timing or Timing.instant(),
            pty=False,
            name_prefix=f"rig{id(self)}-",
            pin_required=pin_required,
        )
        if speed is None:
            self.bank.clock.freeze(True)
        else:  # simulated time runs by itself, ``speed`` times faster than real time
            self.bank.clock.set_speed(speed)
        self.thread = BankThread(self.bank)
        self.settings = settings
        self.drivers: list[GsmModem] = []
        self.events: list[ChannelEvent] = []
        self.stop_recording: list[Callable[[], None]] = []
        self.time: SimTime | None = None

    async def __aenter__(self) -> Rig:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, self.thread.start)
        self.time = SimTime(self.bank.clock, loop)
        for index, url in enumerate(self.bank.urls):
            options: dict[str, object] = {
                "name": f"gsm{index}",
                "port": url,
                "command_timeout": 5.0,
                "health_interval": 30.0,
            }
            options.update(self.settings)
            driver = GsmModem(GsmModemSettings.from_mapping(options), clock=self.time)
            self.stop_recording.append(driver.subscribe(self._record))
            self.drivers.append(driver)
            await driver.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        for driver in self.drivers:
            await driver.stop()
        if self.time is not None:
            self.time.close()
        await asyncio.get_running_loop().run_in_executor(None, self.thread.stop)

    async def _record(self, event: ChannelEvent) -> None:
        self.events.append(event)

    def sim(self, index: int = 0) -> Modem:
        return self.bank.modem(index)

    def on_bank(self, function: Callable[..., T], *args: object) -> T:
        return self.thread.call(function, *args)

    def script(self, index: int, event: ScriptedEvent) -> None:
        """A scripted incoming call or SMS reaching simulated modem ``index`` now."""
        self.on_bank(self.sim(index).scripted, event)

    async def settle(self, limit: float = 0.1) -> None:
        """Until every driver's supervisor waits on the clock with no command in flight
        (or ``limit`` real seconds: a silent modem keeps its command waiting)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        quiet = 0
        while loop.time() < deadline and quiet < 3:
            await asyncio.sleep(0.001)
            calm = all(driver.quiescent for driver in self.drivers)
            quiet = quiet + 1 if calm else 0

    async def advance(self, seconds: float, step: float = 0.5) -> None:
        left = seconds
        while left > 1e-9:
            await self.settle()
            chunk = min(step, left)
            self.on_bank(step_bank, self.bank, chunk)
            left -= chunk
        await self.settle()

    async def run(self, work: Awaitable[T], limit: float = 300.0, step: float = 0.5) -> T:
        """Advance simulated time until ``work`` is done (at most ``limit`` simulated s)."""
        task = asyncio.ensure_future(work)
        spent = 0.0
        while not task.done():
            await self.settle()
            if task.done():
                break
            if spent >= limit:
                task.cancel()
                raise TimeoutError(f"not done after {limit} simulated seconds")
            self.on_bank(step_bank, self.bank, step)
            spent += step
        return task.result()

    async def ready(self, limit: float = 60.0, step: float = 0.5) -> None:
        for driver in self.drivers:
            await self.run(driver.wait_ready(), limit, step)
