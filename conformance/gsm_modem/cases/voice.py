"""Voice calls to --call-to: ATD<number>; and +CLCC while it rings and once answered,
ATH and +CHUP, +VTS in an answered call, the dialect's DTMF-detection URC for a key
the far end presses, and Huawei's ^ORIG/^CONN/^CEND when the modem reports them."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.gsm_modem.binding import GsmEnv
from nabat.conformance.gsm_modem.cases.sms_send import registered
from nabat.conformance.gsm_modem.checks import clean_answer, expect_ok
from nabat.conformance.gsm_modem.client import Response, unquote, values
from nabat.conformance.gsm_modem.suite import SUITE

POLL = 0.25
DTMF_KEYS = "0123456789*#ABCD"
ENDED = ("NO CARRIER", "BUSY", "NO ANSWER")


@dataclass(frozen=True)
class Detection:
    """A dialect's DTMF-detection switch and its unsolicited code."""

    name: str
    read: str
    on: str
    off: str
    urc: str  # pattern; group 1 is the key (or its ASCII code)
    ascii_code: bool = False


DIALECTS = (
    Detection("SIMCom", "AT+DDET?", "AT+DDET=1", "AT+DDET=0", r"\+DTMF:\s*(\S)"),
    Detection("Quectel", "AT+QTONEDET?", "AT+QTONEDET=1", "AT+QTONEDET=0",
              r"\+QTONEDET:\s*(\d+)", ascii_code=True),
    Detection("Huawei", "AT^DDSETEX?", "AT^DDSETEX=2", "AT^DDSETEX=1", r"\^DDTMF:\s*(\S)"),
)


def call_to(env: GsmEnv) -> str:
    number = env.settings.call_to
    if number is None:
        env.ctx.unsupported("no --call-to NUMBER given")
    return number


def calls(answer: Response) -> list[list[str]]:
    return [values(line) for line in answer.info("+CLCC:")]


def check_listing(ctx: CaseContext, env: GsmEnv, row: list[str], number: str) -> None:
    listed = unquote(row[5]) if len(row) > 6 else ""
    kind = row[6] if len(row) > 6 else ""
    good = (len(row) >= 7 and row[0].isdigit() and row[1] == "0" and row[2] in ("0", "2", "3")
            and row[3] == "0" and row[4] in ("0", "1")
            and listed.lstrip("+") == number.lstrip("+") and kind in ("129", "145")
            and (kind == "145") == listed.startswith("+"))
    ctx.check("GSM-27007-CLCC-CALL", good,
              f"+CLCC: {','.join(row)}: expected <id>,0,<stat 2|3|0>,0,<mpty>,\"{number}\","
              "<type> for the call the modem dialled")


def dial(env: GsmEnv, number: str, checked: bool = False) -> Response:
    """ATD<number>; the call is hung up when the case ends. ``checked``: the case
    declares GSM-V250-DIAL-VOICE and checks the OK; the others need the call and are
    unsupported without it (voice_call reports the failure)."""
    registered(env)
    env.later("ATH")
    answer = env.at(f"ATD{number};", timeout=max(env.modem.timeout, env.settings.call_wait))
    if checked:
        expect_ok(env.ctx, "GSM-V250-DIAL-VOICE", answer, f"ATD{number};")
    elif not answer.ok:
        env.ctx.unsupported(f"ATD{number}; did not start a call ({answer.describe()}): "
                            "voice_call judges that")
    return answer


def wait_for_state(env: GsmEnv, number: str, wanted: tuple[str, ...], timeout: float,
                   checked: bool = False) -> list[str] | None:
    """Poll +CLCC until the call is in one of ``wanted`` states; None when it ended or
    the time ran out. ``checked``: the case declares GSM-27007-CLCC-CALL and
    GSM-27007-URC-OUTSIDE-ANSWERS, and the listing and the answers are checked."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = env.at("AT+CLCC")
        rows = calls(answer)
        if checked:
            clean_answer(env.ctx, answer)
            if rows:
                check_listing(env.ctx, env, rows[0], number)
        if not rows:
            return None
        if rows[0][2:3] and rows[0][2] in wanted:
            return rows[0]
        if any(urc in ENDED for urc in env.modem.urcs):
            return None
        time.sleep(POLL)
    return None


def answered(env: GsmEnv, number: str) -> list[str]:
    row = wait_for_state(env, number, ("0",), env.settings.call_wait)
    if row is None:
        env.ctx.unsupported(f"{number} did not answer within {env.settings.call_wait:g} s "
                            f"(--call-wait); unsolicited: {env.modem.urcs!r}")
    return row


def hang_up(ctx: CaseContext, env: GsmEnv, command: str, clause: str) -> None:
    expect_ok(ctx, clause, env.at(command), command)
    left = env.at("AT+CLCC")
    ctx.check(clause, left.ok and not left.info("+CLCC:"),
              f"AT+CLCC after {command}: expected no call, got {left.describe()!r}")


HUAWEI_URCS = {"^ORIG": r"\^ORIG:\s*\d+,\d+", "^CONN": r"\^CONN:\s*\d+,\d+",
               "^CEND": r"\^CEND:\s*\d+,\d+,\d+(,\d+)?"}


def huawei_line(env: GsmEnv, name: str, timeout: float) -> str | None:
    return env.modem.wait_for(lambda line: line.startswith(name + ":"), timeout, name)


@SUITE.case("GSM-V250-DIAL-VOICE", "GSM-27007-CLCC-CALL", "GSM-V250-HANGUP",
            "GSM-VENDOR-HUAWEI-CALL-URC", "GSM-27007-URC-OUTSIDE-ANSWERS", needs={"call"})
def voice_call(ctx: CaseContext, env: GsmEnv) -> None:
    """ATD<number>; is OK at once; +CLCC lists the call dialling or alerting, then active
    once answered; ATH ends it (+CLCC empty). A modem that reports ^ORIG must report
    ^CONN and ^CEND too, in their formats."""
    number = call_to(env)
    dial(env, number, checked=True)
    ringing = wait_for_state(env, number, ("2", "3", "0"), env.settings.call_wait, True)
    ctx.check("GSM-27007-CLCC-CALL", ringing is not None,
              "AT+CLCC after ATD: expected the call listed (dialling, alerting or active)")
    ctx.check("GSM-V250-DIAL-VOICE", ringing is not None and ringing[2:3] != ["0"],
              f"the first +CLCC after ATD's OK lists the call as {ringing!r}: an OK that waits "
              "for the far end to answer is not the OK of a voice dial (+COLP=0)")
    active = wait_for_state(env, number, ("0",), env.settings.call_wait, True)
    if active is None:
        ctx.note(f"{number} did not answer within {env.settings.call_wait:g} s: the active "
                 "state is not checked")
    huawei = huawei_line(env, "^ORIG", 0.0)
    if huawei is not None:
        ctx.check("GSM-VENDOR-HUAWEI-CALL-URC", re.fullmatch(HUAWEI_URCS["^ORIG"], huawei)
                  is not None, f"{huawei!r}: expected ^ORIG:<id>,<type>")
        if active is not None:
            connected = huawei_line(env, "^CONN", env.modem.timeout)
            ctx.check("GSM-VENDOR-HUAWEI-CALL-URC", connected is not None and re.fullmatch(
                HUAWEI_URCS["^CONN"], connected) is not None,
                f"answered after ^ORIG: expected ^CONN:<id>,<type>, got {connected!r}")
    hang_up(ctx, env, "ATH", "GSM-V250-HANGUP")
    if huawei is not None:
        ended = huawei_line(env, "^CEND", env.modem.timeout)
        ctx.check("GSM-VENDOR-HUAWEI-CALL-URC", ended is not None and re.fullmatch(
            HUAWEI_URCS["^CEND"], ended) is not None,
            f"ATH after ^ORIG: expected ^CEND:<id>,<duration>,<end status>,<cause>, got "
            f"{ended!r}")


@SUITE.case("GSM-27007-CHUP", needs={"call"})
def hang_up_with_chup(ctx: CaseContext, env: GsmEnv) -> None:
    """+CHUP ends a call that is ringing (or answered): OK, and +CLCC lists none."""
    number = call_to(env)
    dial(env, number)
    if wait_for_state(env, number, ("2", "3", "0"), env.settings.call_wait) is None:
        ctx.unsupported(f"the call to {number} ended before +CHUP could end it")
    hang_up(ctx, env, "AT+CHUP", "GSM-27007-CHUP")


@SUITE.case("GSM-27007-VTS", needs={"call"})
def send_dtmf(ctx: CaseContext, env: GsmEnv) -> None:
    """In an answered call +VTS=1 and +VTS=# are answered OK."""
    number = call_to(env)
    dial(env, number)
    answered(env, number)
    for key in ("1", "#"):
        expect_ok(ctx, "GSM-27007-VTS", env.at(f"AT+VTS={key}"), f"AT+VTS={key} in the call")


def switch_on(env: GsmEnv) -> Detection:
    """Turn on the first detection switch the modem accepts (put back at the end)."""
    for dialect in DIALECTS:
        before = env.at(dialect.read)
        found = before.first(dialect.read[2:-1] + ":")
        if not env.at(dialect.on).ok:
            continue
        value = values(found)[0] if found else ""
        if value.isdigit():
            env.later(f"{dialect.on.split('=')[0]}={value}", fallback=dialect.off)
        else:
            env.later(dialect.off)
        return dialect
    env.ctx.unsupported("the modem accepts none of the DTMF-detection switches the suite "
                        "knows (AT+DDET=1, AT+QTONEDET=1, AT^DDSETEX=2): 27.007 defines none")


@SUITE.case("GSM-VENDOR-DTMF-URC", "GSM-27007-URC-OUTSIDE-ANSWERS", needs={"call", "far-dtmf"})
def far_end_dtmf(ctx: CaseContext, env: GsmEnv) -> None:
    """With the dialect's switch on, the key the answered far end presses is reported by
    the dialect's URC; the suite polls +CLCC meanwhile (no URC inside those answers)."""
    number = call_to(env)
    dialect = switch_on(env)
    dial(env, number)
    answered(env, number)
    pattern = re.compile(dialect.urc)
    deadline = time.monotonic() + env.settings.call_wait
    key_line: str | None = None
    while key_line is None and time.monotonic() < deadline:
        clean_answer(ctx, env.at("AT+CLCC"))
        key_line = env.modem.wait_for(lambda line: pattern.fullmatch(line) is not None, POLL,
                                      f"{dialect.name} DTMF report")
    if key_line is None:
        other = [line for line in env.modem.urcs if re.match(r"[+^][A-Z]*DTMF|\+QTONEDET", line)]
        ctx.check("GSM-VENDOR-DTMF-URC", False,
                  f"no {dialect.name} DTMF report ({dialect.urc}) within "
                  f"{env.settings.call_wait:g} s of the answer; DTMF-like lines: {other!r}")
        return
    found = pattern.fullmatch(key_line)
    raw = found.group(1) if found else ""
    key = chr(int(raw)) if dialect.ascii_code and raw.isdigit() and int(raw) < 128 else raw
    ctx.check("GSM-VENDOR-DTMF-URC", len(key) == 1 and key in DTMF_KEYS,
              f"{key_line!r}: the reported key {key!r} is not a DTMF key")
