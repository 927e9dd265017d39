"""Every catalogue entry applies to the current code (its texts occur as often as it
says), ids are unique, and the machinery kills a mutant end to end."""

from __future__ import annotations

from pathlib import Path

import pytest
from nabat.simulators.processes import ChildProcesses

from tests.mutation.campaign import KILLED, ROOT, SURVIVED, run_one
from tests.mutation.catalogue import CATALOGUE
from tests.mutation.mutant import Mutant, MutantError, mutant
from tests.mutation.targets import STARTERS


@pytest.mark.parametrize("entry", CATALOGUE, ids=[m.id for m in CATALOGUE])
def test_entry_applies_to_the_current_code(entry: Mutant) -> None:
    original = (ROOT / entry.path).read_text(encoding="utf-8")
    assert entry.mutated_text(original) != original
    assert entry.suite in STARTERS and entry.level in {"MUST", "SHOULD"}
    assert entry.package in {"system", "simulators"}


def test_ids_are_unique() -> None:
    ids = [m.id for m in CATALOGUE]
    assert len(ids) == len(set(ids))


def test_an_entry_that_no_longer_matches_fails_loudly(tmp_path: Path) -> None:
    stale = mutant("STALE", "ats", "MUST", "gone", "simulators/ats/app.py",
                   "text that is not there", "x")
    with pytest.raises(MutantError, match="occurs 0 times"):
        stale.mutated_text((ROOT / stale.path).read_text(encoding="utf-8"))


@pytest.mark.slow
def test_the_campaign_kills_a_mutant_and_the_original_survives() -> None:
    window = next(m for m in CATALOGUE if m.id == "ATS-WINDOW-600")
    with ChildProcesses() as children:
        original = run_one(children, "ats", None, strict=False)
        mutated = run_one(children, "ats", window, strict=False)
    assert original.verdict == SURVIVED, original.detail
    assert mutated.verdict == KILLED, mutated.detail
