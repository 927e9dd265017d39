"""Trouble made to happen through the simulator's control API: a busy and a missing SIM
(+CME ERROR: 14 and 10), a submission without service (+CMS ERROR: 331), far ends that
are busy, do not answer or hang up (BUSY, NO ANSWER, NO CARRIER). Each case clears the
modem's faults and removes its world overrides again, then waits until the modem is
registered once more."""

from __future__ import annotations

import time
from collections.abc import Callable

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.gsm_modem import pdu
from nabat.conformance.gsm_modem.binding import GsmEnv
from nabat.conformance.gsm_modem.cases.sms_send import CANCELLED_TO, registered
from nabat.conformance.gsm_modem.checks import expect_ok
from nabat.conformance.gsm_modem.client import values
from nabat.conformance.gsm_modem.control import SimControl
from nabat.conformance.gsm_modem.suite import SUITE

RECOVERY = 30.0  # seconds the modem may take to be ready and registered again
POLL = 0.3


def _recover(env: GsmEnv) -> None:
    """After the faults are cleared: the SIM READY (unlocked again with the verified PIN
    when it asks for it) and the modem registered again."""
    deadline = time.monotonic() + RECOVERY
    unlocked = False
    while time.monotonic() < deadline:
        code = env.at("AT+CPIN?").first("+CPIN:")
        if code == "SIM PIN" and not unlocked:
            env.unlock_again()
            unlocked = True
            continue
        ready = code == "READY"
        stat = values(env.at("AT+CREG?").first("+CREG:") or "")[1:2]
        if ready and stat in (["1"], ["5"]):
            return
        time.sleep(POLL)
    env.ctx.note(f"the modem was not ready and registered {RECOVERY:g} s after the faults ended")


def _with_fault(env: GsmEnv, control: SimControl, kind: str, check: Callable[[], None],
                **fields: object) -> None:
    control.fault(kind, **fields)
    try:
        check()
    finally:
        control.clear_faults()
        _recover(env)


@SUITE.case("GSM-27007-CME-SIM", needs={"control"})
def sim_trouble(ctx: CaseContext, env: GsmEnv) -> None:
    """A busy SIM: +CIMI answers +CME ERROR: 14; no SIM: +CPIN? and +CIMI answer
    +CME ERROR: 10 (+CMEE=1)."""
    control = env.require_control()

    def busy() -> None:
        answer = env.at("AT+CIMI")
        ctx.check("GSM-27007-CME-SIM", answer.cme() == "14",
                  f"AT+CIMI with the SIM busy: expected +CME ERROR: 14, got "
                  f"{answer.describe()!r}")

    def missing() -> None:
        for command in ("AT+CPIN?", "AT+CIMI"):
            answer = env.at(command)
            ctx.check("GSM-27007-CME-SIM", answer.cme() == "10",
                      f"{command} without a SIM: expected +CME ERROR: 10, got "
                      f"{answer.describe()!r}")

    _with_fault(env, control, "sim_busy", busy, seconds=None)
    _with_fault(env, control, "no_sim", missing)


@SUITE.case("GSM-27005-CMS-NETWORK", needs={"control"})
def no_service(ctx: CaseContext, env: GsmEnv) -> None:
    """Without network service a PDU submission answers +CMS ERROR: 331 (nothing can be
    sent: the modem is not registered)."""
    control = env.require_control()
    env.require("+CMGF")
    env.change("+CMGF", "0")
    hex_pdu, length = pdu.encode_submit(CANCELLED_TO, "Nabat conformance: no service")

    def submit() -> None:
        prompt = env.at(f"AT+CMGS={length}", prompt=True)
        answer = env.modem.send_body(hex_pdu.encode("ascii")) if prompt.prompt else prompt
        ctx.check("GSM-27005-CMS-NETWORK", answer.cms() == "331",
                  f"AT+CMGS without service: expected +CMS ERROR: 331 (at the prompt or after "
                  f"the PDU), got {answer.describe()!r}")

    _with_fault(env, control, "registration", submit, outcome="none")


FAR_ENDS = (
    ("79000000901", {"outcomes": {"busy": 1}}, "BUSY"),
    ("79000000902", {"outcomes": {"no_answer": 1}, "give_up": 3}, "NO ANSWER"),
    ("79000000903", {"outcomes": {"answered": 1}, "ring": 1, "listen": 2,
                     "dtmf": {"none": 1}}, "NO CARRIER"),
)


HOW = {"BUSY": "is busy", "NO ANSWER": "does not answer", "NO CARRIER": "hangs up"}


@SUITE.case("GSM-V250-CALL-RESULTS", needs={"control"})
def call_results(ctx: CaseContext, env: GsmEnv) -> None:
    """A far end that is busy ends the call with BUSY, one that does not answer with
    NO ANSWER, one that answers and hangs up with NO CARRIER (each after ATD's OK)."""
    control = env.require_control()
    registered(env)
    for number, voice, result in FAR_ENDS:
        key = control.override(number, voice)
        try:
            env.later("ATH")
            expect_ok(ctx, "GSM-V250-CALL-RESULTS", env.at(f"ATD+{number};"), f"ATD+{number};")
            ended = env.modem.wait_for(lambda line: line in ("BUSY", "NO ANSWER", "NO CARRIER"),
                                       max(env.modem.timeout, 20.0), f"the end of the call to "
                                       f"+{number}")
            ctx.check("GSM-V250-CALL-RESULTS", ended == result,
                      f"a far end that {HOW[result]}: expected {result}, got {ended!r}")
        finally:
            control.remove_override(key)
