"""The whole MFMS suite passes against the simulator, strictly, in both error
profiles and over HTTPS; every statement it checks is exercised, and the run
leaves the simulator's configuration as it found it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from nabat.conformance.framework import Outcome
from nabat.conformance.framework.inventory import inventory
from nabat.conformance.mfms.cases import SUITE
from nabat.simulators.mfms.app import MfmsSimulator
from nabat.simulators.mfms.fixture import MfmsSimulatorHandle, start_mfms_simulator

from tests.conformance_mfms.sim import base_url, run_suite


@pytest.fixture(scope="module")
def sim() -> Iterator[MfmsSimulatorHandle]:
    handle = start_mfms_simulator()
    yield handle
    handle.stop()


def _simulator(sim: MfmsSimulatorHandle) -> MfmsSimulator:
    assert sim.background.simulator is not None
    return sim.background.simulator


def _config(sim: MfmsSimulatorHandle) -> object:
    """The simulator's settings the suite may change (and must put back)."""
    state = _simulator(sim)
    return sim.call(
        lambda: (
            dict(state.service.state_json()),
            sorted(o.key for o in state.runtime.world.overrides),
            state.clock.to_json().get("frozen"),
        )
    )


@pytest.mark.parametrize("profile", ["http500", "http200"])
def test_the_suite_passes_in_both_profiles(sim: MfmsSimulatorHandle, profile: str) -> None:
    sim.call(lambda: _simulator(sim).service.set_error_profile(profile))
    before = _config(sim)
    run = run_suite(base_url(sim), strict=True, sim_control=sim.url, error_profile=profile)
    bad = {
        r.name: r.reason
        for r in run.results
        if r.outcome not in (Outcome.PASS, Outcome.UNSUPPORTED)
    }
    assert bad == {}
    assert {r.name for r in run.results if r.outcome is Outcome.UNSUPPORTED} == {
        "https_with_certificate"
    }
    assert _config(sim) == before
    checked = {clause.id for clause in inventory(SUITE).checked}
    exercised = {c.id for c in run.coverage().exercised} | {"MFMS-HTTPS"}
    assert checked <= exercised


def test_the_suite_passes_over_https_with_the_ca(sim: MfmsSimulatorHandle) -> None:
    run = run_suite(base_url(sim, tls=True), strict=True, sim_control=sim.url, ca=str(sim.ca_file))
    outcomes = {r.name: r.outcome for r in run.results}
    assert outcomes["https_with_certificate"] is Outcome.PASS
    assert all(o is Outcome.PASS for o in outcomes.values()), outcomes


def test_without_control_only_the_wire_is_checked_and_three_sms_are_sent(
    sim: MfmsSimulatorHandle,
) -> None:
    delivery = _simulator(sim).delivery
    before = sim.call(lambda: len(delivery))
    run = run_suite(base_url(sim), address=["79031111111"])
    sent = sim.call(lambda: len(delivery)) - before
    unsupported = {r.name for r in run.results if r.outcome is Outcome.UNSUPPORTED}
    assert {case.name for case in SUITE if "control" in case.needs} <= unsupported
    assert run.passed
    assert sent == 3
