"""Run cases against a target, without pytest.

:class:`Runner` first runs the binding's pre-flight, once (:meth:`Runner.preflight`:
a :class:`SetupError` there stops the run before any case, "could not test").
It then decides up front which cases are unsupported (a needed capability
declared absent with ``--without`` or found absent by the suite's binding),
runs the others one by one in a fresh :class:`CaseContext`, and turns each into
a :class:`CaseResult` via :func:`decide`. A :class:`SetupError` raised inside a
case (a refused login) stops the suite: that case and every later one end in
error as "not tested" without touching the target again. An exception that is
neither a target/transport error (``suite.target_errors``) nor a setup error is
a bug of the suite and its error reason says so. The pytest glue calls
:meth:`Runner.run_case` from each test; project tests call it directly.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Mapping
from typing import Generic

from nabat.conformance.framework.allowlist import AllowListError
from nabat.conformance.framework.config import RunConfig
from nabat.conformance.framework.context import (
    CaseContext,
    CaseStopped,
    CaseUnsupported,
)
from nabat.conformance.framework.outcome import Outcome, decide
from nabat.conformance.framework.results import CaseResult, SuiteRun
from nabat.conformance.framework.setup import SetupError
from nabat.conformance.framework.suite import Binding, Case, EnvT, Suite


class ConfigurationError(ValueError):
    """The run cannot start: bad capability names, allow-list ids, options."""


class Runner(Generic[EnvT]):
    def __init__(
        self, suite: Suite[EnvT], config: RunConfig, binding: Binding[EnvT] | None = None
    ) -> None:
        unknown = config.without - set(suite.capabilities)
        if unknown:
            known = ", ".join(sorted(suite.capabilities))
            raise ConfigurationError(
                f"unknown capabilities for --without: {', '.join(sorted(unknown))} "
                f"(suite {suite.name} knows: {known})"
            )
        bad_ids = config.allowlist.unknown_clauses(
            config.profile, f"{suite.registry.spec}-", (c.id for c in suite.registry)
        )
        if bad_ids:
            raise AllowListError(
                f"{config.allowlist.source}: unknown clause ids for profile "
                f"{config.profile!r}: {', '.join(bad_ids)}"
            )
        self.suite = suite
        self.config = config
        self.binding: Binding[EnvT] = binding or suite.binding_factory(config)
        self._absent: dict[str, str] | None = None
        self._ready = False
        self.run = SuiteRun(suite.name, suite.registry, config, source=suite)

    def preflight(self) -> None:
        """Run the binding's pre-flight once; raise :class:`SetupError` (every time)
        when it failed."""
        if self.run.setup_error is not None:
            raise SetupError(self.run.setup_error)
        if self._ready:
            return
        try:
            self.binding.preflight()
        except SetupError as exc:
            self.run.setup_error = str(exc)
            self.run.target = dict(self.binding.describe())
            raise
        self._ready = True

    def absent(self) -> Mapping[str, str]:
        if self._absent is None:
            absent = {cap: "declared absent (--without)" for cap in sorted(self.config.without)}
            for cap, why in self.binding.absent_capabilities().items():
                absent.setdefault(cap, why)
            self._absent = absent
            self.run.absent = dict(absent)
            self.run.target = dict(self.binding.describe())
        return self._absent

    def _not_tested(self, case: Case[EnvT], reason: str) -> CaseResult:
        result = CaseResult(case, Outcome.ERROR, f"not tested: {reason}")
        self.run.results.append(result)
        return result

    def run_case(self, case: Case[EnvT]) -> CaseResult:
        """Run one case (the pre-flight first, once): raises :class:`SetupError`
        when the pre-flight failed."""
        self.preflight()
        if self.run.stopped is not None:
            return self._not_tested(case, self.run.stopped)
        absent = self.absent()
        missing = sorted(cap for cap in case.needs if cap in absent)
        if missing:
            reason = "; ".join(f"needs {cap}: {absent[cap]}" for cap in missing)
            result = CaseResult(case, Outcome.UNSUPPORTED, reason)
            self.run.results.append(result)
            return result

        ctx = CaseContext(case.name, self.suite.registry, case.clause_ids)
        error: str | None = None
        details = ""
        unsupported: str | None = None
        started = time.perf_counter()
        try:
            with self.binding.open(ctx) as env:
                case.func(ctx, env)
        except CaseStopped:
            pass
        except CaseUnsupported as exc:
            unsupported = str(exc)
        except SetupError as exc:  # a refused login: stop, never retry per case
            self.run.stopped = str(exc)
            error = f"not tested: {exc}"
        except self.suite.target_errors as exc:  # the target misbehaved at transport level
            error = f"{type(exc).__name__}: {exc}"
            details = traceback.format_exc(limit=-6)
        except Exception as exc:  # a bug of the suite: never a pass, never unsupported
            error = (f"error in the suite's own code (not a finding about the target): "
                     f"{type(exc).__name__}: {exc}")
            details = traceback.format_exc(limit=-6)
        duration_ms = (time.perf_counter() - started) * 1000.0

        if unsupported is not None:
            result = CaseResult(
                case, Outcome.UNSUPPORTED, unsupported, ctx.checks, ctx.evidence, duration_ms
            )
        else:
            decision = decide(
                ctx.checks,
                error=error,
                profile=self.config.profile,
                allowlist=self.config.allowlist,
                today=self.config.today,
            )
            result = CaseResult(
                case, decision.outcome, decision.reason, ctx.checks, ctx.evidence,
                duration_ms, decision, details,
            )
        self.run.results.append(result)
        return result

    def run_all(self) -> SuiteRun:
        for case in self.suite.cases:
            self.run_case(case)
        return self.run

    def close(self) -> None:
        self.binding.close()
