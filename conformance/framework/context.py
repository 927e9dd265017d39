"""The object a case receives to attribute its checks to clauses.

``ctx.check(clause_id, condition, message)`` records one check. A failed MUST
raises :class:`CaseStopped` so the case ends there (later steps would only
report consequences); a failed SHOULD or MAY is recorded and the case goes on.
``ctx.accept_any(clause_id, observed, allowed)`` is a check that passes on any
of several answers the spec permits and records which one the target gave.
Every check must name a clause the case declared, so coverage stays honest.
Exchanges and notes go to ``ctx.evidence`` in the order they happened.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any, NoReturn

from nabat.conformance.framework.clauses import Clause, ClauseRegistry, Level
from nabat.conformance.framework.evidence import Exchange, Note


class CaseStopped(Exception):
    """Raised by a failed MUST check: the case cannot meaningfully go on."""


class CaseUnsupported(Exception):
    """Raised when the case finds, while running, that a capability is absent."""


class UndeclaredClauseError(RuntimeError):
    """A case checked a clause it did not declare in its decorator."""


@dataclass(frozen=True)
class CheckRecord:
    clause: Clause
    passed: bool
    message: str
    observed: str | None = None
    allowed: tuple[str, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "clause": self.clause.id,
            "level": self.clause.level.value,
            "passed": self.passed,
            "message": self.message,
        }
        if self.allowed is not None:
            data["observed"] = self.observed
            data["allowed"] = list(self.allowed)
        return data


@dataclass
class CaseContext:
    """Per-run state of one case: checks, evidence and notes."""

    case_name: str
    registry: ClauseRegistry
    declared: frozenset[str]
    checks: list[CheckRecord] = field(default_factory=list)
    evidence: list[Exchange] = field(default_factory=list)

    def _clause(self, clause_id: str) -> Clause:
        clause = self.registry.get(clause_id)
        if clause_id not in self.declared:
            raise UndeclaredClauseError(
                f"case {self.case_name} checks {clause_id} but does not declare it"
            )
        return clause

    def _finish(self, record: CheckRecord) -> bool:
        self.checks.append(record)
        if not record.passed and record.clause.level is Level.MUST:
            raise CaseStopped(f"{record.clause.id}: {record.message}")
        return record.passed

    def check(self, clause_id: str, condition: bool, message: str) -> bool:
        """Record that ``clause_id`` holds (``condition``) or not; ``message`` says what
        was expected and what was seen. Returns ``condition`` unless a MUST failed."""
        return self._finish(CheckRecord(self._clause(clause_id), bool(condition), message))

    def accept_any(
        self, clause_id: str, observed: object, allowed: Collection[object], message: str = ""
    ) -> bool:
        """Pass when ``observed`` is one of ``allowed``; the report keeps the variant."""
        allowed_text = tuple(str(item) for item in allowed)
        shown = str(observed)
        passed = observed in allowed
        text = message or (
            f"observed {shown!r}; permitted: {', '.join(repr(a) for a in allowed_text)}"
        )
        return self._finish(
            CheckRecord(self._clause(clause_id), passed, text, shown, allowed_text)
        )

    def fail(self, clause_id: str, message: str) -> bool:
        """Shorthand for a check that is known to have failed."""
        return self.check(clause_id, False, message)

    def record(self, exchange: Exchange) -> None:
        self.evidence.append(exchange)

    def note(self, text: str) -> None:
        self.evidence.append(Note(text))

    def unsupported(self, reason: str) -> NoReturn:
        raise CaseUnsupported(reason)

    def checked_clauses(self) -> Iterable[str]:
        return {record.clause.id for record in self.checks}
