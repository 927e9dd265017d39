"""The whole Oktell suite passes against the simulator, strictly, with and without a
password (state changes allowed, control API given), and read-only without the
capability; every statement it checks is exercised."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from nabat.conformance.framework import Outcome
from nabat.conformance.framework.inventory import inventory
from nabat.conformance.oktell.cases import SUITE
from nabat.simulators.oktell.fixture import OktellSimulatorHandle, start_oktell_simulator

from tests.conformance_oktell.sim import run_suite

PASSWORD = "P@ss w0rd&"


@pytest.fixture(scope="module")
def sim() -> Iterator[OktellSimulatorHandle]:
    handle = start_oktell_simulator(password=PASSWORD)
    yield handle
    handle.stop()


@pytest.fixture(scope="module")
def open_sim() -> Iterator[OktellSimulatorHandle]:
    handle = start_oktell_simulator()
    yield handle
    handle.stop()


def _bad(run: object) -> dict[str, str]:
    return {
        r.name: r.reason
        for r in run.results  # type: ignore[attr-defined]
        if r.outcome not in (Outcome.PASS, Outcome.UNSUPPORTED)
    }


def test_the_suite_passes_with_a_password(sim: OktellSimulatorHandle) -> None:
    run = run_suite(
        sim.url, strict=True, password=PASSWORD, allow_state_changes=True, sim_control=sim.url
    )
    assert _bad(run) == {}
    assert all(r.outcome is Outcome.PASS for r in run.results)
    checked = {clause.id for clause in inventory(SUITE).checked}
    assert checked <= {c.id for c in run.coverage().exercised}
    evidence = " ".join(x.render_text() for r in run.results for x in r.evidence)
    assert PASSWORD not in evidence and "P%40ss" not in evidence


def test_the_suite_passes_without_a_password(open_sim: OktellSimulatorHandle) -> None:
    run = run_suite(open_sim.url, strict=True, allow_state_changes=True, sim_control=open_sim.url)
    assert _bad(run) == {}
    unsupported = {r.name for r in run.results if r.outcome is Outcome.UNSUPPORTED}
    assert unsupported == {c.name for c in SUITE if "password" in c.needs}


def test_read_only_without_the_capability_changes_nothing(sim: OktellSimulatorHandle) -> None:
    calls = len(sim.control.calls(1000))
    uploads = [e for e in sim.control.events(1000) if e.get("kind") == "upload"]
    run = run_suite(sim.url, password=PASSWORD, user="ivan", line="16038")
    assert run.passed, _bad(run)
    unsupported = {r.name for r in run.results if r.outcome is Outcome.UNSUPPORTED}
    assert {c.name for c in SUITE if "state" in c.needs or "scripts" in c.needs} == unsupported
    assert len(sim.control.calls(1000)) == calls
    assert [e for e in sim.control.events(1000) if e.get("kind") == "upload"] == uploads
