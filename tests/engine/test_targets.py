"""The target state table, the retry arithmetic and the run's queues."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nabat.system.engine.params import TaskPlan
from nabat.system.engine.records import TargetState
from nabat.system.engine.run import Content, TaskRun
from nabat.system.engine.targets import MOVES, Event, IllegalMove, Target, move
from nabat.system.protocol import Task, TaskType


def target(addresses: int = 1, priority: int = 0, seq: int = 1, abonent: int = 1) -> Target:
    phones = tuple(f"7900000000{i}" for i in range(addresses))
    return Target(abonent, seq, "А", priority, phones, TargetState.PENDING, 0, 0, 0.0)


def test_every_state_and_event_is_either_in_the_table_or_refused() -> None:
    for state in TargetState:
        for event in Event:
            if (state, event) in MOVES:
                assert move(state, event) is MOVES[(state, event)]
            else:
                with pytest.raises(IllegalMove):
                    move(state, event)


def test_final_states_have_no_way_out_except_confirming_again() -> None:
    for (state, event), _ in MOVES.items():
        if state.final:
            assert (state, event) == (TargetState.CONFIRMED, Event.CONFIRM)


@given(
    addresses=st.integers(1, 4),
    rounds=st.integers(1, 5),
    interval=st.floats(0, 1000),
)
def test_failures_walk_every_address_of_every_round_then_exhaust(
    addresses: int, rounds: int, interval: float
) -> None:
    item = target(addresses)
    tried: list[tuple[int, str]] = []
    now = 100.0
    while True:
        item.begin()
        tried.append((item.rounds, item.address))
        update = item.fail(now, rounds, interval)
        if item.state is TargetState.EXHAUSTED:
            break
        assert item.state is TargetState.RETRY
        last_of_round = item.next_address == 0
        assert update.next_time == (now + interval if last_of_round else now)
    assert len(tried) == addresses * rounds
    assert tried == [(r, item.addresses[a]) for r in range(1, rounds + 1) for a in range(addresses)]


def test_release_gives_back_the_round() -> None:
    item = target(2)
    item.begin()
    assert item.rounds == 1
    item.release()
    assert (item.state, item.rounds) == (TargetState.RETRY, 0)


@settings(max_examples=50)
@given(st.lists(st.tuples(st.integers(0, 5), st.floats(0, 50)), min_size=1, max_size=30))
def test_take_hands_out_due_targets_by_priority_then_plan_order(
    specs: list[tuple[int, float]],
) -> None:
    targets = {}
    for index, (priority, due) in enumerate(specs, start=1):
        item = target(priority=priority, seq=index, abonent=index)
        item.next_time = due
        targets[index] = item
    task = Task(id=1, ttype=TaskType.CALL, name="t", listid=1, messageid=1)
    run = TaskRun(task, TaskPlan.from_task(task), Content("s", "t"), targets)
    now = 25.0
    taken = run.take_many(now, len(specs))
    due = [t for t in targets.values() if t.next_time <= now]
    assert sorted(t.abonent_id for t in taken) == sorted(t.abonent_id for t in due)
    assert [(-t.priority, t.seq) for t in taken] == sorted((-t.priority, t.seq) for t in due)
    later = [t.next_time for t in targets.values() if t.next_time > now]
    assert run.next_due() == (min(later) if later else None)
