"""Generic conformance framework: clauses, cases, outcomes, evidence, reports.

A suite declares a :class:`ClauseRegistry`, a :class:`Suite` with its
capabilities and a binding factory, and cases decorated with
``@suite.case(clause ids..., needs={...})``. :class:`Runner` runs cases without
pytest; ``nabat.conformance.framework.pytest_plugin`` maps the same runs onto pytest.
Protocol adapters live in sub-packages (``nabat.conformance.framework.http``).
"""

from nabat.conformance.framework.allowlist import (
    Allowance,
    AllowList,
    AllowListError,
    load_allowlist,
    parse_allowlist,
)
from nabat.conformance.framework.clauses import Clause, ClauseRegistry, Level, UnknownClauseError
from nabat.conformance.framework.config import RunConfig
from nabat.conformance.framework.context import (
    CaseContext,
    CaseStopped,
    CaseUnsupported,
    CheckRecord,
    UndeclaredClauseError,
)
from nabat.conformance.framework.evidence import Exchange, Note
from nabat.conformance.framework.options import COMMON_OPTIONS, OptionSpec
from nabat.conformance.framework.outcome import Decision, Outcome, decide
from nabat.conformance.framework.results import CaseResult, Coverage, SuiteRun, exit_code
from nabat.conformance.framework.runner import ConfigurationError, Runner
from nabat.conformance.framework.suite import Binding, Case, Suite

__all__ = [
    "COMMON_OPTIONS",
    "AllowList",
    "AllowListError",
    "Allowance",
    "Binding",
    "Case",
    "CaseContext",
    "CaseResult",
    "CaseStopped",
    "CaseUnsupported",
    "CheckRecord",
    "Clause",
    "ClauseRegistry",
    "ConfigurationError",
    "Coverage",
    "Decision",
    "Exchange",
    "Level",
    "Note",
    "OptionSpec",
    "Outcome",
    "RunConfig",
    "Runner",
    "Suite",
    "SuiteRun",
    "UndeclaredClauseError",
    "UnknownClauseError",
    "decide",
    "exit_code",
    "load_allowlist",
    "parse_allowlist",
]
