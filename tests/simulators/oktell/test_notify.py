"""A notification call through the notify script, on a frozen clock, decided by the world."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from nabat.simulators.control.clock import SimClock
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


def _play(sim: Any, thread: threading.Thread, seconds: float, step: float = 1.0) -> None:
    """Advance the frozen clock step by step until the request is answered."""
    thread.join(0.2)
    elapsed = 0.0
    while thread.is_alive() and elapsed < seconds:
        sim.control.set_clock(advance=step)
        elapsed += step
        thread.join(0.05)
    thread.join(10)


def test_notify_returns_the_key_the_world_decided(sim: Any) -> None:
    sim.control.add_override(
        {
            "number": NUMBER,
            "voice": {
                "outcomes": {"answered": 1},
                "ring": 4,
                "listen": 60,
                "dtmf": {"confirm": 1},
                "first_key": 6,
            },
        }
    )
    query = (
        f"/execsvcscript?name=notify&startparam1={NUMBER}"
        "&startparam2=Тревога&startparam3=1&timeout=300"
    )
    thread, answers = _run_in_thread(sim.url, query)
    _play(sim, thread, 60)
    reply = read_script_reply(answers[0].content)
    # rung 4 s, the key 6 s after the answer, hung up at once: exact simulated durations
    assert (reply.started, reply.startresult, reply.returnvalue) == (True, 0, "key:1;ring=4;talk=6")
    world = [entry for entry in sim.control.world_journal() if entry["kind"] == "voice"]
    decided = world[-1]
    assert decided["address"] == NUMBER and decided["keys"] == [{"key": "1", "at": 6.0}]
    call = sim.control.calls()[-1]
    assert (call["number"], call["keys"], call["result"], call["script"]) == (
        NUMBER,
        "1",
        "confirmed",
        "notify",
    )
    assert call["rule"] == decided["rule"] == f"override number {NUMBER}"
    assert all(call["decision"][name] == decided[name] for name in call["decision"])
    assert sim.control.state()["lines"]["9001"] == "lsFree"  # the trunk is hung up


@pytest.mark.parametrize(
    ("voice", "expected"),
    [
        ({"outcomes": {"busy": 1}}, "busy"),
        ({"outcomes": {"unreachable": 1}}, "unreachable"),
        ({"outcomes": {"no_answer": 1}, "give_up": 30}, "noanswer"),
        ({"outcomes": {"answered": 1}, "ring": 2, "listen": 60, "dtmf": {"none": 1}}, "nokey"),
        ({"outcomes": {"answered": 1}, "ring": 2, "listen": 3, "dtmf": {"none": 1}}, "hungup"),
    ],
)
def test_notify_results(sim: Any, voice: dict[str, Any], expected: str) -> None:
    sim.control.add_override({"number": NUMBER, "voice": voice})
    query = (
        f"/execsvcscriptplain?name=notify&startparam1={NUMBER}"
        "&startparam2=x&startparam3=1&startparam4=10"
    )
    thread, answers = _run_in_thread(sim.url, query)
    _play(sim, thread, 120, step=5.0)
    output = json.loads(answers[0].text)
    assert output["result"] == expected
    assert output["rule"] is not None


def test_notify_without_a_free_trunk_says_noline(
    oktell_simulator_factory: Callable[..., Any],
) -> None:
    sim = oktell_simulator_factory(directory_spec={"external_lines": 0})
    with httpx.Client(base_url=sim.url) as http:
        reply = read_script_reply(
            http.get(f"/execsvcscript?name=notify&startparam1={NUMBER}").content
        )
    assert reply.returnvalue == "noline"
