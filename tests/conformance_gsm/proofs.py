"""The proof table: for every GSM case, modems made non-conforming in ways the case
must catch, each naming the clause the case must report as failed.

A proof is a mutation of the simulator's answers or of how it reads what the suite
types (mutating.py), armed after the pre-flight; ``strict`` marks a SHOULD (the case
must fail under --strict), ``profile`` the dialect it needs, ``pin`` a SIM that
asks for its PIN. test_proofs.py requires a proof for every registered case and
every clause a case checks, so nothing the suite claims to check goes unproven.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tests.conformance_gsm.mutating import Mutation, after, anywhere, nth_answer, typed

ANY = r".*"


@dataclass(frozen=True)
class Proof:
    description: str
    clause: str
    mutation: Mutation
    strict: bool = False
    profile: str = "generic"
    pin: bool = False


def _imei_off() -> Mutation:
    """The answer to AT+CGSN with the IMEI's last digit one off (a wrong Luhn digit)."""

    def answer(block: bytes, last: str) -> bytes:
        if last != "AT+CGSN":
            return block
        return re.sub(rb"(\d{14})(\d)",
                      lambda m: m.group(1) + str((int(m.group(2)) + 1) % 10).encode(), block)

    return Mutation(answer=answer)


def _drop_line(line: bytes) -> bytes:
    return rb"\r\n" + line + rb"\r\n"


PROOFS: dict[str, list[Proof]] = {
    # --- V.250 ---------------------------------------------------------------------
    "at_and_framing": [
        Proof("AT answered ERROR", "GSM-V250-AT-OK", after("AT", rb"OK", b"ERROR")),
        Proof("OK without its leading CR LF", "GSM-V250-RESULT-FRAMING",
              after("AT", rb"^\r\nOK", b"OK")),
        Proof("information text without its trailing CR LF", "GSM-V250-INFO-FRAMING",
              after(r"AT\+CSQ", rb"(\+CSQ: \d+,\d+)\r\n\r\n", rb"\1\r\n")),
    ],
    "lower_case_commands": [
        Proof("lower-case commands not understood", "GSM-V250-LOWERCASE",
              typed(rb"^(at|At)", b"AT+NABATNOSUCH;")),
    ],
    "echo_on_and_off": [
        Proof("ATE1 ignored", "GSM-V250-ECHO", typed(rb"^ATE1", b"ATE0")),
    ],
    "numeric_result_codes": [
        Proof("ATV0 errors in words", "GSM-V250-NUMERIC",
              after("ATE7", rb"4\r", b"\r\nERROR\r\n")),
        Proof("ATV0 information text keeps its leading CR LF", "GSM-V250-NUMERIC-INFO",
              after(r"AT\+CSQ", rb"^\+CSQ", b"\r\n+CSQ"), strict=True),
    ],
    "quiet_result_codes": [
        Proof("ATQ1 ignored", "GSM-V250-QUIET", typed(rb"ATQ1", b"ATQ0")),
    ],
    "unknown_command": [
        Proof("unknown commands answered OK", "GSM-V250-UNKNOWN-COMMAND",
              after(r".*NABATNOSUCH.*", rb"ERROR", b"OK")),
    ],
    "command_lines": [
        Proof("the second command of a line dropped", "GSM-V250-CONCATENATION",
              typed(rb"AT\+CMEE\?;\+CSQ", b"AT+CMEE?")),
        Proof("the line goes on after a failing command", "GSM-V250-LINE-STOPS-AT-ERROR",
              typed(rb"AT\+CMEE=2;\+NABATNOSUCH;\+CMEE=0", b"AT+CMEE=2;+CMEE=0;+NABATNOSUCH")),
    ],
    "s_parameters": [
        Proof("S3 read as 13, not 013", "GSM-V250-S-PARAMETERS",
              after(r"ATS3\?", rb"013", b"13")),
    ],
    "line_editing": [
        Proof("backspace kept as a character", "GSM-V250-BACKSPACE",
              typed(rb"\x08", b"Y"), strict=True),
        Proof("A/ not understood", "GSM-V250-REPEAT", typed(rb"^A/", b"AT+NABATNOSUCH\r"),
              strict=True),
    ],
    "reset_and_factory": [
        Proof("ATZ refused", "GSM-V250-RESET", after("ATZ", rb"OK", b"ERROR")),
        Proof("AT&F leaves the echo off", "GSM-V250-FACTORY", typed(rb"AT&F", b"AT"),
              strict=True),
    ],
    # --- errors ------------------------------------------------------------------
    "error_modes": [
        Proof("+CMEE? reads 0 whatever was set", "GSM-27007-CMEE-SETTING",
              after(r"AT\+CMEE\?", rb"\+CMEE: \d", b"+CMEE: 0")),
        Proof("+CME ERROR under +CMEE=0", "GSM-27007-CMEE-OFF",
              after(r"AT\+VTS=1", rb"\r\nERROR\r\n", b"\r\n+CME ERROR: 3\r\n")),
        Proof("numeric codes replaced by ERROR", "GSM-27007-CMEE-NUMERIC",
              anywhere(rb"\+CME ERROR: \d+", b"ERROR")),
        Proof("numbers under +CMEE=2", "GSM-27007-CMEE-VERBOSE",
              anywhere(rb"\+CME ERROR: operation not allowed", b"+CME ERROR: 3")),
        Proof("verbose text of another error", "GSM-27007-CME-TEXT",
              anywhere(rb"\+CME ERROR: operation not allowed", b"+CME ERROR: SIM busy"),
              strict=True),
    ],
    "sms_error_forms": [
        Proof("an index past the memory gives 500", "GSM-27005-INVALID-INDEX",
              anywhere(rb"\+CMS ERROR: 321", b"+CMS ERROR: 500")),
        Proof("+CMS ERROR in words under +CMEE=1", "GSM-27005-CMS-ERROR",
              anywhere(rb"\+CMS ERROR: 321", b"+CMS ERROR: invalid memory index")),
        Proof("numeric +CMS ERROR under +CMEE=2", "GSM-27005-CMS-VERBOSE",
              anywhere(rb"\+CMS ERROR: invalid memory index", b"+CMS ERROR: 321"),
              strict=True),
    ],
    # --- identity --------------------------------------------------------------------
    "identification": [
        Proof("+CGMR=? refused", "GSM-27007-IDENTIFICATION",
              after(r"AT\+CGMR=\?", rb"OK", b"ERROR")),
        Proof("an IMEI with a wrong check digit", "GSM-27007-CGSN-IMEI", _imei_off(),
              strict=True),
        Proof("an IMSI with letters", "GSM-27007-CIMI", after(r"AT\+CIMI", rb"\d{15}",
                                                               b"IMSI250990000")),
    ],
    "own_number": [
        Proof("an international number typed 129", "GSM-27007-CNUM",
              after(r"AT\+CNUM", rb",145", b",129"), strict=True),
    ],
    "command_list": [
        Proof("+CMGS missing from +CLAC", "GSM-27007-CLAC",
              after(r"AT\+CLAC", _drop_line(rb"\+CMGS"), b"\r\n"), strict=True),
    ],
    # --- SIM and network ---------------------------------------------------------------
    "sim_ready": [
        Proof("+CPIN? reads NOT READY", "GSM-27007-CPIN-READ",
              after(r"AT\+CPIN\?", rb"READY", b"NOT READY")),
    ],
    "pin_accepted": [
        Proof("still asking for the PIN after it", "GSM-27007-CPIN-ENTER",
              after(r"AT\+CPIN\?", rb"READY", b"SIM PIN"), pin=True),
    ],
    "functionality": [
        Proof("+CFUN? with an extra field", "GSM-27007-CFUN-READ",
              after(r"AT\+CFUN\?", rb"\+CFUN: 1", b"+CFUN: 1,0")),
    ],
    "registration": [
        Proof("<stat> out of range", "GSM-27007-CREG-READ",
              after(r"AT\+CREG\?", rb"\+CREG: (\d),1", rb"+CREG: \1,9")),
        Proof("<lac> not hexadecimal", "GSM-27007-CREG-LOCATION",
              after(r"AT\+CREG\?", rb'\+CREG: 2,1,"[0-9A-F]+"', b'+CREG: 2,1,"XYZ"'),
              strict=True),
    ],
    "registration_changes": [
        Proof("+CFUN=4 refused", "GSM-27007-CFUN-SET", after(r"AT\+CFUN=4", rb"OK", b"ERROR")),
        Proof("no unsolicited +CREG", "GSM-27007-CREG-URC",
              anywhere(rb"\r\n\+CREG: \d\r\n", b"")),
        Proof("a URC inside the +CSQ answer", "GSM-27007-URC-OUTSIDE-ANSWERS",
              after(r"AT\+CSQ", rb"(\+CSQ: \d+,\d+\r\n)", rb"\1\r\n+CREG: 1\r\n")),
    ],
    "operator": [
        Proof("+COPS? <mode> 7", "GSM-27007-COPS-READ",
              after(r"AT\+COPS\?", rb"\+COPS: 0", b"+COPS: 7")),
        Proof("the numeric format shows the name", "GSM-27007-COPS-FORMAT",
              after(r"AT\+COPS\?", rb'2,"\d+"', b'2,"Nabat Mobile"'), strict=True),
    ],
    "signal_quality": [
        Proof("rssi 45", "GSM-27007-CSQ", after(r"AT\+CSQ", rb"\+CSQ: \d+,", b"+CSQ: 45,")),
        Proof("+CSQ=? without lists", "GSM-27007-CSQ-TEST",
              after(r"AT\+CSQ=\?", rb"\+CSQ: .*", b"+CSQ: 0-31"), strict=True),
    ],
    # --- call settings -----------------------------------------------------------------
    "caller_id_setting": [
        Proof("+CLIP? keeps the old <n>", "GSM-27007-CLIP-SETTING",
              after(r"AT\+CLIP\?", rb"\+CLIP: 1", b"+CLIP: 0")),
    ],
    "hang_up_setting": [
        Proof("+CVHU? keeps the old mode", "GSM-27007-CVHU",
              after(r"AT\+CVHU\?", rb"\+CVHU: 1", b"+CVHU: 0"), strict=True),
    ],
    "idle_line": [
        Proof("+CLCC lists a call that is not there", "GSM-27007-CLCC-IDLE",
              after(r"AT\+CLCC", rb"^\r\nOK", b'\r\n+CLCC: 1,1,4,0,0,"+70001112233",145\r\n'
                                               b"\r\nOK")),
        Proof("ATH refused without a call", "GSM-V250-HANGUP-IDLE",
              after("ATH", rb"OK", b"ERROR"), strict=True),
        Proof("+VTS accepted without a call", "GSM-27007-VTS-IDLE",
              after(r"AT\+VTS=1", rb"\+CME ERROR: \d+", b"OK"), strict=True),
        Proof("ATA OK without a call", "GSM-V250-ANSWER-IDLE",
              after("ATA", rb"NO CARRIER", b"OK"), strict=True),
    ],
    # --- SMS settings --------------------------------------------------------------------
    "message_format": [
        Proof("+CMGF=1 ignored", "GSM-27005-CMGF", typed(rb"AT\+CMGF=1", b"AT+CMGF=0")),
    ],
    "character_set": [
        Proof("UCS2 not offered", "GSM-27007-CSCS", after(r"AT\+CSCS=\?", rb'"UCS2",?', b"")),
    ],
    "service_centre": [
        Proof("an international SMSC typed 129", "GSM-27005-CSCA",
              after(r"AT\+CSCA\?", rb",145", b",129")),
    ],
    "text_mode_parameters": [
        Proof("+CSMP keeps its first octet", "GSM-27005-CSMP",
              typed(rb"AT\+CSMP=49", b"AT+CSMP=17")),
    ],
    "message_storage": [
        Proof("more messages used than the memory holds", "GSM-27005-CPMS",
              after(r"AT\+CPMS\?", rb'"SM",0,30', b'"SM",31,30', count=1)),
    ],
    "new_message_indications": [
        Proof("<ds> not kept", "GSM-27005-CNMI",
              after(r"AT\+CNMI\?", rb"\+CNMI: 2,1,0,1,0", b"+CNMI: 2,1,0,0,0")),
    ],
    # --- stored messages -----------------------------------------------------------------
    "stored_text_message": [
        Proof("+CMGW without an index", "GSM-27005-CMGW",
              anywhere(rb"\+CMGW: \d+", b"+CMGW: first")),
        Proof("a stored unsent message reads REC READ", "GSM-27005-CMGR-TEXT",
              after(r"AT\+CMGR=\d+", rb"STO UNSENT", b"REC READ")),
        Proof("+CMGL lists the message without its text", "GSM-27005-CMGL",
              after(r'AT\+CMGL="STO UNSENT"', rb"(\+CMGL: [^\r]*\r\n)(?:\r\n)?[^\r]+\r\n",
                    rb"\1")),
        Proof("+CMGD deletes nothing", "GSM-27005-CMGD", typed(rb"AT\+CMGD=", b"AT+CMGR=")),
    ],
    "stored_pdu_message": [
        Proof("a stored message reads as received (stat 0)", "GSM-27005-CMGR-PDU",
              after(r"AT\+CMGR=\d+", rb"\+CMGR: 2,", b"+CMGR: 0,")),
        Proof("the euro sign reads back as e", "GSM-23038-GSM7-EXTENSION",
              after(r"AT\+CMGR=\d+", rb"20AC", b"0065")),
    ],
    "stored_ucs2_message": [
        Proof("Cyrillic read back as Latin", "GSM-23038-UCS2-READBACK",
              after(r"AT\+CMGR=\d+", rb'("STO UNSENT"[^\r]*\r\n(?:\r\n)?[0-9A-F]*?)041F',
                    rb"\g<1>0050")),
    ],
    # --- sending -------------------------------------------------------------------------
    "prompt_and_escape": [
        Proof("the prompt without CR LF", "GSM-27005-CMGS-PROMPT", anywhere(rb"\r\n> ", b"> ")),
        Proof("Esc sends the message", "GSM-27005-CMGS-ESCAPE", typed(rb"\x1b", b"\x1a")),
    ],
    "malformed_pdu": [
        Proof("a malformed PDU accepted", "GSM-27005-INVALID-PDU",
              anywhere(rb"\+CMS ERROR: \d+", b"+CMGS: 5\r\n\r\nOK")),
        Proof("a malformed PDU refused with 500", "GSM-27005-INVALID-PDU-CODE",
              anywhere(rb"\+CMS ERROR: 304", b"+CMS ERROR: 500"), strict=True),
    ],
    "send_in_text_mode": [
        Proof("a message reference above 255", "GSM-27005-CMGS-TEXT",
              anywhere(rb"\+CMGS: \d+", b"+CMGS: 300")),
    ],
    "send_ucs2_in_text_mode": [
        Proof("a UCS2 text refused", "GSM-27005-TEXT-UCS2",
              anywhere(rb"\+CMGS: \d+\r\n\r\nOK", b"+CMS ERROR: 305"), strict=True),
    ],
    "send_in_pdu_mode": [
        Proof("a 7-bit PDU refused", "GSM-27005-CMGS-PDU",
              nth_answer(ANY, 1, rb"\+CMGS: \d+\r\n\r\nOK", b"+CMS ERROR: 500")),
        Proof("a UCS2 PDU refused", "GSM-27005-CMGS-UCS2",
              nth_answer(ANY, 2, rb"\+CMGS: \d+\r\n\r\nOK", b"+CMS ERROR: 500")),
        Proof("every submission gets reference 7", "GSM-27005-MESSAGE-REFERENCE",
              anywhere(rb"\+CMGS: \d+", b"+CMGS: 7"), strict=True),
    ],
    "send_concatenated": [
        Proof("the second part refused", "GSM-27005-CONCATENATED",
              nth_answer(ANY, 2, rb"\+CMGS: \d+\r\n\r\nOK", b"+CMS ERROR: 500"), strict=True),
    ],
    "status_report": [
        Proof("+CDS with a wrong <length>", "GSM-27005-CDS",
              anywhere(rb"\+CDS: (\d+)", b"+CDS: 99")),
    ],
    # --- voice ---------------------------------------------------------------------------
    "voice_call": [
        Proof("ATD refused", "GSM-V250-DIAL-VOICE", after(r"ATD.*", rb"OK", b"ERROR")),
        Proof("the dialled call listed as incoming", "GSM-27007-CLCC-CALL",
              after(r"AT\+CLCC", rb"\+CLCC: (\d),0,", rb"+CLCC: \1,1,")),
        Proof("ATH refused", "GSM-V250-HANGUP", after("ATH", rb"OK", b"ERROR")),
        Proof("a URC inside the +CLCC answer", "GSM-27007-URC-OUTSIDE-ANSWERS",
              after(r"AT\+CLCC", rb"(\+CLCC: [^\r]*\r\n)", rb"\1\r\n+CREG: 1\r\n")),
        Proof("^CEND without its fields", "GSM-VENDOR-HUAWEI-CALL-URC",
              anywhere(rb"\^CEND:[\d,]+", b"^CEND:1"), strict=True, profile="huawei"),
    ],
    "hang_up_with_chup": [
        Proof("+CHUP refused", "GSM-27007-CHUP", after(r"AT\+CHUP", rb"OK", b"ERROR")),
    ],
    "send_dtmf": [
        Proof("+VTS refused in a call", "GSM-27007-VTS",
              after(r"AT\+VTS=.", rb"OK", b"+CME ERROR: 3")),
    ],
    # --- through the control API -------------------------------------------------------
    "sms_indicated": [
        Proof("+CMTI with an unquoted memory", "GSM-27005-CMTI",
              anywhere(rb'\+CMTI: "(\w+)"', rb"+CMTI: \1")),
        Proof("a new message reads REC READ", "GSM-27005-REC-UNREAD",
              after(r"AT\+CMGR=\d+", rb"REC UNREAD", b"REC READ")),
    ],
    "sms_routed": [
        Proof("+CMT carries another text", "GSM-27005-CMT",
              anywhere(rb"(\+CMT: [^\r]*\r\n)[^\r]*\r\n", rb"\1garbled\r\n")),
    ],
    "call_arrives": [
        Proof("no RING", "GSM-27007-RING", anywhere(rb"\r\nRING\r\n", b"")),
        Proof("+CLIP with type 999", "GSM-27007-CLIP-URC",
              anywhere(rb'(\+CLIP: "[^"]*"),\d+', rb"\1,999")),
        Proof("a line between RING and +CLIP", "GSM-27007-RING-WITH-CLIP",
              anywhere(rb"(RING\r\n)", rb"\1\r\n+CREG: 1\r\n"), strict=True),
        Proof("ATA refused", "GSM-V250-ANSWER", after("ATA", rb"OK", b"ERROR")),
    ],
    "sim_trouble": [
        Proof("a busy SIM reported as failed", "GSM-27007-CME-SIM",
              anywhere(rb"\+CME ERROR: 14", b"+CME ERROR: 13")),
    ],
    "no_service": [
        Proof("no service reported as 500", "GSM-27005-CMS-NETWORK",
              anywhere(rb"\+CMS ERROR: 331", b"+CMS ERROR: 500")),
    ],
    "call_results": [
        Proof("a busy far end reported as NO CARRIER", "GSM-V250-CALL-RESULTS",
              anywhere(rb"\r\nBUSY\r\n", b"\r\nNO CARRIER\r\n")),
    ],
    "operator_scan": [
        Proof("the scan names operators without MCC/MNC", "GSM-27007-COPS-LIST",
              after(r"AT\+COPS=\?", rb'"\d{5,6}"', b'"Nabat"')),
    ],
    "far_end_dtmf": [
        Proof("the far end's key reported as X", "GSM-VENDOR-DTMF-URC",
              anywhere(rb"\+DTMF: .", b"+DTMF: X"), profile="simcom"),
    ],
}
