"""The verification client against the real ATS simulator: every outcome,
every failover path, both policies, and no verification lost in a switch."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from nabat.simulators.ats.control_client import AtsControlClient
from nabat.simulators.pytest_plugin import AtsSimulatorHandle
from nabat.system.verification.client import VerificationClient
from nabat.system.verification.failover import PrimaryState
from nabat.system.verification.results import Outcome
from nabat.system.verification.settings import Direction, VerificationSettings

OP1, OP2 = "127.0.0.1", "127.0.0.2"
A1, B1, B2 = "79000000001", "79000000002", "79100000002"


def settings(
    sim: AtsSimulatorHandle, source: str = OP1, reserve: bool = True, **extra: object
) -> VerificationSettings:
    values: dict[str, object] = {
        "ping_interval": 0.05,
        "budget": 0.5,
        "primary_attempt_timeout": 0.2,
    }
    values.update(extra)
    return VerificationSettings(
        primary_url=sim.url,
        reserve_url=sim.reserve_url if reserve else None,
        source_address=source,
        **values,  # type: ignore[arg-type]
    )


@pytest.fixture
async def op1(ats_simulator: AtsSimulatorHandle) -> AsyncIterator[VerificationClient]:
    async with VerificationClient(settings(ats_simulator, OP1)) as client:
        yield client


@pytest.fixture
async def op2(ats_simulator: AtsSimulatorHandle) -> AsyncIterator[VerificationClient]:
    async with VerificationClient(settings(ats_simulator, OP2)) as client:
        yield client


async def wait_until(condition: object, timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.01)


def primary_pings(control: AtsControlClient, status: int) -> int:
    """How many /ping requests the primary has answered with ``status``."""
    counters: dict[str, int] = control.state()["counters"]["primary"]
    return sum(n for key, n in counters.items() if "/ping" in key and key.endswith(f" {status}"))


async def test_genuine_call_is_registered_and_verified(
    op1: VerificationClient, op2: VerificationClient
) -> None:
    registered = await op1.register_call(A1, B2, call_id="g-1")
    assert (registered.outcome, registered.allowed, registered.server) == (
        Outcome.REGISTERED,
        True,
        "primary",
    )
    verified = await op2.check_call(A1, B2, call_id="g-2")
    assert (verified.outcome, verified.allowed, verified.status) == (Outcome.VERIFIED, True, 200)


async def test_spoofed_call_is_refused_in_every_direction(op2: VerificationClient) -> None:
    for direction in Direction:
        result = await op2.check_call(A1, B2, call_id=f"s-{direction.value}", direction=direction)
        assert (result.outcome, result.allowed) == (Outcome.NOT_FOUND, False)


async def test_rejection_names_the_flags_and_follows_the_policy(op2: VerificationClient) -> None:
    incoming = await op2.check_call("caller-x", B2, call_id="r-1", dbg=True)
    assert incoming.outcome is Outcome.REJECTED and incoming.allowed  # fail-open
    assert incoming.error_names == ["PARAM_A_NOT_INT"]
    assert "can not be converted to int" in incoming.detail
    remote = await op2.check_call("caller-x", B2, call_id="r-2", direction=Direction.REMOTE_START)
    assert remote.outcome is Outcome.REJECTED and not remote.allowed  # fail-closed
    not_owner = await op2.register_call(A1, B2)
    assert not_owner.error_names == ["NOT_A_OWNER"]


async def test_legacy_headers_are_decoded(
    ats_simulator: AtsSimulatorHandle, op1: VerificationClient
) -> None:
    ats_simulator.control.set_config(profile="legacy")
    result = await op1.register_call("4930000000", B1)
    assert result.outcome is Outcome.REJECTED
    assert result.error_names == ["A_NOT_FOUND_IN_DB", "PARAM_A_NOT_RUS"]


async def test_call_update_number_info_ping_and_universal_call(
    op1: VerificationClient, op2: VerificationClient
) -> None:
    assert (await op1.call(A1, B2, call_id="u-1")).outcome is Outcome.REGISTERED
    assert (await op2.call(A1, B2, call_id="u-2")).outcome is Outcome.VERIFIED
    assert (await op2.call_update("u-2", dur=42, rc=16, id_src="1")).outcome is Outcome.UPDATED
    assert (await op2.call_update("never-seen")).outcome is Outcome.NOT_FOUND
    rejected = await op2.call_update("u-2", dur=None, ta=None, id_dst="two")
    # SIM_PARAM_NOT_INT (bit 18) is the simulator's own: the system's codec knows
    # only the spec's bits and names the others by position
    assert rejected.outcome is Outcome.REJECTED and rejected.error_names == ["BIT_18"]
    info = await op1.number_info("79100000005")
    assert info is not None and info.id_src == "2" and info.number == 79100000005
    assert await op1.number_info("79990000000") is None
    assert await op1.ping("primary") and await op1.ping("reserve")


async def test_5xx_moves_to_reserve_and_pings_bring_it_back(
    ats_simulator: AtsSimulatorHandle,
) -> None:
    control = ats_simulator.control
    async with VerificationClient(settings(ats_simulator, OP1)) as client:
        await client.register_call(A1, B1)
        control.add_fault("status", status=503)
        first = await client.check_call(A1, B1, id_src="1")
        assert (first.outcome, first.server, first.attempts) == (Outcome.VERIFIED, "reserve", 2)
        assert first.failures == ("primary: HTTP 503",)
        assert client.health.state is PrimaryState.FAILED
        second = await client.check_call(A1, B1, id_src="1")
        assert (second.server, second.attempts) == ("reserve", 1)  # straight to the reserve
        control.clear_faults()
        await wait_until(lambda: client.health.healthy)
        assert (await client.check_call(A1, B1, id_src="1")).server == "primary"


async def test_307_moves_to_reserve_until_ping_answers_200(
    ats_simulator: AtsSimulatorHandle,
) -> None:
    control = ats_simulator.control
    async with VerificationClient(settings(ats_simulator, OP1, ping_interval=0.05)) as client:
        control.add_fault("redirect")
        result = await client.register_call(A1, B1)
        assert (result.outcome, result.server) == (Outcome.REGISTERED, "reserve")
        await wait_until(lambda: primary_pings(control, 307) >= 3)
        # the client has read at least two of those 307s and stays on the reserve
        assert client.health.state is PrimaryState.REDIRECTED
        control.clear_faults()
        await wait_until(lambda: client.health.healthy, timeout=1.0)
        assert client.health.returns == 1


async def test_refused_connections_cost_no_timeout_per_call(
    ats_simulator: AtsSimulatorHandle,
) -> None:
    reserve_control = AtsControlClient(ats_simulator.reserve_url)
    try:
        async with VerificationClient(settings(ats_simulator, OP1)) as client:
            await client.register_call(A1, B1)
            reserve_control.set_listening("primary", False)
            results = [await client.check_call(A1, B1, id_src="1") for _ in range(20)]
            assert all(r.outcome is Outcome.VERIFIED and r.server == "reserve" for r in results)
            assert all(r.attempts == 1 for r in results[1:])
            assert client.health.state is PrimaryState.UNREACHABLE
            reserve_control.set_listening("primary", True)
            await wait_until(lambda: client.health.healthy)
    finally:
        reserve_control.close()


async def test_hanging_primary_costs_one_attempt_timeout_once(
    ats_simulator: AtsSimulatorHandle,
) -> None:
    ats_simulator.control.add_fault("hang", seconds=5)
    async with VerificationClient(
        settings(ats_simulator, OP1, primary_attempt_timeout=0.1)
    ) as client:
        first = await client.register_call(A1, B1)
        assert (first.outcome, first.server) == (Outcome.REGISTERED, "reserve")
        assert first.failures[0].startswith("primary: ")  # timed out, did not wait 5 s
        assert 0.09 < first.elapsed < 0.5
        second = await client.register_call(A1, B1)
        assert (second.server, second.attempts) == ("reserve", 1)  # no primary attempt


@pytest.mark.parametrize(
    ("direction", "allowed"),
    [(Direction.OUTGOING, True), (Direction.INCOMING, True), (Direction.REMOTE_START, False)],
)
async def test_unavailable_follows_each_direction_policy(
    ats_simulator: AtsSimulatorHandle, direction: Direction, allowed: bool
) -> None:
    ats_simulator.control.add_fault("status", status=500, server="primary")
    ats_simulator.control.add_fault("status", status=502, server="reserve")
    async with VerificationClient(settings(ats_simulator, OP1)) as client:
        if direction is Direction.OUTGOING:
            result = await client.register_call(A1, B1)
        else:
            result = await client.check_call(A1, B1, id_src="1", direction=direction)
        assert (result.outcome, result.allowed) == (Outcome.UNAVAILABLE, allowed)
        assert set(result.failures) >= {"primary: HTTP 500", "reserve: HTTP 502"}


async def test_open_circuit_without_reserve_answers_at_once(
    ats_simulator: AtsSimulatorHandle,
) -> None:
    ats_simulator.control.add_fault("reset")
    async with VerificationClient(
        settings(ats_simulator, OP1, reserve=False, ping_interval=10)
    ) as client:
        first = await client.check_call(A1, B1, id_src="1")
        assert first.outcome is Outcome.UNAVAILABLE and first.attempts == 1
        later = await client.check_call(A1, B1, id_src="1")
        assert later.outcome is Outcome.UNAVAILABLE and later.attempts == 0
        assert later.detail == "no server available"


async def test_manual_failback_after_5xx(ats_simulator: AtsSimulatorHandle) -> None:
    control = ats_simulator.control
    async with VerificationClient(settings(ats_simulator, OP1, failback="manual")) as client:
        control.add_fault("status", status=503, count=1)
        assert (await client.register_call(A1, B1)).server == "reserve"
        # pings answer 200 (more than healthy_pings_required), but the spec wants a human decision
        await wait_until(lambda: client.health.consecutive_pings >= 3 or client.health.healthy)
        assert client.health.state is PrimaryState.FAILED
        assert (await client.register_call(A1, B1)).server == "reserve"
        client.return_to_primary()
        assert (await client.register_call(A1, B1)).server == "primary"


async def test_no_verification_lost_or_duplicated_in_a_switch(
    ats_simulator: AtsSimulatorHandle,
) -> None:
    control = ats_simulator.control
    control.bulk_register(400, 79000300000, 79000400000)
    # Budgets that cannot expire on a loaded CI machine: a timed-out attempt may
    # have reached the server, which would make the server-side count below 401.
    patient = settings(ats_simulator, OP1, budget=10.0, primary_attempt_timeout=5.0)
    async with VerificationClient(patient) as client:

        async def verify(index: int) -> Outcome:
            if index == 150:
                control.add_fault("status", status=503)  # mid-flight
            result = await client.check_call(
                str(79000300000 + index), str(79000400000 + index), id_src="1"
            )
            return result.outcome

        outcomes = await asyncio.gather(*(verify(i) for i in range(400)))
    assert outcomes == [Outcome.VERIFIED] * 400
    assert client.stats.snapshot()["count"] == 400
    state = control.state()
    answered = sum(
        n for key, n in state["counters"]["primary"].items() if key.endswith(" 200")
    ) + sum(n for key, n in state["counters"]["reserve"].items() if key.endswith(" 200"))
    assert answered == 400  # each verification answered exactly once


async def test_concurrency_is_bounded(ats_simulator: AtsSimulatorHandle) -> None:
    ats_simulator.control.set_latency("fixed", ms=100)
    limited = settings(
        ats_simulator,
        OP1,
        reserve=False,
        max_concurrency=2,
        budget=2.0,
        primary_attempt_timeout=2.0,
    )
    async with VerificationClient(limited) as client:
        started = time.monotonic()
        results = await asyncio.gather(*(client.check_call(A1, B1, id_src="1") for _ in range(6)))
        elapsed = time.monotonic() - started
    assert all(r.outcome is Outcome.NOT_FOUND for r in results)
    assert elapsed >= 0.29  # three waves of two, 100 ms each
    assert client._in_flight == 0 and not client._slot_waiters
