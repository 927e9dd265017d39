"""With an ATS simulator, city calls through the PBX meet the world's anti-fraud rules."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
from nabat.simulators.pytest_plugin import AtsSimulatorHandle
from nabat.system.verification.client import VerificationClient
from nabat.system.verification.settings import VerificationSettings
from nabat.system.wire.oktell import read_script_reply

SUBSCRIBER = "79100000007"  # operator 2 of the default plan
TRUNK_CALLER_ID = "79000000091"  # operator 1


def test_an_unregistered_city_call_is_blocked_and_nothing_rings(
    ats_simulator: AtsSimulatorHandle, oktell_simulator_factory: Callable[..., Any]
) -> None:
    sim = oktell_simulator_factory(ats_url=ats_simulator.url)
    sim.control.add_override({"number": SUBSCRIBER, "voice": {"outcomes": {"answered": 1}}})
    with httpx.Client(base_url=sim.url, timeout=20.0) as http:
        answer = http.get(f"/execsvcscript?name=notify&startparam1={SUBSCRIBER}&timeout=30")
    assert read_script_reply(answer.content).returnvalue.partition(";")[0] == "blocked"
    call = sim.control.calls()[-1]
    assert call["result"] == "blocked" and call["decision"] is None  # the person never rang
    checks = [e for e in sim.control.world_journal() if e["kind"] == "antifraud"]
    assert checks and checks[-1]["to"] == SUBSCRIBER and checks[-1]["allowed"] is False
    assert sim.control.state()["lines"]["9001"] == "lsFree"


def test_a_registered_city_call_rings(
    ats_simulator: AtsSimulatorHandle, oktell_simulator_factory: Callable[..., Any]
) -> None:
    sim = oktell_simulator_factory(ats_url=ats_simulator.url)
    sim.control.add_override(
        {"number": SUBSCRIBER, "voice": {"outcomes": {"busy": 1}}}  # rings and is busy
    )

    async def register() -> None:
        settings = VerificationSettings(
            primary_url=ats_simulator.url, reserve_url=ats_simulator.reserve_url,
            source_address="127.0.0.1", budget=1.0, primary_attempt_timeout=0.5,
        )  # fmt: skip
        async with VerificationClient(settings) as client:
            # the first trunk (9001) shows caller id 79000000091
            await client.register_call(TRUNK_CALLER_ID, SUBSCRIBER, call_id="pbx-1")

    asyncio.run(register())
    with httpx.Client(base_url=sim.url, timeout=20.0) as http:
        answer = http.get(f"/execsvcscript?name=notify&startparam1={SUBSCRIBER}&timeout=30")
    assert read_script_reply(answer.content).returnvalue.partition(";")[0] == "busy"
    call = sim.control.calls()[-1]
    assert call["decision"]["outcome"] == "busy"
