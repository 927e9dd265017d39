"""V.250 cases: AT and the framing of answers, lower case, echo, numeric and quiet
result codes, unknown commands, command lines of several commands, S-parameters,
line editing (backspace, A/), ATZ and AT&F."""

from __future__ import annotations

import re

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.gsm_modem.binding import GsmEnv
from nabat.conformance.gsm_modem.checks import expect_error, expect_line, expect_ok
from nabat.conformance.gsm_modem.evidence import printable
from nabat.conformance.gsm_modem.suite import SUITE

QUIET_WAIT = 0.4  # seconds a modem under ATQ1 gets to (wrongly) send a result code


def _shown(data: bytes) -> str:
    return repr(printable(data))


@SUITE.case("GSM-V250-AT-OK", "GSM-V250-RESULT-FRAMING", "GSM-V250-INFO-FRAMING")
def at_and_framing(ctx: CaseContext, env: GsmEnv) -> None:
    """AT is answered exactly <CR><LF>OK<CR><LF>; +CSQ's information text is framed the
    same way and comes before the OK."""
    answer = env.at("AT")
    expect_ok(ctx, "GSM-V250-AT-OK", answer, "AT")
    ctx.check("GSM-V250-RESULT-FRAMING", answer.framed == b"\r\nOK\r\n",
              f"AT: the answer must be the bytes \\r\\nOK\\r\\n, got {_shown(answer.framed)}")
    answer = env.at("AT+CSQ")
    value = answer.first("+CSQ:")
    expected = f"\r\n+CSQ: {value}\r\n\r\nOK\r\n".encode("latin-1")
    ctx.check("GSM-V250-INFO-FRAMING", value is not None and answer.framed == expected,
              f"AT+CSQ: expected \\r\\n+CSQ: ...\\r\\n then \\r\\nOK\\r\\n, got "
              f"{_shown(answer.framed)}")


@SUITE.case("GSM-V250-LOWERCASE")
def lower_case_commands(ctx: CaseContext, env: GsmEnv) -> None:
    """at, at+cmee? and At+CsQ mean what AT, AT+CMEE? and AT+CSQ mean."""
    expect_ok(ctx, "GSM-V250-LOWERCASE", env.at("at"), "at")
    expect_line(ctx, "GSM-V250-LOWERCASE", env.at("at+cmee?"), "+CMEE:", r"1",
                "at+cmee? (+CMEE=1 is in force)")
    expect_line(ctx, "GSM-V250-LOWERCASE", env.at("At+CsQ"), "+CSQ:", r"\d+,\d+", "At+CsQ")


@SUITE.case("GSM-V250-ECHO")
def echo_on_and_off(ctx: CaseContext, env: GsmEnv) -> None:
    """Under ATE1 the command line comes back before the answer; under ATE0 it does not."""
    env.touch("E")
    expect_ok(ctx, "GSM-V250-ECHO", env.at("ATE1"), "ATE1")
    echoed = env.at("AT+CSQ")
    ctx.check("GSM-V250-ECHO", echoed.framed.startswith(b"AT+CSQ\r") and echoed.ok,
              f"AT+CSQ under ATE1: the answer must start with the echo AT+CSQ\\r, got "
              f"{_shown(echoed.framed)}")
    expect_ok(ctx, "GSM-V250-ECHO", env.at("ATE0"), "ATE0")
    plain = env.at("AT+CSQ")
    ctx.check("GSM-V250-ECHO", plain.framed.startswith(b"\r\n+CSQ:") and plain.ok,
              f"AT+CSQ under ATE0: no echo expected, got {_shown(plain.framed)}")


@SUITE.case("GSM-V250-NUMERIC", "GSM-V250-NUMERIC-INFO")
def numeric_result_codes(ctx: CaseContext, env: GsmEnv) -> None:
    """ATV0: OK is 0<CR>, ERROR 4<CR>, information text<CR><LF>; ATV1 brings the words back."""
    env.touch("V")
    env.numeric(True)
    answer = env.at("ATV0")
    ctx.check("GSM-V250-NUMERIC", answer.framed == b"0\r",
              f"ATV0: expected the numeric OK 0\\r, got {_shown(answer.framed)}")
    answer = env.at("AT+CSQ")
    ctx.check("GSM-V250-NUMERIC", answer.framed.endswith(b"\r\n0\r") and answer.ok,
              f"AT+CSQ under ATV0: expected it to end with the numeric OK 0\\r, got "
              f"{_shown(answer.framed)}")
    ctx.check("GSM-V250-NUMERIC-INFO", re.fullmatch(rb"\+CSQ: [^\r\n]*\r\n0\r", answer.framed)
              is not None,
              f"AT+CSQ under ATV0: expected +CSQ: ...\\r\\n0\\r, got {_shown(answer.framed)}")
    answer = env.at("ATE7")
    ctx.check("GSM-V250-NUMERIC", answer.framed == b"4\r",
              f"ATE7 (a value E does not take) under ATV0: expected the numeric ERROR 4\\r, "
              f"got {_shown(answer.framed)}")
    answer = env.at("ATV1")
    env.numeric(False)
    ctx.check("GSM-V250-NUMERIC", answer.framed == b"\r\nOK\r\n",
              f"ATV1: expected \\r\\nOK\\r\\n, got {_shown(answer.framed)}")


@SUITE.case("GSM-V250-QUIET")
def quiet_result_codes(ctx: CaseContext, env: GsmEnv) -> None:
    """ATQ1: no result code at all (AT+CSQ still gives its information text); ATQ0
    brings OK back."""
    env.touch("Q")
    modem = env.modem
    modem.write_raw(b"ATQ1\r", "ATQ1")
    after_q1 = modem.silence(QUIET_WAIT, "answer to ATQ1 (none expected)")
    ctx.check("GSM-V250-QUIET", b"OK" not in after_q1 and b"0\r" not in after_q1,
              f"ATQ1: no result code expected, got {_shown(after_q1)}")
    modem.write_raw(b"AT+CSQ\r", "AT+CSQ")
    csq = modem.silence(QUIET_WAIT, "answer to AT+CSQ under ATQ1")
    ctx.check("GSM-V250-QUIET", b"+CSQ:" in csq and b"OK" not in csq,
              f"AT+CSQ under ATQ1: expected its +CSQ line and no OK, got {_shown(csq)}")
    expect_ok(ctx, "GSM-V250-QUIET", env.at("ATQ0"), "ATQ0")
    expect_ok(ctx, "GSM-V250-QUIET", env.at("AT"), "AT after ATQ0")


def error_kind(final: str | None) -> str:
    if final is not None and final.startswith(("+CME ERROR", "+CMS ERROR")):
        return final.split(":")[0]
    return final or "(no final result code)"


@SUITE.case("GSM-V250-UNKNOWN-COMMAND")
def unknown_command(ctx: CaseContext, env: GsmEnv) -> None:
    """An unknown command ends in an error result, alone and after a known command."""
    for command in ("AT+NABATNOSUCH", "AT+CGMI;+NABATNOSUCH?"):
        answer = env.at(command)
        ctx.accept_any("GSM-V250-UNKNOWN-COMMAND", error_kind(answer.final),
                       ("ERROR", "COMMAND NOT SUPPORT", "+CME ERROR"),
                       f"{command}: expected ERROR (or COMMAND NOT SUPPORT, +CME ERROR), got "
                       f"{answer.describe()!r}")


@SUITE.case("GSM-V250-CONCATENATION", "GSM-V250-LINE-STOPS-AT-ERROR")
def command_lines(ctx: CaseContext, env: GsmEnv) -> None:
    """AT+CMEE?;+CSQ answers both in order and one OK; in AT+CMEE=2;+NABATNOSUCH;+CMEE=0
    the last command never runs."""
    answer = env.at("AT+CMEE?;+CSQ")
    heads = [line.split(":")[0] for line in answer.lines]
    ctx.check("GSM-V250-CONCATENATION", heads == ["+CMEE", "+CSQ"] and answer.ok,
              f"AT+CMEE?;+CSQ: expected +CMEE:, +CSQ: then OK, got {answer.describe()!r}")
    expect_ok(ctx, "GSM-V250-CONCATENATION", env.at("ATE0V1"), "ATE0V1 (two basic commands)")
    env.touch("+CMEE")
    answer = env.at("AT+CMEE=2;+NABATNOSUCH;+CMEE=0")
    expect_error(ctx, "GSM-V250-LINE-STOPS-AT-ERROR", answer,
                 "AT+CMEE=2;+NABATNOSUCH;+CMEE=0")
    value = env.at("AT+CMEE?").first("+CMEE:")
    ctx.check("GSM-V250-LINE-STOPS-AT-ERROR", value in ("1", "2"),
              f"after AT+CMEE=2;+NABATNOSUCH;+CMEE=0 the +CMEE=0 after the error must not run: "
              f"+CMEE? answered {value!r}")


@SUITE.case("GSM-V250-S-PARAMETERS")
def s_parameters(ctx: CaseContext, env: GsmEnv) -> None:
    """ATS3?, ATS4?, ATS5? answer 013, 010, 008."""
    for register, value in ((3, "013"), (4, "010"), (5, "008")):
        answer = env.at(f"ATS{register}?")
        ctx.check("GSM-V250-S-PARAMETERS", answer.lines == [value] and answer.ok,
                  f"ATS{register}?: expected {value} then OK, got {answer.describe()!r}")


@SUITE.case("GSM-V250-BACKSPACE", "GSM-V250-REPEAT")
def line_editing(ctx: CaseContext, env: GsmEnv) -> None:
    """AT+CSQX, backspace, CR runs AT+CSQ; then A/ runs it again."""
    answer = env.modem.send(b"AT+CSQX\x08\r", "AT+CSQ", label="AT+CSQX<backspace>")
    expect_line(ctx, "GSM-V250-BACKSPACE", answer, "+CSQ:", r"\d+,\d+",
                "AT+CSQX, backspace, CR")
    again = env.modem.send(b"A/", "AT+CSQ", label="A/")
    expect_line(ctx, "GSM-V250-REPEAT", again, "+CSQ:", r"\d+,\d+", "A/ after AT+CSQ")


@SUITE.case("GSM-V250-RESET", "GSM-V250-FACTORY")
def reset_and_factory(ctx: CaseContext, env: GsmEnv) -> None:
    """ATZ is answered OK; AT&F too, and then the modem echoes and answers in words.
    Every setting the suite knows is put back afterwards (after a final ATZ)."""
    env.touch_all()
    env.later("ATZ")
    expect_ok(ctx, "GSM-V250-RESET", env.at("ATZ"), "ATZ")
    env.numeric(True)  # a saved profile may hold ATV0
    env.at("ATQ0E0V1")
    env.numeric(False)
    expect_ok(ctx, "GSM-V250-FACTORY", env.at("AT&F"), "AT&F")
    answer = env.at("AT")
    ctx.check("GSM-V250-FACTORY", answer.framed == b"AT\r\r\nOK\r\n",
              f"AT after AT&F: expected the echo and a verbose OK (AT\\r\\r\\nOK\\r\\n), got "
              f"{_shown(answer.framed)}")
