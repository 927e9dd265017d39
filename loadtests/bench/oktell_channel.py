"""`nabat bench oktell`, channel part: the Oktell channel's CPU per call attempt.

How it works: the channel author's approach (docs/oktell-channel.md,
"Figures"): ``nabat sim oktell`` runs as a child process whose clock runs
at ``SPEED``, so its notify script plays a call out in milliseconds; the
system's ``OktellLine`` runs here on the real clock and places ``calls``
calls one after the other (a 3 s WAV message, uploaded once by the first,
unmeasured, call; a synchronous script run; the outcome mapping), to a
number the world answers with the key 1. ``time.process_time`` of this
process around the calls counts only the channel (its event loop and httpx),
never the simulator, which has its own process. Every result must be
ANSWERED and confirmed with the key 1 after at least the world's 2 s of
ringing; anything else is counted as wrong.
"""

from __future__ import annotations

import io
import time
import wave
from typing import Any

from nabat.loadtests.bench.cpus import CpuPlan
from nabat.loadtests.bench.oktell_sim import start_oktell
from nabat.loadtests.bench.processes import ProcessSupervisor
from nabat.simulators.oktell.control_client import OktellControlClient

# The simulated clock's speed here: 1000x plays a call of 6 s in 6 ms of real time. Faster,
# the event loop's own delays (tens of microseconds) become whole simulated seconds, and the
# reported ring and talk times drift from the world's (the outcomes stay right).
SPEED = 1000.0
MESSAGE_SECONDS = 3.0
ANSWERS = "79000000003"
WORLD = f"""
seed = 13

[[override]]
number = "{ANSWERS}"
voice = {{ outcomes = {{ answered = 1 }}, ring = 2, listen = 30, dtmf = {{ confirm = 1 }}, \
first_key = 4 }}
"""


def message_wav(seconds: float = MESSAGE_SECONDS) -> bytes:
    """A telephony WAV (8 kHz, 16-bit, mono) of ``seconds`` of quiet noise."""
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(8000)
        writer.writeframes(b"\x01\x00" * int(seconds * 8000))
    return out.getvalue()


async def measure_channel(
    calls: int, supervisor: ProcessSupervisor, plan: CpuPlan
) -> dict[str, Any]:
    from nabat.system.channels import CallOutcome
    from nabat.system.channels.oktell import OktellLine, OktellLineSettings, OktellPbx

    world = supervisor.workdir / "oktell-world.toml"
    world.write_text(WORLD, encoding="utf-8")
    config = supervisor.workdir / "oktell-channel.toml"
    config.write_text("record_calls = false\n", encoding="utf-8")
    simulator = start_oktell(supervisor, ["--world", str(world), "--config", str(config)],
                             plan.server)  # fmt: skip
    base = str(simulator.ready["http"])
    control = OktellControlClient(base)
    settings = OktellLineSettings(name="bench", url=base, line="16038", poll_interval=3600.0)
    pbx = OktellPbx(settings)
    line = OktellLine(settings, pbx)
    message = message_wav()
    try:
        control.set_clock(speed=SPEED)
        await line.check()

        async def one() -> str:
            result = await line.call(ANSWERS, confirm="1", dtmf_timeout=10, message=message)
            right = (
                result.outcome is CallOutcome.ANSWERED and result.confirmed
                and result.keys == "1" and result.ring_seconds >= 2.0
            )  # fmt: skip
            return "" if right else repr(result)

        first = await one()  # uploads the message: not measured
        wrong = [first] if first else []
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        for _ in range(calls):
            outcome = await one()
            if outcome:
                wrong.append(outcome)
        cpu = time.process_time() - cpu_start
        wall = time.perf_counter() - wall_start
        state = control.state()
        return {
            "calls": calls,
            "message_seconds": MESSAGE_SECONDS,
            "wrong": len(wrong),
            "wrong_example": wrong[0][:300] if wrong else "",
            "still_up": state["active_calls"],
            "cpu_ms_per_call": 1000 * cpu / calls,
            "wall_ms_per_call": 1000 * wall / calls,
        }
    finally:
        await line.stop()
        await pbx.aclose()
        control.close()
        supervisor.stop(simulator.process)
