"""The ATS mutation catalogue stays honest about levels: every deviation names a
statement of the ATS inventory, that statement is one the suite checks (a
deviation of an unchecked statement could never be killed), and the deviation's
level is the statement's (a SHOULD-level deviation must not pad the default
MUST-level rate, nor a MUST one hide among the strict-only ones)."""

from __future__ import annotations

import pytest
from nabat.conformance.ats.cases import SUITE

from tests.mutation.catalogue_ats import ATS
from tests.mutation.mutant import Mutant


@pytest.mark.parametrize("entry", ATS, ids=[m.id for m in ATS])
def test_deviation_breaks_a_checked_statement_of_its_level(entry: Mutant) -> None:
    assert entry.suite == "ats"
    clause = SUITE.registry.get(entry.statement)
    assert clause.unchecked is None, f"{entry.id}: {clause.id} is not checked by any case"
    assert any(clause in case.clauses for case in SUITE), clause.id
    assert clause.level.value == entry.level, (entry.id, clause.id, clause.level)


def test_the_catalogue_is_large_and_mixed() -> None:
    should = [m for m in ATS if m.level == "SHOULD"]
    assert len(ATS) >= 40
    assert 0.2 <= len(should) / len(ATS) <= 0.4
