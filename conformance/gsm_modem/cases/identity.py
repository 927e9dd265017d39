"""Identification cases: +CGMI, +CGMM, +CGMR, +CGSN (the IMEI), +CIMI (the IMSI),
+CNUM (the own number) and +CLAC (the command list)."""

from __future__ import annotations

import re

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.gsm_modem.binding import GsmEnv
from nabat.conformance.gsm_modem.checks import expect_ok
from nabat.conformance.gsm_modem.client import unquote, values
from nabat.conformance.gsm_modem.suite import SUITE

USED = ("+CMGF", "+CMGS", "+CMGR", "+CMGD", "+CPIN", "+CREG", "+CSQ", "+CMEE")


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            value -= 9 if value > 9 else 0
        total += value
    return total % 10 == 0


@SUITE.case("GSM-27007-IDENTIFICATION", "GSM-27007-CGSN-IMEI", "GSM-27007-CIMI")
def identification(ctx: CaseContext, env: GsmEnv) -> None:
    """+CGMI, +CGMM, +CGMR and +CGSN answer text; their =? answer OK; +CGSN is a
    Luhn-valid 15-digit IMEI and +CIMI a 6-15 digit IMSI."""
    texts: dict[str, list[str]] = {}
    for name in ("+CGMI", "+CGMM", "+CGMR", "+CGSN"):
        answer = env.at(f"AT{name}")
        texts[name] = answer.lines
        ctx.check("GSM-27007-IDENTIFICATION", answer.ok and bool(answer.lines),
                  f"AT{name}: expected its text then OK, got {answer.describe()!r}")
        expect_ok(ctx, "GSM-27007-IDENTIFICATION", env.at(f"AT{name}=?"), f"AT{name}=?")
    imei = re.sub(r"^\+CGSN:\s*", "", texts["+CGSN"][0]) if texts["+CGSN"] else ""
    imei = unquote(imei)
    ctx.check("GSM-27007-CGSN-IMEI", re.fullmatch(r"\d{15}", imei) is not None and luhn_ok(imei),
              f"AT+CGSN: expected a 15-digit IMEI with a valid check digit, got {imei!r}")
    answer = env.at("AT+CIMI")
    imsi = answer.lines[0] if answer.lines else ""
    ctx.check("GSM-27007-CIMI", answer.ok and re.fullmatch(r"\d{6,15}", imsi) is not None,
              f"AT+CIMI: expected 6 to 15 digits then OK, got {answer.describe()!r}")


@SUITE.case("GSM-27007-CNUM")
def own_number(ctx: CaseContext, env: GsmEnv) -> None:
    """Each +CNUM line is [<alpha>],"<number>",<type>, with type 145 exactly for +numbers."""
    answer = env.at("AT+CNUM")
    ctx.check("GSM-27007-CNUM", answer.ok, f"AT+CNUM: expected OK, got {answer.describe()!r}")
    for line in answer.info("+CNUM:"):
        parts = values(line)
        number = unquote(parts[1]) if len(parts) > 2 else ""
        kind = parts[2] if len(parts) > 2 else ""
        shape = (len(parts) > 2 and parts[1].startswith('"')
                 and re.fullmatch(r"\+?[0-9*#]+", number) is not None and kind in ("129", "145"))
        ctx.check("GSM-27007-CNUM", shape and (kind == "145") == number.startswith("+"),
                  f"+CNUM: {line}: expected [<alpha>],\"<number>\",<type> with type 145 for a "
                  "number starting with + and 129 otherwise")


@SUITE.case("GSM-27007-CLAC")
def command_list(ctx: CaseContext, env: GsmEnv) -> None:
    """+CLAC lists the commands, among them those the suite uses."""
    answer = env.at("AT+CLAC")
    names = {re.sub(r"^AT", "", line.strip().upper()) for line in answer.lines}
    missing = [name for name in USED if name not in names]
    ctx.check("GSM-27007-CLAC", answer.ok and not missing,
              f"AT+CLAC: expected a list of commands with {', '.join(USED)} and OK; missing "
              f"{missing or 'nothing'}, final {answer.final!r}")
