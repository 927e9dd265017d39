"""wp_setuserstate's rules, observed through tst_getuserstate and
tst_getintnumberreadyusers: 200 without a body, free/away, no service states, no break
outside the call-centre mode, the lunch mode only inside it and holding the user on break,
leaving the call-centre ending a break. Every case starts from a free user and leaves the
user free in the call-centre mode."""

from __future__ import annotations

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.oktell.binding import OktellEnv
from nabat.conformance.oktell.checks import observe_user_state, require_free_user, set_user_state
from nabat.conformance.oktell.suite import SUITE
from nabat.conformance.oktell.wire import WireProblem, read_xml


def _restore(env: OktellEnv) -> None:
    set_user_state(env, ("onlunch", "0"))
    set_user_state(env, ("oncallcenter", "1"))
    set_user_state(env, ("userstateid", "1"))


def _ready(env: OktellEnv) -> tuple[int, int, int] | None:
    """(ready, busy, elements) of tst_getintnumberreadyusers?number=LINE."""
    response = env.pbx.get("tst_getintnumberreadyusers", [("number", env.line)])
    try:
        root = read_xml(response.content).root
    except WireProblem:
        return None
    ready, busy = root.get("ready") or "", root.get("busy") or ""
    if not (ready.isdigit() and busy.isdigit()):
        return None
    return int(ready), int(busy), len([e for e in root if e.tag == "element"])


@SUITE.case(
    "OKT-SUS-200",
    "OKT-SUS-STATES",
    "OKT-USERSTATE-VALUE",
    "OKT-USERSTATE-NAMES",
    "OKT-READY-STATE",
    needs={"state"},
)
def free_and_away(ctx: CaseContext, env: OktellEnv) -> None:
    """userstateid=3 then 1: 200 without a body each time; tst_getuserstate shows 3 then 1 with
    distinct names; tst_getintnumberreadyusers counts the user busy, then ready."""
    require_free_user(ctx, env)
    before = _ready(env)
    try:
        names: dict[int, str | None] = {}
        for wanted, counts in ((3, (0, 1, 0)), (1, (1, 0, 1))):
            response = set_user_state(env, ("userstateid", str(wanted)))
            ctx.check(
                "OKT-SUS-200",
                response.status_code == 200 and not response.content,
                f"userstateid={wanted}: expected 200 without a body, got "
                f"{response.status_code} {response.content[:60]!r}",
            )
            value, name = observe_user_state(env)
            ctx.check(
                "OKT-SUS-STATES",
                value == wanted,
                f"after userstateid={wanted} tst_getuserstate shows {value}",
            )
            ctx.check("OKT-USERSTATE-VALUE", value == wanted, f"state value {value}")
            names[wanted] = name
            seen = _ready(env)
            if before is not None and before[:2] == (1, 0):
                ctx.check(
                    "OKT-READY-STATE",
                    seen == counts,
                    f"after userstateid={wanted}: ready, busy, listed = {seen}, expected {counts}",
                )
            else:
                ctx.note(f"--line {env.line} is not one free user alone: READY-STATE skipped")
        ctx.check(
            "OKT-USERSTATE-NAMES",
            names[1] != names[3] and all((n or "").startswith("us") for n in names.values()),
            f"state names {names}: expected distinct us* names",
        )
    finally:
        _restore(env)


@SUITE.case("OKT-SUS-NO-SERVICE-STATE", needs={"state"})
def no_service_states(ctx: CaseContext, env: OktellEnv) -> None:
    """userstateid 0, 4 and 6 (the service states): the free user stays free."""
    require_free_user(ctx, env)
    try:
        for code in ("0", "4", "6"):
            set_user_state(env, ("userstateid", code))
            value, _ = observe_user_state(env)
            ctx.check(
                "OKT-SUS-NO-SERVICE-STATE",
                value == 1,
                f"after userstateid={code} the user is in state {value}, expected 1",
            )
    finally:
        _restore(env)


@SUITE.case(
    "OKT-SUS-NO-BREAK-OUTSIDE-CC",
    "OKT-SUS-LUNCH-CC",
    "OKT-SUS-LUNCH-HOLDS",
    "OKT-SUS-LEAVE-CC",
    "OKT-SUS-200",
    needs={"state"},
)
def call_centre_modes(ctx: CaseContext, env: OktellEnv) -> None:
    """Outside the call-centre: no break, no lunch. Inside: lunch puts the free user on break
    and keeps them there (userstateid=1 refused). Leaving the call-centre ends the break."""
    require_free_user(ctx, env)
    try:
        set_user_state(env, ("onlunch", "0"))
        response = set_user_state(env, ("oncallcenter", "0"))
        ctx.check(
            "OKT-SUS-200",
            response.status_code == 200 and not response.content,
            f"oncallcenter=0: expected 200 without a body, got {response.status_code}",
        )
        set_user_state(env, ("userstateid", "2"))
        value, _ = observe_user_state(env)
        ctx.check(
            "OKT-SUS-NO-BREAK-OUTSIDE-CC",
            value == 1,
            f"outside the call-centre userstateid=2 gave state {value}, expected 1",
        )
        set_user_state(env, ("onlunch", "1"), ("lunchreasonmsg", "nabat conformance"))
        value, _ = observe_user_state(env)
        ctx.check(
            "OKT-SUS-LUNCH-CC",
            value == 1,
            f"outside the call-centre onlunch=1 gave state {value}, expected 1",
        )
        set_user_state(env, ("oncallcenter", "1"))
        set_user_state(env, ("onlunch", "1"), ("lunchreasonmsg", "nabat conformance"))
        value, _ = observe_user_state(env)
        ctx.check(
            "OKT-SUS-LUNCH-CC",
            value == 2,
            f"in the call-centre onlunch=1 gave state {value}, expected 2 (break)",
        )
        set_user_state(env, ("userstateid", "1"))
        value, _ = observe_user_state(env)
        ctx.check(
            "OKT-SUS-LUNCH-HOLDS",
            value == 2,
            f"in the lunch mode userstateid=1 gave state {value}, expected 2 (break)",
        )
        set_user_state(env, ("oncallcenter", "0"))
        value, _ = observe_user_state(env)
        ctx.check(
            "OKT-SUS-LEAVE-CC",
            value == 1,
            f"leaving the call-centre on break gave state {value}, expected 1",
        )
    finally:
        _restore(env)
