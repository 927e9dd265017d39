"""pytest glue: conformance cases as pytest tests, reports at session end.

``nabat.conformance.plugin`` (conformance/plugin.py) forwards pytest's hooks here. Options are
registered from :class:`OptionSpec` lists; ``--strict`` is pytest's own flag
(pytest >= 8 defines it) and doubles as the suite's strict mode. A suite's
test module parametrizes one test over its cases and calls
:meth:`ConformanceSession.run`, which runs the case with the pytest-free
:class:`Runner` and maps the outcome: pass -> passed, fail / error /
unexpected-pass -> failed, non-strict -> passed (failed with --strict),
unsupported -> skipped, known-deviation -> xfailed. At session end the JSON,
JUnit and HTML reports are written and the exit status is set from the
runs (``results.exit_code``): 0 conforms, 1 does not conform, 3 could not
test. The first case of a suite runs the binding's pre-flight: when it fails
the session stops there with one line and exit status 3 (no case runs, no
traceback). Configuration mistakes stop it with exit status 2. ``nabat
conformance`` runs the pre-flight before pytest starts (conformance/cli_preflight.py)
and hands the ready runner over (:meth:`ConformanceSession.adopt`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from nabat.conformance.framework.allowlist import AllowList, AllowListError, load_allowlist
from nabat.conformance.framework.config import RunConfig
from nabat.conformance.framework.options import COMMON_OPTIONS, OptionSpec
from nabat.conformance.framework.outcome import Outcome
from nabat.conformance.framework.reports import summary_lines, write_html, write_json, write_junit
from nabat.conformance.framework.reports.text_summary import case_text
from nabat.conformance.framework.results import CaseResult, SuiteRun, exit_code, not_tested
from nabat.conformance.framework.runner import ConfigurationError, Runner
from nabat.conformance.framework.setup import EXIT_NOT_TESTED, EXIT_USAGE, SetupError
from nabat.conformance.framework.suite import Case, Suite

_SESSION_KEY = pytest.StashKey["ConformanceSession"]()


def add_options(parser: pytest.Parser, suite_options: Sequence[OptionSpec]) -> None:
    group = parser.getgroup("conformance", "conformance suites (nabat)")
    for spec in (*COMMON_OPTIONS, *suite_options):
        group.addoption(*spec.flags, **spec.argparse_kwargs())


class ConformanceSession:
    """The runners of one pytest session, one per suite, created on first use."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.runners: dict[str, Runner[Any]] = {}
        self._allowlist: AllowList | None = None
        self.written: list[str] = []

    def option(self, dest: str) -> Any:
        return self.config.getoption(dest, default=None)

    def allowlist(self) -> AllowList:
        if self._allowlist is None:
            path = self.option("allow")
            self._allowlist = load_allowlist(path) if path else AllowList()
        return self._allowlist

    def run_config(self, suite: Suite[Any]) -> RunConfig:
        return run_config_from(suite, self.option, self.allowlist())

    def adopt(self, runner: Runner[Any]) -> None:
        """Use a runner whose pre-flight already ran (``nabat conformance`` runs it
        before pytest starts, so a setup mistake is one line, not a session)."""
        self.runners[runner.suite.name] = runner

    def runner(self, suite: Suite[Any]) -> Runner[Any]:
        if suite.name not in self.runners:
            try:
                self.runners[suite.name] = Runner(suite, self.run_config(suite))
            except (ConfigurationError, AllowListError, ValueError) as exc:
                pytest.exit(f"conformance {suite.name}: usage: {exc}", returncode=EXIT_USAGE)
        runner = self.runners[suite.name]
        try:
            runner.preflight()
        except SetupError as exc:
            pytest.exit(f"conformance {suite.name}: could not test: {exc}",
                        returncode=EXIT_NOT_TESTED)
        return runner

    def run(self, suite: Suite[Any], case: Case[Any], item: pytest.Item | None = None) -> None:
        runner = self.runner(suite)
        result = runner.run_case(case)
        if item is not None and result.evidence:
            item.add_report_section("call", "conformance evidence", case_text(result))
        raise_outcome(result, runner.config.strict)

    def runs(self) -> list[SuiteRun]:
        return [runner.run for runner in self.runners.values()]

    def close(self) -> None:
        for runner in self.runners.values():
            runner.close()


def run_config_from(suite: Suite[Any], option: Callable[[str], Any],
                    allowlist: AllowList) -> RunConfig:
    """A run's configuration from the options (by dest), however they were parsed."""
    target = option("target")
    if not target:
        raise ConfigurationError("--target URL is required")
    return RunConfig(
        target=str(target),
        reserve=option("reserve") or None,
        strict=bool(option("strict")),
        profile=str(option("profile") or "default"),
        without=frozenset(option("without") or ()),
        allowlist=allowlist,
        timeout=float(option("target_timeout") or 10),
        suite_options={spec.dest: option(spec.dest) for spec in suite.options},
    )


def _short(result: CaseResult) -> str:
    lines = [f"{result.outcome.value}: {result.reason}"]
    lines += [
        f"  [MISS] {r.clause.level.value} {r.clause.id}: {r.message}"
        for r in result.checks
        if not r.passed
    ]
    lines += [f"  $ {e.reproduce()}" for e in result.evidence if e.reproduce()]
    return "\n".join(lines)


def raise_outcome(result: CaseResult, strict: bool) -> None:
    """Translate a case result into pytest's vocabulary."""
    outcome = result.outcome
    if outcome is Outcome.UNSUPPORTED:
        pytest.skip(f"unsupported: {result.reason}")
    if outcome is Outcome.KNOWN_DEVIATION:
        pytest.xfail(f"known deviation: {result.reason}")
    if outcome.is_failure(strict):
        pytest.fail(_short(result), pytrace=False)


def configure(config: pytest.Config) -> None:
    config.stash[_SESSION_KEY] = ConformanceSession(config)


def session_for(config: pytest.Config) -> ConformanceSession:
    return config.stash[_SESSION_KEY]


def session_start(session: pytest.Session) -> None:
    if not session.config.getoption("target", default=None):
        pytest.exit("conformance: usage: --target is required (the implementation under test)",
                    returncode=EXIT_USAGE)
    path = session.config.getoption("allow", default=None)
    if path:
        try:
            session_for(session.config).allowlist()
        except AllowListError as exc:
            pytest.exit(f"conformance: usage: {exc}", returncode=EXIT_USAGE)


def write_reports(option: Callable[[str], Any], runs: Sequence[SuiteRun]) -> list[str]:
    """Write the JSON, JUnit and HTML reports the options ask for; their names."""
    written: list[str] = []
    for dest, writer in (("json", write_json), ("junit", write_junit), ("html", write_html)):
        path = option(dest)
        if path:
            writer(runs, path)
            written.append(f"{dest}: {path}")
    return written


def session_finish(session: pytest.Session) -> None:
    state = session.config.stash.get(_SESSION_KEY, None)
    if state is None:
        return
    runs = state.runs()
    state.close()
    state.written = write_reports(state.option, runs)
    if session.exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED) and runs:
        session.exitstatus = exit_code(runs)
    elif session.exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = EXIT_NOT_TESTED  # every case deselected: nothing was tested


def terminal_summary(reporter: Any, config: pytest.Config) -> None:
    state = config.stash.get(_SESSION_KEY, None)
    if state is None or not state.runs():
        return
    reporter.section("conformance")
    for line in summary_lines(state.runs()):
        reporter.write_line(line)
    for run in state.runs():
        why = not_tested(run)
        if why is not None:
            reporter.write_line(f"conformance {run.suite}: NOT TESTED (exit code "
                                f"{EXIT_NOT_TESTED}): {why}")
    for line in state.written:
        reporter.write_line(f"report written: {line}")
