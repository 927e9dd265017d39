"""The whole GSM suite passes against every profile of the simulator, with every
clause it checks exercised somewhere, and leaves the modem as it found it: the
same settings, no stored message, no call."""

from __future__ import annotations

import json
from typing import Any

import pytest
from nabat.conformance.framework import Outcome
from nabat.conformance.gsm_modem.cases import SUITE

from tests.conformance_gsm.conftest import run_suite
from tests.conformance_gsm.sim import PIN, PROFILES, Simulator, simulator

# What each profile cannot show: no SIM PIN was asked for; the generic modem has
# no DTMF detection (27.007 defines none).
UNSUPPORTED = {"generic": {"pin_accepted", "far_end_dtmf"}}
# The last test reads what the others gathered: the run keeps a file's tests in one process
# (--dist loadfile, tests/conftest.py).
EXERCISED: dict[str, set[str]] = {}


def _modem_state(sim: Simulator) -> dict[str, Any]:
    def read() -> dict[str, Any]:
        modem = sim.bank.modem(0)
        storage = modem.storage
        return {
            "settings": modem.settings.copy(),
            "messages": {name: len(memory.messages) for name, memory in storage.memories.items()},
            "calls": len(modem.calls.calls),
            "functionality": modem.functionality,
        }

    return sim.running.call(read)


@pytest.mark.parametrize("profile", PROFILES)
def test_the_suite_passes_and_puts_everything_back(profile: str) -> None:
    with simulator(profile) as sim:
        before = _modem_state(sim)
        run = run_suite(sim, strict=True)
        after = _modem_state(sim)
    outcomes = {result.name: result.outcome for result in run.results}
    unsupported = {name for name, outcome in outcomes.items() if outcome is Outcome.UNSUPPORTED}
    bad = {result.name: result.reason for result in run.results
           if result.outcome not in (Outcome.PASS, Outcome.UNSUPPORTED)}
    assert bad == {}
    assert unsupported == UNSUPPORTED.get(profile, {"pin_accepted"})
    assert run.passed
    EXERCISED[profile] = {clause.id for clause in run.coverage().exercised}
    assert after == before


def test_a_sim_asking_for_its_pin_is_unlocked_and_the_pin_never_shown() -> None:
    """The pre-flight enters --pin; after the no-SIM fault the SIM asks again and the suite
    enters the same, verified PIN; no other PIN is ever typed and no report shows it."""
    with simulator("simcom", pin_required=True) as sim:
        run = run_suite(sim, strict=True, pin=PIN)
        typed = sim.journal_text()
    outcomes = {result.name: result.outcome for result in run.results}
    assert outcomes["pin_accepted"] is Outcome.PASS
    assert run.passed
    assert typed.count("AT+CPIN=") == typed.count(f'AT+CPIN="{PIN}"') >= 1
    shown = json.dumps([exchange.to_dict() for result in run.results
                        for exchange in result.evidence])
    assert "AT+CPIN=" in shown and f'"{PIN}"' not in shown
    assert f'AT+CPIN="{PIN}"'.encode().hex() not in shown
    EXERCISED["pin"] = {clause.id for clause in run.coverage().exercised}


def test_every_checked_clause_is_exercised_by_some_profile() -> None:
    if len(EXERCISED) < len(PROFILES) + 1:
        pytest.skip("runs after the profile tests of this module")
    checked = {clause for case in SUITE for clause in case.clause_ids}
    assert checked - set().union(*EXERCISED.values()) == set()


def test_the_suite_passes_over_a_pseudo_terminal() -> None:
    with simulator("quectel", pty=True) as sim:
        run = run_suite(sim, strict=True, target=sim.path)
    assert run.passed, [(r.name, r.outcome.value, r.reason) for r in run.results
                        if r.outcome is not Outcome.PASS]
