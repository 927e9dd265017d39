"""The line and user state tables: every move is in the table, illegal ones raise."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from nabat.simulators.oktell.states import (
    LINE_TABLE,
    USER_TABLE,
    IllegalTransition,
    LineEvent,
    LineState,
    UserEvent,
    UserState,
    line_step,
    user_step,
)
from nabat.system.wire.oktell import LINE_STATE_NAMES, USER_STATE_NAMES


@given(st.lists(st.sampled_from(list(LineEvent)), max_size=60))
def test_random_line_events_stay_in_the_table(events: list[LineEvent]) -> None:
    state = LineState.FREE
    for event in events:
        if (state, event) in LINE_TABLE:
            state = line_step(state, event)
            assert isinstance(state, LineState)
        else:
            with pytest.raises(IllegalTransition):
                line_step(state, event)


@given(st.lists(st.sampled_from(list(UserEvent)), max_size=60))
def test_random_user_events_stay_in_the_table(events: list[UserEvent]) -> None:
    state = UserState.READY
    for event in events:
        if (state, event) in USER_TABLE:
            state = user_step(state, event)
            assert isinstance(state, UserState)
        else:
            with pytest.raises(IllegalTransition):
                user_step(state, event)


def test_every_state_can_get_back_to_free_or_ready() -> None:
    for state in LineState:
        reachable = {state}
        for _ in range(len(LineState)):
            reachable |= {
                LINE_TABLE[s, e] for s in reachable for e in LineEvent if (s, e) in LINE_TABLE
            }
        assert LineState.FREE in reachable, state
    for user_state in UserState:
        seen = {user_state}
        for _ in range(len(UserState)):
            seen |= {USER_TABLE[s, e] for s in seen for e in UserEvent if (s, e) in USER_TABLE}
        assert UserState.READY in seen, user_state


def test_illegal_moves_raise() -> None:
    with pytest.raises(IllegalTransition):
        line_step(LineState.FREE, LineEvent.ANSWER)
    with pytest.raises(IllegalTransition):
        line_step(LineState.DIALING, LineEvent.DECLINE)
    with pytest.raises(IllegalTransition):
        user_step(UserState.DISCONNECTED, UserEvent.SET_READY)
    with pytest.raises(IllegalTransition):
        user_step(UserState.READY, UserEvent.FREED)


def test_codes_and_names_agree_with_the_codec() -> None:
    assert LineState.COMMUTATED.code == 32 and LineState.COMMUTATED.label == "lsCommutated"
    for line_state in LineState:
        if line_state.code in LINE_STATE_NAMES:
            assert LINE_STATE_NAMES[line_state.code] == line_state.label
    for user_state in UserState:
        assert USER_STATE_NAMES[user_state.code] == user_state.label
    assert [s.code for s in (UserState.READY, UserState.BREAK, UserState.AWAY, UserState.BUSY)] == [
        1,
        2,
        3,
        5,
    ]
    assert len({s.code for s in LineState}) == len(LineState)
    assert len({s.code for s in UserState}) == len(UserState)
