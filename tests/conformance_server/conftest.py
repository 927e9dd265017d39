"""Fixtures: one Nabat server per test module (the pytest plugin's
``start_nabat_server``: a background thread, a known admin login, and the
deterministic ``ToneSynthesiser`` instead of whatever the machine has), a
runner of single server-suite cases against it or against a mutating proxy,
and ``leftovers`` (what a run left in the server's store)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from nabat.conformance.framework import CaseResult, RunConfig, Runner, SuiteRun
from nabat.conformance.server.binding import ServerBinding
from nabat.conformance.server.cases import SUITE
from nabat.simulators.server_fixture import (
    ADMIN_LOGIN as ADMIN,
)
from nabat.simulators.server_fixture import (
    ADMIN_PASSWORD,
    NabatServerHandle,
    start_nabat_server,
)

from tests.conformance_server.synthesiser import ToneSynthesiser

__all__ = ["ADMIN", "ADMIN_PASSWORD", "leftovers", "run_cases", "server", "suite_config"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NabatServerHandle]:
    running = start_nabat_server(tmp_path_factory.mktemp("nabat-data"),
                                 synthesiser=ToneSynthesiser())  # fmt: skip
    yield running
    running.stop()


def leftovers(server: NabatServerHandle, prefix: str) -> list[str]:
    """Everything in the server's store whose name (or login) starts with ``prefix``."""
    store = server.store
    named = [
        *(f"task {t.name}" for t in store.tasks.summaries()),
        *(f"group {g.name}" for g in store.groups.all()),
        *(f"list {d.name}" for d in store.lists.all()),
        *(f"abonent {a.name}" for a in store.abonents.iter()),
        *(f"message {m.name}" for m in store.messages.all()),
        *(f"user {u.login}" for u in store.users.all()),
    ]
    return [item for item in named if item.split(" ", 1)[1].startswith(prefix)]


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
