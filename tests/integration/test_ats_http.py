"""The ATS simulator over real loopback sockets: wire rules, hostile input,
faults, latency, listeners and the control API."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from nabat.simulators.ats.app import AtsConfig
from nabat.simulators.ats.control_client import AtsControlClient, ControlApiError
from nabat.simulators.ats.runner import BackgroundAtsSimulator
from nabat.simulators.http.server import HttpLimits
from nabat.simulators.pytest_plugin import AtsSimulatorHandle

A1, B1 = "79000000001", "79000000002"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    assert parts.hostname is not None and parts.port is not None
    return parts.hostname, parts.port


def raw_exchange(url: str, payload: bytes, timeout: float = 5.0) -> bytes:
    """Send raw bytes, read until the server closes (or the timeout)."""
    with socket.create_connection(address(url), timeout=timeout) as sock:
        sock.sendall(payload)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except (TimeoutError, ConnectionResetError):
            pass
        return b"".join(chunks)


def post(url: str, path: str, body: str, source: str = "127.0.0.1") -> httpx.Response:
    transport = httpx.HTTPTransport(local_address=source)
    with httpx.Client(transport=transport, timeout=5) as client:
        return client.post(url + path, content=body, headers=FORM)


def test_register_then_check_over_http(ats_simulator: AtsSimulatorHandle) -> None:
    assert post(ats_simulator.url, "/RegisterCall", f"a={A1}&b={B1}").status_code == 201
    response = post(ats_simulator.url, "/CheckCall", f"a={A1}&b={B1}&call_id=1")
    assert response.status_code == 200 and response.headers["X-Error-Bits"] == "0x00000000"


def test_reserve_shares_the_store(ats_simulator: AtsSimulatorHandle) -> None:
    assert post(ats_simulator.url, "/RegisterCall", f"a={A1}&b={B1}").status_code == 201
    assert (
        post(ats_simulator.reserve_url, "/CheckCall", f"a={A1}&b={B1}&id_src=1").status_code == 200
    )


def test_operator_identified_by_source_address(ats_simulator: AtsSimulatorHandle) -> None:
    response = post(ats_simulator.url, "/RegisterCall", f"a={A1}&b={B1}&dbg=1", source="127.0.0.2")
    assert response.status_code == 400
    assert response.headers["X-Error-Bits"] == "0x00800000"
    assert "not owner" in response.headers["X-Error-Messages"]


def test_cyrillic_call_path_and_wrong_method(ats_simulator: AtsSimulatorHandle) -> None:
    reply = raw_exchange(
        ats_simulator.url,
        b"POST /%D1%81all HTTP/1.1\r\nHost: x\r\nContent-Length: 25\r\n"
        + f"Connection: close\r\n\r\na={A1}&b={B1}".encode(),
    )
    assert reply.startswith(b"HTTP/1.1 201 ")
    get = httpx.get(ats_simulator.url + "/CheckCall")
    assert get.status_code == 405 and get.headers["Allow"] == "POST"
    assert httpx.get(ats_simulator.url + "/ping").status_code == 200
    help_page = httpx.get(ats_simulator.url + "/help")
    assert help_page.headers["Content-Type"].startswith("text/markdown")
    assert "Content-Disposition" not in help_page.headers
    unknown = httpx.post(ats_simulator.url + "/checkcall")
    assert unknown.status_code == 404 and unknown.headers["X-Sim-Unknown-Path"] == "1"


def test_multipart_body(ats_simulator: AtsSimulatorHandle) -> None:
    response = httpx.post(
        ats_simulator.url + "/RegisterCall", files={"a": (None, A1), "b": (None, B1)}
    )
    assert response.status_code == 201


def test_pipelined_requests_answer_in_order_across_a_slow_one(
    ats_simulator: AtsSimulatorHandle,
) -> None:
    ats_simulator.control.set_latency("fixed", ms=150)
    ping = b"GET /ping HTTP/1.1\r\nHost: x\r\n\r\n"
    last = b"GET /help HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    reply = raw_exchange(ats_simulator.url, ping * 3 + last)
    assert reply.count(b"HTTP/1.1 200 OK") == 4
    assert reply.rstrip().endswith(b"reserve and return when `/ping` answers 200.")


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        (b"GARBAGE\r\n\r\n", b"400"),
        (b"POST /CheckCall HTTP/1.1\r\nHost: x\r\nContent-Length: 999999\r\n\r\n", b"413"),
        (b"GET /ping HTTP/1.1\r\nX-Big: " + b"y" * 20000 + b"\r\n\r\n", b"431"),
        (
            b"POST /CheckCall HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            + b"ffff\r\n"
            + b"a" * 65535
            + b"\r\nffff\r\n"
            + b"a" * 65535
            + b"\r\n0\r\n\r\n",
            b"413",
        ),
        (b"GET /p\xffing HTTP/1.1\r\nHost: x\r\n\r\n", b"40"),
    ],
)
def test_hostile_requests_get_a_clear_status_and_close(
    ats_simulator: AtsSimulatorHandle, payload: bytes, status: bytes
) -> None:
    reply = raw_exchange(ats_simulator.url, payload)
    assert reply.startswith(b"HTTP/1.1 " + status), reply[:80]
    assert b"Connection: close" in reply
    # Other clients are unaffected.
    assert httpx.get(ats_simulator.url + "/ping").status_code == 200


def test_malformed_form_body(ats_simulator: AtsSimulatorHandle) -> None:
    response = post(ats_simulator.url, "/CheckCall", "a=%zz&b=1")
    assert response.status_code == 400
    assert response.headers["X-Error-Bits"] == "0x80000000"
    assert "percent-escape" in response.text
    bad_utf8 = httpx.post(ats_simulator.url + "/CheckCall", content=b"a=%ff", headers=FORM)
    assert bad_utf8.status_code == 400 and "not UTF-8" in bad_utf8.text


@pytest.fixture
def strict_simulator() -> Iterator[BackgroundAtsSimulator]:
    limits = HttpLimits(request_timeout=0.5, idle_timeout=1.0)
    with BackgroundAtsSimulator(AtsConfig(port=0, limits=limits)) as simulator:
        yield simulator


def test_slow_client_is_dropped_without_disturbing_others(
    strict_simulator: BackgroundAtsSimulator,
) -> None:
    url = strict_simulator.urls["primary"]
    assert url is not None
    with socket.create_connection(address(url), timeout=5) as slow:
        slow.sendall(b"POST /CheckCall HTTP/1.1\r\nHost: x\r\n")
        assert httpx.get(url + "/ping").status_code == 200
        started = time.monotonic()
        data = slow.recv(4096)
        assert data.startswith(b"HTTP/1.1 408")
        assert time.monotonic() - started < 3.0
    with socket.create_connection(address(url), timeout=5) as idle:
        assert idle.recv(10) == b""  # closed after the idle timeout


def test_fault_status_then_cleared(ats_simulator: AtsSimulatorHandle) -> None:
    control = ats_simulator.control
    fault_id = control.add_fault("status", status=503, paths=["/CheckCall"])
    assert post(ats_simulator.url, "/CheckCall", f"a={A1}&b={B1}&id_src=1").status_code == 503
    assert httpx.get(ats_simulator.url + "/ping").status_code == 200
    assert (
        post(ats_simulator.reserve_url, "/CheckCall", f"a={A1}&b={B1}&id_src=1").status_code == 404
    )
    control.remove_fault(fault_id)
    assert post(ats_simulator.url, "/CheckCall", f"a={A1}&b={B1}&id_src=1").status_code == 404


def test_redirect_fault_points_at_the_reserve(ats_simulator: AtsSimulatorHandle) -> None:
    ats_simulator.control.add_fault("redirect")
    response = httpx.get(ats_simulator.url + "/ping")
    assert response.status_code == 307
    assert response.headers["Location"] == ats_simulator.reserve_url + "/ping"


def test_count_fault_over_http(ats_simulator: AtsSimulatorHandle) -> None:
    ats_simulator.control.add_fault("status", status=500, count=2)
    codes = [httpx.get(ats_simulator.url + "/ping").status_code for _ in range(3)]
    assert codes == [500, 500, 200]


def test_reset_garbage_and_hang_faults(ats_simulator: AtsSimulatorHandle) -> None:
    control = ats_simulator.control
    control.add_fault("reset", count=1)
    with pytest.raises(httpx.TransportError):
        httpx.get(ats_simulator.url + "/ping")
    control.add_fault("garbage", count=1, bytes=32, seed=3)
    reply = raw_exchange(ats_simulator.url, b"GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
    assert len(reply) == 32 and not reply.startswith(b"HTTP/")
    control.add_fault("hang", count=1, seconds=0.3)
    started = time.monotonic()
    with pytest.raises(httpx.TransportError):
        httpx.get(ats_simulator.url + "/ping", timeout=5)
    assert 0.25 < time.monotonic() - started < 3
    assert httpx.get(ats_simulator.url + "/ping").status_code == 200


def test_error_bits_fault(ats_simulator: AtsSimulatorHandle) -> None:
    ats_simulator.control.add_fault("error_bits", bits="0x04000000", count=1)
    response = post(ats_simulator.url, "/RegisterCall", f"a={A1}&b={B1}")
    assert response.status_code == 400 and response.headers["X-Error-Bits"] == "0x04000000"


def test_latency(ats_simulator: AtsSimulatorHandle) -> None:
    ats_simulator.control.set_latency("fixed", ms=200)
    started = time.monotonic()
    assert httpx.get(ats_simulator.url + "/ping").status_code == 200
    assert time.monotonic() - started >= 0.19
    control_started = time.monotonic()
    ats_simulator.control.state()  # the control API is never delayed
    assert time.monotonic() - control_started < 0.19


def test_listener_can_be_closed_and_reopened_from_the_other_server(
    ats_simulator: AtsSimulatorHandle,
) -> None:
    reserve_control = AtsControlClient(ats_simulator.reserve_url, token=ats_simulator.control_token)
    try:
        reserve_control.set_listening("primary", False)
        with pytest.raises(httpx.ConnectError):
            httpx.get(ats_simulator.url + "/ping")
        reserve_control.set_listening("primary", True)
        assert httpx.get(ats_simulator.url + "/ping").status_code == 200
        with pytest.raises(ControlApiError, match="cannot stop its own listener"):
            ats_simulator.control.set_listening("primary", False)
    finally:
        reserve_control.close()


def test_clock_window_and_journal(ats_simulator: AtsSimulatorHandle) -> None:
    control = ats_simulator.control
    post(ats_simulator.url, "/RegisterCall", f"a={A1}&b={B1}")
    control.advance_clock(59)
    assert post(ats_simulator.url, "/CheckCall", f"a={A1}&b={B1}&id_src=1").status_code == 200
    control.advance_clock(1)
    assert post(ats_simulator.url, "/CheckCall", f"a={A1}&b={B1}&id_src=1").status_code == 404
    entries = control.journal(limit=2)
    assert [e["status"] for e in entries] == [200, 404]
    assert entries[0]["params"]["a"] == A1 and entries[0]["client"] == "127.0.0.1"
    counters = control.state()["counters"]["primary"]
    assert counters["POST /CheckCall 404"] == 1


def test_legacy_profile(ats_simulator: AtsSimulatorHandle) -> None:
    ats_simulator.control.set_config(profile="legacy")
    response = post(ats_simulator.url, "/RegisterCall", "b=1&dbg=1")
    assert response.status_code == 400
    assert "X-Error-Bits" not in response.headers
    assert response.headers["X-errors-hex"] == "00000001"
    assert response.headers["X-Error-Code"] == "1"


def test_numbers_edits_and_window_config(ats_simulator: AtsSimulatorHandle) -> None:
    control = ats_simulator.control
    control.add_numbers(
        [{"first": "79900000000", "last": "79900000099", "id_src": "3", "client_ips": "127.0.0.3"}]
    )
    assert (
        post(
            ats_simulator.url, "/RegisterCall", "a=79900000001&b=79900000002", source="127.0.0.3"
        ).status_code
        == 201
    )
    with pytest.raises(ControlApiError, match="overlap"):
        control.add_numbers([{"first": "79900000050", "last": "79900000150", "id_src": "4"}])
    with pytest.raises(ControlApiError, match=r"ranges\[0\]: unknown columns"):
        control.add_numbers([{"first": "1", "last": "2", "id_src": "4", "bogus": 1}])
    control.set_config(window=5)
    post(ats_simulator.url, "/RegisterCall", f"a={A1}&b={B1}")
    control.advance_clock(5)
    assert post(ats_simulator.url, "/CheckCall", f"a={A1}&b={B1}&id_src=1").status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "message"),
    [
        ("GET", "/__sim/nope", None, 404, "unknown control path"),
        ("PUT", "/__sim/state", None, 405, "not allowed"),
        ("POST", "/__sim/faults", b"{not json", 400, "not valid JSON"),
        ("POST", "/__sim/faults", b"[1]", 400, "JSON object"),
        (
            "POST",
            "/__sim/faults",
            b'{"kind": "status", "server": "backup"}',
            400,
            "no 'backup' server",
        ),
        ("DELETE", "/__sim/faults/77", None, 404, "no fault 77"),
        ("POST", "/__sim/clock", b'{"advance": -5}', 400, "backwards"),
        ("PUT", "/__sim/config", b'{"profile": "ancient"}', 400, "modern, legacy or mixed"),
        ("GET", "/__sim/journal?limit=x", None, 400, "limit"),
        (
            "POST",
            "/__sim/registrations",
            b'{"count": -1, "a_first": 1, "b_first": 1}',
            400,
            "count",
        ),
    ],
)
def test_control_api_errors_are_json(
    ats_simulator: AtsSimulatorHandle,
    method: str,
    path: str,
    body: bytes | None,
    status: int,
    message: str,
) -> None:
    response = httpx.request(method, ats_simulator.url + path, content=body)
    assert response.status_code == status
    assert message in response.json()["error"]


def test_reset_restores_start_up_state(ats_simulator: AtsSimulatorHandle) -> None:
    control = ats_simulator.control
    post(ats_simulator.url, "/RegisterCall", f"a={A1}&b={B1}")
    control.add_fault("status")
    control.set_config(window=1, profile="legacy")
    control.advance_clock(100)
    control.reset()
    state = control.state()
    assert state["registrations"] == 0 and state["window"] == 60.0 and state["profile"] == "modern"
    assert state["faults"] == {"primary": [], "reserve": []}
    assert abs(state["clock"]["offset"]) < 1


def test_bulk_registrations(ats_simulator: AtsSimulatorHandle) -> None:
    assert ats_simulator.control.bulk_register(1000, 79000100000, 79000200000) == 1000
    assert (
        post(ats_simulator.url, "/CheckCall", "a=79000100999&b=79000200999&id_src=1").status_code
        == 200
    )


def test_head_answers_carry_no_body_and_keep_the_connection_usable(
    ats_simulator: AtsSimulatorHandle,
) -> None:
    requests = (
        b"HEAD /help HTTP/1.1\r\nHost: x\r\n\r\n"
        b"HEAD /CheckCall HTTP/1.1\r\nHost: x\r\n\r\n"  # 405, still no body
        b"GET /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    reply = raw_exchange(ats_simulator.url, requests)
    first, second, third = reply.split(b"HTTP/1.1 ")[1:]
    assert first.startswith(b"200 ") and first.endswith(b"\r\n\r\n")
    assert b"text/markdown" in first and b"Content-Length: 0" not in first
    assert second.startswith(b"405 ") and second.endswith(b"\r\n\r\n")
    assert third.startswith(b"200 ")
