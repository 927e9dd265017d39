"""The anti-fraud path against the real ATS simulator pair (the ``ats_simulator`` fixture).

The system registers its outgoing call as operator 1 (127.0.0.1); the world's
terminating operator of the subscriber checks it from its own address.
Scripted incoming calls are registered by the subscriber's operator unless
spoofed, and the system's CheckCall sees the difference.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from nabat.simulators.pytest_plugin import AtsSimulatorHandle
from nabat.simulators.world import AntiFraudLink, World, WorldRuntime, call, sms
from nabat.system.verification.client import VerificationClient
from nabat.system.verification.results import Outcome
from nabat.system.verification.settings import VerificationSettings

MODEM = "79000000050"  # the system's own number, operator 1
SUBSCRIBER = "79100000007"  # operator 2 (127.0.0.2)


@pytest.fixture
def runtime() -> WorldRuntime:
    return WorldRuntime(World())


@pytest.fixture
async def link(
    ats_simulator: AtsSimulatorHandle, runtime: WorldRuntime
) -> AsyncIterator[AntiFraudLink]:
    async with AntiFraudLink(
        runtime.world.plan, ats_simulator.url, ats_simulator.reserve_url, runtime=runtime
    ) as link:
        yield link


@pytest.fixture
async def system(ats_simulator: AtsSimulatorHandle) -> AsyncIterator[VerificationClient]:
    """The notification system's own verification client, as operator 1."""
    settings = VerificationSettings(
        primary_url=ats_simulator.url, reserve_url=ats_simulator.reserve_url,
        source_address="127.0.0.1", budget=1.0, primary_attempt_timeout=0.5,
    )  # fmt: skip
    async with VerificationClient(settings) as client:
        yield client


async def test_a_registered_outgoing_call_rings_and_an_unregistered_one_is_blocked(
    link: AntiFraudLink, system: VerificationClient, runtime: WorldRuntime
) -> None:
    registered = await system.register_call(MODEM, SUBSCRIBER, call_id="out-1")
    assert registered.outcome is Outcome.REGISTERED
    assert await link.check_outgoing("+" + MODEM, SUBSCRIBER) is True
    assert await link.check_outgoing(MODEM, "79100000008") is False  # never registered
    checks = [e for e in runtime.journal_json() if e["kind"] == "antifraud"]
    assert [(c["to"], c["allowed"]) for c in checks] == [(SUBSCRIBER, True), ("79100000008", False)]
    assert str(checks[1]["detail"]).startswith("not_found (HTTP 404)")


async def test_the_check_comes_from_the_terminating_operators_address(
    link: AntiFraudLink, system: VerificationClient, ats_simulator: AtsSimulatorHandle
) -> None:
    await system.register_call(MODEM, "79000000009", call_id="out-2")
    assert await link.check_outgoing(MODEM, "79000000009") is True
    clients = {
        entry["client"]
        for entry in ats_simulator.control.journal(limit=20)
        if entry["path"] == "/CheckCall"
    }
    assert clients == {"127.0.0.1"}  # operator 1 owns 7900..., so it checked


async def test_numbers_outside_the_plan_are_not_checked(link: AntiFraudLink) -> None:
    assert await link.check_outgoing(MODEM, "74950000000") is True
    assert await link.register_incoming("74950000000", MODEM) is False


async def test_a_genuine_incoming_call_is_registered_and_passes_the_systems_check(
    link: AntiFraudLink, system: VerificationClient, ats_simulator: AtsSimulatorHandle
) -> None:
    event = call(0, SUBSCRIBER, "gsm:0", "1")
    before = ats_simulator.control.registrations()
    assert await link.admit_incoming(event, MODEM) is True
    assert ats_simulator.control.registrations() == before + 1
    checked = await system.check_call(SUBSCRIBER, MODEM, call_id="in-1")
    assert (checked.outcome, checked.allowed) == (Outcome.VERIFIED, True)


async def test_a_spoofed_incoming_call_is_never_registered_and_the_system_refuses_it(
    link: AntiFraudLink,
    system: VerificationClient,
    ats_simulator: AtsSimulatorHandle,
    runtime: WorldRuntime,
) -> None:
    event = call(0, SUBSCRIBER, "gsm:0", "1", spoofed=True)
    before = ats_simulator.control.registrations()
    assert await link.admit_incoming(event, MODEM) is False
    assert ats_simulator.control.registrations() == before
    checked = await system.check_call(SUBSCRIBER, MODEM, call_id="in-2")
    assert (checked.outcome, checked.allowed) == (Outcome.NOT_FOUND, False)
    (entry,) = [e for e in runtime.journal_json() if e["kind"] == "antifraud"]
    assert (entry["step"], entry["allowed"], entry["detail"]) == ("register", False, "spoofed")
    with pytest.raises(ValueError):
        await link.admit_incoming(sms(0, SUBSCRIBER, "gsm:0", "hi"), MODEM)


async def test_without_a_hub_nothing_is_checked_or_registered() -> None:
    async with AntiFraudLink(World().plan, None) as link:
        assert not link.enabled
        assert await link.check_outgoing(MODEM, SUBSCRIBER) is True
        assert await link.register_incoming(SUBSCRIBER, MODEM) is False


async def test_an_unreachable_hub_lets_outgoing_calls_through(runtime: WorldRuntime) -> None:
    async with AntiFraudLink(runtime.world.plan, "http://127.0.0.1:9", budget=0.3) as link:
        assert await link.check_outgoing(MODEM, SUBSCRIBER) is True  # fail-open
        assert await link.register_incoming(SUBSCRIBER, MODEM) is False
