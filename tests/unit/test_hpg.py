"""The HPG codec: datetimes, indexed parameters, result lines, error profiles."""

from __future__ import annotations

import contextlib
import re
from datetime import datetime
from urllib.parse import parse_qsl

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nabat.system.wire import hpg
from nabat.system.wire.hpg import (
    Credentials,
    DeliveryStatus,
    HpgSyntaxError,
    ResponseCode,
    SendRecord,
    SendResult,
    StatusResult,
)

SAFE_TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=["Cs"],
        blacklist_characters=";\r\n\x85\u2028\u2029\x0b\x0c\x1c\x1d\x1e",
    ),
    min_size=1,
    max_size=20,
).filter(lambda text: text == text.rstrip())
MOMENTS = st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31)).map(
    lambda moment: moment.replace(microsecond=0)
)


def test_codes_and_statuses_are_the_specs() -> None:
    assert [code.value for code in ResponseCode] == [
        "ok",
        "error-auth",
        "error-syntax",
        "error-system",
        "error-provider-id-unknown",
        "error-address-format",
        "error-address-unknown",
        "error-subject-format",
        "error-subject-unknown",
    ]
    assert [status.value for status in DeliveryStatus] == [
        "enqueued",
        "sent",
        "delivered",
        "undelivered",
        "failed",
        "delayed",
        "cancelled",
    ]
    assert {status for status in DeliveryStatus if status.final} == {
        DeliveryStatus.DELIVERED,
        DeliveryStatus.UNDELIVERED,
        DeliveryStatus.FAILED,
        DeliveryStatus.CANCELLED,
    }


def test_datetime_is_the_specs_format() -> None:
    assert hpg.format_datetime(datetime(2012, 3, 15, 19, 53, 14)) == "2012.03.15 19:53:14"
    assert hpg.parse_datetime("2012.03.15 19:53:07") == datetime(2012, 3, 15, 19, 53, 7)
    for bad in ("2012-03-15 19:53:07", "2012.3.15 19:53:07", "2012.02.30 10:00:00", "", "x" * 19):
        with pytest.raises(HpgSyntaxError):
            hpg.parse_datetime(bad)


@given(MOMENTS)
def test_datetime_round_trip(moment: datetime) -> None:
    assert hpg.parse_datetime(hpg.format_datetime(moment)) == moment


def test_the_specs_send_example_parses() -> None:
    query = (
        "login=CLIENT&password=Password&subject[0]=SUBJECT&address[0]=79031111111&text[0]=Hello"
        "&subject[1]=SUBJECT&address[1]=79032222222&text[1]=Hey, %20you"
    )
    records, plain = hpg.parse_send_records(parse_qsl(query, keep_blank_values=True))
    assert plain == {"login": "CLIENT", "password": "Password"}
    assert records == [
        SendRecord("SUBJECT", "79031111111", "Hello", "0"),
        SendRecord("SUBJECT", "79032222222", "Hey,  you", "1"),
    ]


def test_the_specs_status_example_parses() -> None:
    query = "login=CLIENT&password=P@ssw0rd&providerId[0]=1001&providerId[1]=1002"
    records, plain = hpg.parse_status_records(parse_qsl(query))
    assert [record.provider_id for record in records] == ["1001", "1002"]
    assert plain["password"] == "P@ssw0rd"


@pytest.mark.parametrize(
    ("pairs", "complaint"),
    [
        ([("subject[0]", "S"), ("address[0]", "1"), ("text[0]", "t"), ("text[2]", "t")], "index 1"),
        ([("subject[0]", "S"), ("address[0]", "1")], "text[0]"),
        ([("subject[0]", "S"), ("address[0]", "1"), ("text[0]", "")], "text[0]"),
        ([("subject[x]", "S")], "canonical"),
        ([("subject[-1]", "S")], "canonical"),
        ([("subject[01]", "S")], "canonical"),
        ([("subject[9999999]", "S")], "canonical"),
        ([("subject[0]", "S"), ("subject[0]", "T")], "twice"),
        ([("login", "a"), ("login", "b")], "twice"),
        ([("sender[0]", "S")], "unknown"),
        ([("subject[0", "S")], "malformed"),
        ([("subject]0[", "S")], "malformed"),
        ([("login", "a")], "no message"),
        (
            [("subject[0]", "S"), ("address[0]", "1"), ("text[0]", "t"), ("clientId[0]", "a;b")],
            "clientId",
        ),
        (
            [
                *[("subject[0]", "S"), ("address[0]", "1"), ("text[0]", "t"), ("clientId[0]", "x")],
                *[("subject[1]", "S"), ("address[1]", "1"), ("text[1]", "t"), ("clientId[1]", "x")],
            ],
            "not unique",
        ),
    ],
)
def test_bad_requests_are_syntax_errors_naming_the_problem(
    pairs: list[tuple[str, str]], complaint: str
) -> None:
    with pytest.raises(HpgSyntaxError, match=re.escape(complaint)):
        hpg.parse_send_records(pairs)


@given(
    st.lists(
        st.tuples(st.text(max_size=12), st.text(max_size=12)),
        max_size=30,
    )
)
def test_hostile_pairs_either_parse_or_raise_syntax_errors(pairs: list[tuple[str, str]]) -> None:
    try:
        records, _ = hpg.parse_send_records(pairs)
    except HpgSyntaxError:
        return
    assert all(record.text and record.address and record.subject for record in records)


def test_a_flood_of_indexes_is_bounded_and_cheap() -> None:
    pairs = [(f"providerId[{index}]", str(index)) for index in range(1, 200_000, 7)]
    with pytest.raises(HpgSyntaxError, match="index 0 is missing"):
        hpg.parse_status_records(pairs)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            SAFE_TEXT.filter(lambda text: text.isprintable()),
            st.from_regex(r"[1-9]\d{9,14}", fullmatch=True),
            st.text(min_size=1, max_size=40).filter(lambda text: "\x00" not in text),
            SAFE_TEXT,
        ),
        min_size=1,
        max_size=8,
        unique_by=lambda item: item[3],
    ),
    SAFE_TEXT,
)
def test_send_query_round_trip(messages: list[tuple[str, str, str, str]], password: str) -> None:
    records = [SendRecord(*message) for message in messages]
    credentials = Credentials("CLIENT", password, "login", "pass")
    query = hpg.build_send_query(credentials, records)
    parsed, plain = hpg.parse_send_records(parse_qsl(query, keep_blank_values=True))
    assert parsed == records
    assert plain == {"login": "CLIENT", "pass": password}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.from_regex(r"[0-9]{1,12}", fullmatch=True), min_size=1, max_size=20))
def test_status_query_round_trip(provider_ids: list[str]) -> None:
    query = hpg.build_status_query(Credentials("CLIENT", "P@ssw0rd"), provider_ids)
    parsed, _ = hpg.parse_status_records(parse_qsl(query))
    assert [record.provider_id for record in parsed] == provider_ids


def test_a_client_id_that_cannot_travel_is_refused_when_building() -> None:
    with pytest.raises(HpgSyntaxError):
        hpg.build_send_query(Credentials("a", "b"), [SendRecord("S", "79031111111", "t", "a\nb")])


@given(st.sampled_from(ResponseCode), SAFE_TEXT, st.from_regex(r"[0-9]{0,12}", fullmatch=True))
def test_send_line_round_trip(code: ResponseCode, client_id: str, provider_id: str) -> None:
    result = SendResult(code, client_id, provider_id)
    line = hpg.format_send_line(result)
    assert line.count(";") == 2
    assert hpg.parse_send_line(line) == result


@given(
    st.sampled_from(ResponseCode),
    st.from_regex(r"[0-9]{1,12}", fullmatch=True),
    st.none() | st.sampled_from(DeliveryStatus),
    st.none() | MOMENTS,
    st.just("") | SAFE_TEXT,
)
def test_status_line_round_trip(
    code: ResponseCode,
    provider_id: str,
    status: DeliveryStatus | None,
    moment: datetime | None,
    reason: str,
) -> None:
    result = StatusResult(code, provider_id, status, moment, reason)
    line = hpg.format_status_line(result)
    assert line.count(";") == 4
    assert hpg.parse_status_line(line) == result


def test_the_specs_answers_parse() -> None:
    send = "ok;0;1001  \nok;1;1002\n"
    assert [hpg.parse_send_line(line) for line in hpg.body_lines(send)] == [
        SendResult(ResponseCode.OK, "0", "1001"),
        SendResult(ResponseCode.OK, "1", "1002"),
    ]
    status = (
        "ok;1002;delivered;2012.03.15 19:53:14;  \r\n"
        "ok;1001;undelivered;2012.03.15 19:53:07;unknown-subscriber"
    )
    assert [hpg.parse_status_line(line) for line in hpg.body_lines(status)] == [
        StatusResult(
            ResponseCode.OK, "1002", DeliveryStatus.DELIVERED, datetime(2012, 3, 15, 19, 53, 14)
        ),
        StatusResult(
            ResponseCode.OK,
            "1001",
            DeliveryStatus.UNDELIVERED,
            datetime(2012, 3, 15, 19, 53, 7),
            "unknown-subscriber",
        ),
    ]


def test_readers_are_tolerant_of_short_lines_and_semicolons() -> None:
    assert hpg.parse_send_line("error-address-format;7") == SendResult(
        ResponseCode.ERROR_ADDRESS_FORMAT, "7"
    )
    assert hpg.parse_send_line("ok;a;b;1001") == SendResult(ResponseCode.OK, "a;b", "1001")
    assert hpg.parse_status_line("error-provider-id-unknown;1003") == StatusResult(
        ResponseCode.ERROR_PROVIDER_ID_UNKNOWN, "1003"
    )
    assert hpg.parse_status_line("ok;1;undelivered;2012.03.15 19:53:07;a;b").reason == "a;b"


def test_writers_refuse_fields_that_break_lines() -> None:
    with pytest.raises(ValueError):
        hpg.format_status_line(StatusResult(ResponseCode.OK, "1", reason="a\nb"))
    with pytest.raises(ValueError):
        hpg.format_send_line(SendResult(ResponseCode.OK, "a;b", "1"))


@pytest.mark.parametrize(
    "line", ["", "ok", "bogus;1;2", "ok;1;lost;;", "ok;1;sent;2012-03-15 19:53:07;"]
)
def test_bad_answer_lines_raise(line: str) -> None:
    with pytest.raises(HpgSyntaxError):
        if line.count(";") > 2:
            hpg.parse_status_line(line)
        else:
            hpg.parse_send_line(line)


@given(st.text(max_size=60))
def test_hostile_answer_lines_parse_or_raise_syntax_errors(line: str) -> None:
    for parse in (hpg.parse_send_line, hpg.parse_status_line):
        with contextlib.suppress(HpgSyntaxError):
            parse(line)


@pytest.mark.parametrize(
    "code", [ResponseCode.ERROR_AUTH, ResponseCode.ERROR_SYNTAX, ResponseCode.ERROR_SYSTEM]
)
@pytest.mark.parametrize("http500", [True, False])
def test_request_errors_round_trip_in_both_profiles(code: ResponseCode, http500: bool) -> None:
    status, body = hpg.format_request_error(code, http500=http500)
    assert status == (500 if http500 else 200)
    assert body.startswith(code.value)
    assert hpg.parse_request_error(status, body) is code


def test_request_error_reading() -> None:
    assert hpg.parse_request_error(500, "Internal Server Error") is ResponseCode.ERROR_SYSTEM
    assert hpg.parse_request_error(500, "") is ResponseCode.ERROR_SYSTEM
    assert hpg.parse_request_error(200, "ok;0;1001\n") is None
    assert hpg.parse_request_error(200, "ok\n") is None
    assert hpg.parse_request_error(200, "error-auth\nerror-auth\n") is None


def test_field_rules() -> None:
    assert hpg.is_address("79031111111")
    assert hpg.is_address("1" + "0" * 14)
    for bad in (
        "+79031111111",
        "903111111",
        "7" * 16,
        "07903111111",
        "7903111111a",
        "７９０３１１１１１１１",
    ):
        assert not hpg.is_address(bad)
    assert hpg.is_subject("SUBJECT") and hpg.is_subject("My-Shop 24") and hpg.is_subject("900")
    for bad in ("", "TWELVE_CHARS", "1234567890123456", "Привет", "semi;colon", "---"):
        assert not hpg.is_subject(bad)


def test_start_time_travels_only_when_given() -> None:
    records = [
        SendRecord("SUBJECT", "79031111111", "a", "x", "2026.01.02 03:04:05"),
        SendRecord("SUBJECT", "79031111112", "b", "y"),
    ]
    query = hpg.build_send_query(Credentials("CLIENT", "P@ssw0rd"), records)
    assert query.count("startTime") == 1
    assert hpg.parse_send_records(parse_qsl(query))[0] == records


@pytest.mark.parametrize("digits", ["٧٩٠٣١١١١١١١", "７９０３１１１１１１１", "7903111111\u0661"])
def test_only_ascii_digits_make_an_address_a_subject_or_an_index(digits: str) -> None:
    assert not hpg.is_address(digits)
    assert not hpg.is_subject(digits[-5:])
    with pytest.raises(hpg.HpgSyntaxError):
        hpg.split_indexed([("text[\u0661]", "x")], hpg.SEND_FIELDS)


_ADDRESS_PATTERN = re.compile(r"[1-9][0-9]{9,14}")
_UNSAFE_PATTERN = re.compile(r"[;\r\n]")


@given(
    st.text(st.sampled_from("0123456789٠١٢٣０１+ a;\r\n"), max_size=17)
    | st.from_regex(r"[0-9]{8,16}", fullmatch=True)
)
def test_the_str_method_field_rules_equal_their_regexes(text: str) -> None:
    """is_address and is_safe_field run per message in str methods: exactly the regexes."""
    assert hpg.is_address(text) == (_ADDRESS_PATTERN.fullmatch(text) is not None)
    assert hpg.is_safe_field(text) == (_UNSAFE_PATTERN.search(text) is None)
