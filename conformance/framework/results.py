"""Results of a run: per-case results, clause coverage, allowance use, verdict.

A clause is *exercised* when at least one case that declares it ran (was not
unsupported). The run fails (exit code 1) when any case's outcome is a failure
for the chosen strictness: see :meth:`Outcome.is_failure`.
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
from nabat.conformance.framework.outcome import Decision, Outcome
from nabat.conformance.framework.suite import Case


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
    def exercised(self) -> bool:
        return self.outcome is not Outcome.UNSUPPORTED

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

    def coverage(self) -> Coverage:
        seen = {clause.id for r in self.results if r.exercised for clause in r.case.clauses}
        clauses = list(self.registry)
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
        return not self.failures()

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
    return all(run.passed for run in runs)


def exit_code(runs: Sequence[SuiteRun]) -> int:
    return 0 if run_passed(runs) else 1
