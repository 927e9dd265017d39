"""The ATS simulator's HTTP core and control API under hostile clients, over
real loopback sockets: never-reading pipeliners, h2c upgrades, slow-loris,
connection floods, a maximum-size bulk registration, the control token.

Connection deadlines are checked by calling the server's ``sweep(now)`` with
a time past the deadline (the injected-clock way), never by sleeping them out.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from nabat.simulators.ats.app import AtsConfig
from nabat.simulators.ats.control_client import AtsControlClient, ControlApiError
from nabat.simulators.ats.runner import BackgroundAtsSimulator
from nabat.simulators.http.server import HttpLimits, HttpServer

A, B = "79000000001", "79000000002"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
PIPELINED_HELP = b"GET /help HTTP/1.1\r\nHost: x\r\n\r\n" * 2000


def address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    assert parts.hostname is not None and parts.port is not None
    return parts.hostname, parts.port


def primary(simulator: BackgroundAtsSimulator) -> tuple[str, HttpServer]:
    url = simulator.urls["primary"]
    assert url is not None and simulator.world is not None
    return url, simulator.world.servers["primary"].http


def timed_ping(url: str) -> float:
    started = time.perf_counter()
    assert httpx.get(url + "/ping", timeout=5).status_code == 200
    return time.perf_counter() - started


def wait_until(condition: object, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.02)


@pytest.fixture
def simulator() -> Iterator[BackgroundAtsSimulator]:
    config = AtsConfig(port=0, limits=HttpLimits(max_connections=64))
    with BackgroundAtsSimulator(config) as running:
        yield running


def never_reader(url: str) -> socket.socket:
    """A client that pipelines GET /help as fast as it can and never reads."""
    sock = socket.create_connection(address(url))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.setblocking(False)
    try:
        for _ in range(50):
            sock.send(PIPELINED_HELP)
    except BlockingIOError:
        pass
    return sock


def test_never_reading_clients_are_held_to_a_bounded_buffer_then_dropped(
    simulator: BackgroundAtsSimulator,
) -> None:
    url, http = primary(simulator)
    clients = [never_reader(url) for _ in range(8)]
    try:
        limits = http.limits
        wait_until(lambda: simulator.call(lambda: len(http.connections)) == 8)
        # Each connection stops at the high-water mark plus one answer and one read.
        per_connection = limits.write_high_water + 4096 + 256 * 1024
        wait_until(lambda: simulator.call(http.buffered_bytes) > 8 * limits.write_high_water)
        held = simulator.call(lambda: [c.buffered_bytes() for c in http.connections])
        assert max(held) <= per_connection, held
        assert max(timed_ping(url) for _ in range(5)) < 2.0
        # Past the write deadline the stuck connections are aborted.
        now = simulator.call(http.now)
        simulator.call(lambda: http.sweep(now + limits.write_timeout + 1))
        wait_until(lambda: simulator.call(lambda: len(http.connections)) == 0)
        assert simulator.call(http.buffered_bytes) == 0
        assert timed_ping(url) < 2.0
    finally:
        for sock in clients:
            sock.close()


def raw_exchange(url: str, payload: bytes) -> bytes:
    with socket.create_connection(address(url), timeout=5) as sock:
        sock.sendall(payload)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def test_h2c_upgrade_is_answered_once_over_http1(simulator: BackgroundAtsSimulator) -> None:
    url, _ = primary(simulator)
    reply = raw_exchange(
        url,
        b"GET /ping HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n"
        b"Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n"
        b"GET /help HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    assert reply.count(b"HTTP/1.1 ") == 2  # one answer per request, no 101, no 400
    ping, help_page = reply.split(b"HTTP/1.1 ")[1:]
    assert ping.startswith(b"200 ") and b"Content-Length: 0\r\n" in ping
    assert help_page.startswith(b"200 ") and b"text/markdown" in help_page
    with_body = raw_exchange(
        url,
        b"POST /ping HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
        b"Content-Length: 3\r\n\r\nabc",
    )
    assert with_body.count(b"HTTP/1.1 ") == 1 and with_body.startswith(b"HTTP/1.1 400 ")


def test_an_endless_header_line_is_refused_431_before_it_is_complete(
    simulator: BackgroundAtsSimulator,
) -> None:
    """httptools reports a header only once its line ends; the head is bounded
    on the raw bytes, so the answer comes at once, not at the request deadline."""
    url, http = primary(simulator)
    sock = socket.create_connection(address(url), timeout=5)
    try:
        # 40 KiB: past the 16 KiB head limit, and one loopback segment, so the
        # server has read all of it when it closes (no reset over the answer).
        sock.sendall(b"GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * (40 * 1024))
        started = time.monotonic()
        answer = sock.recv(4096)
        assert answer.startswith(b"HTTP/1.1 431 "), answer[:80]
        assert time.monotonic() - started < 1.0  # the 10 s request deadline played no part
    finally:
        sock.close()
    assert http.buffered_bytes() < 64 * 1024


def test_slowloris_connections_are_dropped_and_good_clients_served(
    simulator: BackgroundAtsSimulator,
) -> None:
    url, http = primary(simulator)
    silent = [socket.create_connection(address(url)) for _ in range(10)]
    dribbling = [socket.create_connection(address(url)) for _ in range(10)]
    try:
        for byte in b"GET /pi":  # a byte at a time, never completing a head
            for sock in dribbling:
                sock.send(bytes([byte]))
        wait_until(lambda: simulator.call(lambda: len(http.connections)) == 20)
        assert timed_ping(url) < 2.0
        now = simulator.call(http.now)
        simulator.call(lambda: http.sweep(now + http.limits.request_timeout + 1))
        for sock in dribbling:
            sock.settimeout(5)
            assert sock.recv(4096).startswith(b"HTTP/1.1 408 ")
        for sock in silent:
            sock.settimeout(5)
            assert sock.recv(4096) == b""  # never sent a byte: closed without an answer
        assert timed_ping(url) < 2.0
    finally:
        for sock in silent + dribbling:
            sock.close()


def test_connections_past_the_cap_get_503_and_a_freed_slot_serves_again(
    simulator: BackgroundAtsSimulator,
) -> None:
    url, http = primary(simulator)
    held = [socket.create_connection(address(url)) for _ in range(http.limits.max_connections)]
    try:
        wait_until(lambda: simulator.call(lambda: len(http.connections)) == len(held))
        refused = raw_exchange(url, b"GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
        assert refused.startswith(b"HTTP/1.1 503 ") and b"too many connections" in refused
        held.pop().close()
        wait_until(lambda: simulator.call(lambda: len(http.connections)) < len(held) + 1)
        assert timed_ping(url) < 2.0
    finally:
        for sock in held:
            sock.close()


def test_bulk_registration_of_the_maximum_size_keeps_ping_answered() -> None:
    config = AtsConfig(port=0, max_bulk_registrations=200_000)
    with BackgroundAtsSimulator(config) as running:
        url, _ = primary(running)
        latencies: list[float] = []
        done = threading.Event()

        def bulk() -> None:
            with AtsControlClient(url, timeout=60) as control:
                control.bulk_register(200_000, 79000100000, 79010100000)
            done.set()

        worker = threading.Thread(target=bulk)
        worker.start()
        with httpx.Client(timeout=5) as client:
            while not done.is_set():
                started = time.perf_counter()
                assert client.get(url + "/ping").status_code == 200
                latencies.append(time.perf_counter() - started)
        worker.join()
        assert len(latencies) >= 3, "the bulk finished before /ping could be measured"
        assert max(latencies) < 1.0, max(latencies)
        with AtsControlClient(url) as control:
            assert control.registrations() == 200_000
            with pytest.raises(ControlApiError, match="0 to 200000"):
                control._call(
                    "POST", "registrations", json={"count": 200_001, "a_first": 1, "b_first": 1}
                )


def test_control_token_guards_every_control_path_and_nothing_else() -> None:
    with BackgroundAtsSimulator(AtsConfig(port=0, control_token="s3cret")) as running:
        url, _ = primary(running)
        bare = httpx.get(url + "/__sim/state")
        assert bare.status_code == 401 and "token" in bare.json()["error"]
        assert bare.headers["WWW-Authenticate"].startswith("Bearer")
        wrong = httpx.post(url + "/__sim/reset", headers={"X-Sim-Token": "guess"})
        assert wrong.status_code == 401
        assert httpx.get(url + "/__sim/state", headers={"X-Sim-Token": "s3cret"}).status_code == 200
        with AtsControlClient(url, token="s3cret") as control:
            assert control.state()["registrations"] == 0
        with AtsControlClient(url) as control, pytest.raises(ControlApiError) as refused:
            control.reset()
        assert refused.value.status == 401
        # The API itself needs no token.
        assert (
            httpx.post(url + "/RegisterCall", content=f"a={A}&b={B}", headers=FORM).status_code
            == 201
        )


def test_nan_clock_advance_over_http_is_refused_and_the_api_keeps_working(
    simulator: BackgroundAtsSimulator,
) -> None:
    url, _ = primary(simulator)
    for literal in (b"NaN", b"Infinity", b"1e309"):
        response = httpx.post(url + "/__sim/clock", content=b'{"advance": ' + literal + b"}")
        assert response.status_code == 400, literal
    assert (
        httpx.post(url + "/RegisterCall", content=f"a={A}&b={B}", headers=FORM).status_code == 201
    )
    check = httpx.post(url + "/CheckCall", content=f"a={A}&b={B}&call_id=1", headers=FORM)
    assert check.status_code == 200

    def refuse(name: str) -> object:
        raise AssertionError(name)

    state = json.loads(httpx.get(url + "/__sim/state").content, parse_constant=refuse)
    assert abs(state["clock"]["offset"]) < 1.0
