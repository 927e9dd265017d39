"""Clause registry: the numbered requirements of one specification.

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


class ClauseRegistry:
    """The clauses of one specification, in declaration order."""

    def __init__(self, spec: str, title: str) -> None:
        self.spec = spec
        self.title = title
        self._clauses: dict[str, Clause] = {}

    def add(self, clause_id: str, level: Level, section: str, text: str) -> Clause:
        if not _ID_PATTERN.match(clause_id):
            raise ValueError(f"clause id {clause_id!r} must look like SPEC-PART-PART")
        if clause_id in self._clauses:
            raise ValueError(f"clause {clause_id} declared twice in {self.spec}")
        clause = Clause(clause_id, level, section, text)
        self._clauses[clause_id] = clause
        return clause

    def must(self, clause_id: str, section: str, text: str) -> Clause:
        return self.add(clause_id, Level.MUST, section, text)

    def should(self, clause_id: str, section: str, text: str) -> Clause:
        return self.add(clause_id, Level.SHOULD, section, text)

    def may(self, clause_id: str, section: str, text: str) -> Clause:
        return self.add(clause_id, Level.MAY, section, text)

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
