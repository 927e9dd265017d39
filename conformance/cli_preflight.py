"""``nabat conformance``'s pre-flight, run before pytest starts.

The suite's runner is built from the command's parsed options and its binding's
pre-flight runs (connect, TLS handshake, one login or one request). A setup
mistake ends the command with ONE line on stderr and exit code 3 (a
configuration mistake: 2); the reports the command was asked for are still
written, saying why nothing was tested. Otherwise the ready runner is handed to
the pytest session (:class:`AdoptRunner`), which reuses it: the target sees one
pre-flight and one login, as under plain pytest.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

import pytest
from nabat.conformance.framework.allowlist import AllowList, AllowListError, load_allowlist
from nabat.conformance.framework.pytest_plugin import run_config_from, session_for, write_reports
from nabat.conformance.framework.runner import ConfigurationError, Runner
from nabat.conformance.framework.setup import EXIT_NOT_TESTED, EXIT_USAGE, SetupError
from nabat.conformance.suites import SUITES


class AdoptRunner:
    """A pytest plugin object: the session runs its cases on the pre-flighted runner."""

    def __init__(self, runner: Runner[Any]) -> None:
        self.runner = runner

    @pytest.hookimpl(trylast=True)  # after the conformance plugin has made its session
    def pytest_configure(self, config: pytest.Config) -> None:
        session_for(config).adopt(self.runner)


def preflight(suite_name: str, options: Mapping[str, Any]) -> Runner[Any] | int:
    """The suite's runner with its pre-flight passed, or the exit code after one line."""
    suite = SUITES[suite_name].suite()

    def option(dest: str) -> Any:
        return options.get(dest)

    try:
        allow = option("allow")
        allowlist = load_allowlist(allow) if allow else AllowList()
        runner: Runner[Any] = Runner(suite, run_config_from(suite, option, allowlist))
    except (ConfigurationError, AllowListError, ValueError) as exc:
        print(f"nabat conformance {suite_name}: usage: {exc}", file=sys.stderr, flush=True)
        return EXIT_USAGE
    try:
        runner.preflight()
    except SetupError as exc:
        print(f"nabat conformance {suite_name}: could not test: {exc}", file=sys.stderr,
              flush=True)
        runner.close()
        write_reports(option, [runner.run])
        return EXIT_NOT_TESTED
    return runner
