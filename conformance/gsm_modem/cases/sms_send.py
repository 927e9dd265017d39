"""Sending: the > prompt and Esc (nothing is sent), malformed PDUs (refused, nothing
sent), then — with --sms-to — text-mode, PDU-mode (7-bit and UCS2), text-mode UCS2 and
concatenated messages, and a status report coming back as +CDS."""

from __future__ import annotations

import random

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.gsm_modem import pdu
from nabat.conformance.gsm_modem.binding import GsmEnv
from nabat.conformance.gsm_modem.checks import expect_ok, spaced
from nabat.conformance.gsm_modem.client import Response, values
from nabat.conformance.gsm_modem.evidence import printable
from nabat.conformance.gsm_modem.suite import SUITE

CANCELLED_TO = "+79001234567"  # the address of messages that are cancelled, never sent
SEND_TIMEOUT = 60.0  # a submission may take this long on a live network
ESC_WAIT = 1.5
PROMPT = b"\r\n> "


def sms_to(env: GsmEnv) -> str:
    number = env.settings.sms_to
    if number is None:
        env.ctx.unsupported("no --sms-to NUMBER given")
    return number


def registered(env: GsmEnv) -> None:
    line = env.at("AT+CREG?").first("+CREG:")
    parts = values(line or "")
    if len(parts) < 2 or parts[1] not in ("1", "5"):
        env.ctx.unsupported(f"the modem is not registered (+CREG: {line}): nothing can be sent")


def check_prompt(ctx: CaseContext, answer: Response) -> bool:
    return ctx.check("GSM-27005-CMGS-PROMPT", answer.prompt and answer.raw.endswith(PROMPT),
                     f"{answer.command}: expected the four characters \\r\\n> (space), got "
                     f"{printable(answer.raw)!r}")


def check_cancelled(ctx: CaseContext, env: GsmEnv, what: str) -> None:
    """Esc after the prompt: no +CMGS, and the modem answers AT again."""
    answer = env.modem.send_body(b"Nabat conformance: cancelled, never sent", cancel=True,
                                 timeout=ESC_WAIT)
    late = env.modem.listen(0.3, "anything after Esc")
    sent = b"+CMGS:" in answer.raw or any(line.startswith("+CMGS:") for line in late)
    ctx.check("GSM-27005-CMGS-ESCAPE", not sent and answer.final in ("OK", None),
              f"{what}, Esc: expected the message cancelled (OK or nothing, no +CMGS), got "
              f"{answer.describe()!r}")
    expect_ok(ctx, "GSM-27005-CMGS-ESCAPE", env.at("AT"), f"AT after {what} and Esc")


@SUITE.case("GSM-27005-CMGS-PROMPT", "GSM-27005-CMGS-ESCAPE")
def prompt_and_escape(ctx: CaseContext, env: GsmEnv) -> None:
    """+CMGS in text mode and in PDU mode answers \\r\\n> ; Esc then cancels the message."""
    env.require("+CMGF", "+CSCS")
    env.change("+CMGF", "1")
    env.change("+CSCS", '"GSM"')
    answer = env.at(f'AT+CMGS="{CANCELLED_TO}"', prompt=True)
    if check_prompt(ctx, answer):
        check_cancelled(ctx, env, "text-mode +CMGS")
    env.change("+CMGF", "0")
    _, length = pdu.encode_submit(CANCELLED_TO, "cancelled")
    answer = env.at(f"AT+CMGS={length}", prompt=True)
    if check_prompt(ctx, answer):
        check_cancelled(ctx, env, "PDU-mode +CMGS")


MALFORMED = (
    ("not hexadecimal", "0011ZZ00", 3),
    ("cut short in the address", "0001000B9170", 5),
)


@SUITE.case("GSM-27005-INVALID-PDU", "GSM-27005-INVALID-PDU-CODE")
def malformed_pdu(ctx: CaseContext, env: GsmEnv) -> None:
    """A PDU that is not hex, and one cut short, are refused with +CMS ERROR: 304 (nothing
    can be sent: neither holds a whole message), and the modem answers AT afterwards."""
    env.require("+CMGF")
    env.change("+CMGF", "0")
    for what, body, length in MALFORMED:
        prompt = env.at(f"AT+CMGS={length}", prompt=True)
        if not prompt.prompt:
            ctx.fail("GSM-27005-INVALID-PDU",
                     f"AT+CMGS={length}: expected the > prompt, got {prompt.describe()!r}")
            continue
        answer = env.modem.send_body(body.encode("ascii"), label=f"a PDU {what}")
        code = answer.cms()
        ctx.check("GSM-27005-INVALID-PDU", code is not None,
                  f"a PDU {what} ({body}): expected +CMS ERROR (304), got "
                  f"{answer.describe()!r}")
        ctx.check("GSM-27005-INVALID-PDU-CODE", code == "304",
                  f"a PDU {what}: expected +CMS ERROR: 304 (invalid PDU mode parameter), got "
                  f"{answer.describe()!r}")
        expect_ok(ctx, "GSM-27005-INVALID-PDU", env.at("AT"), f"AT after a PDU {what}")


def submitted(ctx: CaseContext, clause: str, answer: Response, what: str) -> int | None:
    """The <mr> of ``+CMGS: <mr>`` then OK (None, and a failed check, otherwise)."""
    value = answer.first("+CMGS:")
    reference = values(value)[0] if value else ""
    good = (answer.ok and reference.isdigit() and int(reference) <= 255
            and spaced(answer, "+CMGS:"))
    ctx.check(clause, good, f"{what}: expected +CMGS: <mr 0-255> then OK, got "
              f"{answer.describe()!r}")
    return int(reference) if good else None


def send_pdu(env: GsmEnv, clause: str, hex_pdu: str, length: int, what: str) -> int | None:
    prompt = env.at(f"AT+CMGS={length}", prompt=True)
    if not env.ctx.check(clause, prompt.prompt,
                         f"AT+CMGS={length}: expected the > prompt, got {prompt.describe()!r}"):
        return None
    answer = env.modem.send_body(hex_pdu.encode("ascii"), label=what,
                                 timeout=max(env.modem.timeout, SEND_TIMEOUT))
    return submitted(env.ctx, clause, answer, what)


def send_text(env: GsmEnv, clause: str, address: str, body: str, what: str) -> int | None:
    prompt = env.at(f'AT+CMGS="{address}"', prompt=True)
    if not env.ctx.check(clause, prompt.prompt,
                         f"AT+CMGS=\"{address}\": expected the > prompt, got "
                         f"{prompt.describe()!r}"):
        return None
    answer = env.modem.send_body(body.encode("latin-1"), label=what,
                                 timeout=max(env.modem.timeout, SEND_TIMEOUT))
    return submitted(env.ctx, clause, answer, what)


@SUITE.case("GSM-27005-CMGS-TEXT", needs={"sms"})
def send_in_text_mode(ctx: CaseContext, env: GsmEnv) -> None:
    """Text mode, GSM character set: the text and Ctrl-Z give +CMGS: <mr> and OK."""
    number = sms_to(env)
    env.require("+CMGF", "+CSCS", "+CSMP")
    registered(env)
    env.change("+CMGF", "1")
    env.change("+CSCS", '"GSM"')
    env.change("+CSMP", "17,167,0,0")
    send_text(env, "GSM-27005-CMGS-TEXT", number,
              f"Nabat conformance {env.run_id}: text mode", "a text-mode SMS")


@SUITE.case("GSM-27005-TEXT-UCS2", needs={"sms"})
def send_ucs2_in_text_mode(ctx: CaseContext, env: GsmEnv) -> None:
    """Text mode under +CSCS="UCS2" and +CSMP dcs 8: the address and a Cyrillic text in
    UCS2 hex are sent."""
    number = sms_to(env)
    env.require("+CMGF", "+CSCS", "+CSMP")
    registered(env)
    env.change("+CMGF", "1")
    env.change("+CSMP", "17,167,0,8")
    env.change("+CSCS", '"UCS2"')
    address = number.encode("utf-16-be").hex().upper()
    text = f"Nabat {env.run_id}: проверка UCS2".encode("utf-16-be").hex().upper()
    send_text(env, "GSM-27005-TEXT-UCS2", address, text, "a text-mode UCS2 SMS")


@SUITE.case("GSM-27005-CMGS-PDU", "GSM-27005-CMGS-UCS2", "GSM-27005-MESSAGE-REFERENCE",
            needs={"sms"})
def send_in_pdu_mode(ctx: CaseContext, env: GsmEnv) -> None:
    """PDU mode: a 7-bit SUBMIT and a UCS2 (Cyrillic) one are each sent (+CMGS: <mr>),
    with different message references."""
    number = sms_to(env)
    env.require("+CMGF")
    registered(env)
    env.change("+CMGF", "0")
    hex_pdu, length = pdu.encode_submit(number, f"Nabat conformance {env.run_id}: PDU [7-bit]")
    first = send_pdu(env, "GSM-27005-CMGS-PDU", hex_pdu, length, "a 7-bit PDU")
    hex_pdu, length = pdu.encode_submit(number, f"Nabat {env.run_id}: проверка связи",
                                        alphabet=pdu.Alphabet.UCS2)
    second = send_pdu(env, "GSM-27005-CMGS-UCS2", hex_pdu, length, "a UCS2 PDU")
    if first is not None and second is not None:
        ctx.check("GSM-27005-MESSAGE-REFERENCE", first != second,
                  f"two submissions got the same message reference {first}")


@SUITE.case("GSM-27005-CONCATENATED", needs={"sms"})
def send_concatenated(ctx: CaseContext, env: GsmEnv) -> None:
    """A two-part message (user data header, IEI 0): each part gives +CMGS: <mr>."""
    number = sms_to(env)
    env.require("+CMGF")
    registered(env)
    env.change("+CMGF", "0")
    reference = random.randrange(256)
    texts = (f"Nabat conformance {env.run_id}: part one of a long message. " + "x" * 80,
             "and part two.")
    for sequence, text in enumerate(texts, start=1):
        concat = pdu.Concat(reference, len(texts), sequence)
        hex_pdu, length = pdu.encode_submit(number, text, concat=concat)
        send_pdu(env, "GSM-27005-CONCATENATED", hex_pdu, length, f"part {sequence} of 2")


@SUITE.case("GSM-27005-CDS", needs={"sms", "status-report"})
def status_report(ctx: CaseContext, env: GsmEnv) -> None:
    """+CNMI <ds>=1 and a SUBMIT asking for a report: a +CDS PDU comes back within
    --sms-wait with the submission's message reference and the recipient."""
    number = sms_to(env)
    env.require("+CMGF", "+CNMI")
    registered(env)
    env.change("+CMGF", "0")
    expect_ok(ctx, "GSM-27005-CDS", env.change("+CNMI", "2,1,0,1,0"), "AT+CNMI=2,1,0,1,0")
    hex_pdu, length = pdu.encode_submit(number, f"Nabat conformance {env.run_id}: report",
                                        status_report=True)
    reference = send_pdu(env, "GSM-27005-CDS", hex_pdu, length, "a PDU asking for a report")
    if reference is None:
        return
    wait = env.settings.sms_wait
    report = env.modem.wait_for(lambda line: line.startswith("+CDS:"), wait,
                                "the status report (+CDS)")
    ctx.check("GSM-27005-CDS", report is not None,
              f"no +CDS within {wait:g} s (--sms-wait) for message reference {reference}; "
              f"unsolicited lines seen: {env.modem.urcs!r}")
    if report is None:
        return
    head, _, body = report.partition("\n")
    try:
        found = pdu.decode(body)
    except pdu.PduError as exc:
        ctx.fail("GSM-27005-CDS", f"{head}: the PDU {body!r} does not decode: {exc}")
        return
    ctx.check("GSM-27005-CDS",
              found.kind == "status-report" and found.reference == reference
              and found.address.lstrip("+") == number.lstrip("+")
              and head.split(":")[1].strip() == str(found.tpdu_length),
              f"{head} / {body}: expected a status report for reference {reference} to "
              f"{number} with <length> {found.tpdu_length}; got a {found.kind} for reference "
              f"{found.reference} to {found.address}")
