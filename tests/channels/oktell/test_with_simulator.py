"""The Oktell line against the Oktell simulator: real calls on a frozen simulated clock.

The simulator's clock is frozen; the test advances it while the line's
synchronous script run waits, so a call of a minute of simulated time takes
a fraction of a second. The simulator's call journal must agree with the
``CallResult`` (same number, keys and outcome).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from nabat.simulators.control.clock import SimClock
from nabat.system.channels import Activity, CallOutcome, CallResult
from nabat.system.channels.oktell import OktellLine, OktellLineSettings, OktellPbx

from tests.channels.oktell.fake_pbx import wav
from tests.speech.platforms import LIBRARY_WHEEL_MISSING, library_wheel_exists

NUMBER = "79031111111"


@pytest.fixture
def sim(oktell_simulator_factory: Callable[..., Any]) -> Any:
    clock = SimClock()
    clock.freeze(True)
    return oktell_simulator_factory(clock=clock, password="abc")


def make_line(url: str, synthesiser: Any = None, **options: object) -> OktellLine:
    settings = OktellLineSettings.from_mapping(
        {"url": url, "line": "16038", "password": "abc", **options}
    )
    return OktellLine(settings, OktellPbx(settings), synthesiser=synthesiser)


async def place(sim: Any, line: OktellLine, **call: Any) -> CallResult:
    """Run a call while advancing the simulator's clock 5 s at a time."""
    await line.check()
    assert line.status().activity is Activity.IDLE, line.status().text
    task = asyncio.create_task(line.call(NUMBER, **call))
    for _ in range(200):
        if task.done():
            break
        await asyncio.sleep(0.01)
        await asyncio.to_thread(sim.control.set_clock, advance=5)
    result = await task
    await line.pbx.aclose()
    return result


def override(sim: Any, voice: dict[str, Any]) -> None:
    sim.control.add_override({"number": NUMBER, "voice": voice})


async def test_an_answered_call_records_the_key_the_world_decided(sim: Any) -> None:
    override(sim, {"outcomes": {"answered": 1}, "dtmf": {"confirm": 1}})
    line = make_line(sim.url)
    result = await place(sim, line, confirm="1", message=wav(2.0), dtmf_timeout=20)
    assert (result.outcome, result.keys, result.confirmed) == (CallOutcome.ANSWERED, "1", True)
    journal = sim.control.calls()
    assert len(journal) == 1
    entry = journal[0]
    assert (entry["number"], entry["keys"], entry["result"]) == (NUMBER, "1", "confirmed")
    assert entry["rule"] == f"override number {NUMBER}"
    assert result.ring_seconds + result.talk_seconds > 0
    uploads = [e for e in sim.control.events() if e.get("kind") == "upload" or "format" in e]
    assert any("8000 Hz 16-bit mono" in str(e) for e in uploads)


@pytest.mark.parametrize(
    ("outcome", "expected", "journal_result"),
    [("busy", CallOutcome.BUSY, "busy"), ("no_answer", CallOutcome.NO_ANSWER, "noanswer")],
)
async def test_busy_and_no_answer_numbers_per_world_override(
    sim: Any, outcome: str, expected: CallOutcome, journal_result: str
) -> None:
    override(sim, {"outcomes": {outcome: 1}})
    result = await place(sim, make_line(sim.url), confirm="1", message=wav(1.0))
    assert result.outcome is expected and result.keys == "" and not result.confirmed
    entry = sim.control.calls()[0]
    assert (entry["number"], entry["result"]) == (NUMBER, journal_result)


async def test_a_wrong_password_makes_the_line_failed(sim: Any) -> None:
    line = make_line(sim.url, password="wrong")
    await line.check()
    assert line.status().activity is Activity.FAILED
    await line.pbx.aclose()
    assert sim.control.calls() == []


@pytest.mark.skipif(not library_wheel_exists(), reason=LIBRARY_WHEEL_MISSING)
async def test_a_synthesised_russian_message_is_uploaded_and_played(sim: Any) -> None:
    from nabat.system.speech.library import LibrarySynthesiser

    override(sim, {"outcomes": {"answered": 1}, "dtmf": {"confirm": 1}})
    line = make_line(sim.url, synthesiser=LibrarySynthesiser())
    text = "Внимание! Учебная тревога 12 марта в 10:30. Нажмите 1."
    result = await place(sim, line, confirm="1", message=text)
    assert result.outcome is CallOutcome.ANSWERED and result.confirmed
    entry = sim.control.calls()[0]
    assert (entry["number"], entry["keys"]) == (NUMBER, "1")
    assert any("8000 Hz 16-bit mono" in str(e) for e in sim.control.events())


async def _active_call_state(sim: Any) -> dict[str, Any]:
    for _ in range(500):
        state: dict[str, Any] = await asyncio.to_thread(sim.control.state)
        if state["active_calls"]:
            return state
        await asyncio.sleep(0.01)
    raise AssertionError("the call never started at the simulator")


@pytest.mark.parametrize("answered", [False, True], ids=["ringing", "talking"])
async def test_a_cancelled_call_is_hung_up_at_the_simulator(sim: Any, answered: bool) -> None:
    """The default stop_script (the simulator's ``stop``) ends the trunk call notify placed."""
    override(sim, {"outcomes": {"answered": 1}, "ring": 10, "listen": 600, "dtmf": {"none": 1}})
    line = make_line(sim.url)
    await line.check()
    task = asyncio.create_task(line.call(NUMBER, confirm="1", message=wav(1.0)))
    state = await _active_call_state(sim)
    assert state["lines"]["9001"] != "lsFree"
    if answered:
        await asyncio.to_thread(sim.control.set_clock, advance=11)
        assert sim.control.calls()[-1]["phase"] == "talking"
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await line.stop()  # waits for the shielded hang-up
    await line.pbx.aclose()
    state = await asyncio.to_thread(sim.control.state)
    assert state["active_calls"] == 0
    assert set(state["lines"].values()) == {"lsFree"}
    call = sim.control.calls()[-1]
    assert (call["number"], call["phase"], call["result"]) == (NUMBER, "ended", "stopped")
    assert call["answered"] is None if not answered else call["answered"] is not None
