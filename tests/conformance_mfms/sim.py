"""Run the MFMS suite, in process, against an MFMS simulator on free loopback ports."""

from __future__ import annotations

from typing import Any

from nabat.conformance.framework import RunConfig, Runner, SuiteRun
from nabat.conformance.mfms.binding import MfmsBinding
from nabat.conformance.mfms.cases import SUITE
from nabat.simulators.mfms.fixture import MfmsSimulatorHandle

LOGIN, PASSWORD = "CLIENT", "P@ssw0rd"


def base_url(sim: MfmsSimulatorHandle, tls: bool = False) -> str:
    return (sim.tls_url if tls else sim.url) + "/CLIENT/connectorX"


def run_config(target: str, timeout: float = 5.0, **options: Any) -> RunConfig:
    values: dict[str, Any] = {"login": LOGIN, "password": PASSWORD}
    values.update(options)
    return RunConfig(target=target, timeout=timeout, suite_options=values)


def run_suite(target: str, strict: bool = False, **options: Any) -> SuiteRun:
    config = run_config(target, **options)
    if strict:
        config = RunConfig(
            target=config.target,
            timeout=config.timeout,
            strict=True,
            suite_options=config.suite_options,
        )
    runner = Runner(SUITE, config, MfmsBinding(config))
    try:
        return runner.run_all()
    finally:
        runner.close()
