"""The battery: every attack of the kit against every listener the project ships.

For each (attack, listener) pair where the attack applies (half-open TLS to
a TLS wire, a login flood to a wire with a login), the test runs the attack
against the listener's subprocess and checks, from outside:

- a well-behaved client (the listener's probe) is served within its deadline
  while the attack runs and after it;
- the listener dropped every attacking connection by itself within its
  documented deadline (plus the kit's slack), refused or answered every
  oversized and malformed input, and is still running;
- its resident memory grew by at most its budget during the attack, and its
  sockets went back to what they were once the attackers left.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from tests.hostile import attacks
from tests.hostile.attacks import SLACK, AttackReport, Limits, Target
from tests.hostile.conftest import RunningListeners
from tests.hostile.gauge import PeakMemory
from tests.hostile.listeners import LISTENERS, Listener, WireKind

Attack = Callable[[Target], Awaitable[AttackReport]]

ATTACKS: dict[str, Attack] = {
    "slowloris": attacks.slowloris,
    "never-reading": attacks.never_reading,
    "connection-flood": attacks.connection_flood,
    "half-open-tls": attacks.half_open_tls,
    "oversized": attacks.oversized,
    "malformed": attacks.malformed,
    "login-flood": attacks.login_flood,
}


# The listener's deadline each attack waits out; a battery test never waits longer.
DEADLINES: dict[str, Callable[[Limits], float | None]] = {
    "slowloris": lambda limits: limits.slow_deadline,
    "never-reading": lambda limits: limits.stalled_deadline,
    "connection-flood": lambda limits: limits.idle_deadline,
    "half-open-tls": lambda limits: limits.handshake_deadline,
}
LONGEST_DEADLINE = 5.0


def applies(attack: str, wire: WireKind) -> bool:
    if attack == "half-open-tls":
        return wire.tls
    if attack == "login-flood":
        return wire.has_login
    return True


PAIRS = [
    pytest.param(attack, listener, id=f"{attack}-{listener.name.replace(' ', '-')}")
    for listener in LISTENERS
    for attack in ATTACKS
    if applies(attack, listener.wire)
]


@pytest.mark.parametrize(("attack", "listener"), PAIRS)
async def test_listener_withstands(
    attack: str, listener: Listener, running_listener: RunningListeners
) -> None:
    running = running_listener(listener.name)
    gauge, target = running.gauge, running.target
    deadline = DEADLINES[attack](target.limits) if attack in DEADLINES else None
    assert deadline is None or deadline <= LONGEST_DEADLINE, (
        f"{listener.name}: the {attack} attack would wait out a {deadline:g} s deadline; "
        "the battery needs the listener to take a shorter one (listeners.py)"
    )
    await running.warm_up()
    sockets_before = gauge.sockets()
    async with PeakMemory(gauge) as memory:
        report = await ATTACKS[attack](target)
    sockets_after = await gauge.sockets_at_most(sockets_before, SLACK * 2)
    figures = (
        f"{report}; RSS +{memory.growth / 2**20:.1f} MiB (budget "
        f"{target.limits.memory_budget / 2**20:.0f} + working memory "
        f"{target.limits.working_memory / 2**20:.0f}); sockets {sockets_before} -> "
        f"{sockets_after}"
    )
    print(figures)
    assert gauge.alive(), f"{listener.name} died: {figures}"
    assert report.opened > 0, f"the attack never reached the listener: {figures}"
    assert not report.probe_failures, f"a well-behaved client was not served: {figures}"
    assert report.probe_latencies, figures
    assert report.held == 0, f"the listener kept attacking connections: {figures}"
    assert not report.unanswered, f"inputs met with silence: {figures}"
    budget = target.limits.memory_budget + target.limits.working_memory
    assert memory.growth <= budget, f"memory not bounded: {figures}"
    assert sockets_after <= sockets_before, f"sockets not released: {figures}"
