"""Service scripts: execsvcscript synchronous (the returned value in returnvalue's name,
the start parameters unchanged), past its timeout, asynchronous, an unknown script, and
execsvcscriptplain's unwrapped output. The scripts are the two harmless ones the run is
given (--echo-script, --sleep-script)."""

from __future__ import annotations

import time

import httpx
from nabat.conformance.framework.context import CaseContext
from nabat.conformance.oktell.binding import OktellEnv
from nabat.conformance.oktell.checks import XML_UTF16, mapper_set, properties, xml_reply
from nabat.conformance.oktell.suite import SUITE

VALUE = "Проверка 123"
QUICK_SECONDS = 5.0  # an answer that does not wait for a script comes well within this
SLEEP = "30"  # the sleep script's seconds: far past the timeout and QUICK_SECONDS


def _script(env: OktellEnv, which: str) -> str:
    name = env.settings.echo_script if which == "echo" else env.settings.sleep_script
    assert name is not None
    return name


def _run(env: OktellEnv, command: str, name: str, *pairs: tuple[str, str]) -> httpx.Response:
    return env.pbx.get(command, [("name", name), *pairs])


def _unwaited(
    ctx: CaseContext, env: OktellEnv, clause: str, *pairs: tuple[str, str]
) -> httpx.Response:
    """An execsvcscript of the sleep script that must not wait for it: no answer within
    --target-timeout fails ``clause``."""
    try:
        return _run(env, "execsvcscript", _script(env, "sleep"), *pairs)
    except httpx.TimeoutException:
        ctx.fail(
            clause,
            f"no answer within --target-timeout: the service waited for the {SLEEP} s script",
        )
        raise


def _result(ctx: CaseContext, response: httpx.Response, what: str) -> dict[str, dict[str, str]]:
    """started/startresult/returnvalue attributes of an execsvcscript answer (checked)."""
    ctx.check(
        "OKT-SCRIPT-STRUCTURE",
        response.status_code == 200,
        f"{what}: expected 200, got {response.status_code}",
    )
    reply = xml_reply(ctx, response, "utf-16", what)
    found = properties(mapper_set(ctx, "OKT-SCRIPT-STRUCTURE", reply, "result", "execsvcscript"))
    ctx.check(
        "OKT-SCRIPT-STRUCTURE",
        {"started", "startresult", "returnvalue"} <= set(found),
        f"{what}: property keys {sorted(found)}, expected started, startresult, returnvalue",
    )
    return {key: dict(element.attrib) for key, element in found.items()}


def _started(ctx: CaseContext, result: dict[str, dict[str, str]], what: str) -> None:
    started, startresult = result["started"], result["startresult"]
    ctx.check(
        "OKT-SCRIPT-STARTED",
        (started.get("value"), started.get("name")) == ("1", "success")
        and (startresult.get("value"), startresult.get("name")) == ("0", "success"),
        f"{what}: started {started}, startresult {startresult}: expected value 1 / 0, name success",
    )


@SUITE.case(
    "OKT-SCRIPT-STRUCTURE",
    "OKT-SCRIPT-STARTED",
    "OKT-SCRIPT-RETURNVALUE",
    "OKT-SCRIPT-PARAMS",
    *XML_UTF16,
    needs={"scripts"},
)
def script_synchronous(ctx: CaseContext, env: OktellEnv) -> None:
    """execsvcscript of the echo script, async=0: started, and returnvalue name= startparam1
    (Cyrillic and a space, unchanged)."""
    params = [
        ("startparam1", VALUE),
        ("startparam2", "2"),
        ("startparam3", "3"),
        ("startparam4", "4"),
        ("startparam5", "5"),
        ("async", "0"),
        ("timeout", "10"),
    ]
    result = _result(
        ctx, _run(env, "execsvcscript", _script(env, "echo"), *params), "execsvcscript async=0"
    )
    _started(ctx, result, "execsvcscript async=0")
    returned = result["returnvalue"]
    ctx.check(
        "OKT-SCRIPT-RETURNVALUE",
        "name" in returned,
        f"returnvalue {returned}: expected the value in the name attribute",
    )
    ctx.check(
        "OKT-SCRIPT-PARAMS",
        returned.get("name") == VALUE,
        f"returnvalue name={returned.get('name')!r}: expected startparam1 {VALUE!r}",
    )


@SUITE.case(
    "OKT-SCRIPT-STRUCTURE",
    "OKT-SCRIPT-STARTED",
    "OKT-SCRIPT-TIMEOUT",
    *XML_UTF16,
    needs={"scripts"},
)
def script_timeout(ctx: CaseContext, env: OktellEnv) -> None:
    """The sleep script (30 s) with async=0&timeout=1: the answer comes after about a second,
    started, without a result."""
    began = time.monotonic()
    response = _unwaited(
        ctx, env, "OKT-SCRIPT-TIMEOUT", ("startparam1", SLEEP), ("async", "0"), ("timeout", "1")
    )
    seconds = time.monotonic() - began
    result = _result(ctx, response, "execsvcscript timeout=1")
    _started(ctx, result, "execsvcscript timeout=1")
    returned = result["returnvalue"]
    ctx.check(
        "OKT-SCRIPT-TIMEOUT",
        0.5 <= seconds < QUICK_SECONDS and not returned.get("name") and not returned.get("value"),
        f"answered after {seconds:.1f} s with returnvalue {returned}: expected about 1 s "
        "and no result",
    )


@SUITE.case(
    "OKT-SCRIPT-STRUCTURE", "OKT-SCRIPT-STARTED", "OKT-SCRIPT-ASYNC", *XML_UTF16, needs={"scripts"}
)
def script_asynchronous(ctx: CaseContext, env: OktellEnv) -> None:
    """The sleep script (30 s) with async=1: answered at once, started, without a result."""
    began = time.monotonic()
    response = _unwaited(ctx, env, "OKT-SCRIPT-ASYNC", ("startparam1", SLEEP), ("async", "1"))
    seconds = time.monotonic() - began
    result = _result(ctx, response, "execsvcscript async=1")
    _started(ctx, result, "execsvcscript async=1")
    returned = result["returnvalue"]
    ctx.check(
        "OKT-SCRIPT-ASYNC",
        seconds < QUICK_SECONDS and not returned.get("name") and not returned.get("value"),
        f"answered after {seconds:.1f} s with returnvalue {returned}: expected at once "
        "and no result",
    )


@SUITE.case("OKT-SCRIPT-UNKNOWN")
def script_unknown(ctx: CaseContext, env: OktellEnv) -> None:
    """execsvcscript of a script that does not exist: not started (started value=0)."""
    response = _run(
        env, "execsvcscript", "nabat-conformance-no-such-script", ("async", "0"), ("timeout", "5")
    )
    body = response.content
    text = (
        body.decode("utf-16", "replace")
        if body[:2] in (b"\xff\xfe", b"\xfe\xff")
        else body.decode("utf-8", "replace")
    )
    ctx.check(
        "OKT-SCRIPT-UNKNOWN",
        response.status_code != 200 or 'key="started" value="0"' in text,
        f'expected started value="0" (or an error), got {response.status_code} {text[:200]!r}',
    )


@SUITE.case("OKT-PLAIN-OUTPUT", needs={"scripts"})
def script_plain(ctx: CaseContext, env: OktellEnv) -> None:
    """execsvcscriptplain of the echo script: the output as the content, UTF-8, starting with
    startparam1, no XML around it."""
    response = _run(
        env,
        "execsvcscriptplain",
        _script(env, "echo"),
        ("startparam1", VALUE),
        ("async", "0"),
        ("timeout", "10"),
    )
    text = response.content.decode("utf-8", "replace")
    ctx.check(
        "OKT-PLAIN-OUTPUT",
        response.status_code == 200 and text.startswith(VALUE) and "<" not in text,
        f"expected 200 and the output starting with {VALUE!r}, not XML; got "
        f"{response.status_code} {text[:120]!r}",
    )
