"""The response validators, fed fake answers."""

from __future__ import annotations

from types import SimpleNamespace

from nabat.loadtests.locust.expectations import (
    FOUND,
    NOT_FOUND,
    PING_OK,
    REGISTERED,
    Expectation,
    outcome_problem,
    problem,
    read_error_bits,
)
from nabat.loadtests.locust.malformed import MALFORMED_CASES, CaseNumbers


class Headers:
    """Case-insensitive header lookup, like geventhttpclient's Headers."""

    def __init__(self, **values: str) -> None:
        self._values = {name.lower().replace("_", "-"): v for name, v in values.items()}

    def get(self, name: str, default: None = None) -> str | None:
        return self._values.get(name.lower(), default)


NO_ERROR = Headers(x_error_bits="0x00000000")


def test_right_answers_pass() -> None:
    assert problem(REGISTERED, 201, NO_ERROR) is None
    assert problem(FOUND, 200, NO_ERROR) is None
    assert problem(NOT_FOUND, 404, NO_ERROR) is None
    assert problem(NOT_FOUND, 404, Headers()) is None  # a hub may omit the zero header
    assert problem(PING_OK, 200, Headers()) is None


def test_wrong_status_names_both_and_the_bits() -> None:
    reason = problem(NOT_FOUND, 200, NO_ERROR)
    assert reason == "expected 404, got 200 (X-Error-Bits 0x00000000)"
    reason = problem(FOUND, 400, Headers(x_error_bits="0x00020000"), b"bad request\n")
    assert reason == "expected 200, got 400 (X-Error-Bits 0x00020000, body 'bad request')"
    assert problem(REGISTERED, 503, Headers()) == "expected 201, got 503 (X-Error-Bits none)"


def test_no_answer() -> None:
    assert problem(FOUND, 0, Headers()) == "expected 200, got no HTTP answer"


def test_bits_on_a_success_are_a_failure() -> None:
    reason = problem(FOUND, 200, Headers(x_error_bits="0x00000001"))
    assert reason == "expected no error bits with 200, got 0x00000001"


def test_expected_bits_must_match_exactly() -> None:
    expect = Expectation(400, error_bits=0x1)
    assert problem(expect, 400, Headers(x_error_bits="0x00000001")) is None
    assert (
        problem(expect, 400, Headers(x_error_bits="0x00000003"))
        == "expected X-Error-Bits 0x00000001, got 0x00000003"
    )
    assert problem(expect, 400, Headers()) == "expected X-Error-Bits 0x00000001, header missing"


def test_legacy_headers_are_read() -> None:
    assert read_error_bits(Headers(x_errors_hex="00000010")) == 0x10
    assert read_error_bits(Headers(x_errors="16")) == 0x10
    assert read_error_bits(Headers(x_error_code="8")) == 0x8
    assert read_error_bits(Headers(x_error_bits="0x00000008", x_errors="1")) == 0x8
    assert read_error_bits(Headers(x_error_bits="junk")) is None
    assert read_error_bits(Headers()) is None
    assert problem(Expectation(400, 0x10), 400, Headers(x_errors_hex="00000010")) is None


def test_malformed_cases_expect_spec_bits_and_build_bodies() -> None:
    numbers = CaseNumbers(a="79000000001", b="79066666700", foreign_a="79133333400", call_id="c1")
    expected = {
        "a missing": 0x1,
        "b not a number": 0x8,
        "bad bh": 0x10,
        "a not owned": 0x00800000,
        "a not Russian": 0x01000400,
        "a not a number": 0x4,
        "bad ch": 0x40,
        "c and d not numbers": 0xA0,
    }
    assert {case.name: case.expect.error_bits for case in MALFORMED_CASES} == expected
    for case in MALFORMED_CASES:
        assert case.expect.status == 400
        body = case.body(numbers)
        assert "call_id=c1" in body
        assert case.request_name.startswith(case.path[1:] + " malformed: ")
    bodies = {case.name: case.body(numbers) for case in MALFORMED_CASES}
    assert "a=" not in bodies["a missing"]
    assert "b=79x" in bodies["b not a number"]


def test_outcome_validation() -> None:
    verified = SimpleNamespace(outcome=SimpleNamespace(name="VERIFIED"), status=200)
    assert outcome_problem("VERIFIED", verified) is None
    rejected = SimpleNamespace(
        outcome=SimpleNamespace(name="REJECTED"),
        status=400,
        error_names=["SIM_NOT_B_OWNER"],
        detail="",
    )
    assert (
        outcome_problem("VERIFIED", rejected)
        == "expected VERIFIED, got REJECTED (status 400, errors SIM_NOT_B_OWNER)"
    )
