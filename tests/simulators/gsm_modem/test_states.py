"""The modem's state machines refuse what their tables do not allow."""

from __future__ import annotations

import pytest
from nabat.simulators.gsm_modem.states import (
    CALL_TABLE,
    LINE_TABLE,
    SIM_TABLE,
    CallEvent,
    CallState,
    IllegalTransition,
    LineEvent,
    LineState,
    Machine,
    SimEvent,
    SimState,
)


def test_a_released_call_stays_released() -> None:
    call = Machine("call", CALL_TABLE, CallState.DIALING)
    assert call.fire(CallEvent.ALERT) is CallState.ALERTING
    assert call.fire(CallEvent.RELEASE) is CallState.RELEASED
    with pytest.raises(IllegalTransition):
        call.fire(CallEvent.CONNECT)


def test_an_incoming_call_cannot_be_alerting() -> None:
    call = Machine("call", CALL_TABLE, CallState.INCOMING)
    assert not call.can(CallEvent.ALERT)
    with pytest.raises(IllegalTransition):
        call.fire(CallEvent.ALERT)


def test_a_blocked_sim_takes_no_pin() -> None:
    sim = Machine("SIM", SIM_TABLE, SimState.BLOCKED)
    with pytest.raises(IllegalTransition):
        sim.fire(SimEvent.PIN_OK)
    assert sim.fire(SimEvent.POWER_ON_LOCKED) is SimState.BLOCKED


def test_the_line_cannot_prompt_while_idle() -> None:
    line = Machine("line", LINE_TABLE, LineState.COMMAND)
    with pytest.raises(IllegalTransition):
        line.fire(LineEvent.PROMPT)
    assert line.fire(LineEvent.START) is LineState.EXECUTING
    assert line.fire(LineEvent.RESET) is LineState.COMMAND
