"""Every GSM case can fail: each runs against a simulated modem made non-conforming
as the proof table says and must fail on the named clause (not crash, not pass);
every case and every clause a case checks has at least one proof. (That each case
passes against the honest simulator is test_suite_passes.py's job.)"""

from __future__ import annotations

import pytest
from nabat.conformance.framework import Outcome
from nabat.conformance.gsm_modem.cases import SUITE

from tests.conformance_gsm.conftest import run_case
from tests.conformance_gsm.proofs import PROOFS, Proof
from tests.conformance_gsm.sim import PIN, simulator

ALL = [(name, proof) for name, proofs in PROOFS.items() for proof in proofs]


def test_every_case_and_every_checked_clause_has_a_proof() -> None:
    registered = {case.name for case in SUITE}
    assert set(PROOFS) - registered == set(), "proofs for cases that do not exist"
    assert registered - set(PROOFS) == set(), "cases without a proof that they can fail"
    checked = {clause for case in SUITE for clause in case.clause_ids}
    proven = {proof.clause for _, proof in ALL}
    assert checked - proven == set(), "clauses a case checks but no proof breaks"
    for name, proof in ALL:
        assert proof.clause in SUITE.get(name).clause_ids, (name, proof.clause)


@pytest.mark.parametrize(("name", "proof"), ALL,
                         ids=[f"{name}-{proof.clause}" for name, proof in ALL])
def test_case_fails_against_a_non_conforming_modem(name: str, proof: Proof) -> None:
    extra = {"pin": PIN} if proof.pin else {}
    with simulator(proof.profile, pin_required=proof.pin) as sim:
        result = run_case(sim, name, proof.mutation, strict=proof.strict, timeout=1.5, **extra)
    assert result.outcome is not Outcome.ERROR, result.details or result.reason
    assert result.outcome.is_failure(proof.strict), (
        f"{name} did not catch: {proof.description} ({result.outcome.value}: {result.reason})")
    failed = {record.clause.id for record in result.checks if not record.passed}
    assert proof.clause in failed, f"{name}: expected {proof.clause} to fail, failed: {failed}"
    if not proof.strict:
        assert result.outcome is Outcome.FAIL
