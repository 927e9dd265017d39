"""wp_setuserstate's rules: modes (call-centre, redirect, lunch) and user states.

``apply_request`` is a pure function of a ``User`` record, whether the user
is talking (their line is active) and the decoded request. Parts apply in a
fixed order — ``oncallcenter``, ``onredirect``, ``onlunch``, then
``userstateid`` — and each part the spec forbids is refused on its own
(``SetUserStateOutcome.refused`` says why) while the others still apply:

- leaving the call-centre ends a break and the lunch mode; entering it ends
  the redirect mode;
- redirect only outside the call-centre; lunch only inside it; entering lunch
  while free puts the user on break at once, and from then on every time
  they become free (calls.py sends ``FREED_ON_LUNCH``);
- the user cannot be made ready, on break or away while talking; not ready
  while the lunch mode holds them on break; not on break outside the
  call-centre; never into a service state (reserved, no phone,
  disconnected); a user in a service state accepts no state request.

The answer is 200 OK with no body whenever the user is found (the spec: "в
любом случае"), so refusals are visible only in the control API's journal
and in the user's state. Malformed values are the caller's bug: ``BadValue``
(answered 400).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from nabat.simulators.oktell.directory import User
from nabat.simulators.oktell.states import (
    REQUEST_EVENTS,
    IllegalTransition,
    UserEvent,
    UserState,
    user_step,
)

MAX_REASON_TEXT = 500


class BadValue(ValueError):
    """A parameter of wp_setuserstate is not one of its documented values."""


@dataclass(frozen=True, slots=True)
class SetUserStateRequest:
    userstateid: int | None = None
    onredirect: bool | None = None
    oncallcenter: bool | None = None
    onlunch: bool | None = None
    lunchreasonid: int | None = None
    lunchreasonmsg: str | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> SetUserStateRequest:
        return cls(
            userstateid=_whole(params, "userstateid"),
            onredirect=_switch(params, "onredirect"),
            oncallcenter=_switch(params, "oncallcenter"),
            onlunch=_switch(params, "onlunch"),
            lunchreasonid=_whole(params, "lunchreasonid"),
            lunchreasonmsg=_reason(params),
        )


@dataclass(slots=True)
class SetUserStateOutcome:
    applied: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"applied": list(self.applied), "refused": list(self.refused)}


def _whole(params: Mapping[str, str], name: str) -> int | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    text = raw.strip()
    if not text.isascii() or not text.lstrip("-").isdigit() or len(text) > 9:
        raise BadValue(f"{name} must be a whole number, got {raw!r}")
    return int(text)


def _switch(params: Mapping[str, str], name: str) -> bool | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    if raw.strip() not in ("0", "1"):
        raise BadValue(f"{name} must be 0 or 1, got {raw!r}")
    return raw.strip() == "1"


def _reason(params: Mapping[str, str]) -> str | None:
    raw = params.get("lunchreasonmsg")
    if raw is not None and len(raw) > MAX_REASON_TEXT:
        raise BadValue(f"lunchreasonmsg is longer than {MAX_REASON_TEXT} characters")
    return raw


def check_userstateid(code: int | None) -> UserState | None:
    if code is None:
        return None
    try:
        return UserState.by_code(code)
    except KeyError:
        raise BadValue(f"userstateid {code} is not a user state (1, 2, 3, 5)") from None


def _move(user: User, event: UserEvent, outcome: SetUserStateOutcome, why: str) -> None:
    try:
        user.state = user_step(user.state, event)
    except IllegalTransition as error:
        outcome.refused.append(f"{why}: {error}")
    else:
        outcome.applied.append(why)


def apply_request(user: User, talking: bool, request: SetUserStateRequest) -> SetUserStateOutcome:
    """Apply what the rules allow of ``request`` to ``user``; say what was refused."""
    wanted = check_userstateid(request.userstateid)
    outcome = SetUserStateOutcome()
    if request.oncallcenter is not None:
        if request.oncallcenter:
            user.callcentre = True
            if user.redirect:
                user.redirect = False
                outcome.applied.append("entering the call-centre ended the redirect")
            outcome.applied.append("call-centre on")
        else:
            user.callcentre = False
            if user.lunch:
                _end_lunch(user)
                outcome.applied.append("leaving the call-centre ended the lunch mode")
            if user.state is UserState.BREAK:
                _move(user, UserEvent.END_BREAK, outcome, "leaving the call-centre ended the break")
            outcome.applied.append("call-centre off")
    if request.onredirect is not None:
        if request.onredirect and user.callcentre:
            outcome.refused.append("redirect is only possible outside the call-centre mode")
        else:
            user.redirect = request.onredirect
            outcome.applied.append(f"redirect {'on' if request.onredirect else 'off'}")
    if request.onlunch is not None:
        _apply_lunch(user, talking, request, outcome)
    if wanted is not None:
        _apply_state(user, talking, wanted, outcome)
    return outcome


def _end_lunch(user: User) -> None:
    user.lunch = False
    user.lunch_reason_id = None
    user.lunch_reason_msg = ""


def _apply_lunch(
    user: User, talking: bool, request: SetUserStateRequest, outcome: SetUserStateOutcome
) -> None:
    if not request.onlunch:
        _end_lunch(user)
        outcome.applied.append("lunch off")
        return
    if not user.callcentre:
        outcome.refused.append("the lunch mode is only possible in the call-centre mode")
        return
    user.lunch = True
    # The spec: a regulated reason is given by its code only, an individual one by text only.
    user.lunch_reason_id = request.lunchreasonid
    user.lunch_reason_msg = (
        "" if request.lunchreasonid is not None else (request.lunchreasonmsg or "")
    )
    outcome.applied.append("lunch on")
    if user.state is UserState.READY and not talking:
        _move(user, UserEvent.SET_BREAK, outcome, "the lunch mode put the free user on break")


def _apply_state(
    user: User, talking: bool, wanted: UserState, outcome: SetUserStateOutcome
) -> None:
    event = REQUEST_EVENTS.get(wanted)
    if event is None:
        outcome.refused.append(f"{wanted.label} is a service state and cannot be requested")
        return
    if talking and wanted is not UserState.BUSY:
        outcome.refused.append(f"{wanted.label} is impossible while the user is talking")
        return
    if wanted is UserState.BREAK and not user.callcentre:
        outcome.refused.append("a break is only possible in the call-centre mode")
        return
    if wanted is UserState.READY and user.lunch:
        outcome.refused.append("the lunch mode keeps the user on break instead of ready")
        return
    _move(user, event, outcome, f"state {wanted.label}")
