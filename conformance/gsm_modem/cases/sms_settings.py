"""SMS settings: +CMGF, +CSCS, +CSCA, +CSMP, +CPMS and +CNMI each read back what was set
(and are put back to what the pre-flight found)."""

from __future__ import annotations

import re

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.gsm_modem.binding import GsmEnv
from nabat.conformance.gsm_modem.cases.errors import listed
from nabat.conformance.gsm_modem.checks import expect_ok
from nabat.conformance.gsm_modem.client import unquote, values
from nabat.conformance.gsm_modem.suite import SUITE


@SUITE.case("GSM-27005-CMGF")
def message_format(ctx: CaseContext, env: GsmEnv) -> None:
    """+CMGF=? lists 0 and 1; +CMGF=1 and +CMGF=0 read back."""
    env.require("+CMGF")
    test = env.at("AT+CMGF=?")
    ctx.check("GSM-27005-CMGF", {0, 1} <= listed(test.first("+CMGF:") or "") and test.ok,
              f"AT+CMGF=?: expected (0,1), got {test.describe()!r}")
    for mode in ("1", "0"):
        expect_ok(ctx, "GSM-27005-CMGF", env.change("+CMGF", mode), f"AT+CMGF={mode}")
        read = env.at("AT+CMGF?")
        ctx.check("GSM-27005-CMGF", read.first("+CMGF:") == mode and read.ok,
                  f"AT+CMGF? after AT+CMGF={mode}: expected +CMGF: {mode}, got "
                  f"{read.describe()!r}")


@SUITE.case("GSM-27007-CSCS")
def character_set(ctx: CaseContext, env: GsmEnv) -> None:
    """+CSCS=? lists GSM, UCS2 and IRA; each one set reads back quoted."""
    env.require("+CSCS")
    test = env.at("AT+CSCS=?")
    sets = set(re.findall(r'"([^"]+)"', test.first("+CSCS:") or ""))
    ctx.check("GSM-27007-CSCS", {"GSM", "UCS2", "IRA"} <= sets and test.ok,
              f"AT+CSCS=?: expected \"GSM\", \"UCS2\" and \"IRA\" among the sets, got "
              f"{test.describe()!r}")
    for name in ("UCS2", "IRA", "GSM"):
        expect_ok(ctx, "GSM-27007-CSCS", env.change("+CSCS", f'"{name}"'), f'AT+CSCS="{name}"')
        read = env.at("AT+CSCS?")
        ctx.check("GSM-27007-CSCS", read.first("+CSCS:") == f'"{name}"' and read.ok,
                  f"AT+CSCS? after AT+CSCS=\"{name}\": expected +CSCS: \"{name}\", got "
                  f"{read.describe()!r}")


@SUITE.case("GSM-27005-CSCA")
def service_centre(ctx: CaseContext, env: GsmEnv) -> None:
    """+CSCA? answers "<sca>",<tosca> (145 for +numbers); the same address written back
    is answered OK."""
    env.require("+CSCS")
    env.change("+CSCS", '"GSM"')
    answer = env.at("AT+CSCA?")
    parts = values(answer.first("+CSCA:") or "")
    address = unquote(parts[0]) if parts else ""
    kind = parts[1] if len(parts) > 1 else ""
    good = (answer.ok and len(parts) == 2 and re.fullmatch(r"\+?\d{3,20}", address) is not None
            and kind in ("129", "145") and (kind == "145") == address.startswith("+"))
    ctx.check("GSM-27005-CSCA", good,
              f"AT+CSCA?: expected +CSCA: \"<sca>\",<tosca> with 145 exactly for a +number, got "
              f"{answer.describe()!r}")
    if good:
        expect_ok(ctx, "GSM-27005-CSCA", env.at(f'AT+CSCA="{address}",{kind}'),
                  "writing the same service centre address back")


@SUITE.case("GSM-27005-CSMP")
def text_mode_parameters(ctx: CaseContext, env: GsmEnv) -> None:
    """+CSMP=<other values> is answered OK and +CSMP? reads them back."""
    env.require("+CSMP")
    found = env.state.settings["+CSMP"].split(",")
    wanted = "49,167,0,8" if found[:1] != ["49"] else "17,167,0,0"
    expect_ok(ctx, "GSM-27005-CSMP", env.change("+CSMP", wanted), f"AT+CSMP={wanted}")
    read = env.at("AT+CSMP?")
    ctx.check("GSM-27005-CSMP", values(read.first("+CSMP:") or "") == wanted.split(",")
              and read.ok,
              f"AT+CSMP? after AT+CSMP={wanted}: expected +CSMP: {wanted}, got "
              f"{read.describe()!r}")


@SUITE.case("GSM-27005-CPMS")
def message_storage(ctx: CaseContext, env: GsmEnv) -> None:
    """+CPMS? answers three "<mem>",<used>,<total> with used <= total; selecting the same
    memories answers the six counts."""
    answer = env.at("AT+CPMS?")
    parts = values(answer.first("+CPMS:") or "")
    shape = len(parts) == 9 and all(
        parts[i].startswith('"') and parts[i + 1].isdigit() and parts[i + 2].isdigit()
        and int(parts[i + 1]) <= int(parts[i + 2]) for i in (0, 3, 6))
    ctx.check("GSM-27005-CPMS", answer.ok and shape,
              f"AT+CPMS?: expected three \"<mem>\",<used>,<total> with used <= total, got "
              f"{answer.describe()!r}")
    if not shape:
        return
    expect_ok(ctx, "GSM-27005-CPMS", env.at("AT+CPMS=?"), "AT+CPMS=?")
    memories = ",".join(parts[i] for i in (0, 3, 6))
    chosen = env.at(f"AT+CPMS={memories}")
    counts = values(chosen.first("+CPMS:") or "")
    expected = [parts[i] for i in (1, 2, 4, 5, 7, 8)]
    ctx.check("GSM-27005-CPMS", chosen.ok and counts == expected,
              f"AT+CPMS={memories}: expected +CPMS: {','.join(expected)}, got "
              f"{chosen.describe()!r}")


@SUITE.case("GSM-27005-CNMI")
def new_message_indications(ctx: CaseContext, env: GsmEnv) -> None:
    """+CNMI=? lists the values; +CNMI=2,1,0,1,0 (or 1,1,0,0,0) reads back."""
    env.require("+CNMI")
    expect_ok(ctx, "GSM-27005-CNMI", env.at("AT+CNMI=?"), "AT+CNMI=?")
    wanted = "2,1,0,1,0" if env.state.settings["+CNMI"] != "2,1,0,1,0" else "1,1,0,0,0"
    expect_ok(ctx, "GSM-27005-CNMI", env.change("+CNMI", wanted), f"AT+CNMI={wanted}")
    read = env.at("AT+CNMI?")
    ctx.check("GSM-27005-CNMI", values(read.first("+CNMI:") or "")[:5] == wanted.split(",")
              and read.ok,
              f"AT+CNMI? after AT+CNMI={wanted}: expected +CNMI: {wanted}, got "
              f"{read.describe()!r}")
