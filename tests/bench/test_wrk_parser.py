"""The wrk output parser and Lua script builder, fed output captured from real wrk runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from nabat.loadtests.bench.wrk import (
    COUNTER_DIGITS,
    THREAD_DIGITS,
    RequestSpec,
    WrkError,
    build_lua_script,
    lua_string,
    parse_wrk_output,
)

DATA = Path(__file__).parent / "data"


def read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def test_parses_a_clean_run() -> None:
    figures = parse_wrk_output(read("wrk_reference_ok.txt"))
    assert figures.generator == "wrk"
    assert figures.requests == 574432
    assert figures.duration_s == 3.0
    assert figures.requests_per_s == 191431.01
    assert figures.latency_avg_ms == pytest.approx(0.21663)
    assert figures.latency_max_ms == pytest.approx(3.21)
    assert figures.percentiles_ms == {"50": 0.197, "75": 0.284, "90": 0.349, "99": 0.471}
    assert figures.p50_ms == 0.197
    assert figures.p99_ms == 0.471
    assert figures.statuses == {200: 574432}
    assert figures.non_2xx_3xx == 0
    assert figures.socket_errors == {}
    assert figures.count_other_than(200) == 0


def test_parses_errors_and_other_statuses() -> None:
    figures = parse_wrk_output(read("wrk_errors.txt"))
    assert figures.requests == 25232
    assert figures.duration_s == pytest.approx(1.1)
    assert figures.requests_per_s == 22953.41
    assert figures.percentiles_ms["99"] == 0.189
    assert figures.non_2xx_3xx == 25232
    assert figures.socket_errors == {"connect": 0, "read": 50465, "write": 0, "timeout": 0}
    assert figures.total_socket_errors() == 50465
    assert figures.statuses == {404: 25232}
    assert figures.count_other_than(200) == 25232


def test_parses_a_slow_server_in_seconds_and_milliseconds() -> None:
    figures = parse_wrk_output(read("wrk_slow.txt"))
    assert figures.percentiles_ms["50"] == 1.4
    assert figures.percentiles_ms["99"] == 476.37
    assert figures.latency_max_ms == 832.62
    assert figures.statuses == {501: 8592}
    assert figures.non_2xx_3xx == 8592


def test_time_units() -> None:
    text = read("wrk_reference_ok.txt").replace("99%  471.00us", "99%    1.50s").replace(
        "50%  197.00us", "50%    2.00m"
    )
    figures = parse_wrk_output(text)
    assert figures.percentiles_ms["99"] == 1500.0
    assert figures.percentiles_ms["50"] == 120_000.0


def test_refuses_output_without_totals() -> None:
    with pytest.raises(WrkError):
        parse_wrk_output("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_status_lines_from_several_threads_add_up() -> None:
    text = read("wrk_reference_ok.txt").replace(
        "nabat-status 200 574432", "nabat-status 200 500000\nnabat-status 200 74432"
    )
    assert parse_wrk_output(text).statuses == {200: 574432}


def test_request_spec_bodies_have_the_announced_length() -> None:
    spec = RequestSpec("POST", "/CheckCall", (("a", "79000000001"), ("b", "79000000002")), "t-1")
    assert spec.body_prefix() == "a=79000000001&b=79000000002&call_id=t-1-"
    for thread, counter in ((1, 1), (12, 9_999_999_999)):
        body = spec.body(thread, counter)
        assert len(body) == spec.body_length()
    assert spec.body(1, 7) == f"{spec.body_prefix()}{1:0{THREAD_DIGITS}d}-{7:0{COUNTER_DIGITS}d}"
    head = spec.head("127.0.0.1:8085")
    assert head.startswith("POST /CheckCall HTTP/1.1\r\nHost: 127.0.0.1:8085\r\n")
    assert f"Content-Length: {spec.body_length()}\r\n" in head
    assert head.endswith("\r\n\r\n")


def test_request_spec_without_call_id() -> None:
    spec = RequestSpec("POST", "/ping", ())
    assert spec.body(1, 5) == ""
    assert spec.body_length() == 0


def test_lua_script_embeds_the_request() -> None:
    spec = RequestSpec("POST", "/CheckCall", (("a", "1"),), "x")
    script = build_lua_script(spec, "127.0.0.1:1")
    assert lua_string(spec.head("127.0.0.1:1")) in script
    assert 'local body_prefix = "a=1&call_id=x-"' in script
    assert "function response(status, headers, body)" in script
    assert "nabat-status" in script


def test_lua_string_escapes() -> None:
    assert lua_string('a"b\\c\r\n') == '"a\\"b\\\\c\\r\\n"'
    assert lua_string("é") == '"\\195\\169"'
