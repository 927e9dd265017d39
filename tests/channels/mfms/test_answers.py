"""What an HPG answer means: both request-level error profiles, per-message lines, unknowns."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nabat.system.channels.mfms import Verdict, read_send_answer
from nabat.system.channels.mfms.answers import MessageAnswer
from nabat.system.wire.hpg import HpgSyntaxError, ResponseCode, body_lines, parse_send_line


@pytest.mark.parametrize(
    ("status", "body", "verdict"),
    [
        (500, "error-auth: wrong login or password\n", Verdict.AUTH),
        (200, "error-auth\n", Verdict.AUTH),
        (500, "error-syntax: bad request\n", Verdict.SYNTAX),
        (200, "error-syntax\n", Verdict.SYNTAX),
        (500, "error-system: try later\n", Verdict.RETRY),
        (200, "error-system \r\n", Verdict.RETRY),
        (500, "Internal Server Error", Verdict.RETRY),
        (503, "", Verdict.RETRY),
        (429, "slow down", Verdict.RETRY),
        (504, "gateway timeout", Verdict.UNCERTAIN),
        (404, "not found", Verdict.CONFIG),
        (403, "", Verdict.CONFIG),
        (414, "URI Too Long", Verdict.SYNTAX),
    ],
)
def test_request_level_answers(status: int, body: str, verdict: Verdict) -> None:
    answer = read_send_answer(status, body, 2)
    assert answer.verdict is verdict
    assert answer.messages == []
    assert str(status) in answer.detail


def test_per_message_lines_are_matched_by_client_id() -> None:
    body = "error-address-format;2;\r\nok;0;1001  \nok;1;\ngarbage\nok;7;1999\nok;0;1500\n"
    answer = read_send_answer(200, body, 4)
    assert answer.verdict is Verdict.LINES
    first, second, third, fourth = answer.messages
    assert first is not None and (first.code, first.provider_id) == (ResponseCode.OK, "1001")
    assert second is None  # ok without a providerId: unknown
    assert third is not None and third.code is ResponseCode.ERROR_ADDRESS_FORMAT
    assert fourth is None  # no line at all


def test_the_spec_example_answer() -> None:
    answer = read_send_answer(200, "ok;0;1001  \nok;1;1002\n", 2)
    assert [m.provider_id for m in answer.messages if m is not None] == ["1001", "1002"]


def reference_answer(body: str, count: int) -> list[MessageAnswer | None]:
    """Every line through the codec's parse_send_line (the general path)."""
    answers: list[MessageAnswer | None] = [None] * count
    for line in body_lines(body):
        try:
            result = parse_send_line(line)
        except HpgSyntaxError:
            continue
        client_id = result.client_id
        if not (client_id.isascii() and client_id.isdigit()) or int(client_id) >= count:
            continue
        index = int(client_id)
        if answers[index] is not None or (
            result.code is ResponseCode.OK and not result.provider_id
        ):
            continue
        answers[index] = MessageAnswer(result.code, result.provider_id)
    return answers


_PIECES = st.sampled_from(
    ["ok", "ok;", ";", "0", "1", "2", "007", "1001", "٣", " ", "\r", "\n", "\r\n",
     "error-address-format", "error-subject-unknown", "x", "\u2028", "\x0b"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=24).map("".join), st.integers(1, 4))
def test_the_ok_line_fast_path_reads_as_the_codec(body: str, count: int) -> None:
    answer = read_send_answer(200, body, count)
    if answer.verdict is Verdict.LINES:
        assert answer.messages == reference_answer(body, count)
    else:  # one line, a request-level code
        assert body_lines(body) == [body_lines(body)[0]] and ";" not in body
