"""Fixtures: one Nabat server per test module (background thread), and a
runner of single server-suite cases against it or against a mutating proxy."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from nabat.conformance.framework import CaseResult, RunConfig, Runner, SuiteRun
from nabat.conformance.server.binding import ServerBinding
from nabat.conformance.server.cases import SUITE

from tests.conformance_server.server_thread import ADMIN, ADMIN_PASSWORD, ServerThread


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerThread]:
    running = ServerThread(tmp_path_factory.mktemp("nabat-data"))
    yield running
    running.stop()


def suite_config(target: str, cafile: Path, strict: bool = False, **extra: str) -> RunConfig:
    options = {"login": ADMIN, "password": ADMIN_PASSWORD, "ca": str(cafile), **extra}
    return RunConfig(target=target, strict=strict, timeout=3.0, suite_options=options)


@dataclass
class Ran:
    binding: ServerBinding
    run: SuiteRun
    results: list[CaseResult]


def run_cases(config: RunConfig, names: list[str] | None = None) -> Ran:
    """Run the named cases (default: all) with the pytest-free runner, then sweep."""
    binding = ServerBinding(config)
    runner = Runner(SUITE, config, binding)
    try:
        cases = SUITE.cases if names is None else [SUITE.get(name) for name in names]
        results = [runner.run_case(case) for case in cases]
    finally:
        runner.close()
    return Ran(binding, runner.run, results)
