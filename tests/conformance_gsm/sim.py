"""The GSM modem simulator as the suite's tests use it: one modem of a profile, on
an in-process ``nabatgsm://`` port (or a pseudo-terminal), with its control API on a
free loopback port, instant command timing and a fast clock, in a world where the
suite's two parties behave: ``SMS_TO`` gets every message with a status report,
``CALL_TO`` answers after 2 s, presses 1 a second later and stays on the line for
ten minutes (simulated)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from nabat.conformance.framework import RunConfig
from nabat.simulators.gsm_modem import ModemBank, Timing
from nabat.simulators.gsm_modem.runner import BackgroundGsmSimulator, GsmSimConfig
from nabat.simulators.world import loads_world

PROFILES = ("generic", "simcom", "quectel", "huawei")
SMS_TO = "+79000000002"
CALL_TO = "+79000000001"
PIN = "0000"  # the simulator's default PIN (docs/gsm-modem-simulator.md)
SPEED = 20.0  # simulated seconds per real second

WORLD = f"""
seed = 11

[[override]]
number = "{CALL_TO[1:]}"
voice = {{ outcomes = {{ answered = 1 }}, ring = 2, listen = 600, dtmf = {{ confirm = 1 }}, \
first_key = 1, key_gap = 0.5 }}

[[override]]
number = "{SMS_TO[1:]}"
sms = {{ outcomes = {{ delivered = 1 }}, delivery = 1, report = 1.0 }}
"""

_names = itertools.count()


@dataclass
class Simulator:
    running: BackgroundGsmSimulator

    @property
    def bank(self) -> ModemBank:
        return self.running.bank

    @property
    def url(self) -> str:
        return self.bank.urls[0]

    @property
    def path(self) -> str:
        return self.bank.paths[0]

    @property
    def control_url(self) -> str:
        return self.running.control_url

    def journal_text(self) -> str:
        """Every byte the modem received, as text."""
        entries = self.running.call(self.bank.modem(0).journal.entries)
        return "".join(entry.text for entry in entries if entry.kind == "rx")


@contextmanager
def simulator(profile: str = "generic", *, pty: bool = False,
              pin_required: bool = False) -> Iterator[Simulator]:
    """A running one-modem simulator of ``profile`` with its control API on a free port."""
    config = GsmSimConfig(profile=profile, world=loads_world(WORLD), timing=Timing.instant(),
                          speed=SPEED, pin_required=pin_required, pty=pty, in_process=True,
                          control_port=0, name_prefix=f"gsmconf{next(_names)}-")
    running = BackgroundGsmSimulator(config).start()
    try:
        yield Simulator(running)
    finally:
        running.stop()


def run_config(target: str, *, strict: bool = True, timeout: float = 3.0,
               control: str | None = None, **options: str) -> RunConfig:
    """The suite's settings for a run against ``target`` with both parties declared (and
    the simulator's ``control`` API, when given)."""
    suite_options = {"sms_to": SMS_TO, "call_to": CALL_TO, "sms_wait": "10", "call_wait": "10",
                     "sim_control": control}
    suite_options.update(options)
    return RunConfig(target=target, strict=strict, timeout=timeout, suite_options=suite_options)
