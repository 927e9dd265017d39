"""Run the Oktell suite, in process, against an Oktell simulator on a free loopback port."""

from __future__ import annotations

from typing import Any

from nabat.conformance.framework import RunConfig, Runner, SuiteRun
from nabat.conformance.oktell.binding import OktellBinding
from nabat.conformance.oktell.cases import SUITE


def run_config(
    target: str, timeout: float = 5.0, strict: bool = False, **options: Any
) -> RunConfig:
    return RunConfig(target=target, timeout=timeout, strict=strict, suite_options=options)


def run_suite(target: str, strict: bool = False, **options: Any) -> SuiteRun:
    config = run_config(target, strict=strict, **options)
    runner = Runner(SUITE, config, OktellBinding(config))
    try:
        return runner.run_all()
    finally:
        runner.close()
