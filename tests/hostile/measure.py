"""Full-size hostile-client figures: ``python -m tests.hostile.measure [--listener NAME]``.

The battery's tests run each attack small (50 slowloris connections, 5
never-reading clients, 40 login flooders) to stay fast; this runs the same
kit at the sizes of issue 9 (1,000 slowloris connections, 200 login
flooders, ...) against each listener started as the tests start it, and
prints one line of figures per attack: connections opened and refused,
connections still held past the deadline, the well-behaved probe's worst
latency and failures, and the listener's RSS growth. Loopback only; every
attack is bounded in count and time. Run it from the repository root.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from nabat.simulators.processes import ChildProcesses

from tests.hostile import attacks
from tests.hostile.attacks import AttackReport, Target
from tests.hostile.gauge import PeakMemory
from tests.hostile.listeners import LISTENERS, RunningListener, WireKind

FULL_SIZE: dict[str, Callable[[Target], Awaitable[AttackReport]]] = {
    "slowloris": functools.partial(attacks.slowloris, connections=1000, interval=1.0),
    "never-reading": functools.partial(attacks.never_reading, clients=40, requests=20_000),
    "connection-flood": functools.partial(attacks.connection_flood, beyond=500, uncapped=1000),
    "half-open-tls": functools.partial(attacks.half_open_tls, connections=500),
    "oversized": functools.partial(attacks.oversized, size=64 * 1024 * 1024),
    "malformed": attacks.malformed,
    "login-flood": functools.partial(attacks.login_flood, connections=200, duration=10.0, probes=5),
}


def _applies(attack: str, wire: WireKind) -> bool:
    return {"half-open-tls": wire.tls, "login-flood": wire.has_login}.get(attack, True)


async def _measure(running: RunningListener, wire: WireKind) -> None:
    await running.warm_up()
    for name, attack in FULL_SIZE.items():
        if not _applies(name, wire):
            continue
        async with PeakMemory(running.gauge) as memory:
            report = await attack(running.target)
        print(
            f"{running.name} | {report} | RSS +{memory.growth / 2**20:.1f} MiB "
            f"(peak {memory.peak / 2**20:.0f} MiB)",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--listener",
        choices=[listener.name for listener in LISTENERS],
        action="append",
        help="only this listener (repeatable)",
    )
    options = parser.parse_args()
    chosen = [ls for ls in LISTENERS if not options.listener or ls.name in options.listener]
    with ChildProcesses() as children, tempfile.TemporaryDirectory() as scratch:
        for listener in chosen:
            directory = Path(scratch) / listener.name.replace(" ", "-")
            directory.mkdir()
            running = listener.start(directory, children)
            asyncio.run(_measure(running, listener.wire))
            children.stop(running.process)


if __name__ == "__main__":
    main()
