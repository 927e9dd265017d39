"""Every ATS case can fail: run each against a target made non-conforming in
the way the proof table says, and require the case to fail on the named
clause (not to crash); and every case passes against the real simulator."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from nabat.conformance.ats.binding import AtsBinding
from nabat.conformance.ats.cases import SUITE
from nabat.conformance.framework import Outcome, RunConfig, Runner, load_allowlist

from tests.conformance.conftest import RunCase
from tests.conformance.proofs import PROOFS
from tests.conformance.simulator_allowances import write_allowances


def test_every_registered_case_has_a_proof() -> None:
    registered = {case.name for case in SUITE}
    assert set(PROOFS) - registered == set(), "proofs for cases that do not exist"
    assert registered - set(PROOFS) == set(), "cases without a proof that they can fail"


def test_whole_suite_passes_against_the_simulator(sim: Any, tmp_path: Path) -> None:
    allowlist = load_allowlist(write_allowances(tmp_path))
    config = RunConfig(target=sim.url, reserve=sim.reserve_url, strict=True, allowlist=allowlist)
    runner = Runner(SUITE, config, AtsBinding(config))
    try:
        run = runner.run_all()
    finally:
        runner.close()
    bad = {
        r.name: (r.outcome.value, r.reason)
        for r in run.results
        if r.outcome not in (Outcome.PASS, Outcome.KNOWN_DEVIATION)
    }
    assert bad == {}
    assert run.passed
    coverage = run.coverage()
    assert coverage.never_exercised == []
    checked = [clause for clause in SUITE.registry if clause.unchecked is None]
    assert len(coverage.exercised) == len(checked)


@pytest.mark.parametrize("name", sorted(PROOFS))
def test_case_fails_against_non_conforming_target(name: str, sim: Any,
                                                   run_case: RunCase) -> None:
    proof = PROOFS[name]({"reserve_port": urlsplit(sim.reserve_url).port})
    if proof.sim_window is not None:
        sim.control.set_config(window=proof.sim_window)  # the fixture resets it per test
    result = run_case(name, mutate=proof.mutate, strict=proof.strict)
    assert result.outcome is not Outcome.ERROR, result.details or result.reason
    assert result.outcome.is_failure(proof.strict), (
        f"{name} did not catch: {proof.description} ({result.outcome.value})"
    )
    failed = {record.clause.id for record in result.checks if not record.passed}
    assert proof.clause in failed, f"{name}: expected {proof.clause} to fail, failed: {failed}"
    if not proof.strict:
        assert result.outcome is Outcome.FAIL
