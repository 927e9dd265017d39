"""A modem on a frozen simulated clock, driven in-process: bytes in, the writes it made out."""

from __future__ import annotations

from nabat.simulators.control.clock import SimClock
from nabat.simulators.control.scheduler import Scheduler
from nabat.simulators.gsm_modem import Modem, Timing, profile_named
from nabat.simulators.gsm_modem.identity import default_sim
from nabat.simulators.world import World, WorldRuntime, loads_world

# Numbers with a fixed fate in WORLD (the rest follow the default world).
ANSWERS = "79000000001"  # answers after 4 s, presses 1 at 3 s and 2 at 3.5 s, hangs up at 20 s
BUSY = "79000000002"
NO_ANSWER = "79000000003"  # gives up after 45 s
UNREACHABLE = "79000000004"
REJECTS = "79000000005"  # declines after 5 s
SMS_FAILS = "79000000006"  # undelivered after 30 s, with a report
QUICK_SMS = "79000000007"  # delivered 3 s after the network took it, with a report

WORLD = f"""
seed = 7

[[override]]
number = "{ANSWERS}"
voice = {{ outcomes = {{ answered = 1 }}, ring = 4, listen = 20, dtmf = {{ confirm = 1 }}, \
first_key = 3, key_gap = 0.5 }}
sms = {{ outcomes = {{ delivered = 1 }}, delivery = 10, report = 1.0 }}

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
number = "{SMS_FAILS}"
sms = {{ outcomes = {{ undelivered = 1 }}, failure_after = 30, report = 1.0 }}

[[override]]
number = "{QUICK_SMS}"
sms = {{ outcomes = {{ delivered = 1 }}, delivery = 3, report = 1.0 }}
"""


class Harness:
    def __init__(
        self,
        profile: str = "generic",
        *,
        world: str | None = WORLD,
        timing: Timing | None = None,
        pin: bool = False,
        antifraud: object = None,
        confirm_key: str | None = "12",
    ) -> None:
        self.clock = SimClock()
        self.clock.freeze(True)
        self.scheduler = Scheduler(self.clock)
        self.runtime = WorldRuntime(loads_world(world) if world else World(), self.clock)
        self.modem = Modem(
            0,
            self.scheduler,
            profile=profile_named(profile),
            timing=timing or Timing(),
            runtime=self.runtime,
            antifraud=antifraud,  # type: ignore[arg-type]
            sim_card=default_sim(0, pin_enabled=pin),
            confirm_key=confirm_key,
        )
        self.writes: list[bytes] = []
        self.modem.attach(self)
        self.modem.power_on(boot=False)

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` of simulated time pass, running what falls due in order."""
        self.scheduler.advance(seconds)

    def take(self) -> str:
        """Everything written since the last take, as text."""
        text = b"".join(self.writes).decode("latin-1")
        self.writes.clear()
        return text

    def send(self, data: str | bytes, wait: float = 0.5) -> str:
        """Type ``data`` (str: a command line, CR added) and return what came back in ``wait`` s."""
        raw = data.encode("latin-1") + b"\r" if isinstance(data, str) else data
        self.modem.receive(raw)
        self.advance(wait)
        return self.take()

    def lines(self, data: str | bytes, wait: float = 0.5) -> list[str]:
        return [line for line in self.send(data, wait).split("\r\n") if line]
