"""The suite's own codecs: GSM 7-bit packing, SMS-SUBMIT encoding and PDU decoding
(round trips, and hostile bytes that must give PduError and nothing else), AT answer
lines (splitting and classifying) and parameter lists."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from nabat.conformance.gsm_modem import gsm7, pdu
from nabat.conformance.gsm_modem.client import values
from nabat.conformance.gsm_modem.lines import (
    Expectation,
    Kind,
    classify,
    ends_in_prompt,
    final_word,
    split_lines,
)
from nabat.system.wire import sms_pdu as wire

GSM_TEXT = st.text(alphabet=st.sampled_from(
    [c for c in gsm7.BASIC if c != "\x1b"] + list(gsm7.EXTENSION.values())), max_size=60)
NUMBERS = st.from_regex(r"\+?[0-9]{3,15}", fullmatch=True)


@given(GSM_TEXT)
def test_gsm7_text_round_trips(text: str) -> None:
    assert gsm7.decode(gsm7.encode(text)) == text


@given(st.lists(st.integers(0, 127), max_size=160), st.integers(0, 6))
def test_septets_pack_and_unpack(codes: list[int], fill: int) -> None:
    assert gsm7.unpack(gsm7.pack(codes, fill), len(codes), fill) == codes


@given(NUMBERS, GSM_TEXT, st.booleans(), st.integers(0, 255), st.integers(1, 3))
def test_a_7bit_submit_decodes_to_what_was_encoded(number: str, text: str, report: bool,
                                                   reference: int, total: int) -> None:
    concat = pdu.Concat(reference, total, total) if reference % 2 else None
    try:
        hex_pdu, length = pdu.encode_submit(number, text, status_report=report, concat=concat)
    except pdu.PduError:
        return  # too long for one message
    found = pdu.decode(hex_pdu)
    assert (found.kind, found.address, found.text, found.concat) == ("submit", number, text,
                                                                      concat)
    assert found.status_report_request is report and found.tpdu_length == length


@given(NUMBERS, st.text(max_size=60).filter(lambda t: max(t, default="") < "\ud800"
                                            or all(ord(c) < 0xD800 for c in t)))
def test_a_ucs2_submit_decodes_to_what_was_encoded(number: str, text: str) -> None:
    if any(ord(char) > 0xFFFF for char in text):
        return
    try:
        hex_pdu, _ = pdu.encode_submit(number, text, alphabet=pdu.Alphabet.UCS2)
    except pdu.PduError:
        return
    found = pdu.decode(hex_pdu)
    assert found.text == text and found.alphabet is pdu.Alphabet.UCS2


@given(st.binary(max_size=200))
def test_hostile_pdus_raise_pdu_error_only(data: bytes) -> None:
    with contextlib.suppress(pdu.PduError):
        pdu.decode(data.hex())


@given(st.text(max_size=80))
def test_non_hex_text_is_a_pdu_error(text: str) -> None:
    with contextlib.suppress(pdu.PduError):
        pdu.decode(text)


def test_a_status_report_of_the_product_codec_decodes() -> None:
    """An independent implementation (the product's codec) writes it; the suite reads it."""
    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=3)))
    report = wire.SmsStatusReport(7, wire.Address.parse("+79000000002"), moment, moment, 0x43,
                                  smsc=wire.Address.parse("+79000000010"))
    found = pdu.decode(wire.encode_status_report(report))
    assert (found.kind, found.reference, found.address, found.status, found.smsc) == (
        "status-report", 7, "+79000000002", 0x43, "+79000000010")


@given(NUMBERS, GSM_TEXT)
def test_the_product_codec_reads_the_suites_submit(number: str, text: str) -> None:
    try:
        hex_pdu, length = pdu.encode_submit(number, text)
    except pdu.PduError:
        return
    decoded = wire.decode_submit(hex_pdu)
    assert (str(decoded.destination), decoded.text) == (number, text)
    assert wire.tpdu_length(hex_pdu) == length


@given(st.binary(max_size=100))
def test_split_lines_never_returns_terminators(data: bytes) -> None:
    lines, rest = split_lines(data)
    assert all(b"\r" not in line and b"\n" not in line and line for line in lines)
    assert b"\r" not in rest and b"\n" not in rest


def test_split_lines_keeps_what_is_not_ended() -> None:
    assert split_lines(b"\r\n+CSQ: 21,99\r\n\r\nOK\r\n\r\n> ") == ([b"+CSQ: 21,99", b"OK"],
                                                                 b"> ")
    assert ends_in_prompt(b"> ") and not ends_in_prompt(b"x> ")


@pytest.mark.parametrize(("line", "command", "kind"), [
    ("AT+CSQ", "AT+CSQ", Kind.ECHO),
    ("+CSQ: 21,99", "AT+CSQ", Kind.INFO),
    ("+CREG: 0,1", "AT+CREG?", Kind.INFO),
    ("+CREG: 1", "AT+CSQ", Kind.URC),
    ("RING", "AT+CSQ", Kind.URC),
    ("NO CARRIER", "AT+CSQ", Kind.URC),
    ("NO CARRIER", "ATD+79000000001;", Kind.FINAL),
    ("+CME ERROR: 3", "AT+VTS=1", Kind.FINAL),
    ("COMMAND NOT SUPPORT", "AT+FOO", Kind.FINAL),
    ("Nabat", "AT+CGMI", Kind.INFO),
])
def test_lines_are_classified_by_the_command_they_answer(line: str, command: str,
                                                         kind: Kind) -> None:
    assert classify(line, Expectation.of(command), seen_info=False) is kind


def test_numeric_results_only_under_atv0() -> None:
    assert final_word("0", Expectation.of("AT", numeric=True)) == "OK"
    assert final_word("4", Expectation.of("AT", numeric=True)) == "ERROR"
    assert final_word("0", Expectation.of("AT")) is None
    assert final_word("013", Expectation.of("ATS3?", numeric=True)) is None


@pytest.mark.parametrize(("text", "expected"), [
    ('"SM",0,30', ['"SM"', "0", "30"]),
    ('0,"a, b",,3', ["0", '"a, b"', "", "3"]),
    ("", [""]),
])
def test_parameter_lists(text: str, expected: list[str]) -> None:
    assert values(text) == expected
