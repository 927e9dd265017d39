"""The whole FTP suite passes against the simulator, plain and over explicit FTPS,
every statement it checks exercised, in seconds (the control API's clock, never ten
real seconds per poll); without the control API its cases are unsupported, not
failed; and a simulator that breaks a rule fails the case that checks it."""

from __future__ import annotations

import time

import pytest
from nabat.conformance.framework import Outcome
from nabat.conformance.framework.inventory import inventory
from nabat.conformance.ftp_platform.cases import SUITE
from nabat.simulators.ftp_platform import batch

from tests.conformance_ftp.sim import platform, run_case, run_config, run_suite

TLS_CASES = {"protected_session", "clear_data_refused"}
FAST = 30.0  # seconds for the whole suite, generous on a loaded machine


def _bad(run_results: list) -> dict[str, str]:  # type: ignore[type-arg]
    return {
        r.name: r.reason
        for r in run_results
        if r.outcome not in (Outcome.PASS, Outcome.UNSUPPORTED)
    }


def test_the_suite_passes_over_plain_ftp() -> None:
    with platform() as sim:
        started = time.monotonic()
        run = run_suite(run_config(sim))
        took = time.monotonic() - started
    assert _bad(run.results) == {}
    unsupported = {r.name for r in run.results if r.outcome is Outcome.UNSUPPORTED}
    assert unsupported == TLS_CASES  # no --tls
    assert took < FAST
    exercised = {clause.id for clause in run.coverage().exercised}
    checked = {clause.id for clause in inventory(SUITE).checked}
    tls_only = {c.id for case in SUITE if case.name in TLS_CASES for c in case.clauses}
    assert checked - exercised <= tls_only | {"FTP-TLS-LOGIN-PROTECTED"}


@pytest.mark.parametrize(
    "case",
    [
        "clear_data_refused",
        "protected_session",
        "login_and_quit",
        "store_list_delete",
        "picked_up_and_deleted",
        "half_uploaded_waits",
    ],
)
def test_over_explicit_ftps(case: str) -> None:
    with platform() as sim:
        result = run_case(run_config(sim, tls=True), case)
    assert result.outcome is Outcome.PASS, result.reason


def test_without_the_control_api_those_cases_are_unsupported() -> None:
    with platform() as sim:
        config = run_config(sim, control=False, address=["79030000001"], poll_period="0.5")
        result = run_case(config, "badly_named")
        assert result.outcome is Outcome.UNSUPPORTED
        assert "control" in result.reason
        session = run_case(config, "store_list_delete")
        assert session.outcome is Outcome.PASS, session.reason


def test_a_wrong_default_validity_fails_its_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "DEFAULT_VALIDITY_MINUTES", 1000)
    with platform() as sim:
        result = run_case(run_config(sim), "substitution")
    assert result.outcome is Outcome.FAIL
    assert "FTP-TPL-VALIDITY-DEFAULT" in result.reason
