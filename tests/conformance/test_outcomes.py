"""Outcome logic: MUST stops and fails, SHOULD is non-strict, MAY is only
recorded, allow-list excuses, expiry and unexpected passes, the exit code."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from nabat.conformance.framework import (
    Allowance,
    AllowList,
    CaseContext,
    CaseStopped,
    ConfigurationError,
    Outcome,
    Runner,
    UndeclaredClauseError,
    decide,
    exit_code,
)

from tests.conformance.toy import TODAY, ToyBinding, toy_config, toy_registry, toy_suite

ALL = frozenset({"TOY-MUST-ONE", "TOY-SHOULD-ONE", "TOY-MAY-ONE"})


def _ctx() -> CaseContext:
    return CaseContext("case", toy_registry(), ALL)


def _allow(clause: str, expires: dt.date = dt.date(2027, 1, 1)) -> AllowList:
    return AllowList([Allowance("default", clause, "vendor ticket 7", expires)])


def _decide(ctx: CaseContext, allowlist: AllowList | None = None) -> Outcome:
    return decide(ctx.checks, error=None, profile="default",
                  allowlist=allowlist or AllowList(), today=TODAY).outcome


def test_all_checks_hold_is_pass() -> None:
    ctx = _ctx()
    ctx.check("TOY-MUST-ONE", True, "fine")
    ctx.check("TOY-SHOULD-ONE", True, "fine")
    assert _decide(ctx) is Outcome.PASS


def test_failed_must_stops_the_case_and_fails() -> None:
    ctx = _ctx()
    with pytest.raises(CaseStopped):
        ctx.check("TOY-MUST-ONE", False, "broken")
    assert _decide(ctx) is Outcome.FAIL
    assert Outcome.FAIL.is_failure(strict=False)


def test_failed_should_continues_and_is_non_strict() -> None:
    ctx = _ctx()
    assert ctx.check("TOY-SHOULD-ONE", False, "missed") is False
    ctx.check("TOY-MUST-ONE", True, "fine")
    assert _decide(ctx) is Outcome.NON_STRICT
    assert not Outcome.NON_STRICT.is_failure(strict=False)
    assert Outcome.NON_STRICT.is_failure(strict=True)


def test_failed_may_changes_nothing() -> None:
    ctx = _ctx()
    ctx.check("TOY-MAY-ONE", False, "optional behaviour absent")
    assert _decide(ctx) is Outcome.PASS


def test_accept_any_records_the_variant() -> None:
    ctx = _ctx()
    assert ctx.accept_any("TOY-MUST-ONE", "legacy", ("modern", "legacy"))
    record = ctx.checks[-1]
    assert (record.observed, record.allowed) == ("legacy", ("modern", "legacy"))
    with pytest.raises(CaseStopped):
        ctx.accept_any("TOY-MUST-ONE", "none", ("modern", "legacy"))


def test_undeclared_clause_is_a_programming_error() -> None:
    ctx = CaseContext("case", toy_registry(), frozenset({"TOY-MUST-ONE"}))
    with pytest.raises(UndeclaredClauseError):
        ctx.check("TOY-SHOULD-ONE", True, "not declared")


def test_allowed_failure_is_a_known_deviation() -> None:
    ctx = _ctx()
    with pytest.raises(CaseStopped):
        ctx.check("TOY-MUST-ONE", False, "broken")
    decision = decide(ctx.checks, error=None, profile="default",
                      allowlist=_allow("TOY-MUST-ONE"), today=TODAY)
    assert decision.outcome is Outcome.KNOWN_DEVIATION
    assert "vendor ticket 7" in decision.reason
    assert not decision.outcome.is_failure(strict=True)


def test_allowance_of_another_profile_does_not_apply() -> None:
    ctx = _ctx()
    with pytest.raises(CaseStopped):
        ctx.check("TOY-MUST-ONE", False, "broken")
    other = AllowList([Allowance("vendor-x", "TOY-MUST-ONE", "r", dt.date(2027, 1, 1))])
    assert _decide(ctx, other) is Outcome.FAIL


def test_used_expired_allowance_fails() -> None:
    ctx = _ctx()
    ctx.check("TOY-SHOULD-ONE", False, "missed")
    decision = decide(ctx.checks, error=None, profile="default",
                      allowlist=_allow("TOY-SHOULD-ONE", dt.date(2026, 1, 14)), today=TODAY)
    assert decision.outcome is Outcome.FAIL
    assert "expired on 2026-01-14" in decision.reason


def test_allowance_expiring_today_still_counts() -> None:
    ctx = _ctx()
    ctx.check("TOY-SHOULD-ONE", False, "missed")
    assert _decide(ctx, _allow("TOY-SHOULD-ONE", TODAY)) is Outcome.KNOWN_DEVIATION


def test_allowed_clause_that_holds_is_an_unexpected_pass() -> None:
    ctx = _ctx()
    ctx.check("TOY-MUST-ONE", True, "fine now")
    decision = decide(ctx.checks, error=None, profile="default",
                      allowlist=_allow("TOY-MUST-ONE"), today=TODAY)
    assert decision.outcome is Outcome.UNEXPECTED_PASS
    assert decision.outcome.is_failure(strict=False)
    assert "remove the entry" in decision.reason


def test_error_wins() -> None:
    assert decide([], error="boom", profile="default", allowlist=AllowList(),
                  today=TODAY).outcome is Outcome.ERROR


def _runner(binding: ToyBinding | None = None, **config: Any) -> tuple[Runner[Any], Any]:
    chosen = binding or ToyBinding()
    suite = toy_suite(chosen)

    @suite.case("TOY-MUST-ONE", needs={"feature"})
    def needs_feature(ctx: CaseContext, env: dict[str, Any]) -> None:
        """Uses the optional feature."""
        ctx.check("TOY-MUST-ONE", env["value"] == 1, "value is 1")

    @suite.case("TOY-SHOULD-ONE")
    def misses_should(ctx: CaseContext, env: dict[str, Any]) -> None:
        """Misses a SHOULD."""
        ctx.check("TOY-SHOULD-ONE", False, "missed")

    @suite.case("TOY-MUST-ONE")
    def crashes(ctx: CaseContext, env: dict[str, Any]) -> None:
        """Raises."""
        raise RuntimeError("target went away")

    return Runner(suite, toy_config(**config), chosen), suite


def test_runner_outcomes_coverage_and_exit_code() -> None:
    runner, _ = _runner()
    run = runner.run_all()
    outcomes = {r.name: r.outcome for r in run.results}
    assert outcomes == {"needs_feature": Outcome.PASS, "misses_should": Outcome.NON_STRICT,
                        "crashes": Outcome.ERROR}
    crashed = run.results[2]
    assert "target went away" in crashed.reason and "RuntimeError" in crashed.details
    coverage = run.coverage()
    # Coverage counts the statements the suite checks; TOY-MAY-ONE and TOY-NEVER are
    # declared by no case and have no reason: the inventory shows them as unaccounted.
    assert [c.id for c in coverage.exercised] == ["TOY-MUST-ONE", "TOY-SHOULD-ONE"]
    assert coverage.never_exercised == []
    assert run.inventory is not None
    assert [c.id for c in run.inventory.unaccounted] == ["TOY-MAY-ONE", "TOY-NEVER"]
    assert [c.id for c in run.inventory.unchecked] == ["TOY-UNCHECKED"]
    assert "suite's own code" in crashed.reason  # a RuntimeError is no answer of the target
    assert exit_code([run]) == 3  # an error and no failure: could not test every case


def test_declared_absent_capability_makes_cases_unsupported() -> None:
    runner, suite = _runner(without=frozenset({"feature"}))
    result = runner.run_case(suite.get("needs_feature"))
    assert result.outcome is Outcome.UNSUPPORTED
    assert "--without" in result.reason
    assert not result.exercised


def test_detected_absent_capability_makes_cases_unsupported() -> None:
    binding = ToyBinding({"feature": "probe found nothing"})
    runner, suite = _runner(binding)
    result = runner.run_case(suite.get("needs_feature"))
    assert result.outcome is Outcome.UNSUPPORTED and "probe found nothing" in result.reason
    assert binding.opened == 0


def test_strictness_decides_the_exit_code() -> None:
    for strict, expected in ((False, 0), (True, 1)):
        runner, suite = _runner(strict=strict)
        runner.run_case(suite.get("needs_feature"))
        runner.run_case(suite.get("misses_should"))
        assert exit_code([runner.run]) == expected


def test_unknown_capability_in_without_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="teleport"):
        _runner(without=frozenset({"teleport"}))
