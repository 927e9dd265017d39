"""Incoming traffic, made to happen through the simulator's control API: an SMS
indicated by +CMTI and read REC UNREAD then REC READ, one routed as +CMT and not
stored, and a call that rings (RING with its +CLIP, repeated) and is answered by ATA."""

from __future__ import annotations

import re
import time

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.gsm_modem.binding import GsmEnv
from nabat.conformance.gsm_modem.cases.sms_send import registered
from nabat.conformance.gsm_modem.cases.sms_store import read_pair
from nabat.conformance.gsm_modem.checks import expect_ok
from nabat.conformance.gsm_modem.client import unquote, values
from nabat.conformance.gsm_modem.suite import SUITE

SENDER = "79001112233"  # the second party the simulator plays
ARRIVAL = 5.0  # seconds an arriving SMS or call may take at least (two RINGs: 3 s apart)
ACTIVE_WAIT = 2.0  # seconds after ATA's OK for +CLCC to show the call active


def _wait(env: GsmEnv) -> float:
    return max(2 * env.modem.timeout, ARRIVAL)


def _text_mode(env: GsmEnv, cnmi: str, clause: str) -> None:
    env.require("+CMGF", "+CSCS", "+CNMI")
    registered(env)
    env.change("+CMGF", "1")
    env.change("+CSCS", '"GSM"')
    expect_ok(env.ctx, clause, env.change("+CNMI", cnmi), f"AT+CNMI={cnmi}")


def _used(env: GsmEnv) -> str:
    parts = values(env.at("AT+CPMS?").first("+CPMS:") or "")
    return parts[7] if len(parts) >= 9 else "?"


@SUITE.case("GSM-27005-CMTI", "GSM-27005-REC-UNREAD", needs={"control"})
def sms_indicated(ctx: CaseContext, env: GsmEnv) -> None:
    """Under +CNMI=2,1 an arriving SMS is stored and indicated by +CMTI: "<mem>",<index>;
    +CMGR reads it REC UNREAD with its sender and text, and REC READ the next time."""
    control = env.require_control()
    _text_mode(env, "2,1,0,0,0", "GSM-27005-CMTI")
    text = f"Nabat conformance {env.run_id}: stored on arrival"
    control.sms_in(SENDER, text)
    urc = env.modem.wait_for(lambda line: line.startswith("+CMTI:"), _wait(env), "+CMTI")
    found = re.fullmatch(r'\+CMTI: "[^"]+",(\d+)', urc or "")
    ctx.check("GSM-27005-CMTI", found is not None,
              f"an SMS arrived under +CNMI=2,1: expected +CMTI: \"<mem>\",<index>, got {urc!r} "
              f"(unsolicited: {env.modem.urcs!r})")
    if found is None:
        return
    index = found.group(1)
    env.later(f"AT+CMGD={index}")
    first = env.at(f"AT+CMGR={index}")
    pair = read_pair(first, "+CMGR:")
    header = values(pair[0]) if pair else []
    ctx.check("GSM-27005-REC-UNREAD",
              first.ok and pair is not None and header[:1] == ['"REC UNREAD"']
              and unquote(header[1]).lstrip("+") == SENDER and pair[1] == text,
              f"AT+CMGR={index} of the new message: expected +CMGR: \"REC UNREAD\",\"+{SENDER}\","
              f"... and {text!r}, got {first.describe()!r}")
    again = env.at(f"AT+CMGR={index}")
    pair = read_pair(again, "+CMGR:")
    ctx.check("GSM-27005-REC-UNREAD",
              again.ok and pair is not None and values(pair[0])[:1] == ['"REC READ"'],
              f"AT+CMGR={index} a second time: expected +CMGR: \"REC READ\",..., got "
              f"{again.describe()!r}")


@SUITE.case("GSM-27005-CMT", needs={"control"})
def sms_routed(ctx: CaseContext, env: GsmEnv) -> None:
    """Under +CNMI=2,2 an arriving SMS comes as +CMT: "<oa>",... with its text on the next
    line, and is not stored (the receive memory's count does not change)."""
    control = env.require_control()
    _text_mode(env, "2,2,0,0,0", "GSM-27005-CMT")
    before = _used(env)
    text = f"Nabat conformance {env.run_id}: routed, not stored"
    control.sms_in(SENDER, text)
    urc = env.modem.wait_for(lambda line: line.startswith("+CMT:"), _wait(env), "+CMT")
    head, _, body = (urc or "").partition("\n")
    parts = values(head[len("+CMT:"):])
    ctx.check("GSM-27005-CMT",
              urc is not None and unquote(parts[0]).lstrip("+") == SENDER and body == text,
              f"an SMS arrived under +CNMI=2,2: expected +CMT: \"+{SENDER}\",... and {text!r}, "
              f"got {urc!r}")
    after = _used(env)
    ctx.check("GSM-27005-CMT", after == before,
              f"a routed SMS must not be stored: the receive memory held {before}, now {after}")


@SUITE.case("GSM-27007-RING", "GSM-27007-CLIP-URC", "GSM-27007-RING-WITH-CLIP",
            "GSM-V250-ANSWER", needs={"control"})
def call_arrives(ctx: CaseContext, env: GsmEnv) -> None:
    """Under +CLIP=1 a call rings: RING (or +CRING: VOICE) at least twice, each followed
    at once by +CLIP: "<number>",<type>; ATA answers it and +CLCC lists it active and
    incoming; ATH ends it."""
    control = env.require_control()
    env.require("+CLIP")
    registered(env)
    env.change("+CLIP", "1")
    env.later("ATH")
    control.call_in(SENDER, ring_for=60, talk_for=120)
    rings: list[str] = []
    for _ in range(2):
        ring = env.modem.wait_for(lambda line: line in ("RING", "+CRING: VOICE"), _wait(env),
                                  "RING")
        if ring is None:
            break
        rings.append(ring)
        following = env.modem.next_line(_wait(env), f"the line after {ring}")
        ctx.check("GSM-27007-RING-WITH-CLIP", (following or "").startswith("+CLIP:"),
                  f"{ring} must be followed at once by its +CLIP line, but {following!r} was")
        clip = following if (following or "").startswith("+CLIP:") else env.modem.wait_for(
            lambda line: line.startswith("+CLIP:"), _wait(env), "+CLIP")
        parts = values((clip or "")[len("+CLIP:"):])
        number = unquote(parts[0])
        kind = ["145"] if number.startswith("+") else ["129"]
        ctx.check("GSM-27007-CLIP-URC",
                  clip is not None and number.lstrip("+") == SENDER and parts[1:2] == kind,
                  f"after {ring}: expected +CLIP: \"+{SENDER}\",<type 145 for a + number, else "
                  f"129>..., got {clip!r}")
    ctx.check("GSM-27007-RING", len(rings) == 2,
              f"a call arrived: expected RING (or +CRING: VOICE) repeated while it rings, got "
              f"{rings!r}; unsolicited: {env.modem.urcs!r}")
    expect_ok(ctx, "GSM-V250-ANSWER", env.at("ATA"), "ATA")
    deadline = time.monotonic() + ACTIVE_WAIT
    while True:
        listed = [values(line) for line in env.at("AT+CLCC").info("+CLCC:")]
        if (listed and listed[0][2:3] == ["0"]) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    ctx.check("GSM-V250-ANSWER",
              bool(listed) and listed[0][1:3] == ["1", "0"]
              and unquote(listed[0][5] if len(listed[0]) > 5 else "").lstrip("+") == SENDER,
              f"+CLCC after ATA: expected the call incoming (dir 1) and active (stat 0) from "
              f"+{SENDER}, got {listed!r}")
    expect_ok(ctx, "GSM-V250-ANSWER", env.at("ATH"), "ATH ending the answered call")
