"""pytest face of the Oktell suite: one test per registered case, run against --target
through the session's runner (see conformance/plugin.py)."""

from __future__ import annotations

from typing import Any

import pytest
from nabat.conformance.framework.pytest_plugin import ConformanceSession
from nabat.conformance.framework.suite import Case
from nabat.conformance.oktell.cases import SUITE


@pytest.mark.parametrize("case", SUITE.cases, ids=[case.name for case in SUITE.cases])
def test_oktell(
    case: Case[Any], conformance_session: ConformanceSession, request: pytest.FixtureRequest
) -> None:
    conformance_session.run(SUITE, case, request.node)
