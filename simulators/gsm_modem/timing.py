"""How long things take on a simulated modem, in simulated seconds.

``Timing()`` holds figures close to what a SIM800 or EC25 shows on a live
network; ``Timing.instant()`` sets every delay to zero (benchmarks of the
command path, unit tests that do not care about time) except the interval
between two RINGs, which must stay above zero. The far end's own times
(ringing, listening, DTMF key instants, SMS delivery) come from the world.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Timing:
    command: float = 0.02  # an ordinary command, from its CR to its final result code
    sim_access: float = 0.1  # commands that read the SIM (+CPIN=, +CIMI, +CMGR, +CMGW ...)
    sms_submit: float = 2.5  # Ctrl-Z to +CMGS: <mr> (the network round trip)
    operator_scan: float = 8.0  # +COPS=?
    boot: float = 3.0  # power-on to RDY
    registration: float = 2.0  # SIM ready to registered
    ready_urcs: float = 1.0  # SIM ready to the profile's "ready" URCs
    call_setup: float = 1.5  # ATD to the far end ringing (or the network refusing)
    answer: float = 0.3  # ATA to the call being active
    ring_interval: float = 3.0  # between two RING of an incoming call
    dtmf_tone: float = 0.1  # one +VTS tone

    @classmethod
    def instant(cls) -> Timing:
        """No delays, except between RINGs (an incoming call still rings now and then)."""
        zero = {
            field.name: 0.0 for field in dataclasses.fields(cls) if field.name != "ring_interval"
        }
        return cls(**zero)

    def replace(self, **changes: float) -> Timing:
        for name, value in changes.items():
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"timing {name} must be a finite number >= 0")
            if name == "ring_interval" and value <= 0:
                raise ValueError("timing ring_interval must be above 0")
        return dataclasses.replace(self, **changes)

    def to_json(self) -> dict[str, float]:
        return dataclasses.asdict(self)
