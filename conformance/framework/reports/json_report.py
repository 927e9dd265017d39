"""The JSON report: the whole run as one document (schema ``nabat-conformance/1``).

Top level: tool, schema, generated, verdict, exit_code, strict, profile,
totals and ``suites``; each suite has its target description, absent
capabilities, coverage, every clause with how often it was checked, the
allow-list use, and every case with checks, variants and evidence (each
exchange's own dict, which for HTTP includes the curl line).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nabat.conformance.framework.allowlist import Allowance
from nabat.conformance.framework.reports.files import write_report
from nabat.conformance.framework.results import CaseResult, SuiteRun, exit_code, verdict

SCHEMA = "nabat-conformance/1"


def _allowance(entry: Allowance) -> dict[str, Any]:
    return {
        "clause": entry.clause_id,
        "profile": entry.profile,
        "reason": entry.reason,
        "expires": entry.expires.isoformat(),
    }


def case_dict(result: CaseResult) -> dict[str, Any]:
    return {
        "name": result.name,
        "doc": result.case.doc,
        "clauses": [clause.id for clause in result.case.clauses],
        "needs": sorted(result.case.needs),
        "outcome": result.outcome.value,
        "reason": result.reason,
        "details": result.details,
        "duration_ms": round(result.duration_ms, 3),
        "checks": [record.to_dict() for record in result.checks],
        "variants": [
            {"clause": r.clause.id, "observed": r.observed, "allowed": list(r.allowed or ())}
            for r in result.variants()
        ],
        "evidence": [exchange.to_dict() for exchange in result.evidence],
    }


def suite_dict(run: SuiteRun) -> dict[str, Any]:
    coverage = run.coverage()
    checked: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    for result in run.results:
        for record in result.checks:
            checked[record.clause.id] += 1
            if not record.passed:
                failed[record.clause.id] += 1
    exercised = {clause.id for clause in coverage.exercised}
    return {
        "name": run.suite,
        "spec": run.registry.spec,
        "title": run.registry.title,
        "started": run.started.isoformat(),
        "target": dict(run.target),
        "absent_capabilities": dict(run.absent),
        "passed": run.passed,
        "totals": dict(run.counts()),
        "coverage": {
            "exercised": len(coverage.exercised),
            "total": coverage.total,
            "never_exercised": [clause.id for clause in coverage.never_exercised],
        },
        "inventory": run.inventory.as_dict() if run.inventory is not None else None,
        "clauses": [
            {
                "id": clause.id,
                "level": clause.level.value,
                "section": clause.section,
                "text": clause.text,
                "exercised": clause.id in exercised,
                "unchecked": str(clause.unchecked) if clause.unchecked else None,
                "checks": checked[clause.id],
                "failed_checks": failed[clause.id],
            }
            for clause in run.registry
        ],
        "allowances": {
            key: [_allowance(a) for a in entries] for key, entries in run.allowances().items()
        },
        "cases": [case_dict(result) for result in run.results],
    }


def report_dict(runs: Sequence[SuiteRun]) -> dict[str, Any]:
    totals: Counter[str] = Counter()
    for run in runs:
        totals.update(run.counts())
    config = runs[0].config if runs else None
    code = exit_code(runs)
    return {
        "tool": "nabat conformance",
        "schema": SCHEMA,
        "generated": dt.datetime.now(dt.UTC).isoformat(),
        "verdict": verdict(runs),  # pass / fail / not tested
        "exit_code": code,
        "strict": bool(config and config.strict),
        "profile": config.profile if config else "default",
        "totals": dict(totals),
        "suites": [suite_dict(run) for run in runs],
    }


def write_json(runs: Sequence[SuiteRun], path: str | Path) -> None:
    text = json.dumps(report_dict(runs), indent=2, ensure_ascii=False) + "\n"
    write_report(path, text.encode("utf-8"))
