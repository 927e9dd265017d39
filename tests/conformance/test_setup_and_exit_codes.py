"""Pre-flight, "could not test" and exit codes, on the network-free toy suite:
a failed pre-flight stops before any case, a setup error inside a case stops
the suite (later cases not tested, the target untouched), a suite bug is an
error of the suite, and coverage counts only cases that reached a verdict."""

from __future__ import annotations

from typing import Any

import pytest
from nabat.conformance.framework import CaseContext, Outcome, Runner, Suite, exit_code
from nabat.conformance.framework.results import verdict
from nabat.conformance.framework.setup import LoginStopped, SetupError

from tests.conformance.toy import ToyBinding, toy_config, toy_suite


def _suite(binding: ToyBinding) -> Suite[dict[str, Any]]:
    suite = toy_suite(binding)

    @suite.case("TOY-MUST-ONE")
    def passes(ctx: CaseContext, env: dict[str, Any]) -> None:
        ctx.check("TOY-MUST-ONE", True, "fine")

    @suite.case("TOY-MUST-ONE")
    def login_refused(ctx: CaseContext, env: dict[str, Any]) -> None:
        raise LoginStopped("LOGIN as admin refused")

    @suite.case("TOY-SHOULD-ONE")
    def buggy(ctx: CaseContext, env: dict[str, Any]) -> None:
        raise KeyError("oops")

    @suite.case("TOY-SHOULD-ONE")
    def transport(ctx: CaseContext, env: dict[str, Any]) -> None:
        raise ConnectionResetError("peer reset")

    return suite


def test_a_failed_preflight_stops_before_any_case() -> None:
    binding = ToyBinding(setup_problem="connection refused by toy:1")
    suite = _suite(binding)
    runner = Runner(suite, toy_config(), binding)
    for case in suite.cases:
        with pytest.raises(SetupError, match="connection refused"):
            runner.run_case(case)
    assert binding.preflights == 1 and binding.opened == 0
    assert runner.run.results == [] and runner.run.setup_error
    assert exit_code([runner.run]) == 3 and verdict([runner.run]) == "not tested"
    assert runner.run.coverage().exercised == []
    assert not runner.run.passed


def test_a_refused_login_stops_the_suite_without_retrying() -> None:
    binding = ToyBinding()
    suite = _suite(binding)
    runner = Runner(suite, toy_config(), binding)
    results = [runner.run_case(suite.get(name))
               for name in ("passes", "login_refused", "buggy", "transport")]
    assert [r.outcome for r in results] == [Outcome.PASS, *[Outcome.ERROR] * 3]
    assert all("not tested" in r.reason and "LOGIN as admin refused" in r.reason
               for r in results[1:])
    assert binding.opened == 2  # the cases after the refusal never reached the target
    assert exit_code([runner.run]) == 3


def test_a_bug_of_the_suite_is_an_error_of_the_suite() -> None:
    binding = ToyBinding()
    suite = _suite(binding)
    runner = Runner(suite, toy_config(), binding)
    bug = runner.run_case(suite.get("buggy"))
    transport = runner.run_case(suite.get("transport"))
    assert bug.outcome is Outcome.ERROR and "suite's own code" in bug.reason
    assert "KeyError" in bug.reason
    assert transport.outcome is Outcome.ERROR and "suite's own code" not in transport.reason
    assert not bug.reached_verdict and not transport.reached_verdict
    assert runner.run.coverage().exercised == []  # no "N of N exercised" after errors only
    assert exit_code([runner.run]) == 3


def test_a_failure_is_1_even_beside_errors_and_a_clean_run_is_0() -> None:
    binding = ToyBinding()
    suite = toy_suite(binding)

    @suite.case("TOY-MUST-ONE")
    def broken(ctx: CaseContext, env: dict[str, Any]) -> None:
        ctx.fail("TOY-MUST-ONE", "broken")

    @suite.case("TOY-MUST-ONE")
    def fine(ctx: CaseContext, env: dict[str, Any]) -> None:
        ctx.check("TOY-MUST-ONE", True, "fine")

    clean = Runner(suite, toy_config(), binding)
    clean.run_case(suite.get("fine"))
    assert exit_code([clean.run]) == 0 and verdict([clean.run]) == "pass"
    failing = Runner(suite, toy_config(), binding)
    failing.run_case(suite.get("broken"))
    assert exit_code([failing.run]) == 1 and verdict([failing.run]) == "fail"


def test_a_run_where_every_case_was_declared_absent_tested_nothing() -> None:
    binding = ToyBinding()
    suite = toy_suite(binding)

    @suite.case("TOY-MUST-ONE", needs={"feature"})
    def needs_feature(ctx: CaseContext, env: dict[str, Any]) -> None:
        ctx.check("TOY-MUST-ONE", True, "fine")

    runner = Runner(suite, toy_config(without=frozenset({"feature"})), binding)
    assert runner.run_case(suite.get("needs_feature")).outcome is Outcome.UNSUPPORTED
    assert exit_code([runner.run]) == 3
