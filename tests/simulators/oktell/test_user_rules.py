"""wp_setuserstate's rules (the spec's impossible transitions and mode side effects)."""

from __future__ import annotations

import pytest
from nabat.simulators.oktell.directory import User, default_directory
from nabat.simulators.oktell.states import UserState
from nabat.simulators.oktell.user_rules import (
    BadValue,
    SetUserStateOutcome,
    SetUserStateRequest,
    apply_request,
)


def _user() -> User:
    return default_directory().users["da803f01-ea77-40fa-bc9d-e2efb36fd5a8"]


def _apply(user: User, talking: bool = False, **params: str) -> SetUserStateOutcome:
    return apply_request(user, talking, SetUserStateRequest.from_params(params))


def _state(user: User) -> UserState:
    """The state now (a call, so that mypy does not keep an earlier narrowing)."""
    return user.state


def test_states_by_request() -> None:
    user = _user()
    for code, state in (
        ("2", UserState.BREAK),
        ("3", UserState.AWAY),
        ("5", UserState.BUSY),
        ("1", UserState.READY),
    ):
        outcome = _apply(user, userstateid=code)
        assert user.state is state and not outcome.refused


def test_not_ready_while_talking_but_busy_is_fine() -> None:
    user = _user()
    user.state = UserState.BUSY
    outcome = _apply(user, talking=True, userstateid="1")
    assert user.state is UserState.BUSY and outcome.refused
    assert not _apply(user, talking=True, userstateid="5").refused


def test_no_break_outside_the_call_centre() -> None:
    user = _user()
    _apply(user, oncallcenter="0")
    outcome = _apply(user, userstateid="2")
    assert user.state is UserState.READY and "call-centre" in outcome.refused[0]


@pytest.mark.parametrize("code", ["0", "4", "6"])
def test_service_states_cannot_be_requested(code: str) -> None:
    user = _user()
    outcome = _apply(user, userstateid=code)
    assert user.state is UserState.READY and outcome.refused


def test_leaving_the_call_centre_ends_break_and_lunch() -> None:
    user = _user()
    _apply(user, onlunch="1", lunchreasonid="3")
    assert user.state is UserState.BREAK and user.lunch and user.lunch_reason_id == 3
    _apply(user, oncallcenter="0")
    assert _state(user) is UserState.READY and not user.lunch and user.lunch_reason_id is None


def test_entering_the_call_centre_ends_redirect() -> None:
    user = _user()
    _apply(user, oncallcenter="0", onredirect="1")
    assert user.redirect and not user.callcentre
    _apply(user, oncallcenter="1")
    assert user.callcentre and not user.redirect


def test_redirect_only_outside_and_lunch_only_inside_the_call_centre() -> None:
    user = _user()
    assert _apply(user, onredirect="1").refused and not user.redirect
    _apply(user, oncallcenter="0")
    assert _apply(user, onlunch="1").refused and not user.lunch


def test_lunch_keeps_a_user_from_ready_and_takes_a_reason_text() -> None:
    user = _user()
    _apply(user, onlunch="1", lunchreasonmsg="врач")
    assert user.state is UserState.BREAK and user.lunch_reason_msg == "врач"
    assert _apply(user, userstateid="1").refused and user.state is UserState.BREAK
    _apply(user, onlunch="0")
    assert not _apply(user, userstateid="1").refused and _state(user) is UserState.READY


def test_lunch_while_talking_waits_for_the_end_of_the_call() -> None:
    user = _user()
    user.state = UserState.BUSY
    _apply(user, talking=True, onlunch="1")
    assert user.lunch and user.state is UserState.BUSY


def test_a_disconnected_user_accepts_no_state() -> None:
    user = _user()
    user.state = UserState.DISCONNECTED
    assert _apply(user, userstateid="1").refused and user.state is UserState.DISCONNECTED


@pytest.mark.parametrize(
    "params",
    [
        {"userstateid": "ready"},
        {"userstateid": "9"},
        {"onlunch": "yes"},
        {"oncallcenter": "2"},
        {"lunchreasonid": "x"},
    ],
)
def test_malformed_values_are_bad(params: dict[str, str]) -> None:
    with pytest.raises(BadValue):
        apply_request(_user(), False, SetUserStateRequest.from_params(params))
