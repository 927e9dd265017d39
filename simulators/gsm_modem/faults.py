"""Fault hooks of a modem, as methods (the control API calls them).

Each fault changes what the modem does the way the real failure does:

- ``remove_sim`` / ``insert_sim``: +CPIN? answers +CME ERROR: 10, the network
  is lost; a card put back is read at once.
- ``require_pin``: the SIM asks for its PIN again (lock on, card re-read).
- ``set_registration(outcome)``: home, roaming, denied, searching (no
  coverage), none, unknown: +CREG changes (with a URC under +CREG=1/2).
- ``set_signal(rssi)``: +CSQ; 99 is "not known" (the signal-99 fault).
- ``sim_busy(seconds)``: SIM commands answer +CME ERROR: 14.
- ``fail_sms(code, count)``: the next ``count`` submissions end in
  +CMS ERROR: <code> after the network round trip.
- ``stop_answering(seconds)``: input is ignored and nothing is written.
- ``unplug(seconds)``: the port disappears mid-whatever (the DTE reads EIO
  or SerialException), and comes back after ``seconds`` with a rebooted modem.
- ``garble(probability, seed)``: written bytes are corrupted at random.
- ``delay_output(seconds)``: every write reaches the DTE that much later
  (order kept).
- ``urc_burst(count, lines)``: a burst of unsolicited lines.

Timed faults end on the simulated clock; ``clear_faults`` ends them all.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from nabat.simulators.control.scheduler import Timer
from nabat.simulators.gsm_modem import radio
from nabat.simulators.gsm_modem.network import OUTCOMES, UNKNOWN_SIGNAL

if TYPE_CHECKING:
    from nabat.simulators.gsm_modem.engine import Modem

MAX_BURST = 10_000


@runtime_checkable
class PluggableLink(Protocol):
    def vanish(self) -> None: ...

    def reappear(self) -> object: ...


class FaultHooks:
    """Mixed into ``Modem``: fault state plus the methods that set it."""

    def __init__(self) -> None:
        self.silent = False
        self.unplugged = False
        self.output_delay = 0.0
        self.garble_probability = 0.0
        self.sms_failure: tuple[int, int] | None = None  # (code, submissions left)
        self._garble_rng = random.Random()
        self._output_free_at = 0.0
        self._fault_timers: dict[str, Timer] = {}

    @property
    def _modem(self) -> Modem:
        return self  # type: ignore[return-value]

    def _timed(self, name: str, seconds: float | None, end: object) -> None:
        old = self._fault_timers.pop(name, None)
        if old is not None:
            old.cancel()
        if seconds is not None:
            if not seconds >= 0:
                raise ValueError("seconds must be a number >= 0")
            modem = self._modem

            def expire() -> None:
                self._fault_timers.pop(name, None)
                end()  # type: ignore[operator]

            self._fault_timers[name] = modem.scheduler.call_later(seconds, expire, name)

    def _note(self, what: str, **detail: object) -> None:
        modem = self._modem
        modem.journal.event(modem.now(), what, **detail)

    # --- SIM ---------------------------------------------------------------------
    def remove_sim(self) -> None:
        modem = self._modem
        self._note("fault: SIM removed")
        modem.sim.remove()
        radio.network_lost(modem)

    def insert_sim(self) -> None:
        modem = self._modem
        self._note("fault: SIM inserted")
        modem.sim.insert()
        if modem.powered:
            modem.sim.power_on()
            radio.sim_ready_steps(modem, immediate=False)

    def require_pin(self, enabled: bool = True) -> None:
        modem = self._modem
        self._note("fault: PIN required", enabled=enabled)
        modem.sim.pin_enabled = enabled
        if enabled and modem.sim.inserted and modem.powered:
            modem.sim.power_on()  # the card is read again and asks for the PIN
            radio.network_lost(modem)

    def sim_busy(self, seconds: float | None = None) -> None:
        modem = self._modem
        self._note("fault: SIM busy", seconds=seconds)
        modem.sim.busy = True

        def end() -> None:
            modem.sim.busy = False

        self._timed("sim_busy", seconds, end)

    # --- network -----------------------------------------------------------------
    def set_registration(self, outcome: str) -> None:
        if outcome not in OUTCOMES:
            raise ValueError(f"registration must be one of {', '.join(OUTCOMES)}")
        modem = self._modem
        self._note("fault: registration", outcome=outcome)
        modem.network.outcome = OUTCOMES[outcome]
        radio.reregister(modem)

    def set_signal(self, rssi: int, ber: int = UNKNOWN_SIGNAL) -> None:
        if not (0 <= rssi <= 31 or rssi == UNKNOWN_SIGNAL) or not (
            0 <= ber <= 7 or ber == UNKNOWN_SIGNAL
        ):
            raise ValueError("rssi is 0..31 or 99, ber 0..7 or 99")
        modem = self._modem
        self._note("fault: signal", rssi=rssi, ber=ber)
        modem.network.signal_fault = rssi == UNKNOWN_SIGNAL
        if rssi != UNKNOWN_SIGNAL:
            modem.network.rssi = rssi
            modem.network.ber = ber

    def fail_sms(self, code: int = 500, count: int = 1) -> None:
        if not 0 <= code <= 511 or count < 1:
            raise ValueError("code is 0..511, count at least 1")
        self._note("fault: SMS submissions fail", code=code, count=count)
        self.sms_failure = (code, count)

    def take_sms_failure(self) -> int | None:
        """The +CMS error code for this submission, if the fault applies."""
        if self.sms_failure is None:
            return None
        code, left = self.sms_failure
        self.sms_failure = (code, left - 1) if left > 1 else None
        return code

    # --- the line ------------------------------------------------------------------
    def stop_answering(self, seconds: float | None = None) -> None:
        self._note("fault: stops answering", seconds=seconds)
        self.silent = True
        self._timed("silent", seconds, self.resume)

    def resume(self) -> None:
        self._note("fault: answers again")
        self.silent = False

    def unplug(self, seconds: float | None = 5.0) -> None:
        """The port disappears now and, after ``seconds`` (None: never), comes back."""
        modem = self._modem
        self._note("fault: port unplugged", seconds=seconds)
        self.unplugged = True
        for link in list(modem.links):
            if isinstance(link, PluggableLink):
                link.vanish()
        modem.power_off()
        self._timed("unplug", seconds, self.replug)

    def replug(self) -> None:
        modem = self._modem
        if not self.unplugged:
            return
        self._note("fault: port back")
        self.unplugged = False
        for link in list(modem.links):
            if isinstance(link, PluggableLink):
                link.reappear()
        modem.power_on(boot=True)

    def garble(
        self, probability: float, seed: int | None = None, seconds: float | None = None
    ) -> None:
        if not 0.0 <= probability <= 1.0:
            raise ValueError("probability is within [0, 1]")
        self._note("fault: garbled bytes", probability=probability, seed=seed)
        self.garble_probability = probability
        self._garble_rng = random.Random(seed)

        def end() -> None:
            self.garble_probability = 0.0

        self._timed("garble", seconds, end)

    def delay_output(self, seconds: float) -> None:
        if not 0.0 <= seconds <= 3600.0:
            raise ValueError("delay is within [0, 3600] seconds")
        self._note("fault: delayed bytes", seconds=seconds)
        self.output_delay = seconds

    def urc_burst(self, count: int = 50, lines: list[str] | None = None) -> None:
        if not 1 <= count <= MAX_BURST:
            raise ValueError(f"count is within [1, {MAX_BURST}]")
        modem = self._modem
        chosen = lines or [f"+CREG: {int(modem.network.state)}"]
        self._note("fault: URC burst", count=count)
        for position in range(count):
            modem.urc(chosen[position % len(chosen)])

    def clear_faults(self) -> None:
        modem = self._modem
        self._note("faults cleared")
        for name in list(self._fault_timers):
            self._timed(name, None, None)
        self.silent = False
        self.output_delay = 0.0
        self.garble_probability = 0.0
        self.sms_failure = None
        modem.sim.busy = False
        modem.network.signal_fault = False
        if self.unplugged:
            self.replug()
        if modem.network.outcome is not OUTCOMES["home"]:
            modem.network.outcome = OUTCOMES["home"]
            radio.reregister(modem)

    def faults_json(self) -> dict[str, object]:
        modem = self._modem
        return {
            "sim": modem.sim.state.value if modem.sim.inserted else "ABSENT",
            "sim_busy": modem.sim.busy,
            "pin_enabled": modem.sim.pin_enabled,
            "registration": modem.network.outcome.name.lower(),
            "signal_99": modem.network.signal_fault,
            "sms_failure": None
            if self.sms_failure is None
            else {"code": self.sms_failure[0], "left": self.sms_failure[1]},
            "silent": self.silent,
            "unplugged": self.unplugged,
            "garble_probability": self.garble_probability,
            "output_delay": self.output_delay,
        }

    # --- output path ------------------------------------------------------------------
    def send_out(self, data: bytes) -> None:
        modem = self._modem
        if self.garble_probability > 0:
            data = self._garbled(data)
        if self.output_delay > 0:
            at = max(modem.now() + self.output_delay, self._output_free_at)
            self._output_free_at = at
            modem.scheduler.call_at(at, lambda: modem._deliver(data), "delayed output")
            return
        modem._deliver(data)

    def _garbled(self, data: bytes) -> bytes:
        rng = self._garble_rng
        out = bytearray(data)
        for position in range(len(out)):
            if rng.random() < self.garble_probability:
                out[position] ^= 1 << rng.randrange(8)
        return bytes(out)
