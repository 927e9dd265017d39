"""The FTP platform simulator for the FTP suite's own tests, and run configurations.

``platform()`` runs the simulator in a background thread on free ports (its
default ``guest`` / ``guest`` account, sender TESTSMS, the default world);
``run_config`` builds the suite's RunConfig against it; ``run_suite`` and
``run_case`` run the suite (or one case) through the framework's Runner.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from nabat.conformance.framework import CaseResult, RunConfig, Runner, SuiteRun
from nabat.conformance.ftp_platform.binding import FtpBinding
from nabat.conformance.ftp_platform.cases import SUITE
from nabat.simulators.ftp_platform.app import FtpPlatformConfig
from nabat.simulators.ftp_platform.runner import BackgroundFtpPlatform

LOGIN, PASSWORD = "guest", "guest"


@contextmanager
def platform() -> Iterator[BackgroundFtpPlatform]:
    with BackgroundFtpPlatform(FtpPlatformConfig(port=0, control_port=0)) as sim:
        yield sim


def run_config(
    sim: BackgroundFtpPlatform,
    *,
    tls: bool = False,
    control: bool = True,
    strict: bool = True,
    **options: Any,
) -> RunConfig:
    values: dict[str, Any] = {"login": LOGIN, "password": PASSWORD, **options}
    if control:
        values["sim_control"] = sim.control_url
    if tls:
        values["tls"] = True
        values.setdefault("ca", sim.endpoints["ca_file"])
    return RunConfig(
        target=f"{sim.host}:{sim.port}", strict=strict, timeout=5.0, suite_options=values
    )


def run_suite(config: RunConfig) -> SuiteRun:
    runner = Runner(SUITE, config, FtpBinding(config))
    try:
        return runner.run_all()
    finally:
        runner.close()


def run_case(config: RunConfig, name: str) -> CaseResult:
    runner = Runner(SUITE, config, FtpBinding(config))
    try:
        return runner.run_case(SUITE.get(name))
    finally:
        runner.close()
