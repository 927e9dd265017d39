"""+CMEE cases: the error mode setting and the three forms of an ME error, and
+CMS ERROR for SMS commands (an index outside the memory)."""

from __future__ import annotations

import re

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.gsm_modem.binding import GsmEnv
from nabat.conformance.gsm_modem.checks import expect_ok
from nabat.conformance.gsm_modem.client import Response, values
from nabat.conformance.gsm_modem.errors import same_error
from nabat.conformance.gsm_modem.suite import SUITE

# Harmless commands that fail for an ME reason: a tone without a call, a facility
# lock query of a facility that does not exist.
PROBES = ("AT+VTS=1", 'AT+CLCK="ZZ",2')


def listed(text: str) -> set[int]:
    """The numbers of a test-form list such as ``(0-2)`` or ``(0,1,2)``."""
    found: set[int] = set()
    for low, high in re.findall(r"(\d+)(?:-(\d+))?", text):
        found.update(range(int(low), int(high or low) + 1))
    return found


def _probe(env: GsmEnv) -> tuple[str, Response] | None:
    """The first probe that fails with +CME ERROR under +CMEE=1."""
    for probe in PROBES:
        answer = env.at(probe)
        if answer.cme() is not None:
            return probe, answer
    return None


@SUITE.case("GSM-27007-CMEE-SETTING", "GSM-27007-CMEE-OFF", "GSM-27007-CMEE-NUMERIC",
            "GSM-27007-CMEE-VERBOSE", "GSM-27007-CME-TEXT")
def error_modes(ctx: CaseContext, env: GsmEnv) -> None:
    """+CMEE=? lists 0-2 and +CMEE? reads back each value; one failing command
    (a tone without a call) gives ERROR, +CME ERROR: <number> and +CME ERROR: <text>
    under 0, 1 and 2, the text naming the number's error."""
    env.touch("+CMEE")
    test = env.at("AT+CMEE=?")
    supported = listed(test.first("+CMEE:") or "")
    ctx.check("GSM-27007-CMEE-SETTING", {0, 1, 2} <= supported and test.ok,
              f"AT+CMEE=? must list 0, 1 and 2, got {test.describe()!r}")
    for mode in ("0", "2", "1"):
        expect_ok(ctx, "GSM-27007-CMEE-SETTING", env.at(f"AT+CMEE={mode}"), f"AT+CMEE={mode}")
        read = env.at("AT+CMEE?")
        ctx.check("GSM-27007-CMEE-SETTING", read.first("+CMEE:") == mode and read.ok,
                  f"AT+CMEE? after AT+CMEE={mode}: expected +CMEE: {mode}, got "
                  f"{read.describe()!r}")
    found = _probe(env)
    if found is None:
        ctx.fail("GSM-27007-CMEE-NUMERIC",
                 f"under +CMEE=1 none of {', '.join(PROBES)} failed with +CME ERROR: <err>")
        return
    probe, numeric = found
    code = numeric.cme() or ""
    ctx.check("GSM-27007-CMEE-NUMERIC", code.isdigit(),
              f"{probe} under +CMEE=1: expected +CME ERROR: <number>, got {numeric.final!r}")
    env.at("AT+CMEE=0")
    plain = env.at(probe)
    ctx.check("GSM-27007-CMEE-OFF", plain.final == "ERROR",
              f"{probe} under +CMEE=0: expected ERROR, got {plain.describe()!r}")
    env.at("AT+CMEE=2")
    verbose = env.at(probe)
    text = verbose.cme() or ""
    ctx.check("GSM-27007-CMEE-VERBOSE", bool(text) and not text.isdigit(),
              f"{probe} under +CMEE=2: expected +CME ERROR: <text>, got {verbose.final!r}")
    if code.isdigit() and text:
        same = same_error("+CME", int(code), text)
        if same is None:
            ctx.note(f"+CME ERROR: {code} is not in the suite's table: its text is not compared")
        else:
            ctx.check("GSM-27007-CME-TEXT", same,
                      f"{probe}: +CME ERROR: {code} under +CMEE=1 but +CME ERROR: {text} "
                      "under +CMEE=2 (27.007 §9.2 gives them different meanings)")


def memory_total(env: GsmEnv) -> int | None:
    """<total1> of +CPMS? (the size of the read memory)."""
    line = env.at("AT+CPMS?").first("+CPMS:")
    parts = values(line or "")
    return int(parts[2]) if len(parts) >= 3 and parts[2].isdigit() else None


@SUITE.case("GSM-27005-INVALID-INDEX", "GSM-27005-CMS-ERROR", "GSM-27005-CMS-VERBOSE")
def sms_error_forms(ctx: CaseContext, env: GsmEnv) -> None:
    """+CMGR of the index just past the memory: +CMS ERROR: 321 under +CMEE=1, its text
    under +CMEE=2, and ERROR or +CMS ERROR under +CMEE=0."""
    total = memory_total(env)
    if total is None:
        ctx.unsupported("AT+CPMS? did not give the memory's size")
    index = total + 1
    env.touch("+CMEE")
    numeric = env.at(f"AT+CMGR={index}")
    ctx.check("GSM-27005-CMS-ERROR", (numeric.cms() or "").isdigit(),
              f"AT+CMGR={index} under +CMEE=1: expected +CMS ERROR: <number>, got "
              f"{numeric.describe()!r}")
    ctx.check("GSM-27005-INVALID-INDEX", numeric.cms() == "321",
              f"AT+CMGR={index} (the memory holds {total}): expected +CMS ERROR: 321, got "
              f"{numeric.describe()!r}")
    env.at("AT+CMEE=2")
    verbose = env.at(f"AT+CMGR={index}")
    text = verbose.cms() or ""
    ctx.check("GSM-27005-CMS-VERBOSE", same_error("+CMS", 321, text) is True,
              f"AT+CMGR={index} under +CMEE=2: expected +CMS ERROR: invalid memory index, got "
              f"{verbose.describe()!r}")
    env.at("AT+CMEE=0")
    plain = env.at(f"AT+CMGR={index}")
    kind = "+CMS ERROR" if plain.cms() is not None else plain.final or "(none)"
    ctx.accept_any("GSM-27005-CMS-ERROR", kind, ("ERROR", "+CMS ERROR"),
                   f"AT+CMGR={index} under +CMEE=0: expected ERROR or +CMS ERROR, got "
                   f"{plain.describe()!r}")
