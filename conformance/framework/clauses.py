"""Clause registry: the numbered requirements of one specification.

The registry is the suite's *statement inventory*: every checkable MUST /
SHOULD / MAY sentence of the spec and its rulings, whether or not a case checks
it. A statement no case checks carries an :class:`Unchecked` reason
(untestable from outside, needs a capability the suite does not have, not
yet) with a sentence saying why; :mod:`nabat.conformance.framework.inventory`
counts "N of M statements checked" and refuses a statement that is neither
checked nor explained.

A spec's clauses are declared once, in one registry, with a stable id such as
``ATS-CHECKCALL-404-UNREGISTERED``, a level (MUST, SHOULD or MAY, as RFC 2119
reads them), the section of the spec it comes from and a one-line text. Cases
name the clauses they check; :meth:`ClauseRegistry.get` raises
:class:`UnknownClauseError` for an id that is not declared, so a typo in a case
decorator fails at import time (a pytest collection error).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum

_ID_PATTERN = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")


class Level(Enum):
    """How binding a clause is: a broken MUST fails, a missed SHOULD is non-strict,
    a missing MAY is only recorded."""

    MUST = "MUST"
    SHOULD = "SHOULD"
    MAY = "MAY"


class UncheckedKind(Enum):
    """Why a statement of the spec has no case checking it."""

    UNTESTABLE = "untestable from outside"
    CAPABILITY = "needs a capability"
    NOT_YET = "not yet"


@dataclass(frozen=True)
class Unchecked:
    kind: UncheckedKind
    why: str

    def __str__(self) -> str:
        return f"{self.kind.value}: {self.why}"


def untestable(why: str) -> Unchecked:
    """The statement cannot be observed on the wire (internal state, operator policy)."""
    return Unchecked(UncheckedKind.UNTESTABLE, why)


def needs_capability(why: str) -> Unchecked:
    """Checking it needs something the suite cannot ask of a target (say which)."""
    return Unchecked(UncheckedKind.CAPABILITY, why)


def not_yet(why: str) -> Unchecked:
    """Checkable from the wire, but no case checks it yet."""
    return Unchecked(UncheckedKind.NOT_YET, why)


class UnknownClauseError(KeyError):
    """A clause id that the registry does not declare."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown clause"


@dataclass(frozen=True)
class Clause:
    id: str
    level: Level
    section: str
    text: str
    unchecked: Unchecked | None = None


class ClauseRegistry:
    """The clauses of one specification, in declaration order."""

    def __init__(self, spec: str, title: str) -> None:
        self.spec = spec
        self.title = title
        self._clauses: dict[str, Clause] = {}

    def add(
        self, clause_id: str, level: Level, section: str, text: str,
        unchecked: Unchecked | None = None,
    ) -> Clause:
        if not _ID_PATTERN.match(clause_id):
            raise ValueError(f"clause id {clause_id!r} must look like SPEC-PART-PART")
        if clause_id in self._clauses:
            raise ValueError(f"clause {clause_id} declared twice in {self.spec}")
        clause = Clause(clause_id, level, section, text, unchecked)
        self._clauses[clause_id] = clause
        return clause

    def must(
        self, clause_id: str, section: str, text: str, unchecked: Unchecked | None = None
    ) -> Clause:
        return self.add(clause_id, Level.MUST, section, text, unchecked)

    def should(
        self, clause_id: str, section: str, text: str, unchecked: Unchecked | None = None
    ) -> Clause:
        return self.add(clause_id, Level.SHOULD, section, text, unchecked)

    def may(
        self, clause_id: str, section: str, text: str, unchecked: Unchecked | None = None
    ) -> Clause:
        return self.add(clause_id, Level.MAY, section, text, unchecked)

    def get(self, clause_id: str) -> Clause:
        try:
            return self._clauses[clause_id]
        except KeyError:
            raise UnknownClauseError(
                f"unknown clause id {clause_id!r} for spec {self.spec}"
            ) from None

    def resolve(self, clause_ids: Iterable[str]) -> tuple[Clause, ...]:
        return tuple(self.get(clause_id) for clause_id in clause_ids)

    def __contains__(self, clause_id: object) -> bool:
        return clause_id in self._clauses

    def __iter__(self) -> Iterator[Clause]:
        return iter(self._clauses.values())

    def __len__(self) -> int:
        return len(self._clauses)
