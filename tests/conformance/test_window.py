"""The registration window is the run's own value (ruling ATS 3: 60 s, or
``--ats-window``), never the target's word: a simulator told to keep 600 s
fails both window cases under the default, and passes them when the run is
told to expect 600 s."""

from __future__ import annotations

from typing import Any

import pytest
from nabat.conformance.framework import Outcome

from tests.conformance.conftest import RunCase

WINDOW_CASES = ("check_window_expiry", "control_reports_the_expected_window")


@pytest.mark.parametrize("name", WINDOW_CASES)
def test_a_ten_times_window_fails_under_the_ruled_default(name: str, sim: Any,
                                                          run_case: RunCase) -> None:
    sim.control.set_config(window=600)
    result = run_case(name)
    assert result.outcome is Outcome.FAIL, (result.outcome, result.reason)


@pytest.mark.parametrize("name", WINDOW_CASES)
def test_a_window_the_run_is_told_about_passes(name: str, sim: Any, run_case: RunCase) -> None:
    sim.control.set_config(window=600)
    result = run_case(name, suite_options={"ats_window": "600"})
    assert result.outcome is Outcome.PASS, (result.outcome, result.reason)


def test_a_window_the_run_is_told_about_is_checked_at_its_boundaries(
        sim: Any, run_case: RunCase) -> None:
    """Told 30 s against a 60 s hub: the registration is still live just past 30 s."""
    result = run_case("check_window_expiry", suite_options={"ats_window": "30"})
    assert result.outcome is Outcome.FAIL
    failed = {record.clause.id for record in result.checks if not record.passed}
    assert failed == {"ATS-CHECK-WINDOW"}
