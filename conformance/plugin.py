"""The conformance suites' pytest plugin: registers the options of the
framework and of every shipped suite, and forwards the session hooks to
``nabat.conformance.framework.pytest_plugin``.

Loaded three ways, always under this one name (so never twice):
``nabat conformance`` passes ``-p nabat.conformance.plugin``; plain pytest on
an installed package is ``pytest -p nabat.conformance.plugin --pyargs
nabat.conformance.ats --target URL`` (options must come from a plugin there:
pytest registers options only from plugins and the conftest files it sees at
start-up); and ``conformance/conftest.py`` imports it for ``pytest
conformance/ats`` in a checkout.
"""

from __future__ import annotations

from typing import Any

import pytest
from nabat.conformance.framework import pytest_plugin as glue
from nabat.conformance.suites import all_suite_options

NAME = "nabat.conformance.plugin"


def pytest_addoption(parser: pytest.Parser) -> None:
    glue.add_options(parser, all_suite_options())


def pytest_configure(config: pytest.Config) -> None:
    glue.configure(config)


def pytest_sessionstart(session: pytest.Session) -> None:
    glue.session_start(session)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    glue.session_finish(session)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    glue.terminal_summary(terminalreporter, config)


@pytest.fixture(scope="session")
def conformance_session(pytestconfig: pytest.Config) -> glue.ConformanceSession:
    """The session's conformance runners (one per suite)."""
    return glue.session_for(pytestconfig)
