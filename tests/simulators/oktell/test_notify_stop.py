"""The notify script's exact durations and the stop script, on a frozen clock.

``notify`` appends ``;ring=<s>;talk=<s>`` (simulated seconds) to its result,
in the form the system's channel reads (``read_outcome``); ``stop`` ends the
notify calls to a number, so a caller that gave up on its notify run (its
timeout, an error, a cancellation) leaves nothing up at the PBX.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from nabat.simulators.control.clock import SimClock
from nabat.simulators.oktell.scripts import MAX_REPORTED_SECONDS, _seconds_text
from nabat.system.channels.oktell.outcomes import read_outcome
from nabat.system.wire.oktell import read_script_reply

NUMBER = "79000000001"


@pytest.fixture
def sim(oktell_simulator_factory: Callable[..., Any]) -> Any:
    clock = SimClock()
    clock.freeze(True)
    return oktell_simulator_factory(clock=clock)


def _run_in_thread(url: str, path: str) -> tuple[threading.Thread, list[httpx.Response]]:
    answers: list[httpx.Response] = []

    def run() -> None:
        with httpx.Client(base_url=url, timeout=20.0) as client:
            answers.append(client.get(path))

    thread = threading.Thread(target=run)
    thread.start()
    return thread, answers


def _wait_for_active_call(sim: Any) -> dict[str, Any]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        state: dict[str, Any] = sim.control.state()
        if state["active_calls"]:
            return state
        time.sleep(0.01)
    raise AssertionError("the notify call never started")


def _script(sim: Any, query: str) -> Any:
    with httpx.Client(base_url=sim.url, timeout=10.0) as http:
        return read_script_reply(http.get(query).content)


def test_unanswered_notify_reports_the_ring_time(sim: Any) -> None:
    sim.control.add_override({"number": NUMBER, "voice": {"outcomes": {"no_answer": 1},
                                                          "give_up": 25}})  # fmt: skip
    thread, answers = _run_in_thread(
        sim.url, f"/execsvcscriptplain?name=notify&startparam1={NUMBER}&startparam2=x"
    )
    _wait_for_active_call(sim)
    sim.control.set_clock(advance=60)
    thread.join(10)
    output = json.loads(answers[0].text)
    call = sim.control.calls()[-1]
    assert output["result"] == "noanswer" and output["talk"] == 0
    assert output["ring"] == pytest.approx(call["ended"] - call["created"], abs=0.001)
    assert output["ring"] > 0


@pytest.mark.parametrize("answered", [False, True], ids=["ringing", "talking"])
def test_stop_ends_the_notify_call_and_frees_the_trunk(sim: Any, answered: bool) -> None:
    sim.control.add_override(
        {"number": NUMBER,
         "voice": {"outcomes": {"answered": 1}, "ring": 10, "listen": 600, "dtmf": {"none": 1}}}
    )  # fmt: skip
    thread, answers = _run_in_thread(
        sim.url,
        f"/execsvcscript?name=notify&startparam1={NUMBER}&startparam2=x&startparam4=300",
    )
    state = _wait_for_active_call(sim)
    assert state["lines"]["9001"] != "lsFree"
    if answered:  # the answer at 10 s, then 2 s of talk
        sim.control.set_clock(advance=10)
        sim.control.set_clock(advance=2)
    other = _script(sim, "/execsvcscript?name=stop&startparam1=79000000999&async=0")
    assert other.returnvalue == "stopped:0"  # another number's call is left alone
    assert sim.control.state()["active_calls"] == 1
    stopped = _script(sim, f"/execsvcscript?name=stop&startparam1={NUMBER}&async=0")
    assert (stopped.startresult, stopped.returnvalue) == (0, "stopped:1")
    thread.join(10)
    state = sim.control.state()
    assert state["active_calls"] == 0
    assert set(state["lines"].values()) == {"lsFree"}
    call = sim.control.calls()[-1]
    assert (call["number"], call["phase"], call["result"]) == (NUMBER, "ended", "stopped")
    notify = read_script_reply(answers[0].content).returnvalue
    assert notify == ("hungup;ring=10;talk=2" if answered else "stopped;ring=0;talk=0")


def test_stop_without_a_number_fails_to_start(sim: Any) -> None:
    reply = _script(sim, "/execsvcscript?name=stop&async=0")
    assert reply.startresult == 2 and reply.returnvalue is None


@given(
    st.floats(0, 2 * MAX_REPORTED_SECONDS, allow_nan=False),
    st.floats(0, 2 * MAX_REPORTED_SECONDS, allow_nan=False),
)
def test_reported_durations_are_what_the_channel_reads(ring: float, talk: float) -> None:
    outcome = read_outcome(f"nokey;ring={_seconds_text(ring)};talk={_seconds_text(talk)}")
    assert outcome is not None and outcome.ring is not None and outcome.talk is not None
    assert outcome.ring == pytest.approx(min(ring, MAX_REPORTED_SECONDS), abs=0.0005)
    assert outcome.talk == pytest.approx(min(talk, MAX_REPORTED_SECONDS), abs=0.0005)


def test_one_big_clock_advance_runs_each_timer_at_its_own_instant(sim: Any) -> None:
    sim.control.add_override({"number": NUMBER, "voice": {
        "outcomes": {"answered": 1}, "ring": 4, "listen": 6, "dtmf": {"none": 1},
    }})  # fmt: skip
    thread, answers = _run_in_thread(
        sim.url, f"/execsvcscriptplain?name=notify&startparam1={NUMBER}&startparam2=x"
    )
    _wait_for_active_call(sim)
    sim.control.set_clock(advance=600)  # one jump far past the whole call
    thread.join(10)
    output = json.loads(answers[0].text)
    assert output["ring"] == pytest.approx(4, abs=0.01)
    assert 0 < output["talk"] <= 6.01
