"""Calls from --line to --number: wp_autocallstart (number required, the line leaves its
idle state, direction=city, sequence=back; direction=pbx to --internal-number), the
answered commutation (wp_getabonentinfo's and wp_getchaincontent's JSON, lsCommutated,
the busy user who cannot be made free),
wp_flash, wp_autocallstop, wp_switchcall on an idle line and wp_declinecall of an incoming
call. With the control API the clock stands still and the called party answers, so each
state is seen; every case stops its call."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.oktell.binding import OktellEnv
from nabat.conformance.oktell.checks import (
    observe_line,
    observe_user_state,
    require_free_user,
    set_user_state,
)
from nabat.conformance.oktell.suite import SUITE
from nabat.conformance.oktell.wire import (
    ABONENT_FIELDS,
    CHAIN_FIELDS,
    COMMUTATION_FIELDS,
    DATETIME,
    WireProblem,
    read_json,
    type_problems,
)

CALLER = "79032222222"


def _idle(ctx: CaseContext, env: OktellEnv) -> object:
    line = observe_line(env)
    if "abonentinfo" in line or "currentlinestate" not in line:
        ctx.unsupported(f"--line {env.line} is not idle: {line}")
    return line.get("currentlinestate")


def _stop(env: OktellEnv) -> None:
    if "abonentinfo" in observe_line(env):
        env.pbx.get("wp_autocallstop", [("line", env.line)])


@contextmanager
def _answered_call(ctx: CaseContext, env: OktellEnv, number: str | None = None) -> Iterator[None]:
    """A frozen clock and ``number`` (default --number) answering; the call is stopped at
    the end."""
    control = env.require_control()
    with control.frozen_clock(), control.answering(number or env.number):
        try:
            yield
        finally:
            _stop(env)


@SUITE.case(
    "OKT-CALL-START",
    "OKT-CALL-DIRECTION",
    "OKT-ABON-COMMUTATED",
    "OKT-ABON-INFO",
    "OKT-CHAIN-JSON",
    "OKT-CHAIN-COMMUTATION",
    "OKT-SUS-NOT-FREE-TALKING",
    "OKT-CALL-FLASH",
    "OKT-CALL-STOP",
    needs={"state", "control"},
)
def answered_city_call(ctx: CaseContext, env: OktellEnv) -> None:
    """wp_autocallstart direction=city; the number answers: lsCommutated, abonentinfo and
    the chain as the examples; the talking user stays busy; flash twice; stop: idle."""
    require_free_user(ctx, env)
    idle = _idle(ctx, env)
    control = env.require_control()
    with _answered_call(ctx, env):
        started = env.pbx.get(
            "wp_autocallstart", [("line", env.line), ("number", env.number), ("direction", "city")]
        )
        state = observe_line(env)
        ctx.check(
            "OKT-CALL-START",
            started.status_code == 200 and state.get("currentlinestate") != idle,
            f"wp_autocallstart: {started.status_code}, line state "
            f"{state.get('currentlinestate')} (idle {idle}): expected 200 and a call",
        )
        control.advance(3)
        state = observe_line(env)
        ctx.check(
            "OKT-ABON-COMMUTATED",
            (state.get("currentlinestate"), state.get("currentlinestatestr"))
            == (32, "lsCommutated"),
            f"answered: line state {state.get('currentlinestate')} "
            f"{state.get('currentlinestatestr')!r}, expected 32 'lsCommutated'",
        )
        info = state.get("abonentinfo")
        problems = type_problems(info, ABONENT_FIELDS, "abonentinfo")
        ctx.check("OKT-ABON-INFO", not problems, "; ".join(problems) or "the example's fields")
        assert isinstance(info, dict)
        ctx.check(
            "OKT-CALL-DIRECTION",
            info.get("isextline") is True,
            f"direction=city: isextline {info.get('isextline')!r}, expected true",
        )
        chain = env.pbx.get("wp_getchaincontent", [("line", env.line)])
        try:
            content = read_json(chain.content)
        except WireProblem as problem:
            ctx.fail("OKT-CHAIN-JSON", f"wp_getchaincontent: {problem}")
            return
        problems = type_problems(content, CHAIN_FIELDS, "chain")
        ctx.check(
            "OKT-CHAIN-JSON",
            chain.status_code == 200 and not problems,
            "; ".join(problems) or f"wp_getchaincontent answered {chain.status_code}",
        )
        assert isinstance(content, dict)
        ctx.check(
            "OKT-CHAIN-JSON",
            bool(DATETIME.match(str(content["createtime"]))),
            f"createtime {content['createtime']!r}: expected yyyy-MM-dd HH:mm:ss",
        )
        trace = [e for e in content["trace"] if isinstance(e, dict)]
        commutations = [e for e in trace if e.get("contentelementtype") == "commutation"]
        ctx.check(
            "OKT-CHAIN-COMMUTATION",
            len(commutations) >= 1,
            f"the trace of an answered call holds no commutation: {trace}",
        )
        element = commutations[0]
        problems = type_problems(element, COMMUTATION_FIELDS, "commutation")
        ctx.check("OKT-CHAIN-COMMUTATION", not problems, "; ".join(problems) or "fields")
        ctx.check(
            "OKT-CHAIN-COMMUTATION",
            bool(DATETIME.match(str(element["timestart"])))
            and element.get("alinenumber") == env.line,
            f"timestart {element['timestart']!r}, alinenumber "
            f"{element.get('alinenumber')!r}: expected a date-time and {env.line!r}",
        )
        set_user_state(env, ("userstateid", "1"))
        value, _ = observe_user_state(env)
        ctx.check(
            "OKT-SUS-NOT-FREE-TALKING",
            value == 5,
            f"talking, userstateid=1 gave state {value}, expected 5 (busy)",
        )
        set_user_state(env, ("userstateid", "3"))
        value, _ = observe_user_state(env)
        ctx.check(
            "OKT-SUS-NOT-FREE-TALKING",
            value == 5,
            f"talking, userstateid=3 gave state {value}, expected 5 (busy)",
        )
        flashed = env.pbx.get("wp_flash", [("line", env.line)])
        held = observe_line(env).get("currentlinestate")
        ctx.check(
            "OKT-CALL-FLASH",
            flashed.status_code == 200 and held != 32,
            f"wp_flash: {flashed.status_code}, line state {held}: expected 200 and not commutated",
        )
        env.pbx.get("wp_flash", [("line", env.line)])
        back = observe_line(env).get("currentlinestate")
        ctx.check("OKT-CALL-FLASH", back == 32, f"a second wp_flash: state {back}, expected 32")
        stopped = env.pbx.get("wp_autocallstop", [("line", env.line)])
        after = observe_line(env)
        ctx.check(
            "OKT-CALL-STOP",
            stopped.status_code == 200
            and after.get("currentlinestate") == idle
            and "abonentinfo" not in after,
            f"wp_autocallstop: {stopped.status_code}, then {after}: expected 200 and "
            f"the idle state {idle}",
        )


@SUITE.case("OKT-CALL-DIRECTION-PBX", needs={"state", "control", "internal"})
def answered_inside_call(ctx: CaseContext, env: OktellEnv) -> None:
    """wp_autocallstart direction=pbx to --internal-number; once it answers, the other
    party of the commutation is an internal line (isextline false); stop: idle."""
    require_free_user(ctx, env)
    _idle(ctx, env)
    control = env.require_control()
    with _answered_call(ctx, env, env.internal_number):
        started = env.pbx.get("wp_autocallstart", [
            ("line", env.line), ("number", env.internal_number), ("direction", "pbx")])
        if started.status_code != 200:
            ctx.fail("OKT-CALL-DIRECTION-PBX", f"wp_autocallstart direction=pbx number="
                     f"{env.internal_number}: {started.status_code}, expected 200 and a call")
            return
        control.advance(3)
        state = observe_line(env)
        info = state.get("abonentinfo")
        if not isinstance(info, dict):
            ctx.fail("OKT-CALL-DIRECTION-PBX", f"direction=pbx to {env.internal_number}: no "
                     f"answered commutation after it answered (line: {state})")
            return
        ctx.check(
            "OKT-CALL-DIRECTION-PBX",
            info.get("isextline") is False,
            f"direction=pbx to {env.internal_number}: isextline {info.get('isextline')!r}, "
            "expected false (an internal line)",
        )


@SUITE.case("OKT-CALL-NUMBER-REQUIRED", needs={"state"})
def number_required(ctx: CaseContext, env: OktellEnv) -> None:
    """wp_autocallstart without number: not 200, and no call on the line."""
    idle = _idle(ctx, env)
    try:
        response = env.pbx.get("wp_autocallstart", [("line", env.line)])
        state = observe_line(env)
        ctx.check(
            "OKT-CALL-NUMBER-REQUIRED",
            response.status_code != 200 and state.get("currentlinestate") == idle,
            f"without number: {response.status_code}, line state "
            f"{state.get('currentlinestate')}: expected an error and the line idle",
        )
    finally:
        _stop(env)


@SUITE.case("OKT-CALL-SEQUENCE", needs={"state", "control"})
def sequence_back(ctx: CaseContext, env: OktellEnv) -> None:
    """sequence=back rings the line first (lsRinging); direct does not."""
    idle = _idle(ctx, env)
    with _answered_call(ctx, env):
        for sequence, rung in (("direct", False), ("back", True)):
            env.pbx.get(
                "wp_autocallstart",
                [("line", env.line), ("number", env.number), ("sequence", sequence)],
            )
            shown = str(observe_line(env).get("currentlinestatestr"))
            ctx.check(
                "OKT-CALL-SEQUENCE",
                ("Ring" in shown) is rung,
                f"sequence={sequence}: the line shows {shown!r}, expected "
                f"{'being rung' if rung else 'not being rung'}",
            )
            env.pbx.get("wp_autocallstop", [("line", env.line)])
    ctx.check(
        "OKT-CALL-SEQUENCE",
        observe_line(env).get("currentlinestate") == idle,
        "the line is idle again",
    )


@SUITE.case("OKT-CALL-SWITCH-IDLE", needs={"state", "control"})
def switch_idle_line(ctx: CaseContext, env: OktellEnv) -> None:
    """wp_switchcall on an idle line starts an autocall to the number."""
    idle = _idle(ctx, env)
    with _answered_call(ctx, env):
        response = env.pbx.get("wp_switchcall", [("line", env.line), ("number", env.number)])
        state = observe_line(env).get("currentlinestate")
        ctx.check(
            "OKT-CALL-SWITCH-IDLE",
            response.status_code == 200 and state != idle,
            f"wp_switchcall on an idle line: {response.status_code}, state {state}: "
            "expected 200 and a call",
        )


@SUITE.case("OKT-CALL-DECLINE", needs={"state", "control"})
def decline_incoming(ctx: CaseContext, env: OktellEnv) -> None:
    """An incoming call rings the line; wp_declinecall: 200 and the line idle again."""
    idle = _idle(ctx, env)
    control = env.require_control()
    with control.frozen_clock():
        try:
            control.incoming_call(CALLER, env.line)
            control.advance(0.2)
            ringing = observe_line(env).get("currentlinestate")
            if ringing == idle:
                ctx.unsupported("the scripted incoming call did not ring the line")
            response = env.pbx.get("wp_declinecall", [("line", env.line)])
            after = observe_line(env).get("currentlinestate")
            ctx.check(
                "OKT-CALL-DECLINE",
                response.status_code == 200 and after == idle,
                f"wp_declinecall: {response.status_code}, then state {after}: expected "
                f"200 and the idle state {idle}",
            )
        finally:
            _stop(env)
