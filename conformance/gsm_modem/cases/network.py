"""SIM and network cases: +CPIN, +CFUN, +CREG (read, <lac>/<ci>, unsolicited), +COPS and
+CSQ."""

from __future__ import annotations

import re
import time

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.gsm_modem.binding import GsmEnv
from nabat.conformance.gsm_modem.checks import clean_answer, expect_line, expect_ok, spaced
from nabat.conformance.gsm_modem.client import unquote, values
from nabat.conformance.gsm_modem.suite import SUITE

REGISTERED = ("1", "5")
STATS = ("0", "1", "2", "3", "4", "5")
REGISTER_WAIT = 60.0  # seconds a modem may take to register again
POLL = 0.3


@SUITE.case("GSM-27007-CPIN-READ")
def sim_ready(ctx: CaseContext, env: GsmEnv) -> None:
    """+CPIN? answers +CPIN: READY (the pre-flight made sure no PIN is pending)."""
    expect_line(ctx, "GSM-27007-CPIN-READ", env.at("AT+CPIN?"), "+CPIN:", r"READY", "AT+CPIN?")


@SUITE.case("GSM-27007-CPIN-ENTER", needs={"pin"})
def pin_accepted(ctx: CaseContext, env: GsmEnv) -> None:
    """The pre-flight found the SIM asking for its PIN and entered --pin once (its
    exchange, the PIN hidden, is below); the SIM must now be READY."""
    for exchange in env.preflight_evidence:
        ctx.record(exchange)
    expect_line(ctx, "GSM-27007-CPIN-ENTER", env.at("AT+CPIN?"), "+CPIN:", r"READY",
                "AT+CPIN? after the PIN")


@SUITE.case("GSM-27007-CFUN-READ")
def functionality(ctx: CaseContext, env: GsmEnv) -> None:
    """+CFUN? answers exactly +CFUN: 1."""
    expect_line(ctx, "GSM-27007-CFUN-READ", env.at("AT+CFUN?"), "+CFUN:", r"1", "AT+CFUN?")


def creg_values(line: str | None) -> list[str]:
    return values(line or "")


@SUITE.case("GSM-27007-CREG-READ", "GSM-27007-CREG-LOCATION")
def registration(ctx: CaseContext, env: GsmEnv) -> None:
    """+CREG? answers <n>,<stat>; after +CREG=2 it answers 2,<stat> and, registered,
    the quoted hex <lac> and <ci>."""
    env.require("+CREG")
    found = env.state.settings["+CREG"]
    answer = env.at("AT+CREG?")
    parts = creg_values(answer.first("+CREG:"))
    ctx.check("GSM-27007-CREG-READ",
              answer.ok and len(parts) >= 2 and parts[0] == found and parts[1] in STATS,
              f"AT+CREG?: expected +CREG: {found},<stat 0-5>, got {answer.describe()!r}")
    expect_ok(ctx, "GSM-27007-CREG-READ", env.change("+CREG", "2"), "AT+CREG=2")
    answer = env.at("AT+CREG?")
    parts = creg_values(answer.first("+CREG:"))
    ctx.check("GSM-27007-CREG-READ", answer.ok and len(parts) >= 2 and parts[0] == "2",
              f"AT+CREG? after AT+CREG=2: expected +CREG: 2,<stat>..., got "
              f"{answer.describe()!r}")
    if len(parts) >= 2 and parts[1] in REGISTERED:
        hexes = [re.fullmatch(r'"[0-9A-Fa-f]{1,8}"', part) for part in parts[2:4]]
        ctx.check("GSM-27007-CREG-LOCATION", len(hexes) == 2 and all(hexes),
                  f"AT+CREG? under +CREG=2, registered: expected \"<lac>\",\"<ci>\" in hex, "
                  f"got {answer.describe()!r}")
    else:
        ctx.note("not registered: <lac> and <ci> are not checked")


def _registration_urc(line: str, wanted: tuple[str, ...]) -> bool:
    if not line.startswith("+CREG:"):
        return False
    parts = values(line[len("+CREG:"):])
    return len(parts) == 1 and parts[0] in wanted


@SUITE.case("GSM-27007-CFUN-SET", "GSM-27007-CREG-URC", "GSM-27007-URC-OUTSIDE-ANSWERS",
            needs={"detach"})
def registration_changes(ctx: CaseContext, env: GsmEnv) -> None:
    """Under +CREG=1, +CFUN=4 makes the modem report +CREG: <not registered> and
    +CFUN? answer 4; +CFUN=1 brings +CREG: 1 (or 5) back. The suite keeps asking +CSQ
    meanwhile: no unsolicited code may land inside those answers."""
    env.require("+CREG")
    env.later("AT+CFUN=1")
    expect_ok(ctx, "GSM-27007-CREG-URC", env.change("+CREG", "1"), "AT+CREG=1")
    slow = 2 * env.modem.timeout  # +CFUN may take seconds on a real modem
    off = env.at("AT+CFUN=4", timeout=slow)
    expect_ok(ctx, "GSM-27007-CFUN-SET", off, "AT+CFUN=4")
    caused = [line for line in off.early + off.inside if line.startswith("+CREG:")]
    ctx.check("GSM-27007-URC-OUTSIDE-ANSWERS", not caused,
              f"AT+CFUN=4: the +CREG it caused must follow its final result code, but "
              f"{caused!r} came before it ({off.describe()!r})")
    lost = env.modem.wait_for(lambda line: _registration_urc(line, ("0", "2", "3", "4")),
                              slow, "+CREG: <not registered>")
    ctx.check("GSM-27007-CREG-URC", lost is not None,
              f"after AT+CFUN=4 under +CREG=1: expected +CREG: 0 (or 2, 3, 4) within {slow:g} s, "
              f"saw {env.modem.urcs!r}")
    expect_line(ctx, "GSM-27007-CFUN-SET", env.at("AT+CFUN?"), "+CFUN:", r"4",
                "AT+CFUN? after AT+CFUN=4")
    expect_ok(ctx, "GSM-27007-CFUN-SET", env.at("AT+CFUN=1", timeout=slow), "AT+CFUN=1")
    deadline = time.monotonic() + REGISTER_WAIT
    back: str | None = None
    while back is None and time.monotonic() < deadline:
        clean_answer(ctx, env.at("AT+CSQ"))
        back = env.modem.wait_for(lambda line: _registration_urc(line, ("1", "5")), POLL,
                                  "+CREG: 1 or 5")
    ctx.check("GSM-27007-CREG-URC", back is not None,
              f"after AT+CFUN=1 under +CREG=1: expected +CREG: 1 (or 5) within "
              f"{REGISTER_WAIT:g} s, saw {env.modem.urcs!r}")


@SUITE.case("GSM-27007-COPS-READ", "GSM-27007-COPS-FORMAT")
def operator(ctx: CaseContext, env: GsmEnv) -> None:
    """+COPS? answers <mode>[,<format>,"<oper>"]; +COPS=3,2 gives the numeric operator and
    +COPS=3,0 the long name."""
    answer = env.at("AT+COPS?")
    expect_line(ctx, "GSM-27007-COPS-READ", answer, "+COPS:", r'[0-4](,[0-2],"[^"]*"(,\d+)?)?',
                "AT+COPS?")
    if len(values(answer.first("+COPS:") or "")) < 3:
        ctx.note("no operator (not registered): the formats are not checked")
        return
    env.require("+COPS")
    expect_ok(ctx, "GSM-27007-COPS-FORMAT", env.change("+COPS", "3,2"), "AT+COPS=3,2")
    numeric = values(env.at("AT+COPS?").first("+COPS:") or "")
    ctx.check("GSM-27007-COPS-FORMAT",
              len(numeric) >= 3 and numeric[1] == "2"
              and re.fullmatch(r"\d{5,6}", unquote(numeric[2])) is not None,
              f"AT+COPS? after AT+COPS=3,2: expected <mode>,2,\"<MCC><MNC>\", got {numeric!r}")
    expect_ok(ctx, "GSM-27007-COPS-FORMAT", env.at("AT+COPS=3,0"), "AT+COPS=3,0")
    long = values(env.at("AT+COPS?").first("+COPS:") or "")
    ctx.check("GSM-27007-COPS-FORMAT",
              len(long) >= 3 and long[1] == "0" and not unquote(long[2]).isdigit(),
              f"AT+COPS? after AT+COPS=3,0: expected <mode>,0,\"<long name>\", got {long!r}")


@SUITE.case("GSM-27007-CSQ", "GSM-27007-CSQ-TEST")
def signal_quality(ctx: CaseContext, env: GsmEnv) -> None:
    """+CSQ answers <rssi 0-31|99>,<ber 0-7|99>; +CSQ=? lists both ranges."""
    found = expect_line(ctx, "GSM-27007-CSQ", env.at("AT+CSQ"), "+CSQ:", r"(\d+),(\d+)",
                        "AT+CSQ")
    if found is not None:
        rssi, ber = int(found.group(1)), int(found.group(2))
        ctx.check("GSM-27007-CSQ", (rssi <= 31 or rssi == 99) and (ber <= 7 or ber == 99),
                  f"AT+CSQ: rssi {rssi} must be 0-31 or 99 and ber {ber} 0-7 or 99")
    expect_line(ctx, "GSM-27007-CSQ-TEST", env.at("AT+CSQ=?"), "+CSQ:", r"\(.+\),\(.+\)",
                "AT+CSQ=?")


SCAN_TIMEOUT = 180.0  # an operator scan can take minutes on a live network
_OPERATOR = r'\([0-3],"[^"]*","[^"]*","\d{5,6}"(,\d+)?\)'


@SUITE.case("GSM-27007-COPS-LIST", needs={"scan"})
def operator_scan(ctx: CaseContext, env: GsmEnv) -> None:
    """+COPS=? lists the operators found: (<stat>,"long","short","numeric"[,<AcT>])
    groups, separated by commas, optionally followed by ,,(modes),(formats)."""
    answer = env.at("AT+COPS=?", timeout=max(env.modem.timeout, SCAN_TIMEOUT))
    listing = answer.first("+COPS:") or ""
    groups = listing.split(",,")[0]
    shape = re.fullmatch(rf"{_OPERATOR}(,{_OPERATOR})*", groups) is not None
    ctx.check("GSM-27007-COPS-LIST", answer.ok and shape and spaced(answer, "+COPS:"),
              f"AT+COPS=?: expected +COPS: (<stat>,\"long\",\"short\",\"numeric\")... then OK, "
              f"got {answer.describe()!r}")
