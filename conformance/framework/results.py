"""Results of a run: per-case results, clause coverage, allowance use, verdict.

A case *reached a verdict* when it did not end in error and, if unsupported,
the target's own answer showed it (evidence or checks): a capability declared
absent up front is no verdict. A clause is *exercised* when a case declaring it
reached a verdict other than unsupported, so a run where every case errored
exercises nothing; coverage counts the statements the suite checks (its
inventory's unchecked statements are reported apart, with their reasons).
Exit code (:func:`exit_code`): 1 when a case's outcome is a failure verdict
for the chosen strictness (fail, unexpected pass, non-strict with
``--strict``); else 3 ("could not test") when the pre-flight failed, the
suite stopped (a refused login), a case errored or no case reached a verdict;
else 0.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from nabat.conformance.framework.allowlist import Allowance
from nabat.conformance.framework.clauses import Clause, ClauseRegistry
from nabat.conformance.framework.config import RunConfig
from nabat.conformance.framework.context import CheckRecord
from nabat.conformance.framework.evidence import Exchange
from nabat.conformance.framework.inventory import Inventory, inventory
from nabat.conformance.framework.outcome import Decision, Outcome
from nabat.conformance.framework.setup import (
    EXIT_CONFORMS,
    EXIT_DOES_NOT_CONFORM,
    EXIT_NOT_TESTED,
)
from nabat.conformance.framework.suite import Case, Suite


@dataclass
class CaseResult:
    case: Case[Any]
    outcome: Outcome
    reason: str
    checks: list[CheckRecord] = field(default_factory=list)
    evidence: list[Exchange] = field(default_factory=list)
    duration_ms: float = 0.0
    decision: Decision | None = None
    details: str = ""

    @property
    def name(self) -> str:
        return self.case.name

    @property
    def reached_verdict(self) -> bool:
        if self.outcome is Outcome.ERROR:
            return False
        if self.outcome is Outcome.UNSUPPORTED:
            return bool(self.evidence or self.checks)
        return True

    @property
    def exercised(self) -> bool:
        return self.reached_verdict and self.outcome is not Outcome.UNSUPPORTED

    def variants(self) -> list[CheckRecord]:
        return [record for record in self.checks if record.allowed is not None]


@dataclass
class Coverage:
    total: int
    exercised: list[Clause]
    never_exercised: list[Clause]


@dataclass
class SuiteRun:
    suite: str
    registry: ClauseRegistry
    config: RunConfig
    target: Mapping[str, Any] = field(default_factory=dict)
    absent: Mapping[str, str] = field(default_factory=dict)
    results: list[CaseResult] = field(default_factory=list)
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    setup_error: str | None = None  # the pre-flight failed: no case ran
    stopped: str | None = None  # stopped mid-run (a refused login): later cases not tested
    source: Suite[Any] | None = None  # the suite run, for its statement inventory

    @property
    def inventory(self) -> Inventory | None:
        """The suite's statements, checked and not (None for a bare run)."""
        return inventory(self.source) if self.source is not None else None

    def coverage(self) -> Coverage:
        """Of the statements the suite checks, those a case of this run exercised."""
        seen = {clause.id for r in self.results if r.exercised for clause in r.case.clauses}
        clauses = (list(self.inventory.checked) if self.inventory is not None
                   else [c for c in self.registry if c.unchecked is None])
        return Coverage(
            total=len(clauses),
            exercised=[c for c in clauses if c.id in seen],
            never_exercised=[c for c in clauses if c.id not in seen],
        )

    def counts(self) -> Counter[str]:
        return Counter(result.outcome.value for result in self.results)

    def failures(self) -> list[CaseResult]:
        return [r for r in self.results if r.outcome.is_failure(self.config.strict)]

    @property
    def passed(self) -> bool:
        return not self.failures() and not_tested(self) is None

    def allowances(self) -> dict[str, list[Allowance]]:
        """Allowances of the run's profile sorted into used / expired-used /
        unexpected-pass / unused (unused ones may be stale or just not reached)."""
        used: dict[str, Allowance] = {}
        expired_used: dict[str, Allowance] = {}
        unexpected: dict[str, Allowance] = {}
        for result in self.results:
            if result.decision is None:
                continue
            used.update({a.clause_id: a for a in result.decision.excused_by})
            expired_used.update({a.clause_id: a for a in result.decision.expired_used})
            unexpected.update({a.clause_id: a for a in result.decision.unexpected})
        prefix = f"{self.registry.spec}-"
        mine = [
            a for a in self.config.allowlist.for_profile(self.config.profile)
            if a.clause_id.startswith(prefix)
        ]
        touched = set(used) | set(expired_used) | set(unexpected)
        return {
            "used": list(used.values()),
            "expired_used": list(expired_used.values()),
            "unexpected_pass": list(unexpected.values()),
            "unused": [a for a in mine if a.clause_id not in touched],
        }


def run_passed(runs: Sequence[SuiteRun]) -> bool:
    return all(run.passed for run in runs) and exit_code(runs) == EXIT_CONFORMS


def not_tested(run: SuiteRun) -> str | None:
    """Why the run could not test its target (None when it could)."""
    if run.setup_error:
        return run.setup_error
    if run.stopped:
        return run.stopped
    errored = [r.name for r in run.results if r.outcome is Outcome.ERROR]
    if errored:
        return f"{len(errored)} case(s) ended in error before a verdict: {', '.join(errored[:5])}"
    if not any(r.reached_verdict for r in run.results):
        return "no case reached a verdict"
    return None


def exit_code(runs: Sequence[SuiteRun]) -> int:
    """0 conforms, 1 does not conform, 3 could not test (see the module comment)."""
    strict_failure = [
        r for run in runs for r in run.results
        if r.outcome is not Outcome.ERROR and r.outcome.is_failure(run.config.strict)
    ]
    if strict_failure:
        return EXIT_DOES_NOT_CONFORM
    if not runs or any(not_tested(run) for run in runs):
        return EXIT_NOT_TESTED
    return EXIT_CONFORMS


def verdict(runs: Sequence[SuiteRun]) -> str:
    """``pass``, ``fail`` or ``not tested``: the word for :func:`exit_code`."""
    return {EXIT_CONFORMS: "pass", EXIT_DOES_NOT_CONFORM: "fail"}.get(
        exit_code(runs), "not tested")
