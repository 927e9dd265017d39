"""Helpers for the GSM suite's own tests: run the suite, or one case, against a
simulated modem, through an optional mutating line armed after the pre-flight."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nabat.conformance.framework import CaseResult, Runner, SuiteRun
from nabat.conformance.gsm_modem.binding import GsmBinding
from nabat.conformance.gsm_modem.cases import SUITE

from tests.conformance_gsm.mutating import Mutation, Opener
from tests.conformance_gsm.sim import Simulator, run_config

RunCase = Callable[..., CaseResult]


def run_suite(sim: Simulator, target: str | None = None, **options: Any) -> SuiteRun:
    """The whole suite against ``sim`` (its in-process URL unless ``target`` names its
    pseudo-terminal; keyword arguments go to run_config)."""
    config = run_config(target or sim.url, control=sim.control_url, **options)
    runner = Runner(SUITE, config, GsmBinding(config))
    try:
        return runner.run_all()
    finally:
        runner.close()


def run_case(sim: Simulator, name: str, mutation: Mutation | None = None,
             **options: Any) -> CaseResult:
    """One case; ``mutation`` is armed once the pre-flight has passed."""
    config = run_config(sim.url, control=sim.control_url, **options)
    opener = Opener(mutation or Mutation())
    runner = Runner(SUITE, config, GsmBinding(config, opener=opener))
    try:
        runner.preflight()
        opener.arm()
        return runner.run_case(SUITE.get(name))
    finally:
        runner.close()
