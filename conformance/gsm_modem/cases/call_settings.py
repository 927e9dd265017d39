"""Call settings and the idle line: +CLIP and +CVHU read back what was set; with no
call, +CLCC lists nothing, ATH is answered OK, +VTS and ATA fail."""

from __future__ import annotations

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.gsm_modem.binding import GsmEnv
from nabat.conformance.gsm_modem.checks import expect_error, expect_ok
from nabat.conformance.gsm_modem.client import values
from nabat.conformance.gsm_modem.suite import SUITE


def _other(value: str) -> str:
    return "1" if value == "0" else "0"


@SUITE.case("GSM-27007-CLIP-SETTING")
def caller_id_setting(ctx: CaseContext, env: GsmEnv) -> None:
    """+CLIP=<the other value> is answered OK and +CLIP? reads <n>,<m 0-2> back."""
    env.require("+CLIP")
    wanted = _other(env.state.settings["+CLIP"])
    expect_ok(ctx, "GSM-27007-CLIP-SETTING", env.change("+CLIP", wanted), f"AT+CLIP={wanted}")
    answer = env.at("AT+CLIP?")
    parts = values(answer.first("+CLIP:") or "")
    ctx.check("GSM-27007-CLIP-SETTING",
              answer.ok and len(parts) == 2 and parts[0] == wanted and parts[1] in "012"
              and len(parts[1]) == 1,
              f"AT+CLIP? after AT+CLIP={wanted}: expected +CLIP: {wanted},<m 0-2>, got "
              f"{answer.describe()!r}")


@SUITE.case("GSM-27007-CVHU")
def hang_up_setting(ctx: CaseContext, env: GsmEnv) -> None:
    """+CVHU=<the other value> is answered OK and +CVHU? reads it back."""
    env.require("+CVHU")
    wanted = _other(env.state.settings["+CVHU"])
    expect_ok(ctx, "GSM-27007-CVHU", env.change("+CVHU", wanted), f"AT+CVHU={wanted}")
    answer = env.at("AT+CVHU?")
    ctx.check("GSM-27007-CVHU", answer.first("+CVHU:") == wanted and answer.ok,
              f"AT+CVHU? after AT+CVHU={wanted}: expected +CVHU: {wanted}, got "
              f"{answer.describe()!r}")


@SUITE.case("GSM-27007-CLCC-IDLE", "GSM-V250-HANGUP-IDLE", "GSM-27007-VTS-IDLE",
            "GSM-V250-ANSWER-IDLE")
def idle_line(ctx: CaseContext, env: GsmEnv) -> None:
    """Without a call: +CLCC lists nothing, ATH is OK, +VTS=1 and ATA are not OK."""
    answer = env.at("AT+CLCC")
    ctx.check("GSM-27007-CLCC-IDLE", answer.ok and not answer.info("+CLCC:"),
              f"AT+CLCC without a call: expected OK alone, got {answer.describe()!r}")
    expect_ok(ctx, "GSM-V250-HANGUP-IDLE", env.at("ATH"), "ATH without a call")
    expect_error(ctx, "GSM-27007-VTS-IDLE", env.at("AT+VTS=1"), "AT+VTS=1 without a call")
    answer = env.at("ATA")
    ctx.check("GSM-V250-ANSWER-IDLE", answer.final is not None and not answer.ok,
              f"ATA without an incoming call: expected NO CARRIER or an error, got "
              f"{answer.describe()!r}")
