"""Stored messages: +CMGW writes one (text or PDU), +CMGR and +CMGL read it back as
written, +CMGD deletes it; a 7-bit text with extension characters and a UCS2 text
read back in text mode under +CSCS="UCS2". Nothing is sent: the messages are
"STO UNSENT" and the suite deletes each one it wrote."""

from __future__ import annotations

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.gsm_modem import pdu
from nabat.conformance.gsm_modem.binding import GsmEnv
from nabat.conformance.gsm_modem.checks import expect_ok
from nabat.conformance.gsm_modem.client import Response, unquote, values
from nabat.conformance.gsm_modem.suite import SUITE

STORED_TO = "+79001234567"  # the address of stored messages (never sent)
EXTENSION_TEXT = "{[~]}|\\^€"


def digits(number: str) -> str:
    return number.lstrip("+")


def prepare_storage(env: GsmEnv) -> None:
    """The read and write memories must be the same one, with room for a message."""
    env.require("+CMGF", "+CSCS")
    parts = values(env.at("AT+CPMS?").first("+CPMS:") or "")
    if len(parts) < 6:
        env.ctx.unsupported("AT+CPMS? did not name the memories")
    if parts[0] != parts[3]:
        env.ctx.unsupported(f"the read memory {parts[0]} is not the write memory {parts[3]}")
    if parts[4].isdigit() and parts[5].isdigit() and int(parts[4]) >= int(parts[5]):
        env.ctx.unsupported(f"the write memory {parts[3]} is full")


def stored_index(ctx: CaseContext, written: Response, what: str) -> int | None:
    value = written.first("+CMGW:")
    ok = written.ok and value is not None and value.isdigit()
    ctx.check("GSM-27005-CMGW", ok,
              f"{what}: expected +CMGW: <index> then OK, got {written.describe()!r}")
    return int(value) if ok and value is not None else None


def write(env: GsmEnv, command: str, body: str, what: str) -> int | None:
    """``command`` (AT+CMGW=...), the prompt, ``body`` + Ctrl-Z: the index stored."""
    prompt = env.at(command, prompt=True)
    env.ctx.check("GSM-27005-CMGW", prompt.prompt,
                  f"{command}: expected the > prompt, got {prompt.describe()!r}")
    index = stored_index(env.ctx, env.modem.send_body(body.encode("latin-1")), what)
    if index is not None:
        env.later(f"AT+CMGD={index}")
    return index


def read_pair(answer: Response, prefix: str, head: str | None = None) -> tuple[str, str] | None:
    """The header after ``prefix`` (the one starting with ``head`` when given) and the
    line after it (the text or the PDU)."""
    for position, line in enumerate(answer.lines):
        if line.startswith(prefix):
            header = line[len(prefix):].strip()
            if head is None or header.startswith(head):
                following = answer.lines[position + 1] if position + 1 < len(answer.lines) else ""
                return header, following
    return None


def check_deleted(ctx: CaseContext, env: GsmEnv, index: int) -> None:
    expect_ok(ctx, "GSM-27005-CMGD", env.at(f"AT+CMGD={index}"), f"AT+CMGD={index}")
    again = env.at(f"AT+CMGR={index}")
    gone = (again.ok and not again.info("+CMGR:")) or again.cms() in ("321", "invalid memory index")
    ctx.check("GSM-27005-CMGD", gone,
              f"AT+CMGR={index} after AT+CMGD={index}: expected no message (OK alone or "
              f"+CMS ERROR: 321), got {again.describe()!r}")


@SUITE.case("GSM-27005-CMGW", "GSM-27005-CMGR-TEXT", "GSM-27005-CMGL", "GSM-27005-CMGD",
            needs={"storage"})
def stored_text_message(ctx: CaseContext, env: GsmEnv) -> None:
    """Text mode: +CMGW="<da>" and a text store a message; +CMGR gives "STO UNSENT", the
    address and the text; +CMGL="STO UNSENT" lists it; +CMGD deletes it."""
    prepare_storage(env)
    env.change("+CMGF", "1")
    env.change("+CSCS", '"GSM"')
    text = f"Nabat conformance {env.run_id}: stored, never sent"
    index = write(env, f'AT+CMGW="{STORED_TO}"', text, "text-mode AT+CMGW")
    if index is None:
        return
    answer = env.at(f"AT+CMGR={index}")
    pair = read_pair(answer, "+CMGR:")
    header = values(pair[0]) if pair else []
    ctx.check("GSM-27005-CMGR-TEXT",
              answer.ok and pair is not None and len(header) >= 2
              and header[0] == '"STO UNSENT"' and digits(unquote(header[1])) == digits(STORED_TO)
              and pair[1] == text,
              f"AT+CMGR={index}: expected +CMGR: \"STO UNSENT\",\"{STORED_TO}\",... and the "
              f"line {text!r}, got {answer.describe()!r}")
    listing = env.at('AT+CMGL="STO UNSENT"')
    pair = read_pair(listing, "+CMGL:", f"{index},")
    ctx.check("GSM-27005-CMGL",
              listing.ok and pair is not None and '"STO UNSENT"' in values(pair[0])[:2]
              and pair[1] == text,
              f'AT+CMGL="STO UNSENT": expected +CMGL: {index},"STO UNSENT",... and the text, got '
              f"{listing.describe()!r}")
    check_deleted(ctx, env, index)


def check_pdu_readback(ctx: CaseContext, env: GsmEnv, index: int, text: str,
                       length: int) -> None:
    answer = env.at(f"AT+CMGR={index}")
    pair = read_pair(answer, "+CMGR:")
    header = values(pair[0]) if pair else []
    problem = ""
    try:
        found = pdu.decode(pair[1]) if pair else None
    except pdu.PduError as exc:
        found, problem = None, f" (the PDU does not decode: {exc})"
    good = (answer.ok and found is not None and len(header) == 3 and header[0] == "2"
            and header[2] == str(length) and found.tpdu_length == length
            and found.kind == "submit" and digits(found.address) == digits(STORED_TO)
            and found.text == text)
    ctx.check("GSM-27005-CMGR-PDU", good,
              f"AT+CMGR={index}: expected +CMGR: 2,,{length} and the SUBMIT to {STORED_TO} "
              f"with {text!r}, got {answer.describe()!r}{problem}"
              + (f"; decoded: {found.kind} to {found.address} {found.text!r}, TPDU "
                 f"{found.tpdu_length} octets" if found else ""))


def ucs2_text_of(env: GsmEnv, index: int) -> tuple[str | None, Response]:
    env.change("+CMGF", "1")
    env.change("+CSCS", '"UCS2"')
    answer = env.at(f"AT+CMGR={index}")
    pair = read_pair(answer, "+CMGR:")
    return (pair[1] if pair else None), answer


@SUITE.case("GSM-27005-CMGW", "GSM-27005-CMGR-PDU", "GSM-27005-CMGL", "GSM-27005-CMGD",
            "GSM-23038-GSM7-EXTENSION", needs={"storage"})
def stored_pdu_message(ctx: CaseContext, env: GsmEnv) -> None:
    """PDU mode: a 7-bit SUBMIT with extension characters stored by +CMGW=<length> reads
    back from +CMGR and +CMGL=2 as written (stat 2, TPDU length); in text mode under
    +CSCS="UCS2" its text is the UCS2 hex of those characters; +CMGD deletes it."""
    prepare_storage(env)
    env.change("+CMGF", "0")
    text = f"Nabat {env.run_id} {EXTENSION_TEXT}"
    hex_pdu, length = pdu.encode_submit(STORED_TO, text)
    index = write(env, f"AT+CMGW={length}", hex_pdu, "PDU-mode AT+CMGW")
    if index is None:
        return
    check_pdu_readback(ctx, env, index, text, length)
    listing = env.at("AT+CMGL=2")
    pair = read_pair(listing, "+CMGL:", f"{index},")
    ctx.check("GSM-27005-CMGL",
              listing.ok and pair is not None and values(pair[0])[1:2] == ["2"]
              and pair[1].upper().endswith(hex_pdu[2:].upper()),
              f"AT+CMGL=2: expected +CMGL: {index},2,,{length} and the PDU, got "
              f"{listing.describe()!r}")
    shown, answer = ucs2_text_of(env, index)
    expected = text.encode("utf-16-be").hex().upper()
    ctx.check("GSM-23038-GSM7-EXTENSION", shown is not None and shown.upper() == expected,
              f"AT+CMGR={index} in text mode under +CSCS=\"UCS2\": expected the text as UCS2 "
              f"hex {expected}, got {answer.describe()!r}")
    env.change("+CMGF", "0")
    check_deleted(ctx, env, index)


@SUITE.case("GSM-27005-CMGW", "GSM-27005-CMGR-PDU", "GSM-23038-UCS2-READBACK",
            needs={"storage"})
def stored_ucs2_message(ctx: CaseContext, env: GsmEnv) -> None:
    """A UCS2 (Cyrillic) SUBMIT stored in PDU mode reads back as written, and in text
    mode under +CSCS="UCS2" as the hex of its text."""
    prepare_storage(env)
    env.change("+CMGF", "0")
    text = f"Проверка связи {env.run_id}"
    hex_pdu, length = pdu.encode_submit(STORED_TO, text, alphabet=pdu.Alphabet.UCS2)
    index = write(env, f"AT+CMGW={length}", hex_pdu, "PDU-mode AT+CMGW (UCS2)")
    if index is None:
        return
    check_pdu_readback(ctx, env, index, text, length)
    shown, answer = ucs2_text_of(env, index)
    expected = text.encode("utf-16-be").hex().upper()
    ctx.check("GSM-23038-UCS2-READBACK", shown is not None and shown.upper() == expected,
              f"AT+CMGR={index} in text mode under +CSCS=\"UCS2\": expected {expected}, got "
              f"{answer.describe()!r}")
