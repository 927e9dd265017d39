"""GET and POST, the password (ruling 2) and unknown commands."""

from __future__ import annotations

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.oktell.binding import OktellEnv
from nabat.conformance.oktell.checks import observe_user_state, require_free_user
from nabat.conformance.oktell.suite import SUITE

REGSERIAL = [("detail", "regserial")]


@SUITE.case("OKT-HTTP-GET", "OKT-HTTP-POST")
def get_and_post(ctx: CaseContext, env: OktellEnv) -> None:
    """getlicenseinfo?detail=regserial by GET, then by POST with a form body: both served,
    the same answer."""
    got = env.pbx.get("getlicenseinfo", REGSERIAL)
    ctx.check(
        "OKT-HTTP-GET",
        got.status_code == 200 and bool(got.content.strip()),
        f"GET getlicenseinfo: expected 200 with the value, got {got.status_code}",
    )
    posted = env.pbx.post("getlicenseinfo", REGSERIAL)
    ctx.check(
        "OKT-HTTP-POST",
        posted.status_code == 200 and posted.content == got.content,
        f"POST getlicenseinfo (form): expected 200 and GET's answer {got.content[:40]!r}, "
        f"got {posted.status_code} {posted.content[:40]!r}",
    )


@SUITE.case("OKT-PW-403", "OKT-PW-ACCEPTED", "OKT-PW-EVERY-REQUEST", needs={"password"})
def password_required(ctx: CaseContext, env: OktellEnv) -> None:
    """Without password= (GET, POST, an unknown command): 403; with it: served."""
    bare = env.pbx.get("getlicenseinfo", REGSERIAL, password=False)
    ctx.check(
        "OKT-PW-403",
        bare.status_code == 403,
        f"GET getlicenseinfo without password=: expected 403, got {bare.status_code}",
    )
    posted = env.pbx.post("getlicenseinfo", REGSERIAL, password=False)
    ctx.check(
        "OKT-PW-403",
        posted.status_code == 403,
        f"POST getlicenseinfo without password=: expected 403, got {posted.status_code}",
    )
    good = env.pbx.get("getlicenseinfo", REGSERIAL)
    ctx.check(
        "OKT-PW-ACCEPTED",
        good.status_code == 200,
        f"with password=: expected 200, got {good.status_code}",
    )
    unknown = env.pbx.get("nabatnosuchcommand", password=False)
    ctx.check(
        "OKT-PW-EVERY-REQUEST",
        unknown.status_code == 403,
        f"an unknown command without password=: expected 403 (the password comes "
        f"first), got {unknown.status_code}",
    )
    malformed = env.pbx.get("wp_autocallstart", password=False)
    ctx.check(
        "OKT-PW-EVERY-REQUEST",
        malformed.status_code == 403,
        f"wp_autocallstart without its parameters and without password=: expected 403, "
        f"got {malformed.status_code}",
    )


@SUITE.case("OKT-PW-NO-EFFECT", needs={"password", "state"})
def refused_request_changes_nothing(ctx: CaseContext, env: OktellEnv) -> None:
    """wp_setuserstate userstateid=3 without password=: 403, and the user stays free."""
    require_free_user(ctx, env)
    try:
        refused = env.pbx.get(
            "wp_setuserstate", [("user", env.user), ("userstateid", "3")], password=False
        )
        value, _ = observe_user_state(env)
        ctx.check(
            "OKT-PW-NO-EFFECT",
            refused.status_code == 403 and value == 1,
            f"wp_setuserstate without password=: expected 403 and the user still free "
            f"(1), got {refused.status_code} and state {value}",
        )
    finally:
        env.pbx.get("wp_setuserstate", [("user", env.user), ("userstateid", "1")])


@SUITE.case("OKT-UNKNOWN-COMMAND")
def unknown_command(ctx: CaseContext, env: OktellEnv) -> None:
    """An unknown command: an HTTP 4xx error."""
    response = env.pbx.get("nabatnosuchcommand")
    ctx.check(
        "OKT-UNKNOWN-COMMAND",
        400 <= response.status_code < 500,
        f"GET /nabatnosuchcommand: expected a 4xx error, got {response.status_code}",
    )
