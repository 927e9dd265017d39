"""The runtime: attempt counters, the bounded journal, the timeline on a simulated clock."""

from __future__ import annotations

import json

import pytest
from nabat.simulators.control.clock import SimClock
from nabat.simulators.world import (
    Kind,
    Match,
    Override,
    VoiceOutcome,
    Weights,
    World,
    WorldRuntime,
    call,
    parse_event,
    sms,
)

BUSY = Override.of(
    Match.number("79000000001"),
    voice={"outcomes": Weights.of({"busy": 1}, [o.value for o in VoiceOutcome])},
)


def test_each_call_is_the_next_attempt_and_the_world_decides_it(clock: SimClock) -> None:
    runtime = WorldRuntime(World(), clock)
    decisions = [runtime.voice("+79000000002", "1") for _ in range(4)]
    assert [d.attempt for d in decisions] == [1, 2, 3, 4]
    assert decisions == [World().decide_voice("79000000002", k, "1") for k in range(1, 5)]
    assert runtime.attempts(Kind.VOICE, "79000000002") == 4
    assert runtime.attempts(Kind.SMS, "79000000002") == 0  # counted per kind
    assert runtime.sms("79000000002").attempt == 1
    assert runtime.email("a@Example.org").attempt == 1
    assert runtime.email("a@example.org").attempt == 2


def test_a_refused_request_does_not_count_as_an_attempt(clock: SimClock) -> None:
    runtime = WorldRuntime(World(), clock)
    with pytest.raises(ValueError):
        runtime.voice("79000000002", "bad key")
    assert runtime.attempts(Kind.VOICE, "79000000002") == 0
    assert len(runtime.journal) == 0


def test_the_journal_records_each_decision_with_its_rule_and_time(clock: SimClock) -> None:
    runtime = WorldRuntime(World(overrides=(BUSY,)), clock)
    runtime.voice("79000000001")
    clock.advance(12.5)
    decision = runtime.voice("79000000003", "1")
    first, second = runtime.journal_json()
    assert first == {
        "time": 0.0,
        "kind": "voice",
        "address": "79000000001",
        "attempt": 1,
        "outcome": "busy",
        "ring": 0.0,
        "listen": 0.0,
        "dtmf": "none",
        "keys": [],
        "call_back": first["call_back"],
        "rule": "override number 79000000001",
    }
    assert second["time"] == 12.5 and second["rule"] == "default"
    assert second["outcome"] == decision.outcome.value
    json.dumps(runtime.journal_json())  # JSON-able as it is


def test_the_journal_is_bounded_and_counts_what_it_dropped(clock: SimClock) -> None:
    runtime = WorldRuntime(World(), clock, journal_size=5)
    for index in range(12):
        runtime.sms(f"790000000{index:02d}")
    kept = runtime.journal_json(limit=100)
    assert [entry["address"] for entry in kept] == [f"790000000{i:02d}" for i in range(7, 12)]
    assert runtime.state_json()["journal"] == {"kept": 5, "appended": 12, "size": 5}
    assert runtime.journal_json(limit=2) == kept[-2:]
    assert runtime.journal_json(limit=0) == []
    with pytest.raises(ValueError):
        WorldRuntime(World(), clock, journal_size=0)


def test_scripted_events_come_due_on_the_simulated_clock(clock: SimClock) -> None:
    world = World(
        events=(
            call(30, "79000000001", "gsm:2", "1 2 3 #"),
            sms(10, "79000000002", "gsm:0", "PIN 1234"),
            call(30, "79000000003", "oktell:101", spoofed=True),
        )
    )
    runtime = WorldRuntime(world, clock)
    assert runtime.due("gsm") == []
    assert runtime.next_event_at("gsm") == 10
    assert runtime.pending("gsm")[0].text == "PIN 1234"
    assert runtime.due("gsm", at=5) == []  # asking about a time: nothing due by 5 s either
    clock.advance(9.999)
    assert runtime.due() == []
    clock.advance(0.001)
    (text,) = runtime.due("gsm")
    assert text.text == "PIN 1234"
    clock.advance(100)
    (ring,) = runtime.due("gsm")
    assert ring.pressed == "123#" and str(ring.target) == "gsm:2"
    assert runtime.due("gsm") == [] and runtime.next_event_at("gsm") is None
    assert [e.source for e in runtime.pending()] == ["79000000003"]  # the PBX's, still waiting
    assert [e.spoofed for e in runtime.due("oktell")] == [True]
    handed = [e for e in runtime.journal_json() if e["kind"] == "event"]
    assert [(e["address"], e["rule"], e["time"]) for e in handed] == [
        ("79000000002", "script event 1", 10.0),
        ("79000000001", "script event 0", 110.0),
        ("79000000003", "script event 2", 110.0),
    ]


def test_control_edits_swap_the_world_and_keep_the_counters(clock: SimClock) -> None:
    runtime = WorldRuntime(World(), clock)
    runtime.voice("79000000001")
    runtime.add_override(BUSY)
    decision = runtime.voice("79000000001")
    assert (decision.attempt, decision.outcome) == (2, VoiceOutcome.BUSY)
    runtime.remove_override("number 79000000001")
    assert runtime.voice("79000000001").rule == "default"
    with pytest.raises(KeyError):
        runtime.remove_override("number 79000000001")
    clock.advance(50)
    index = runtime.add_event(parse_event({"at": 40, "kind": "sms", "from": "7", "to": "gsm:1"}))
    assert index == 0 and len(runtime.due("gsm")) == 1  # already due when appended
    assert runtime.rules_json()["event"] == [
        {"at": 40.0, "kind": "sms", "from": "7", "to": "gsm:1", "text": ""}
    ]


def test_reset_starts_the_world_over_at_time_zero(clock: SimClock) -> None:
    runtime = WorldRuntime(World(events=(sms(5, "7", "gsm:1", "hi"),)), clock)
    clock.advance(10)
    runtime.voice("79000000001")
    assert len(runtime.due()) == 1
    runtime.reset()
    assert runtime.elapsed() == 0 and len(runtime.journal) == 0
    assert runtime.attempts(Kind.VOICE, "79000000001") == 0
    assert runtime.due() == []
    clock.advance(5)
    assert len(runtime.due()) == 1
    state = runtime.state_json()
    assert state["events"] == {"total": 1, "handed_out": 1, "next_at": None}
    assert state["seed"] == 1 and state["subscribers_seen"] == 0
    json.dumps(state)


def test_a_runtime_without_arguments_runs_the_default_world() -> None:
    runtime = WorldRuntime()
    assert runtime.world == World()
    assert runtime.voice("79000000001").attempt == 1
