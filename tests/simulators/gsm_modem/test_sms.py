"""SMS through the engine: PDU and text mode, status reports, arriving messages, storage."""

from __future__ import annotations

import pytest
from nabat.simulators.world import sms as scripted_sms
from nabat.system.wire.sms_concat import Reassembler, split_submit
from nabat.system.wire.sms_pdu import (
    SmsDeliver,
    SmsStatusReport,
    SmsSubmit,
    decode_any,
    encode_submit,
    tpdu_length,
)

from tests.simulators.gsm_modem.harness import ANSWERS, SMS_FAILS, Harness


@pytest.fixture
def modem() -> Harness:
    harness = Harness()
    harness.send("ATE0;+CMEE=1")
    return harness


def submit_hex(text: str, to: str, report: bool = False) -> str:
    return encode_submit(
        SmsSubmit(destination=_address(to), text=text, status_report_request=report)
    )


def _address(number: str):  # type: ignore[no-untyped-def]
    from nabat.system.wire.sms_pdu import Address

    return Address.parse(number)


def send_pdu(modem: Harness, pdu: str) -> str:
    prompt = modem.send(f"AT+CMGS={tpdu_length(pdu)}")
    assert prompt == "\r\n> "
    modem.modem.receive(pdu.encode() + b"\x1a")
    modem.advance(5)
    return modem.take()


def test_pdu_submit_answers_with_the_message_reference(modem: Harness) -> None:
    assert send_pdu(modem, submit_hex("hello", "+" + ANSWERS)) == "\r\n+CMGS: 0\r\n\r\nOK\r\n"
    assert send_pdu(modem, submit_hex("again", "+" + ANSWERS)) == "\r\n+CMGS: 1\r\n\r\nOK\r\n"
    decided = [e for e in modem.modem.journal.entries() if e.kind == "decision"]
    assert [e.detail["attempt"] for e in decided] == [1, 2]


def test_the_prompt_waits_for_ctrl_z_and_the_network(modem: Harness) -> None:
    pdu = submit_hex("hi", "+" + ANSWERS)
    modem.send(f"AT+CMGS={tpdu_length(pdu)}")
    modem.modem.receive(pdu.encode())
    modem.advance(10)
    assert modem.take() == ""  # no Ctrl-Z yet
    modem.modem.receive(b"\x1a")
    modem.advance(1)
    assert modem.take() == ""  # the network round trip takes 2.5 s
    modem.advance(2)
    assert modem.take() == "\r\n+CMGS: 0\r\n\r\nOK\r\n"


def test_escape_cancels_with_ok(modem: Harness) -> None:
    modem.send("AT+CMGS=20")
    assert modem.send(b"0011\x1b") == "\r\nOK\r\n"
    assert modem.lines("AT") == ["OK"]


@pytest.mark.parametrize(
    "body",
    [b"ZZZZ", b"0011000B91", b"00110", b"", "Привет".encode()],
)
def test_a_malformed_pdu_is_cms_304(modem: Harness, body: bytes) -> None:
    modem.send("AT+CMGS=12")
    modem.modem.receive(body + b"\x1a")
    modem.advance(5)
    assert modem.take() == "\r\n+CMS ERROR: 304\r\n"
    assert modem.lines("AT") == ["OK"]


def test_wrong_length_is_cms_304(modem: Harness) -> None:
    pdu = submit_hex("hello", "+" + ANSWERS)
    modem.send(f"AT+CMGS={tpdu_length(pdu) + 3}")
    modem.modem.receive(pdu.encode() + b"\x1a")
    modem.advance(5)
    assert modem.take() == "\r\n+CMS ERROR: 304\r\n"


def test_status_report_stored_with_cdsi(modem: Harness) -> None:
    modem.send("AT+CNMI=2,1,0,2,0")
    assert send_pdu(modem, submit_hex("report me", "+" + ANSWERS, report=True)).startswith(
        "\r\n+CMGS: 0"
    )
    modem.advance(7)
    assert modem.take() == ""  # delivered 10 s after the network took it (2.5 s after Ctrl-Z)
    modem.advance(1)
    assert modem.take() == '\r\n+CDSI: "SR",1\r\n'
    lines = modem.lines('AT+CPMS="SR";+CMGR=1')
    pdu = decode_any(lines[2])
    assert isinstance(pdu, SmsStatusReport)
    assert pdu.message_reference == 0 and pdu.status == 0
    assert str(pdu.recipient) == "+" + ANSWERS


def test_status_report_routed_with_cds_and_failure_status(modem: Harness) -> None:
    modem.send("AT+CNMI=2,1,0,1,0")
    send_pdu(modem, submit_hex("x", "+" + SMS_FAILS, report=True))
    modem.advance(40)
    header, pdu = [line for line in modem.take().split("\r\n") if line]
    assert header == f"+CDS: {tpdu_length(pdu)}"
    report = decode_any(pdu)
    assert isinstance(report, SmsStatusReport) and report.status == 0x43


def test_no_report_unless_asked(modem: Harness) -> None:
    modem.send("AT+CNMI=2,1,0,1,0")
    send_pdu(modem, submit_hex("x", "+" + ANSWERS, report=False))
    modem.advance(60)
    assert modem.take() == ""


def test_text_mode_report_follows_csmp_first_octet(modem: Harness) -> None:
    modem.send("AT+CMGF=1;+CSMP=49,167,0,0;+CNMI=2,1,0,1,0")
    assert modem.send(f'AT+CMGS="+{ANSWERS}"') == "\r\n> "
    modem.modem.receive(b"Hello there\x1a")
    modem.advance(5)
    assert modem.take() == "\r\n+CMGS: 0\r\n\r\nOK\r\n"
    modem.advance(20)
    (line,) = [line for line in modem.take().split("\r\n") if line]
    assert line.startswith(f'+CDS: 6,0,"+{ANSWERS}",145,"') and line.endswith('",0')


def test_text_mode_ucs2_body_and_length_limit(modem: Harness) -> None:
    modem.send('AT+CMGF=1;+CSCS="UCS2";+CSMP=17,167,0,8')
    number = "+79000000001".encode("utf-16-be").hex().upper()
    assert modem.send(f'AT+CMGS="{number}"') == "\r\n> "
    modem.modem.receive("Привет".encode("utf-16-be").hex().upper().encode() + b"\x1a")
    modem.advance(5)
    assert modem.take().startswith("\r\n+CMGS: 0")
    modem.send('AT+CSCS="GSM";+CSMP=17,167,0,0')
    modem.send(f'AT+CMGS="+{ANSWERS}"')
    modem.modem.receive(b"x" * 161 + b"\x1a")
    modem.advance(5)
    assert modem.take() == "\r\n+CMS ERROR: 305\r\n"


def test_text_mode_cr_in_body_prompts_again(modem: Harness) -> None:
    modem.send("AT+CMGF=1")
    modem.send(f'AT+CMGS="+{ANSWERS}"')
    assert modem.send(b"line one\r", 0.1) == "\r\n> "


def test_concatenated_submission_parts_share_one_decision(modem: Harness) -> None:
    parts = split_submit("Длинное сообщение " * 10, "+" + ANSWERS, reference=7)
    assert len(parts) > 1
    for part in parts:
        assert "+CMGS:" in send_pdu(modem, encode_submit(part))
    decided = [e for e in modem.modem.journal.entries() if e.kind == "decision"]
    assert len(decided) == 1


def test_incoming_sms_stored_with_cmti_then_read(modem: Harness) -> None:
    modem.send("AT+CNMI=2,1,0,0,0")
    modem.modem.scripted(scripted_sms(0, "79100000004", "gsm:0", "PIN 1234"))
    assert modem.take() == '\r\n+CMTI: "SM",1\r\n'
    header, pdu, ok = modem.lines("AT+CMGR=1")
    assert header.startswith("+CMGR: 0,,") and ok == "OK"
    message = decode_any(pdu)
    assert isinstance(message, SmsDeliver) and message.text == "PIN 1234"
    assert str(message.originator) == "+79100000004"
    assert modem.lines("AT+CMGR=1")[0].startswith("+CMGR: 1,,")  # now REC READ
    assert modem.lines("AT+CMGF=1;+CMGR=1")[0].startswith('+CMGR: "REC READ","+79100000004","","')
    assert modem.lines("AT+CMGD=1;+CMGR=1") == ["OK"]
    assert modem.lines("AT+CMGR=99") == ["+CMS ERROR: 321"]


def test_incoming_sms_routed_with_cmt_in_text_mode(modem: Harness) -> None:
    modem.send("AT+CMGF=1;+CNMI=2,2,0,0,0")
    modem.modem.scripted(scripted_sms(0, "79100000004", "gsm:0", "hi"))
    header, text = [line for line in modem.take().split("\r\n") if line]
    assert header.startswith('+CMT: "+79100000004","","') and text == "hi"
    assert modem.lines('AT+CMGL="ALL"') == ["OK"]  # +CMT messages are not stored


def test_long_cyrillic_sms_arrives_as_concatenated_parts(modem: Harness) -> None:
    modem.send("AT+CNMI=2,1,0,0,0")
    text = "Тревога! Всем сотрудникам покинуть здание по лестнице Б. " * 3
    modem.modem.scripted(scripted_sms(0, "79100000004", "gsm:0", text))
    notices = [line for line in modem.take().split("\r\n") if line]
    assert notices == [f'+CMTI: "SM",{i}' for i in range(1, len(notices) + 1)]
    assert len(notices) == 3
    listing = modem.lines("AT+CMGL=4")
    pdus = listing[1:-1:2]
    assembler = Reassembler()
    whole = None
    for pdu in pdus:
        message = decode_any(pdu)
        assert isinstance(message, SmsDeliver)
        whole = assembler.add("+79100000004", message) or whole
    assert whole is not None and whole.text == text


def test_listing_statuses_and_delete_flags(modem: Harness) -> None:
    modem.send("AT+CNMI=2,1,0,0,0")
    for n in range(3):
        modem.modem.scripted(scripted_sms(0, "79100000004", "gsm:0", f"m{n}"))
    modem.take()
    modem.send("AT+CMGR=2")
    unread = [line for line in modem.lines("AT+CMGL=0") if line.startswith("+CMGL")]
    assert [line.rsplit(",", 1)[0] for line in unread] == ["+CMGL: 1,0,", "+CMGL: 3,0,"]
    modem.send("AT+CMGF=1")
    assert modem.send('AT+CMGW="+79000000009"', 0.1) == "\r\n> "
    modem.modem.receive(b"draft\x1a")
    modem.advance(1)
    assert modem.take() == "\r\n+CMGW: 4\r\n\r\nOK\r\n"
    statuses = [line.split(",")[1] for line in modem.lines('AT+CMGL="ALL"') if "+CMGL" in line]
    assert statuses == ['"REC READ"'] * 3 + ['"STO UNSENT"']
    assert modem.lines("AT+CMSS=4", 5)[0] == "+CMSS: 0"
    assert '"STO SENT"' in modem.send('AT+CMGL="STO SENT"')
    assert modem.lines("AT+CMGD=1,1") == ["OK"]
    assert [line for line in modem.lines('AT+CMGL="ALL"') if "+CMGL" in line] == [
        '+CMGL: 4,"STO SENT","+79000000009",""'
    ]
    assert modem.lines('AT+CMGD=0,4;+CMGL="ALL"') == ["OK"]


def test_incoming_sms_waits_for_registration(modem: Harness) -> None:
    modem.send("AT+CNMI=2,1,0,0,0")
    modem.modem.set_registration("searching")
    modem.modem.scripted(scripted_sms(0, "79100000004", "gsm:0", "later"))
    assert modem.take() == ""
    modem.modem.set_registration("home")
    assert modem.take() == '\r\n+CMTI: "SM",1\r\n'


def test_sms_commands_without_sim_are_cms_errors(modem: Harness) -> None:
    modem.modem.remove_sim()
    assert modem.lines("AT+CMGS=10") == ["+CMS ERROR: 310"]
    assert modem.lines("AT+CPMS?") == ["+CMS ERROR: 310"]


def test_listing_data_follows_its_header_after_one_crlf(modem: Harness) -> None:
    """27.005: ``+CMT: ...<CR><LF><data>`` and ``+CMGR: ...<CR><LF><data>``, as real
    modems send them: no blank line between a header and its data."""
    modem.send("AT+CMGF=1;+CNMI=2,2,0,0,0")
    modem.modem.scripted(scripted_sms(0, "79100000004", "gsm:0", "hi"))
    routed = modem.take()
    assert routed.startswith('\r\n+CMT: "+79100000004","","') and routed.endswith('"\r\nhi\r\n')
    modem.send("AT+CNMI=2,1,0,0,0")
    modem.modem.scripted(scripted_sms(0, "79100000004", "gsm:0", "PIN 1234"))
    modem.take()
    read = modem.send("AT+CMGR=1")
    assert read.startswith('\r\n+CMGR: "REC UNREAD","+79100000004","","')
    assert read.endswith('"\r\nPIN 1234\r\n\r\nOK\r\n'), read


def test_cyrillic_in_ucs2_with_a_7bit_dcs_is_cms_305(modem: Harness) -> None:
    """Text mode, AT+CSCS="UCS2" but +CSMP's <dcs> 0 (GSM 7-bit): Cyrillic cannot be
    sent in that alphabet; the modem answers +CMS ERROR 305 and goes on."""
    modem.send('AT+CMGF=1;+CSCS="UCS2";+CSMP=17,167,0,0;+CMEE=1')
    assert modem.send('AT+CMGS="002B0037003900300030"').endswith("> ")
    body = "Привет".encode("utf-16-be").hex().upper().encode()
    assert modem.lines(body + b"\x1a", wait=5)[-1] == "+CMS ERROR: 305"
    assert modem.lines("AT")[-1] == "OK"  # the line is free again
