"""Turn a case's check records into one outcome.

Order of precedence, worst first: ``error`` (the case itself crashed or the
target was unreachable), ``fail`` (a MUST broken and not excused, or an expired
allowance that would have excused it), ``unexpected-pass`` (a clause on the
allow-list was checked and held every time), ``non-strict`` (a SHOULD missed),
``known-deviation`` (every failure excused by a valid allowance), ``pass``.
``unsupported`` is decided before or while running, never from checks. A
failed MAY check never changes the outcome; it is only reported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from nabat.conformance.framework.allowlist import Allowance, AllowList
from nabat.conformance.framework.clauses import Level
from nabat.conformance.framework.context import CheckRecord


class Outcome(Enum):
    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"
    NON_STRICT = "non-strict"
    UNSUPPORTED = "unsupported"
    KNOWN_DEVIATION = "known-deviation"
    UNEXPECTED_PASS = "unexpected-pass"

    def is_failure(self, strict: bool) -> bool:
        """Does this outcome make the run fail (exit code 1)?"""
        if self in (Outcome.FAIL, Outcome.ERROR, Outcome.UNEXPECTED_PASS):
            return True
        return strict and self is Outcome.NON_STRICT


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    reason: str
    excused_by: tuple[Allowance, ...] = ()
    expired_used: tuple[Allowance, ...] = ()
    unexpected: tuple[Allowance, ...] = ()


def decide(
    checks: Sequence[CheckRecord],
    *,
    error: str | None,
    profile: str,
    allowlist: AllowList,
    today: dt.date,
) -> Decision:
    """Decide the outcome of a case that ran (was not unsupported)."""
    if error is not None:
        return Decision(Outcome.ERROR, error)

    unexcused_must: list[CheckRecord] = []
    unexcused_should: list[CheckRecord] = []
    excused: dict[str, Allowance] = {}
    expired_used: dict[str, Allowance] = {}
    for record in checks:
        if record.passed or record.clause.level is Level.MAY:
            continue
        allowance = allowlist.lookup(profile, record.clause.id)
        if allowance is None:
            target = unexcused_must if record.clause.level is Level.MUST else unexcused_should
            target.append(record)
        elif allowance.expired(today):
            expired_used[allowance.clause_id] = allowance
        else:
            excused[allowance.clause_id] = allowance

    failed_ids = {record.clause.id for record in checks if not record.passed}
    unexpected: dict[str, Allowance] = {}
    for record in checks:
        allowance = allowlist.lookup(profile, record.clause.id)
        if allowance is not None and record.clause.id not in failed_ids:
            unexpected[record.clause.id] = allowance

    extras = {
        "excused_by": tuple(excused.values()),
        "expired_used": tuple(expired_used.values()),
        "unexpected": tuple(unexpected.values()),
    }
    if unexcused_must or expired_used:
        parts = [f"{r.clause.id} (MUST): {r.message}" for r in unexcused_must]
        parts += [
            f"{a.clause_id}: allowance expired on {a.expires.isoformat()} ({a.reason})"
            for a in expired_used.values()
        ]
        return Decision(Outcome.FAIL, "; ".join(parts), **extras)
    if unexpected:
        parts = [
            f"{a.clause_id} is on the allow-list ({a.reason}) but held: remove the entry"
            for a in unexpected.values()
        ]
        return Decision(Outcome.UNEXPECTED_PASS, "; ".join(parts), **extras)
    if unexcused_should:
        parts = [f"{r.clause.id} (SHOULD): {r.message}" for r in unexcused_should]
        return Decision(Outcome.NON_STRICT, "; ".join(parts), **extras)
    if excused:
        parts = [
            f"{a.clause_id}: {a.reason} (until {a.expires.isoformat()})"
            for a in excused.values()
        ]
        return Decision(Outcome.KNOWN_DEVIATION, "; ".join(parts), **extras)
    return Decision(Outcome.PASS, "", **extras)
