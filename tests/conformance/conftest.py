"""Fixtures for the conformance suite's own tests: the ATS simulator pair (from
the project's pytest plugin, reset for each test) and helpers to run one case
against it through an optional mutating transport."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from nabat.conformance.ats.binding import AtsBinding
from nabat.conformance.ats.cases import SUITE
from nabat.conformance.framework import CaseResult, RunConfig, Runner
from nabat.conformance.framework.http.client import default_transport

from tests.conformance.mutating import Mutator, transport_factory

RunCase = Callable[..., CaseResult]


@pytest.fixture
def sim(ats_simulator: Any) -> Any:
    """The running simulator pair, reset to its start-up state."""
    return ats_simulator


@pytest.fixture
def run_case(sim: Any) -> RunCase:
    """Run one registered ATS case against the simulator, optionally mutated."""

    def run(name: str, *, mutate: Mutator | None = None, strict: bool = False,
            **config: Any) -> CaseResult:
        run_config = RunConfig(target=sim.url, reserve=sim.reserve_url, strict=strict, **config)
        factory: Callable[[str | None], httpx.BaseTransport] = (
            default_transport if mutate is None else transport_factory(mutate)
        )
        runner = Runner(SUITE, run_config, AtsBinding(run_config, transport_factory=factory))
        try:
            return runner.run_case(SUITE.get(name))
        finally:
            runner.close()

    return run
