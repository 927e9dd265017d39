"""A mutant: one small, plausible spec deviation written into a copy of the code.

A ``Mutant`` names the suite that must catch it, the level of the statement it
breaks (a MUST-level deviation must fail a default run; a SHOULD-level one only
a ``--strict`` run), the file (relative to the repository root) and one or more
exact text replacements. ``apply_to`` checks that each ``find`` text occurs
exactly ``count`` times, so a catalogue entry that no longer matches the code
fails loudly (tests/mutation/test_catalogue.py runs that check on every entry)
instead of silently testing the unmutated program.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Level = Literal["MUST", "SHOULD"]


class MutantError(ValueError):
    """A catalogue entry does not apply to the current code."""


@dataclass(frozen=True)
class Edit:
    find: str
    replace: str
    count: int = 1


@dataclass(frozen=True)
class Mutant:
    id: str
    suite: str  # the conformance suite that must catch it: "ats" or "server"
    level: Level
    description: str
    path: str  # relative to the repository root, e.g. "simulators/ats/service.py"
    edits: tuple[Edit, ...]
    statement: str = ""  # the clause id (or spec section) the deviation breaks

    @property
    def package(self) -> str:
        """The top folder that holds the file (system, simulators, ...)."""
        return self.path.split("/", 1)[0]

    def mutated_text(self, original: str) -> str:
        text = original
        for edit in self.edits:
            found = text.count(edit.find)
            if found != edit.count:
                raise MutantError(
                    f"mutant {self.id}: {edit.find!r} occurs {found} times in {self.path}, "
                    f"expected {edit.count}"
                )
            text = text.replace(edit.find, edit.replace)
        if text == original:
            raise MutantError(f"mutant {self.id} changes nothing in {self.path}")
        return text

    def apply_to(self, root: Path) -> None:
        """Rewrite ``root/<path>`` (a copy of the repository's folder) in place."""
        target = root / self.path
        target.write_text(self.mutated_text(target.read_text(encoding="utf-8")),
                          encoding="utf-8")


def mutant(
    id: str, suite: str, level: Level, description: str, path: str,
    find: str, replace: str, *, count: int = 1, statement: str = "",
) -> Mutant:
    """A mutant with one edit (the common case)."""
    return Mutant(id, suite, level, description, path, (Edit(find, replace, count),), statement)
