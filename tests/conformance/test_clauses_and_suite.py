"""Clause registry and case registration: unknown ids fail at import time."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from nabat.conformance.ats.cases import SUITE
from nabat.conformance.framework import CaseContext, Level, UnknownClauseError

from tests.conformance.toy import toy_registry, toy_suite


def test_registry_knows_its_clauses() -> None:
    registry = toy_registry()
    assert registry.get("TOY-MUST-ONE").level is Level.MUST
    assert "TOY-SHOULD-ONE" in registry
    assert [c.id for c in registry][:2] == ["TOY-MUST-ONE", "TOY-SHOULD-ONE"]


def test_unknown_clause_id_raises() -> None:
    with pytest.raises(UnknownClauseError, match="TOY-NOPE"):
        toy_registry().get("TOY-NOPE")


@pytest.mark.parametrize("bad", ["toy-lower", "TOY", "TOY--X", "TOY-X "])
def test_malformed_clause_ids_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        toy_registry().must(bad, "§", "text")


def test_duplicate_clause_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        toy_registry().must("TOY-MUST-ONE", "§", "again")


def test_case_decorator_rejects_unknown_clause_and_capability() -> None:
    suite = toy_suite()
    with pytest.raises(UnknownClauseError):
        suite.case("TOY-MUST-ONE", "TOY-TYPO")
    with pytest.raises(ValueError, match="unknown capabilities"):
        suite.case("TOY-MUST-ONE", needs={"teleport"})
    with pytest.raises(ValueError, match="at least one"):
        suite.case()


def test_case_names_are_unique() -> None:
    suite = toy_suite()

    def twin(ctx: CaseContext, env: Any) -> None:
        ctx.check("TOY-MUST-ONE", True, "ok")

    suite.case("TOY-MUST-ONE")(twin)
    with pytest.raises(ValueError, match="twice"):
        suite.case("TOY-MUST-ONE")(twin)


def test_ats_cases_declare_only_registered_clauses() -> None:
    for case in SUITE:
        assert case.clauses, case.name
        assert all(clause.id in SUITE.registry for clause in case.clauses)
        assert case.doc, f"{case.name} has no docstring"


def test_unknown_clause_in_a_suite_module_is_a_collection_error(tmp_path: Path) -> None:
    module = tmp_path / "test_bad_suite.py"
    module.write_text(textwrap.dedent("""
        from nabat.conformance.ats.suite import SUITE

        @SUITE.case("ATS-NO-SUCH-CLAUSE")
        def bad(ctx, env):
            pass

        def test_nothing():
            pass
    """))
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:nabat",
         "--rootdir", str(tmp_path), str(module)],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )
    assert done.returncode == pytest.ExitCode.INTERRUPTED, done.stdout + done.stderr
    assert "UnknownClauseError" in done.stdout
    assert "ATS-NO-SUCH-CLAUSE" in done.stdout


def test_a_case_may_not_check_a_statement_inventoried_as_unchecked() -> None:
    suite = toy_suite()
    with pytest.raises(ValueError, match="inventoried as unchecked"):
        suite.case("TOY-UNCHECKED")


def test_inventory_headline_counts_reasons_and_unaccounted() -> None:
    from nabat.conformance.framework.inventory import inventory, inventory_lines

    suite = toy_suite()

    @suite.case("TOY-MUST-ONE")
    def one(ctx: Any, env: Any) -> None:
        """One."""

    found = inventory(suite)
    assert found.headline() == (
        "1 of 5 statements checked (unchecked: 1 untestable from outside, 3 without a reason)")
    lines = inventory_lines(suite)
    assert "TOY-UNCHECKED [MAY, §5] UNCHECKED (untestable from outside: it is internal state)" \
        in lines
    assert "TOY-NEVER [MUST, §4] UNCHECKED (no reason given: a bug of the suite)" in lines


@pytest.mark.parametrize("name", ["ats", "server"])
def test_every_statement_of_a_shipped_suite_is_checked_or_explained(name: str) -> None:
    from nabat.conformance.framework.inventory import inventory
    from nabat.conformance.suites import SUITES

    found = inventory(SUITES[name].suite())
    assert [c.id for c in found.unaccounted] == []
    assert all(c.unchecked is not None and c.unchecked.why for c in found.unchecked)
