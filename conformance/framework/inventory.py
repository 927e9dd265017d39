"""The statement inventory of a suite: which statements of its spec a case checks.

Every clause of a suite's registry is a statement of the spec (or of its
rulings). A statement is *checked* when at least one case of the suite declares
it; otherwise it must carry an ``Unchecked`` reason. ``inventory(suite)``
sorts them and lists the statements that are neither (``unaccounted``: the
project's own tests require that list to be empty, so a new statement cannot
be added silently unchecked). ``inventory_lines`` prints it for
``nabat conformance SUITE --inventory``; the reports carry the same counts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from nabat.conformance.framework.clauses import Clause, Level, UncheckedKind
from nabat.conformance.framework.suite import Suite


@dataclass(frozen=True)
class Inventory:
    statements: tuple[Clause, ...]
    checked: tuple[Clause, ...]
    unchecked: tuple[Clause, ...]  # each has a reason
    unaccounted: tuple[Clause, ...]  # neither checked nor explained: a bug of the suite

    @property
    def total(self) -> int:
        return len(self.statements)

    def headline(self) -> str:
        """``N of M statements checked`` with the unchecked ones counted by reason."""
        reasons = Counter(
            clause.unchecked.kind for clause in self.unchecked if clause.unchecked is not None
        )
        parts = [f"{reasons[kind]} {kind.value}" for kind in UncheckedKind if reasons[kind]]
        if self.unaccounted:
            parts.append(f"{len(self.unaccounted)} without a reason")
        tail = f" (unchecked: {', '.join(parts)})" if parts else ""
        return f"{len(self.checked)} of {self.total} statements checked{tail}"

    def by_level(self) -> dict[str, tuple[int, int]]:
        """Per level: (checked, total)."""
        checked = {clause.id for clause in self.checked}
        result: dict[str, tuple[int, int]] = {}
        for level in Level:
            mine = [c for c in self.statements if c.level is level]
            result[level.value] = (sum(c.id in checked for c in mine), len(mine))
        return result

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "checked": len(self.checked),
            "by_level": {
                level: {"checked": done, "total": total}
                for level, (done, total) in self.by_level().items()
            },
            "unchecked": [
                {
                    "id": clause.id,
                    "level": clause.level.value,
                    "section": clause.section,
                    "text": clause.text,
                    "reason": clause.unchecked.kind.value if clause.unchecked else "none given",
                    "why": clause.unchecked.why if clause.unchecked else "",
                }
                for clause in (*self.unchecked, *self.unaccounted)
            ],
        }


def inventory(suite: Suite[Any]) -> Inventory:
    declared = {clause_id for case in suite for clause_id in case.clause_ids}
    statements = tuple(suite.registry)
    return Inventory(
        statements=statements,
        checked=tuple(c for c in statements if c.id in declared),
        unchecked=tuple(c for c in statements if c.id not in declared and c.unchecked),
        unaccounted=tuple(
            c for c in statements if c.id not in declared and c.unchecked is None
        ),
    )


def inventory_lines(suite: Suite[Any]) -> list[str]:
    """The inventory as text: the headline, then every statement with its state."""
    found = inventory(suite)
    checked = {clause.id for clause in found.checked}
    lines = [f"{suite.registry.title}: {found.headline()}"]
    for level, (done, total) in found.by_level().items():
        lines.append(f"  {level}: {done} of {total} checked")
    for clause in found.statements:
        if clause.id in checked:
            state = "checked"
        elif clause.unchecked is not None:
            state = f"UNCHECKED ({clause.unchecked})"
        else:
            state = "UNCHECKED (no reason given: a bug of the suite)"
        lines.append(f"{clause.id} [{clause.level.value}, {clause.section}] {state}")
        lines.append(f"    {clause.text}")
    return lines
