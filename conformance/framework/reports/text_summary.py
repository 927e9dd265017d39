"""Plain-text renderings shared by the terminal summary and the JUnit report:
a case's checks and evidence as text, and a few summary lines for a run."""

from __future__ import annotations

from collections.abc import Sequence

from nabat.conformance.framework.results import CaseResult, SuiteRun, verdict

NEVER_SHOWN = 20


def case_text(result: CaseResult) -> str:
    lines = [
        f"case: {result.name}",
        f"outcome: {result.outcome.value}" + (f" - {result.reason}" if result.reason else ""),
        "clauses: " + ", ".join(clause.id for clause in result.case.clauses),
    ]
    if result.case.doc:
        lines.append(f"about: {result.case.doc}")
    if result.checks:
        lines.append("checks:")
        for record in result.checks:
            mark = "ok  " if record.passed else "MISS"
            lines.append(
                f"  [{mark}] {record.clause.level.value:<6} {record.clause.id}: {record.message}"
            )
    if result.details:
        lines += ["details:", result.details.rstrip()]
    if result.evidence:
        lines.append("evidence:")
        for exchange in result.evidence:
            lines.append("")
            lines.append(exchange.render_text())
    return "\n".join(lines)


def summary_lines(runs: Sequence[SuiteRun]) -> list[str]:
    lines: list[str] = []
    for run in runs:
        coverage = run.coverage()
        counts = run.counts()
        shown = ", ".join(f"{counts[key]} {key}" for key in sorted(counts)) or "no cases run"
        word = verdict([run]).upper()
        lines.append(f"conformance {run.suite}: {word} ({shown})")
        never = [clause.id for clause in coverage.never_exercised]
        shown_never = ", ".join(never[:NEVER_SHOWN])
        if len(never) > NEVER_SHOWN:
            shown_never += f" and {len(never) - NEVER_SHOWN} more (see the reports)"
        lines.append(
            f"  clauses: {len(coverage.exercised)} of {coverage.total} exercised"
            + (f"; never exercised: {shown_never}" if never else "")
        )
        if run.inventory is not None:
            lines.append(f"  statements: {run.inventory.headline()}"
                         + (" (listed in the reports and by --inventory)"
                            if run.inventory.unchecked or run.inventory.unaccounted else ""))
        for result in run.failures():
            lines.append(f"  {result.outcome.value}: {result.name}: {result.reason}")
        allowances = run.allowances()
        for entry in allowances["unused"]:
            lines.append(f"  allow-list entry not used: {entry.clause_id} ({entry.reason})")
    return lines
